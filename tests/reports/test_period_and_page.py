"""The period (Helsinki days, a year or a custom period, invalid choices answered 422), the
languages, the printable page, and her living situation's history kept by the client pages."""

from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from outreach.auth.models import Role
from outreach.clients.choices import LivingSituation as L
from outreach.clients.models import Client, LivingSituationChange
from outreach.contacts.choices import Channel, Participants
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from tests import factories
from tests.helpers import page_tables, row_of, sign_in
from tests.reports.conftest import at, contact, woman

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


@pytest.fixture
def edges(app):
    """Contacts of one pair just inside and just outside 2024, on Helsinki's clock."""
    supervisor = factories.make_user(Role.SUPERVISOR)
    pair = factories.make_pair(supervisor=supervisor, starts_on=date(2020, 1, 1))
    her = woman(pair, "Nimiraja")
    moments = {
        "before": at(date(2023, 12, 31), 23, 59),  # 21:59 UTC on 31 Dec 2023
        "first": at(date(2024, 1, 1), 0, 30),  # 22:30 UTC on 31 Dec 2023: already 2024
        "last": at(date(2024, 12, 31), 23, 30),  # 21:30 UTC: still 2024
        "after": at(date(2025, 1, 1), 0, 10),  # 22:10 UTC on 31 Dec 2024: 2025 in Helsinki
    }
    assert moments["first"].astimezone(UTC).year == 2023
    assert moments["after"].astimezone(UTC).year == 2024
    channels = {"before": Channel.VIDEO, "first": Channel.PHONE, "last": Channel.OFFICE,
                "after": Channel.HOME_VISIT}
    for key, moment in moments.items():
        contact(her, moment, 10, channels[key], Participants.BOTH)
    return supervisor


