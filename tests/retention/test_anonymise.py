"""Retention: closed records past the period are anonymised by `outreach retention`, at once
when she withdraws her consent asking to be erased; the yearly figures stay the same."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from outreach.audit.models import AccessLog
from outreach.clients.choices import AnonymisationReason, ClientStatus, LivingSituation
from outreach.clients.models import Client
from outreach.contacts.models import Contact
from outreach.core.time import local_today
from outreach.drafts.models import Draft
from outreach.extensions import db
from outreach.mappings.models import Mapping, MappingRating
from outreach.network.models import NetworkContact
from outreach.retention import service
from outreach.retention.figures import yearly_figures
from outreach.retention.service import (
    KEPT_TEXT,
    SCRUBS,
    anonymise_client,
    due_clients,
    retention_cutoff,
)
from outreach.steps.models import Step
from outreach.tasks.models import Task
from tests import factories
from tests.retention.conftest import find_everywhere, make_woman

TODAY = local_today()
OLD_YEAR = TODAY.year - 7


@pytest.fixture
def women(pairs):
    """An old closed record (due), a recently closed one and an active one, all with work
    done in the same old year, and the active one's work this year too."""
    pair, other = pairs
    old = make_woman(pair, marker="Vanhakirjaus", year=OLD_YEAR, status=ClientStatus.CLOSED,
                     closed_on=date(OLD_YEAR, 12, 15), other_pair=other, phone="040 000 7001",
                     living=LivingSituation.SUPPORTED_HOUSING)
    recent = make_woman(pair, marker="Tuorekirjaus", year=OLD_YEAR, status=ClientStatus.CLOSED,
                        closed_on=TODAY - timedelta(days=30), phone="040 000 7002")
    active = make_woman(other, marker="Aktiivikirjaus", year=OLD_YEAR, phone="040 000 7003",
                        living=LivingSituation.EMERGENCY_SHELTER)
    return old, recent, active


def her_texts(woman) -> list[str]:
    return [woman.marker, woman.name, woman.phone, woman.phone.replace(" ", ""), woman.place]


def record_counts(client_id: int) -> tuple:
    """How many records of each kind she has: anonymising removes none of them."""
    def count(model):
        return db.session.scalar(
            sa.select(sa.func.count(model.id)).where(model.client_id == client_id))
    ratings = db.session.scalar(
        sa.select(sa.func.count(MappingRating.id)).join(Mapping)
        .where(Mapping.client_id == client_id, MappingRating.rating.is_not(None)))
    return (count(Contact), count(Mapping), ratings, count(Step), count(Task),
            count(NetworkContact))


# --- What is due ------------------------------------------------------------------------------


def test_dry_run_lists_only_the_old_closed_record_and_changes_nothing(women, cli):
    old, recent, active = women
    result = cli("retention", "--dry-run")
    assert result.exit_code == 0, result.output
    assert old.client.code in result.output
    assert f"{old.client.code}\t{old.client.closed_on.isoformat()}\t" in result.output
    assert recent.client.code not in result.output
    assert active.client.code not in result.output
    assert "1 closed record(s)" in result.output
    assert "5 years" in result.output
    assert db.session.get(Client, old.client.id).anonymised_at is None
    assert find_everywhere(old.marker)


def test_due_is_counted_in_full_years_after_closing(pairs):
    pair, _ = pairs
    cutoff = retention_cutoff(TODAY, 5)
    on_the_day = factories.make_client(pair, status=ClientStatus.CLOSED, closed_on=cutoff)
    day_later = factories.make_client(pair, status=ClientStatus.CLOSED,
                                      closed_on=cutoff + timedelta(days=1))
    reopened = factories.make_client(pair, status=ClientStatus.ACTIVE,
                                     closed_on=cutoff - timedelta(days=400))
    assert [c.id for c in due_clients(TODAY, 5)] == [on_the_day.id]
    assert day_later.id and reopened.id
    assert retention_cutoff(date(2028, 2, 29), 5) == date(2023, 2, 28)


