"""Exports of client content: the client list, my tasks, and her contacts, accompaniments
and network contacts. Only the pair's partners get them (the list's own scope), with the
page's filters, and each export request is one access-log row."""

from datetime import UTC, datetime, timedelta

import pytest

from outreach.auth.models import Role
from outreach.clients.choices import ClientStatus
from outreach.contacts.choices import Channel
from outreach.core.time import local_today
from outreach.tasks.models import Assignee
from tests import factories
from tests.exports.conftest import (
    column,
    export_links,
    filename_of,
    log_rows,
    read_csv,
    read_xlsx,
)

FORMATS = ("csv", "csv-semicolon", "xlsx")


def _rows(response, fmt):
    if fmt == "xlsx":
        sheet = read_xlsx(response)
        assert sheet.formulas == []
        return [[("" if v is None else v) for v in row] for row in sheet.rows]
    return read_csv(response, ";" if fmt == "csv-semicolon" else ",")


# --- The client list ------------------------------------------------------------------------


@pytest.fixture
def women(world, make_client):
    return {
        "aino": make_client(world.pair, name="Äijälä Öhman", usual_place="Kallio, kirjasto"),
        "bea": make_client(world.pair, name="Bea Bäck", safety_notes="Ei kotikäyntejä"),
        "closed": make_client(world.pair, name="Suljettu Sini", status=ClientStatus.CLOSED),
        "theirs": make_client(world.other, name="Toisen Parin Tuula"),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_client_list_in_each_format(client, sign_in, world, women, fmt):
    sign_in(world.pro)
    response = client.get(f"/clients/export?format={fmt}&lang=en")
    rows = _rows(response, fmt)
    assert rows[0][:4] == ["Name", "Code", "Living situation", "Usually met"]
    names = column(rows, "Name")
    # The list's default filter (active), its order (by name), ä and ö intact.
    assert names == ["Äijälä Öhman", "Bea Bäck"] or names == ["Bea Bäck", "Äijälä Öhman"]
    assert "Kallio, kirjasto" in column(rows, "Usually met")
    assert "Toisen Parin Tuula" not in str(rows)
    assert column(rows, "Safety notes")[names.index("Bea Bäck")] == "Yes"
    assert "Ei kotikäyntejä" not in str(rows)  # a flag, as on the page, not her notes
    name = filename_of(response)
    assert name == f"clients-{local_today().isoformat()}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    assert response.headers["Cache-Control"] == "no-store"


def test_semicolon_option_separates_with_semicolons(client, sign_in, world, women):
    sign_in(world.pro)
    data = client.get("/clients/export?format=csv-semicolon&lang=en").get_data()
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Name;Code;Living situation;Usually met;")
    # The comma in the place is data, not a separator, and needs no quoting here.
    assert ";Kallio, kirjasto;" in data.decode("utf-8-sig")


def test_client_list_filters_are_the_pages(client, sign_in, world, women):
    sign_in(world.pro)
    rows = read_csv(client.get("/clients/export?status=all&q=%C3%B6hman&lang=en"))
    assert column(rows, "Name") == ["Äijälä Öhman"]
    rows = read_csv(client.get("/clients/export?status=closed&lang=en"))
    assert column(rows, "Name") == ["Suljettu Sini"]
    assert column(rows, "Status") == ["Closed"]
    rows = read_csv(client.get("/clients/export?status=all&sort=code&lang=en"))
    codes = column(rows, "Code")
    assert codes == sorted(codes) and len(codes) == 3


def test_client_list_links_carry_the_filters(client, sign_in, world, women):
    sign_in(world.pro)
    html = client.get("/clients/?status=all&q=B&lang=en").get_data(as_text=True)
    links = export_links(html, "/clients/export")
    assert [link.pop("format") for link in links] == [[fmt] for fmt in FORMATS]
    for link in links:
        assert link["status"] == ["all"] and link["q"] == ["B"] and "page" not in link
        assert "lang" not in link
    # The htmx fragment (the search as one types) has the same links.
    fragment = client.get("/clients/?status=closed&page=1", headers={
        "HX-Request": "true", "HX-Target": "client-list"}).get_data(as_text=True)
    links = export_links(fragment, "/clients/export")
    assert len(links) == 3
    assert all(link["status"] == ["closed"] and "page" not in link for link in links)


def test_overdue_tasks_and_quiet_flags(client, sign_in, world, women):
    today = local_today()
    factories.make_task(world.pair, client_id=women["aino"].id, due_on=today - timedelta(days=2))
    factories.make_task(world.pair, client_id=women["aino"].id, due_on=today - timedelta(days=1))
    factories.make_task(world.pair, client_id=women["bea"].id, due_on=today + timedelta(days=1))
    sign_in(world.pro)
    rows = read_csv(client.get("/clients/export?lang=en&sort=name"))
    overdue = dict(zip(column(rows, "Name"), column(rows, "Overdue tasks"), strict=True))
    assert overdue == {"Äijälä Öhman": "2", "Bea Bäck": "0"}


def test_formula_injection_is_defused(client, sign_in, world, make_client):
    make_client(world.pair, name='=HYPERLINK("http://x.test","klik")', usual_place="+358 40 1")
    make_client(world.pair, name="@SUM(1)", usual_place="-1")
    sign_in(world.pro)
    rows = read_csv(client.get("/clients/export?lang=en"))
    assert sorted(column(rows, "Name")) == ["'=HYPERLINK(\"http://x.test\",\"klik\")",
                                            "'@SUM(1)"]
    assert sorted(column(rows, "Usually met")) == ["'+358 40 1", "'-1"]
    sheet = read_xlsx(client.get("/clients/export?format=xlsx&lang=en"))
    assert sheet.formulas == []
    assert "'@SUM(1)" in sheet.column("Name")


def test_xlsx_dates_are_dates(client, sign_in, world, make_client):
    moment = datetime(2026, 2, 3, 22, 30, tzinfo=UTC)  # 4 February in Helsinki
    make_client(world.pair, name="Päivi", last_contact_at=moment, status=ClientStatus.CLOSED,
                closed_on=moment.date())
    sign_in(world.pro)
    sheet = read_xlsx(client.get("/clients/export?format=xlsx&status=all&lang=en"))
    assert sheet.column("Last contact") == [46057]  # 2026-02-04 as a spreadsheet date
    assert sheet.column("Closed on") == [46056]
    csv_rows = read_csv(client.get("/clients/export?status=all&lang=en"))
    assert column(csv_rows, "Last contact") == ["2026-02-04"]


@pytest.mark.parametrize(("who", "status"), [
    ("supervisor", 403), ("admin", 403), ("pro", 200), ("expert", 200),
])
def test_client_list_access_is_the_lists(client, sign_in, world, women, who, status):
    sign_in(getattr(world, who))
    response = client.get("/clients/export")
    assert response.status_code == status
    assert client.get("/clients/").status_code == status


def test_expert_before_the_confidentiality_agreement_gets_none(client, sign_in, make_user,
                                                                make_pair, make_client):
    pair = make_pair()  # no agreement recorded
    make_client(pair, name="Salainen Saara")
    sign_in(pair.expert)
    rows = read_csv(client.get("/clients/export?lang=en"))
    assert rows[1:] == []


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/clients/export")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_client_list_export_is_logged_once(client, sign_in, world, women):
    sign_in(world.pro)
    before = len(log_rows())
    read_csv(client.get("/clients/export?status=all"))
    rows = log_rows()[before:]
    assert [(r.client_id, r.part, r.action, r.user_id, r.outcome) for r in rows] == [
        (None, "client_list", "export", world.pro.id, "allowed")]
    read_xlsx(client.get("/clients/export?format=xlsx"))
    assert len(log_rows(part="client_list", action="export")) == 2


def test_bad_format_is_refused(client, sign_in, world):
    sign_in(world.pro)
    assert client.get("/clients/export?format=pdf").status_code == 400


# --- My tasks ---------------------------------------------------------------------------------


def test_my_tasks(client, sign_in, world, women):
    today = local_today()
    factories.make_task(world.pair, title="Soita Kelaan", client_id=women["aino"].id,
                        due_on=today, assignee=Assignee.EXPERT)
    factories.make_task(world.pair, title="Hae lääkkeet", due_on=today - timedelta(days=3))
    factories.make_task(world.pair, title="Ammattilaisen oma", assignee=Assignee.PROFESSIONAL)
    factories.make_task(world.other, title="Toisen parin tehtävä")
    sign_in(world.expert)
    before = len(log_rows())
    response = client.get("/tasks/export?lang=en")
    rows = read_csv(response)
    assert rows[0][:3] == ["Task", "Client", "Code"]
    # The page's rows (hers and the pair's), overdue first.
    assert column(rows, "Task") == ["Hae lääkkeet", "Soita Kelaan"]
    assert column(rows, "Client") == ["", "Äijälä Öhman"]
    assert column(rows, "Due") == [(today - timedelta(days=3)).isoformat(), today.isoformat()]
    assert [(r.part, r.action, r.client_id) for r in log_rows()[before:]] == [
        ("tasks", "export", None)]
    assert filename_of(response).startswith("my-tasks-")
    links = export_links(client.get("/tasks/").get_data(as_text=True), "/tasks/export")
    assert [link["format"] for link in links] == [[fmt] for fmt in FORMATS]


@pytest.mark.parametrize(("who", "status"), [("supervisor", 403), ("admin", 403)])
def test_my_tasks_refused_like_the_page(client, sign_in, world, who, status):
    sign_in(getattr(world, who))
    assert client.get("/tasks/export").status_code == status


# --- Her contacts, accompaniments, network contacts ----------------------------------------------


@pytest.fixture
def her_records(world, women):
    her = women["aino"]
    factories.make_contact(her, note="Puhuttiin asunnosta; hän oli väsynyt", channel=Channel.PHONE)
    factories.make_contact(her, note="Kadulla, söi välipalan", channel=Channel.STREET)
    service = factories.make_service(name_fi="Kela Itäkeskus")
    factories.make_accompaniment(her, service=service, purpose="Hakemus: toimeentulotuki")
    factories.make_network_contact(her, organisation="Ensikoti ry", topic="Paikka äidille")
    theirs = women["theirs"]
    factories.make_contact(theirs, note="TOISEN PARIN MUISTIINPANO")
    return her


LISTS = [
    ("contacts", "contacts", "Note", "Puhuttiin asunnosta; hän oli väsynyt"),
    ("accompaniments", "accompaniments", "Purpose", "Hakemus: toimeentulotuki"),
    ("network", "network", "Organisation", "Ensikoti ry"),
]


@pytest.mark.parametrize(("path", "part", "label", "value"), LISTS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_her_lists(client, sign_in, world, her_records, path, part, label, value, fmt):
    sign_in(world.pro)
    before = len(log_rows())
    response = client.get(f"/clients/{her_records.id}/{path}/export?format={fmt}&lang=en")
    rows = _rows(response, fmt)
    assert value in column(rows, label)
    assert "TOISEN PARIN" not in str(rows)
    assert her_records.code.lower() in filename_of(response)
    # One row for the request: the export of this part of her data (no separate "read").
    assert [(r.client_id, r.part, r.action) for r in log_rows()[before:]] == [
        (her_records.id, part, "export")]


def test_contact_filters_are_the_pages(client, sign_in, world, her_records):
    sign_in(world.expert)
    base = f"/clients/{her_records.id}/contacts/export?lang=en"
    assert len(read_csv(client.get(base))) == 3
    rows = read_csv(client.get(base + "&channel=street"))
    assert column(rows, "Note") == ["Kadulla, söi välipalan"]
    rows = read_csv(client.get(base + "&q=asunnosta"))
    assert column(rows, "Note") == ["Puhuttiin asunnosta; hän oli väsynyt"]
    html = client.get(f"/clients/{her_records.id}/contacts/?channel=street&lang=en")
    links = export_links(html.get_data(as_text=True),
                          f"/clients/{her_records.id}/contacts/export")
    assert [(link["channel"], link["format"]) for link in links] == [
        (["street"], [fmt]) for fmt in FORMATS]


@pytest.mark.parametrize("path", ["contacts", "accompaniments", "network"])
@pytest.mark.parametrize(("who", "status"), [
    ("pro2", 404), ("expert2", 404), ("supervisor", 403), ("admin", 403),
])
def test_another_pair_and_other_roles_get_nothing(client, sign_in, world, her_records, path,
                                                  who, status):
    sign_in(getattr(world, who))
    assert client.get(f"/clients/{her_records.id}/{path}/export").status_code == status
    assert client.get(f"/clients/{her_records.id}/{path}/").status_code in (403, 404)
    assert log_rows(action="export") == []


def test_a_refused_export_is_logged_as_denied(client, sign_in, world, her_records):
    sign_in(world.pro2)
    client.get(f"/clients/{her_records.id}/contacts/export")
    assert [(r.client_id, r.outcome) for r in log_rows(user_id=world.pro2.id)] == [
        (her_records.id, "denied")]


def test_supervisor_role_is_not_a_partner(world):
    assert world.supervisor.role == Role.SUPERVISOR
