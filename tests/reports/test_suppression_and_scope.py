"""Small numbers: 1 and 2 read "<3" on the page and in the XLSX, 0 and 3 are shown. Scope:
a supervisor reports on her own pairs only, a partner on her own pair, the administrator
on all; another pair in the query string is 404. The page runs a fixed number of queries."""

import re
from datetime import date, timedelta

import pytest

from outreach.auth.models import Role
from outreach.contacts.choices import Channel, Participants
from outreach.core.time import local_today
from tests import factories
from tests.helpers import page_tables, row_of, sign_in, xlsx_rows
from tests.reports.conftest import at, contact, woman


@pytest.fixture
def small(app):
    """One pair, this year: street 1 contact, phone 2, text message 3, video 0."""
    supervisor = factories.make_user(Role.SUPERVISOR)
    pair = factories.make_pair(supervisor=supervisor, starts_on=date(2020, 1, 1))
    her = woman(pair, "Nimipieni")
    day = local_today() - timedelta(days=1)
    if day.year != local_today().year:
        day = local_today()
    for channel, times in ((Channel.STREET, 1), (Channel.PHONE, 2), (Channel.TEXT_MESSAGE, 3)):
        for _ in range(times):
            contact(her, at(day, 10), 60, channel, Participants.BOTH)
    return supervisor, pair


def test_one_and_two_are_suppressed_zero_and_three_shown_on_the_page(client, small):
    supervisor, _pair = small
    sign_in(client, supervisor)
    html = client.get(f"/reports/funder?lang=en&year={local_today().year}").get_data(as_text=True)
    contacts = page_tables(html)["contacts"]
    assert row_of(contacts, "Street outreach")[1] == "<3"
    assert row_of(contacts, "Phone")[1] == "<3"
    assert row_of(contacts, "Text message")[1] == "3"
    assert row_of(contacts, "Video")[1] == "0"
    assert row_of(contacts, "Total")[1] == "6"
    # One woman reached: "<3", never "1".
    reached = page_tables(html)["women-reached"]
    assert row_of(reached, "Women with consent met in a contact or an accompaniment")[1] == "<3"
    # The rule is written on the page.
    assert "Counts of 1 or 2 are shown as" in html


def test_one_and_two_are_suppressed_zero_and_three_shown_in_the_xlsx(client, small):
    supervisor, _pair = small
    sign_in(client, supervisor)
    data = client.get(f"/reports/funder.xlsx?lang=en&year={local_today().year}").data
    rows = xlsx_rows(data)
    assert row_of(rows, "Street outreach")[1:] == ["<3", 1]
    assert row_of(rows, "Phone")[1:] == ["<3", 2]
    assert row_of(rows, "Text message")[1:] == [3, 3]  # a real number, and 3 hours
    assert row_of(rows, "Video")[1:] == [0, 0]
    women = row_of(rows, "Women with consent met in a contact or an accompaniment")
    assert women[1] == "<3"
    assert any(str(row[0]).startswith("Counts of 1 or 2 are shown as") for row in rows)


# --- Scope -------------------------------------------------------------------------------------


def _pairs_on_page(html: str, world) -> set[str]:
    pairs = (("a", world.pair), ("b", world.second_pair), ("c", world.other_pair))
    return {name for name, pair in pairs if f'value="{pair.id}"' in html}


def test_the_supervisor_sees_only_her_own_pairs(client, world, year):
    sign_in(client, world.other_supervisor)
    response = client.get(f"/reports/funder?lang=en&year={year}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _pairs_on_page(html, world) == {"c"}
    contacts = page_tables(html)["contacts"]
    assert row_of(contacts, "Video")[1] == "<3"  # pair C's one video contact
    assert row_of(contacts, "Street outreach")[1] == "0"
    assert world.pair.label not in html and world.second_pair.label not in html
    # Another supervisor's pair, asked for by id: as if it did not exist.
    for path in ("/reports/funder", "/reports/funder.xlsx"):
        assert client.get(f"{path}?year={year}&pairs={world.pair.id}").status_code == 404
        assert client.get(f"{path}?year={year}&pairs={world.other_pair.id}"
                          f"&pairs={world.pair.id}").status_code == 404

    sign_in(client, world.supervisor)
    html = client.get(f"/reports/funder?year={year}").get_data(as_text=True)
    assert _pairs_on_page(html, world) == {"a", "b"}


def test_a_partner_sees_only_her_own_pair(client, world, year):
    sign_in(client, world.second_pair.expert)
    response = client.get(f"/reports/funder?lang=en&year={year}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _pairs_on_page(html, world) == {"b"}
    assert row_of(page_tables(html)["contacts"], "Office")[1] == "<3"
    assert row_of(page_tables(html)["contacts"], "Phone")[1] == "0"  # pair A's
    assert "evaluations" not in page_tables(html)
    assert client.get(f"/reports/funder?year={year}&pairs={world.pair.id}").status_code == 404


def test_the_administrator_reports_on_every_pair(client, world, year):
    sign_in(client, world.admin)
    html = client.get(f"/reports/funder?lang=en&year={year}").get_data(as_text=True)
    assert _pairs_on_page(html, world) == {"a", "b", "c"}
    assert row_of(page_tables(html)["contacts"], "Total")[1] == "7"


def test_choosing_some_of_the_pairs(client, world, year):
    sign_in(client, world.supervisor)
    html = client.get(f"/reports/funder?lang=en&year={year}&pairs={world.second_pair.id}"
                      ).get_data(as_text=True)
    assert row_of(page_tables(html)["contacts"], "Total")[1] == "<3"  # w4 and w5
    assert f'value="{world.pair.id}"' in html  # still offered, not ticked
    ticked = re.findall(r"<input[^>]*checked[^>]*>", html)
    assert len(ticked) == 1 and f'value="{world.second_pair.id}"' in ticked[0], ticked


@pytest.mark.parametrize("role", ["admin", "supervisor", "professional", "expert"])
def test_every_role_may_open_it_anonymous_is_sent_to_sign_in(client, auth, role):
    auth.login_as(role)
    assert client.get("/reports/funder").status_code == 200
    assert client.get("/reports/funder.xlsx").status_code == 200
    client.post("/logout")
    response = client.get("/reports/funder")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_menu_and_the_home_page_link_it_for_supervisors_and_administrators(client, world):
    for user, shown in ((world.supervisor, True), (world.admin, True),
                        (world.pair.professional, False), (world.pair.expert, False)):
        sign_in(client, user)
        html = client.get("/?lang=en").get_data(as_text=True)
        assert ('href="/reports/funder"' in html) is shown, user.role
        assert ('id="funder-report"' in html) is shown, user.role


# --- A fixed number of queries -----------------------------------------------------------------


def test_the_page_runs_the_same_queries_for_few_and_many_rows(client, world, count_queries, year):
    sign_in(client, world.supervisor)
    url = f"/reports/funder?year={year}"
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    # Many more women, contacts, accompaniments, mappings and encounters.
    for n in range(8):
        her = woman(world.pair, f"Nimilisä{n}")
        for month in range(1, 6):
            contact(her, at(date(year, month, 3)), 20, Channel.PHONE, Participants.BOTH)
        factories.make_mapping(her, mapped_on=date(year, 2, 1), ratings={"housing": 2})
        factories.make_mapping(her, mapped_on=date(year, 9, 1), ratings={"housing": 4})
        factories.make_encounter(world.second_pair, met_on=date(year, 3, 3))
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 25, few
    with count_queries() as file_few:
        client.get(f"/reports/funder.xlsx?year={year}")
    assert len(file_few) == len(few)
