"""The funder report's figures for the hand-computed world (tests/reports/conftest.py), as
computed, as shown on the page and as written in the XLSX."""

from datetime import date

import pytest
import sqlalchemy as sa

from outreach.clients.models import Client
from outreach.extensions import db
from outreach.reports import queries
from outreach.reports.queries import Period
from outreach.retention.figures import yearly_figures
from tests.helpers import page_tables, row_of, sign_in, xlsx_rows, xlsx_text
from tests.reports.conftest import last_year


def _report(world, user=None, pairs=None):
    user = user or world.supervisor
    year = last_year()
    return queries.funder_report(user, Period(date(year, 1, 1), date(year, 12, 31), year),
                                 pairs or [world.pair, world.second_pair])


def _by_label(rows):
    return {row.label: (row.count, row.minutes) for row in rows}


def test_women_reached_and_anonymous_encounters(world, english):
    report = _report(world)
    assert report.women_reached == 4
    assert (report.encounters, report.encounter_people) == (2, 4)


def test_contacts_and_accompaniments(world, english):
    report = _report(world)
    contacts = _by_label(report.contacts)
    assert contacts["Street outreach"] == (3, 75)
    assert contacts["Phone"] == (1, 60)
    assert contacts["Text message"] == (1, 5)
    assert contacts["Office"] == (1, 45)
    assert contacts["Video"] == (0, 0)  # pair C's and last year's video contacts are not here
    assert (report.contacts_total.count, report.contacts_total.minutes) == (6, 185)

    kinds = _by_label(report.accompaniments_by_kind)
    assert kinds["Kela"] == (1, 90) and kinds["Housing services"] == (1, 30)
    assert kinds["Police"] == (0, 0)
    outcomes = _by_label(report.accompaniments_by_outcome)
    assert outcomes["Done"] == (1, 90) and outcomes["She did not come"] == (1, 30)
    assert (report.accompaniments_total.count, report.accompaniments_total.minutes) == (2, 120)


def test_hours_by_role(world, english):
    roles = {role.label: role for role in _report(world).roles}
    professional = roles["The professional"]
    expert = roles["The experience expert"]
    both = roles["Both"]
    assert (professional.contacts.count, professional.contacts.minutes) == (3, 105)
    assert (professional.accompaniments.count, professional.accompaniments.minutes) == (0, 0)
    assert (expert.contacts.count, expert.contacts.minutes) == (2, 20)
    assert (expert.accompaniments.count, expert.accompaniments.minutes) == (1, 90)
    assert (both.contacts.count, both.contacts.minutes) == (1, 60)
    assert (both.accompaniments.count, both.accompaniments.minutes) == (1, 30)
    assert _report(world).roles_total.minutes == 185 + 120


def test_living_situation_first_and_last_known(world, english):
    report = _report(world)
    transitions = {(t.before, t.after): t.count for t in report.transitions}
    assert transitions == {
        ("Street", "Temporary housing"): 1,
        ("Street", "Street"): 1,
        ("Emergency shelter", "Supported housing"): 1,
        ("Own lease", "Own lease"): 1,
    }
    assert report.women_changed == 2


def test_mean_change_per_life_domain(world, english):
    domains = {d.label: d for d in _report(world).domains}
    housing = domains["Housing"]
    assert housing.n == 3
    assert housing.first == pytest.approx(2.0)
    assert housing.last == pytest.approx(11 / 3)
    assert housing.change == pytest.approx(5 / 3)
    mental = domains["Mental health"]
    assert (mental.n, mental.first, mental.last) == (3, pytest.approx(2.0), pytest.approx(3.0))
    assert domains["Income and debts"].n == 0
    assert domains["Income and debts"].change is None


def test_groups_sessions_and_participants(world, english):
    report = _report(world)
    assert (report.groups, report.sessions, report.participants) == (2, 3, 11)


def test_evaluation_summaries_over_the_pairs_and_period(world, english):
    part_a, expert_b, professional_b = _report(world).evaluation
    assert part_a.forms == 4
    first = part_a.statements[0]
    assert first.n == 4 and first.mean == pytest.approx(3.0)
    assert expert_b.forms == 2 and expert_b.statements[0].n == 2
    assert professional_b.forms == 2


def test_the_partners_report_has_no_evaluation_summaries(world, english):
    """Within one pair the summary would show the partners each other's answers."""
    assert _report(world, world.pair.professional, [world.pair]).evaluation is None


