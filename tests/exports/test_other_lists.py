"""Exports of the lists without client content: anonymous encounters, services, accounts,
the access-log search and the groups. Same access, filters and scope as each page; none
of them is logged as an export of her data."""

from datetime import timedelta

import pytest

from outreach.audit.log import record_access
from outreach.auth.models import Role
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.services.models import ServiceKind
from tests import factories
from tests.exports.conftest import column, export_links, log_rows, read_csv, read_xlsx
from tests.factories import make_group, make_session

# --- Anonymous encounters ----------------------------------------------------------------------


def test_encounters_with_the_month_filter(client, sign_in, world):
    today = local_today()
    last_month = today.replace(day=1) - timedelta(days=1)
    factories.make_encounter(world.pair, area="Hakaniemi", people_count=3, note="=kaksi")
    factories.make_encounter(world.pair, area="Töölö", met_on=last_month)
    factories.make_encounter(world.other, area="Toisen parin alue")
    sign_in(world.expert)
    rows = read_csv(client.get("/encounters/export?lang=en"))
    assert sorted(column(rows, "Area")) == ["Hakaniemi", "Töölö"]
    month = today.strftime("%Y-%m")
    rows = read_csv(client.get(f"/encounters/export?month={month}&lang=en"))
    assert column(rows, "Area") == ["Hakaniemi"]
    assert column(rows, "Number of people") == ["3"]
    assert column(rows, "Note") == ["'=kaksi"]
    html = client.get(f"/encounters/?month={month}").get_data(as_text=True)
    assert [link["month"] for link in export_links(html, "/encounters/export")] == [[month]] * 3
    assert log_rows(action="export") == []


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_encounters_refused_like_the_page(client, sign_in, world, who):
    sign_in(getattr(world, who))
    assert client.get("/encounters/export").status_code == 403
    assert client.get("/encounters/").status_code == 403


# --- Services ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "admin", "pro", "expert"])
def test_services_for_every_signed_in_user(client, sign_in, world, who):
    factories.make_service(ServiceKind.KELA, name_fi="Kela Hämeentie", address="Hämeentie 1")
    factories.make_service(name_fi="Päiväkeskus", active=False)
    sign_in(getattr(world, who))
    rows = read_csv(client.get("/services/export?lang=en"))
    assert column(rows, "Name") == ["Kela Hämeentie"]  # active ones, as the page
    rows = read_csv(client.get("/services/export?status=all&q=p%C3%A4iv%C3%A4&lang=en"))
    assert column(rows, "Name") == ["Päiväkeskus"]
    assert column(rows, "Active") == ["No"]


def test_services_xlsx(client, sign_in, world):
    factories.make_service(name_fi="Ensisuoja Ö", address="@katu 1")
    sign_in(world.pro)
    sheet = read_xlsx(client.get("/services/export?format=xlsx&lang=en"))
    assert sheet.column("Name") == ["Ensisuoja Ö"]
    assert sheet.column("Address") == ["'@katu 1"]
    assert sheet.formulas == []


def test_services_anonymous_signs_in(client):
    assert client.get("/services/export").status_code == 302


# --- Accounts -----------------------------------------------------------------------------------


def test_accounts_for_the_administrator(client, sign_in, world, make_user):
    make_user(Role.EXPERT, name="Äänekoski Ötökkä", active=False)
    sign_in(world.admin)
    rows = read_csv(client.get("/admin/users/export?role=expert&status=inactive&lang=en"),)
    assert column(rows, "Name") == ["Äänekoski Ötökkä"]
    assert column(rows, "Active") == ["No"]
    assert column(rows, "Role") == ["Experience expert"]
    rows = read_csv(client.get("/admin/users/export?format=csv-semicolon&lang=en"), ";")
    assert len(rows) - 1 == 8  # the seven accounts of the world and the one above


@pytest.mark.parametrize("who", ["supervisor", "pro", "expert"])
def test_accounts_refused_like_the_page(client, sign_in, world, who):
    sign_in(getattr(world, who))
    assert client.get("/admin/users/export").status_code == 403


# --- The access-log search ------------------------------------------------------------------------


def test_access_log_search(client, sign_in, world, make_client, app):
    her = make_client(world.pair, name="Lokin Liisa")
    other = make_client(world.pair, name="Toinen Tiina")
    with app.test_request_context("/"):
        record_access(her.id, "contacts", "read", user=world.pro)
        record_access(other.id, "record", "read", user=world.expert, outcome="denied")
        from outreach.audit.log import insert_entries, take_pending

        insert_entries(db.session, take_pending())
        db.session.commit()
    sign_in(world.admin)
    rows = read_csv(client.get(f"/admin/access-log/export?code={her.code}&lang=en"))
    assert column(rows, "Client code") == [her.code]
    assert column(rows, "What") == ["Contacts"]
    assert "Lokin Liisa" not in str(rows)  # codes, never names
    rows = read_csv(client.get("/admin/access-log/export?outcome=denied&lang=en"))
    assert column(rows, "Client code") == [other.code]
    # An invalid search answers as the page does, with nothing exported.
    response = client.get("/admin/access-log/export?since=31.13.2026")
    assert response.status_code == 422
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("who", ["supervisor", "pro", "expert"])
def test_access_log_refused_like_the_page(client, sign_in, world, who):
    sign_in(getattr(world, who))
    assert client.get("/admin/access-log/export").status_code == 403


# --- Groups -----------------------------------------------------------------------------------


def test_groups_partner_sees_the_place_supervisor_counts_only(client, sign_in, world):
    group = make_group(world.pair, name="Äitien ryhmä", place="Olohuone, Kalliossa")
    make_session(group, participants=4, held_on=local_today() - timedelta(days=7))
    make_session(group, participants=5, held_on=local_today() - timedelta(days=14))
    make_group(world.other, name="Toisen parin ryhmä")
    sign_in(world.pro)
    rows = read_csv(client.get("/groups/export?lang=en"))
    assert column(rows, "Name") == ["Äitien ryhmä"]
    assert column(rows, "Sessions held") == ["2"]
    assert column(rows, "Participants in all") == ["9"]
    assert column(rows, "Place") == ["Olohuone, Kalliossa"]
    sign_in(world.supervisor)
    rows = read_csv(client.get("/groups/export?lang=en"))
    assert column(rows, "Name") == ["Äitien ryhmä"]
    assert "Place" not in rows[0] and "Olohuone" not in str(rows)
    sign_in(world.admin)
    rows = read_csv(client.get("/groups/export?q=toisen&lang=en"))
    assert column(rows, "Name") == ["Toisen parin ryhmä"]
    sign_in(world.other_supervisor)
    rows = read_csv(client.get("/groups/export?lang=en"))
    assert column(rows, "Name") == ["Toisen parin ryhmä"]
