"""The demo's long-closed woman (issue 9, "Done when"): an ended pair of former staff worked
with her six years ago; `outreach retention --dry-run` lists her and only her, `outreach
retention` anonymises her, and the funder report of her year shows the same figures before
and after, on the page, in the XLSX file and in the figures the reports count."""

from datetime import date

import pytest
import sqlalchemy as sa

from outreach import demo
from outreach.accompaniments.models import Accompaniment
from outreach.audit.models import AccessLog
from outreach.auth.passwords import hash_password
from outreach.auth.queries import user_by_email
from outreach.clients.choices import AnonymisationReason, ClientStatus
from outreach.clients.demo import load_clients
from outreach.clients.models import Client, ClientStatusChange
from outreach.contacts.models import Contact
from outreach.core.time import aware, local_today
from outreach.extensions import db
from outreach.mappings.models import Mapping, MappingRating
from outreach.pairs.models import Pair
from outreach.reports.queries import Period, funder_report, report_pairs
from outreach.retention import demo as retention_demo
from outreach.retention.figures import yearly_figures
from outreach.retention.service import REMOVED, due_clients, retention_cutoff
from tests.helpers import page_tables, xlsx_rows
from tests.retention.conftest import find_everywhere

YEAR_FIELDS = ("women_reached", "encounters", "encounter_people", "contacts",
               "accompaniments_by_kind", "accompaniments_by_outcome", "transitions", "domains",
               "groups", "sessions", "participants", "evaluation", "roles")


def _her() -> Client:
    return db.session.scalar(sa.select(Client).where(Client.name == retention_demo.NAME))


def _figures(app, year: int) -> dict:
    """Every figure of the funder report of `year`, as the administrator and the supervisor
    get it for all their pairs (the query functions behind the page and the XLSX)."""
    period = Period(date(year, 1, 1), date(year, 12, 31), year=year)
    found = {}
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        for email in ("admin@demo.test", "supervisor@demo.test"):
            user = user_by_email(email)
            report = funder_report(user, period, report_pairs(user))
            found[email] = {name: getattr(report, name) for name in YEAR_FIELDS}
    return found


def _sign_in(client, email: str) -> None:
    client.post("/logout")
    response = client.post("/login", data={"email": email, "password": demo.PASSWORD})
    assert response.status_code == 302, email


def _report_page_and_file(client, year: int) -> tuple[dict, list]:
    page = client.get(f"/reports/funder?lang=en&year={year}")
    assert page.status_code == 200
    data = client.get(f"/reports/funder.xlsx?lang=en&year={year}")
    assert data.status_code == 200
    return page_tables(page.get_data(as_text=True)), xlsx_rows(data.data)


@pytest.fixture
def loaded(app):
    assert demo.load() is True
    return _her()


def test_the_demo_has_one_long_closed_woman_of_an_ended_pair(app, loaded):
    her, today = loaded, local_today()
    year = retention_demo.old_year(today)
    parts = demo.demo_parts()
    assert parts.index(retention_demo.load_former_pair) > parts.index(load_clients)

    # Closed more than RETENTION_YEARS ago, in her pair's time; the only one due.
    years = app.config["RETENTION_YEARS"]
    assert her.status == ClientStatus.CLOSED and her.anonymised_at is None
    assert her.closed_on.year == year and her.closed_on <= retention_cutoff(today, years)
    assert [c.id for c in due_clients(today, years)] == [her.id]
    assert her.code.startswith(f"A-{year}-")
    pair = db.session.get(Pair, her.pair_id)
    assert pair.starts_on <= aware(her.created_at).date() <= her.closed_on < pair.ends_on
    assert pair.ends_on < today and pair.supervisor.email == "supervisor@demo.test"
    assert not pair.professional.active and not pair.expert.active
    assert {pair.professional.email, pair.expert.email}.isdisjoint(
        email for email, _name, _role in demo.ACCOUNTS)
    assert pair.agreement.confidentiality_signed_on <= aware(her.created_at).date()

    # Her year's records, all while the pair worked.
    contacts = list(db.session.scalars(sa.select(Contact).where(Contact.client_id == her.id)))
    accompaniments = list(db.session.scalars(
        sa.select(Accompaniment).where(Accompaniment.client_id == her.id)))
    mappings = list(db.session.scalars(sa.select(Mapping).where(Mapping.client_id == her.id)))
    assert len(contacts) >= 2 and len(accompaniments) >= 1 and len(mappings) == 2
    moments = [aware(c.contacted_at) for c in contacts] + \
        [aware(a.took_place_at) for a in accompaniments]
    assert all(m.year == year for m in moments)
    assert all(len(m.ratings) == 10 for m in mappings)
    assert aware(her.last_contact_at) == max(moments)
    assert aware(her.last_contact_at) <= aware(her.last_record_at)

    # The figures of her year count her.
    figures = _figures(app, year)["admin@demo.test"]
    assert figures["women_reached"] == 1
    assert sum(row.count for row in figures["contacts"]) == len(contacts)
    assert sum(row.count for row in figures["accompaniments_by_kind"]) == len(accompaniments)
    assert sum(t.count for t in figures["transitions"] if t.changed) == 1
    assert any(d.n == 1 and d.change for d in figures["domains"])

    # Loaded once.
    assert retention_demo.load_former_pair() is False
    assert demo.load() is False
    assert db.session.scalar(sa.select(sa.func.count(Pair.id))) == 3