def test_contacts_agree_with_the_retention_years_figures(world, english, year):
    """The same contacts, counted by retention's yearly_figures (all pairs) and by the report
    (all pairs, the administrator)."""
    figures = yearly_figures(year)
    expected = sum(row[2] for row in figures["contacts_by_channel_and_participants"])
    report = _report(world, world.admin, [world.pair, world.second_pair, world.other_pair])
    assert report.contacts_total.count == expected == 7


# --- The page and the file -------------------------------------------------------------------


def test_the_page_shows_the_figures_suppressed(client, world, year):
    sign_in(client, world.supervisor)
    response = client.get(f"/reports/funder?lang=en&year={year}")
    assert response.status_code == 200
    tables = page_tables(response.get_data(as_text=True))
    reached = tables["women-reached"]
    assert row_of(reached, "Women with consent met in a contact or an accompaniment")[1] == "4"
    assert row_of(reached, "Anonymous encounters")[1] == "<3"
    assert row_of(reached, "People met in anonymous encounters")[1] == "4"
    contacts = tables["contacts"]
    assert row_of(contacts, "Street outreach")[1:] == ["3", "1.3"]
    assert row_of(contacts, "Phone")[1:] == ["<3", "1.0"]
    assert row_of(contacts, "Video")[1:] == ["0", "0.0"]
    assert row_of(contacts, "Total")[1:] == ["6", "3.1"]
    assert ["Street", "Temporary housing", "<3"] in tables["living-situation"]
    assert row_of(tables["living-situation"], "Situation changed")[2] == "<3"
    domains = tables["life-domains"]
    assert row_of(domains, "Housing")[1:] == ["3", "2.0", "3.7", "+1.7"]
    assert row_of(domains, "Income and debts")[1:] == ["0", "–", "–", "–"]
    groups = tables["groups"]
    assert row_of(groups, "Groups that met")[1] == "<3"
    assert row_of(groups, "Sessions held")[1] == "3"
    assert row_of(groups, "Participants in all")[1] == "11"
    evaluations = tables["evaluations"]
    assert row_of(evaluations, "Submitted forms")[1] == "4"  # part A; each part B "<3"
    roles = tables["roles"]
    assert row_of(roles, "The professional")[1:] == ["3", "1.8", "0", "0.0", "1.8"]
    assert row_of(roles, "The experience expert")[1:] == ["<3", "0.3", "<3", "1.5", "1.8"]


def test_means_are_shown_only_from_three(client, world, year):
    sign_in(client, world.supervisor)
    html = client.get(f"/reports/funder?lang=en&year={year}&pairs={world.pair.id}"
                      ).get_data(as_text=True)
    domains = page_tables(html)["life-domains"]
    # Pair A alone: w1 and w2 mapped twice, two women: "<3" and no mean.
    assert row_of(domains, "Housing")[1:] == ["<3", "–", "–", "–"]
    part_a = page_tables(html)["evaluations"]
    assert row_of(part_a, "Submitted forms")[1] == "<3"
    assert all(row[2] == "–" for row in part_a if row and row[0][:2] == "1.")


def test_no_names_or_codes_in_the_page_or_the_file(client, world, year):
    sign_in(client, world.admin)
    html = client.get(f"/reports/funder?year={year}").get_data(as_text=True)
    data = client.get(f"/reports/funder.xlsx?year={year}").data
    text = xlsx_text(data)
    women = db.session.execute(sa.select(Client.name, Client.code)).all()
    assert len(women) == 7  # every woman of the world
    for secret in [name for name, _code in women] + [code for _name, code in women]:
        assert secret not in html
        assert secret not in text


def test_the_xlsx_holds_the_same_figures(client, world, year):
    sign_in(client, world.supervisor)
    response = client.get(f"/reports/funder.xlsx?lang=en&year={year}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert f'filename="funder-report-{year}.xlsx"' in response.headers["Content-Disposition"]
    rows = xlsx_rows(response.data)
    assert rows[0][0] == "Funder report"
    assert row_of(rows, "Period")[1] == str(year)
    assert world.pair.label in row_of(rows, "Pairs")[1]
    assert row_of(rows, "Women with consent met in a contact or an accompaniment")[1] == 4
    assert row_of(rows, "Street outreach")[1:] == [3, 1.25]
    assert row_of(rows, "Phone")[1:] == ["<3", 1]
    assert row_of(rows, "Video")[1:] == [0, 0]
    housing = row_of(rows, "Housing")
    assert housing[1] == 3 and housing[2] == 2 and housing[3] == pytest.approx(3.67)
    assert row_of(rows, "Sessions held")[1] == 3