def _contacts(client, query: str) -> list[list[str]]:
    response = client.get(f"/reports/funder?lang=en&{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return page_tables(response.get_data(as_text=True))["contacts"]


def test_a_year_is_helsinki_s_year(client, edges):
    sign_in(client, edges)
    contacts = _contacts(client, "year=2024")
    assert row_of(contacts, "Phone")[1] == "<3"  # 00:30 on 1 January
    assert row_of(contacts, "Office")[1] == "<3"  # 23:30 on 31 December
    assert row_of(contacts, "Video")[1] == "0"  # the evening before
    assert row_of(contacts, "Home visit")[1] == "0"  # ten past midnight after
    assert row_of(contacts, "Total")[1] == "<3"


def test_a_custom_period_takes_its_first_and_last_day_whole(client, edges):
    sign_in(client, edges)
    contacts = _contacts(client, "year=2024&start=2024-12-31&end=2025-01-01")
    assert row_of(contacts, "Phone")[1] == "0"
    assert row_of(contacts, "Office")[1] == "<3"
    assert row_of(contacts, "Home visit")[1] == "<3"
    html = client.get("/reports/funder?lang=en&start=2024-12-31&end=2025-01-01"
                      ).get_data(as_text=True)
    assert "31 Dec 2024–1 Jan 2025" in html


def test_the_default_is_the_last_full_year(client, auth):
    auth.login_as(Role.SUPERVISOR)
    html = client.get("/reports/funder?lang=en").get_data(as_text=True)
    last_year = local_today().year - 1
    assert f'<option selected value="{last_year}">' in html or \
        f'<option value="{last_year}" selected>' in html
    assert f"<dd>{last_year}</dd>" in html


@pytest.mark.parametrize(("query", "message"), [
    ("start=2024-01-01", "Give both the first and the last day of the period."),
    ("end=2024-01-01", "Give both the first and the last day of the period."),
    ("start=2024-02-01&end=2024-01-01", "The last day cannot be before the first day."),
    ("start=2010-01-01&end=2024-01-01", "Choose a period of at most five years."),
    ("start=2024-13-01&end=2024-12-31", "Enter a valid date."),
    ("year=1999", "Choose a year from the list."),
    ("year=abc", "Choose a year from the list."),
])
def test_invalid_choices_answer_422_with_the_message(client, auth, query, message):
    auth.login_as(Role.SUPERVISOR)
    for path in ("/reports/funder", "/reports/funder.xlsx"):
        response = client.get(f"{path}?lang=en&{query}")
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert message in html
        assert 'class="report-section"' not in html


@pytest.mark.parametrize(("lang", "hours"), [("fi", "0,2"), ("sv", "0,2"), ("en", "0.2")])
def test_in_each_language(client, edges, lang, hours):
    sign_in(client, edges)
    response = client.get(f"/reports/funder?lang={lang}&year=2024")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    contacts = page_tables(html)["contacts"]
    # The phone row (10 minutes) in the language's number format.
    assert any(row[1] == "&lt;3" or row[1] == "<3" for row in contacts)
    assert any(row[2] == hours for row in contacts if row[1] == "<3")


def test_the_page_prints_clean(client, edges):
    sign_in(client, edges)
    html = client.get("/reports/funder?lang=en&year=2024").get_data(as_text=True)
    # What is not for paper is marked so; the period and the pairs head the page.
    assert 'class="report-choices no-print"' in html
    assert 'class="report-actions no-print"' in html
    assert '<header class="report-header">' in html
    assert "<dd>2024</dd>" in html
    css = CSS.read_text()
    block = css[css.index("/* --- reports --- */"):]
    assert "@media print" in block
    assert ".funder-report .report-section { break-before: page;" in block
    assert ".report-choices" in block and ".report-actions" in block
    # The site's own print rules hide the navigation.
    assert ".site-header, .site-footer, .skip-link { display: none; }" in css


def test_the_xlsx_link_keeps_the_choices(client, edges):
    sign_in(client, edges)
    html = client.get("/reports/funder?year=2024&start=2024-03-01&end=2024-04-01"
                      ).get_data(as_text=True)
    assert ('href="/reports/funder.xlsx?year=2024&amp;start=2024-03-01&amp;end=2024-04-01"'
            in html)
    response = client.get("/reports/funder.xlsx?start=2024-03-01&end=2024-04-01")
    assert 'filename="funder-report-2024-03-01-2024-04-01.xlsx"' in \
        response.headers["Content-Disposition"]


# --- Her living situation's history, written by the client pages ------------------------------


def _history(client_id: int) -> list[L]:
    db.session.expire_all()
    return list(db.session.scalars(
        sa.select(LivingSituationChange.living_situation)
        .where(LivingSituationChange.client_id == client_id)
        .order_by(LivingSituationChange.at, LivingSituationChange.id)))


def test_creating_and_editing_her_record_keeps_the_history(client, app):
    pair = factories.make_pair()
    sign_in(client, pair.professional)
    response = client.post("/clients/new", data={
        "pair_id": str(pair.id), "name": "Nimihistoria", "living_situation": "street",
        "create_anyway": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    her = db.session.scalar(sa.select(Client).where(Client.name == "Nimihistoria"))
    assert _history(her.id) == [L.STREET]

    def edit(living: str):
        db.session.expire_all()
        version = db.session.get(Client, her.id).version
        response = client.post(f"/clients/{her.id}/edit", data={
            "name": "Nimihistoria", "living_situation": living, "version": str(version)})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    edit("emergency_shelter")
    edit("emergency_shelter")  # nothing changed: no new row
    edit("supported_housing")
    assert _history(her.id) == [L.STREET, L.EMERGENCY_SHELTER, L.SUPPORTED_HOUSING]
    row = db.session.scalars(sa.select(LivingSituationChange)
                             .where(LivingSituationChange.client_id == her.id)).first()
    assert row.by_id == pair.professional_id
    assert abs(utcnow() - row.at.replace(tzinfo=UTC)).total_seconds() < 60


def test_the_demo_has_moves_to_report(client, app):
    from outreach import demo

    demo.load()
    rows = db.session.scalar(sa.select(sa.func.count(LivingSituationChange.id)))
    assert rows > 0
    demo.load()  # idempotent: nothing added the second time
    assert db.session.scalar(sa.select(sa.func.count(LivingSituationChange.id))) == rows
    response = client.post("/login", data={"email": "supervisor@demo.test",
                                           "password": demo.PASSWORD})
    assert response.status_code == 302
    today = local_today()
    html = client.get(f"/reports/funder?lang=en&start={today - timedelta(days=365)}&end={today}"
                      ).get_data(as_text=True)
    changed = row_of(page_tables(html)["living-situation"], "Situation changed")[2]
    assert changed not in ("0", "<3")
    for name, code in db.session.execute(sa.select(Client.name, Client.code)):
        assert f">{name}<" not in html and code not in html