# --- Anonymising ------------------------------------------------------------------------------


def test_the_command_anonymises_her_and_nothing_of_her_is_left(women, cli):
    old, recent, active = women
    counts = record_counts(old.client.id)
    result = cli("retention")
    assert result.exit_code == 0, result.output
    assert "Anonymised 1 closed record(s)" in result.output

    for text in her_texts(old):
        assert find_everywhere(text) == [], text
    her = db.session.get(Client, old.client.id)
    assert her.name == her.code
    assert (her.birth_year, her.phone, her.phone_digits, her.usual_place, her.safety_notes,
            her.closed_reason) == (None, None, None, None, None, None)
    assert her.anonymised_at is not None
    assert her.anonymised_reason == AnonymisationReason.RETENTION
    # What reports count stays: her code, status, dates, categories and every record.
    assert (her.status, her.closed_on) == (ClientStatus.CLOSED, date(OLD_YEAR, 12, 15))
    assert her.living_situation == LivingSituation.SUPPORTED_HOUSING
    assert record_counts(old.client.id) == counts
    assert db.session.scalar(sa.select(Contact.topics).where(Contact.client_id == her.id)) == [
        "housing", "daily_basics"]
    assert db.session.scalar(
        sa.select(NetworkContact.organisation).where(NetworkContact.client_id == her.id,
                                                     NetworkContact.organisation.is_not(None))
    ) == "Oulun sosiaalitoimi"
    # Her drafts are gone; the others' stay.
    assert db.session.scalar(sa.select(sa.func.count(Draft.id))) == 4
    # The other women keep everything.
    for woman in (recent, active):
        for text in her_texts(woman):
            assert find_everywhere(text), text

    [entry] = db.session.scalars(sa.select(AccessLog).where(
        AccessLog.client_id == her.id, AccessLog.action == "anonymise"))
    assert (entry.part, entry.basis, entry.user_id, entry.outcome) == (
        "record", "system", None, "allowed")


def test_the_yearly_figures_of_a_past_year_do_not_change(women, cli):
    before = yearly_figures(OLD_YEAR)
    # The year has real figures in every part the report counts.
    assert before["contacts_by_channel_and_participants"]
    assert before["women_met"] == [(3,)]
    assert before["accompaniments_by_service_kind_and_outcome"]
    assert before["mapping_ratings_by_domain"]
    assert before["first_and_last_mapping_ratings_by_domain"]
    assert before["women_met_by_living_situation"]
    assert before["network_contacts_by_channel"]
    assert before["steps_by_decision"]
    factories.make_encounter(women[0].client.pair, met_on=date(OLD_YEAR, 5, 5), people_count=3)
    before = yearly_figures(OLD_YEAR)
    assert before["encounters_by_age_group"]

    assert cli("retention").exit_code == 0
    assert db.session.get(Client, women[0].client.id).anonymised_at is not None
    assert yearly_figures(OLD_YEAR) == before


def test_anonymising_twice_changes_nothing_more(women, cli):
    old = women[0]
    assert cli("retention").exit_code == 0
    first = db.session.get(Client, old.client.id)
    stamp, version = first.anonymised_at, first.version
    again = cli("retention")
    assert "Anonymised 0 closed record(s)" in again.output
    assert anonymise_client(db.session.get(Client, old.client.id),
                            reason=AnonymisationReason.RETENTION) is False
    db.session.commit()
    her = db.session.get(Client, old.client.id)
    assert (her.anonymised_at, her.version) == (stamp, version)
    assert db.session.scalar(sa.select(sa.func.count(AccessLog.id)).where(
        AccessLog.client_id == her.id, AccessLog.action == "anonymise")) == 1


def test_an_edit_form_opened_before_is_stale_afterwards(women):
    old = women[0]
    contact = db.session.scalar(sa.select(Contact).where(Contact.client_id == old.client.id))
    opened_on = contact.version
    anonymise_client(old.client, reason=AnonymisationReason.RETENTION)
    db.session.commit()
    assert db.session.get(Contact, contact.id).version == opened_on + 1