def test_the_dry_run_lists_exactly_her_and_changes_nothing(app, loaded, cli):
    her = loaded
    result = cli("retention", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "code\tclosed on\tyears since"
    assert [line.split("\t")[0] for line in lines[1:-1]] == [her.code]
    assert lines[1].split("\t")[1] == her.closed_on.isoformat()
    years = app.config["RETENTION_YEARS"]
    assert lines[-1].startswith(f"1 closed record(s) past the retention period of {years} years")
    assert _her().anonymised_at is None and find_everywhere(retention_demo.NAME)


def test_retention_anonymises_her_and_her_years_report_stays_the_same(app, loaded, cli, client):
    her = loaded
    year = retention_demo.old_year()
    her_id, code = her.id, her.code
    texts = [retention_demo.NAME, "0400000901", retention_demo.SAFETY_NOTES,
             retention_demo.CLOSED_REASON, "Asema-aukio",
             *(note for *_rest, note in retention_demo.CONTACTS if note),
             *(matters for _m, _d, matters, _r in retention_demo.MAPPINGS),
             *(note for notes in retention_demo.MAPPING_NOTES.values() for note in notes)]
    assert all(find_everywhere(text) for text in texts)

    figures = _figures(app, year)
    counts = yearly_figures(year)
    _sign_in(client, "admin@demo.test")
    admin_page, admin_file = _report_page_and_file(client, year)
    _sign_in(client, "supervisor@demo.test")
    supervisor_page, supervisor_file = _report_page_and_file(client, year)
    assert figures["admin@demo.test"]["women_reached"] == 1
    assert any(row[:1] == ["Total"] for row in admin_page["contacts"])

    result = cli("retention")
    assert result.exit_code == 0, result.output
    assert f"{code}\t" in result.output
    assert "Anonymised 1 closed record(s)" in result.output

    # Her name, contact details and every note about her are gone; the code stays.
    her = db.session.get(Client, her_id)
    assert her.name == code and her.anonymised_reason == AnonymisationReason.RETENTION
    assert (her.phone, her.birth_year, her.usual_place, her.safety_notes, her.closed_reason) \
        == (None, None, None, None, None)
    for text in texts:
        assert find_everywhere(text) == [], text
    assert all(c.note is None for c in db.session.scalars(
        sa.select(Contact).where(Contact.client_id == her_id)))
    assert {(a.purpose, a.next_step) for a in db.session.scalars(
        sa.select(Accompaniment).where(Accompaniment.client_id == her_id))} == {(REMOVED, None)}
    assert set(db.session.scalars(
        sa.select(Mapping.what_matters_most).where(Mapping.client_id == her_id))) == {None}
    assert set(db.session.scalars(
        sa.select(MappingRating.notes).join(Mapping).where(Mapping.client_id == her_id))) == {None}
    assert set(db.session.scalars(sa.select(ClientStatusChange.reason).where(
        ClientStatusChange.client_id == her_id))) == {None}
    assert db.session.scalar(sa.select(sa.func.count(AccessLog.id)).where(
        AccessLog.client_id == her_id, AccessLog.action == "anonymise")) == 1

    # The report of her year: the same, as the queries count it, on the page and in the file.
    assert _figures(app, year) == figures
    assert yearly_figures(year) == counts
    _sign_in(client, "admin@demo.test")
    assert _report_page_and_file(client, year) == (admin_page, admin_file)
    _sign_in(client, "supervisor@demo.test")
    assert _report_page_and_file(client, year) == (supervisor_page, supervisor_file)

    # Nothing more is due: a second run changes nothing.
    assert "Anonymised 0 closed record(s)" in cli("retention").output


def test_the_ended_pair_is_on_the_pairs_list_of_those_who_oversee_it(client, loaded):
    pair = db.session.get(Pair, loaded.pair_id)
    for email in ("admin@demo.test", "supervisor@demo.test"):
        _sign_in(client, email)
        listed = client.get("/pairs/?status=ended&lang=en").get_data(as_text=True)
        assert f"/pairs/{pair.id}" in listed, email
        page = client.get(f"/pairs/{pair.id}?lang=en")
        assert page.status_code == 200, email
        assert retention_demo.FORMER_EXPERT[1] in page.get_data(as_text=True)
        assert retention_demo.NAME not in page.get_data(as_text=True)
    for email in ("pro1@demo.test", "expert1@demo.test", "pro2@demo.test", "expert2@demo.test"):
        _sign_in(client, email)
        assert client.get(f"/pairs/{pair.id}").status_code == 404, email


def test_nobody_opens_her_record(client, loaded):
    her = loaded
    for email, _name, _role in demo.ACCOUNTS:
        _sign_in(client, email)
        assert client.get(f"/clients/{her.id}?lang=en").status_code in (403, 404), email
        listed = client.get("/clients/?status=all&lang=en").get_data(as_text=True)
        assert retention_demo.NAME not in listed and her.code not in listed, email


def test_the_former_partners_cannot_sign_in(client, loaded):
    """Deactivated: not even with the demo password (nobody knows theirs)."""
    for email, _name, _role in (retention_demo.FORMER_PROFESSIONAL,
                                retention_demo.FORMER_EXPERT):
        user = user_by_email(email)
        assert not user.active
        user.password_hash = hash_password(demo.PASSWORD)
        db.session.commit()
        response = client.post("/login", data={"email": email, "password": demo.PASSWORD})
        assert response.status_code != 302, email
        assert client.get("/").status_code == 302  # still signed out: to the sign-in page