# --- Every table about her is covered ---------------------------------------------------------


def tables_about_her() -> set[str]:
    """The client table and every table that refers to it, directly or through another."""
    about = {"client"}
    grew = True
    while grew:
        grew = False
        for table in db.metadata.sorted_tables:
            if table.name in about:
                continue
            if any(fk.column.table.name in about for fk in table.foreign_keys
                   if fk.parent.name not in ("merged_into_id",)):
                about.add(table.name)
                grew = True
    return about


def test_every_text_column_about_her_is_scrubbed_or_kept_on_purpose(app):
    scrubbed = {(s.model.__tablename__, column) for s in SCRUBS for column in s.values}
    missing = []
    for table in db.metadata.sorted_tables:
        if table.name not in tables_about_her() or table.name == "draft":
            continue
        for column in table.columns:
            text = isinstance(column.type, sa.String | sa.JSON) and \
                not isinstance(column.type, sa.Enum)
            key = (table.name, column.name)
            if text and key not in scrubbed and key not in KEPT_TEXT:
                missing.append(key)
    assert missing == [], (
        "Text about a client that anonymising would leave behind: add it to "
        "outreach.retention.service.SCRUBS (or KEPT_TEXT with the reason)"
    )
    assert "draft" not in tables_about_her()  # drafts are found by their form key instead
    assert set(service.DRAFT_RECORDS) >= {"contact", "accompaniment", "network"}


# --- The demo ---------------------------------------------------------------------------------


def test_an_old_closed_demo_client_goes_and_her_years_figures_stay(app, cli):
    """The demo's recently closed woman (with records from every demo loader), as if her
    record had been closed six years ago. (The demo's own long-closed woman, of a pair that
    ended then, is in test_demo_retention.py.)"""
    from outreach import demo

    demo.load()
    [closed] = db.session.scalars(sa.select(Client).where(
        Client.status == ClientStatus.CLOSED, Client.closed_on > date(TODAY.year - 1, 1, 1)))
    already_due = [c.code for c in due_clients(TODAY, 5)]
    assert len(already_due) == 1
    name, code = closed.name, closed.code
    closed.closed_on = date(TODAY.year - 6, TODAY.month, 1)
    db.session.commit()
    years = sorted({TODAY.year - 1, TODAY.year})
    before = {year: yearly_figures(year) for year in years}
    assert any(figures["contacts_by_channel_and_participants"] for figures in before.values())

    listed = cli("retention", "--dry-run")
    assert f"{code}\t" in listed.output and "2 closed record(s)" in listed.output
    assert "Anonymised 2 closed record(s)" in cli("retention").output
    her = db.session.get(Client, closed.id)
    assert her.name == code and her.anonymised_at is not None
    assert find_everywhere(name) == []
    assert {year: yearly_figures(year) for year in years} == before


def test_a_record_merged_into_hers_goes_with_it(app, pairs):
    from outreach.clients.queries import merge_clients

    pair, _ = pairs
    keep = make_woman(pair, marker="Pidetty", year=OLD_YEAR, phone="040 000 7004")
    other = factories.make_client(pair, name="Toinennimi", phone="040 000 7005",
                                  usual_place="Toinenpaikka", safety_notes="Toinenhuoli")
    with app.test_request_context():
        merge_clients(keep.client, other, pair.professional)
        db.session.commit()
    assert find_everywhere("Toinennimi")
    anonymise_client(keep.client, reason=AnonymisationReason.ERASURE)
    db.session.commit()
    for text in (*her_texts(keep), "Toinennimi", "0400007005", "Toinenpaikka", "Toinenhuoli"):
        assert find_everywhere(text) == [], text
    merged = db.session.get(Client, other.id)
    assert merged.name == merged.code and merged.anonymised_at is not None
    assert db.session.scalar(sa.select(sa.func.count(AccessLog.id)).where(
        AccessLog.action == "anonymise")) == 2
