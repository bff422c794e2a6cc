"""Anonymising a woman's record: what goes, what stays, and when it is due.

What goes: her name (replaced with her code), birth year, phone, where she is usually found,
the safety notes, the reasons written when her record was closed or handed over, and every
free-text note in every record about her (mappings, challenges and steps, tasks, contacts,
accompaniments, network contacts, the reasons her record was opened for consultation), and
the unsaved drafts of forms about her.

What stays: her code, every date and time, every category (living situation, domains,
channels, service kinds, outcomes, decisions), every rating, duration and count, and which
of the pair did what. These are what the yearly reports count, so a past year's figures are
the same before and after (tests/retention proves it with `yearly_figures`).

Her birth year goes too: no report counts by age (they count by living situation, domains,
service kinds and outcomes), and a birth year next to a code, an area and exact dates is
the detail that would let someone point at her.

The organisation of a network contact stays (it names the service, not her); the person
spoken to there goes.

Each kind of record declares what goes (RecordKind.scrubs) and which text columns stay and
why (RecordKind.kept_text), in its own package; this module reads the registered kinds and
imports none. A test fails when a text column of a table about her (directly, or through a
mapping, step or task) is neither scrubbed nor kept on purpose.
"""

from datetime import date

import sqlalchemy as sa

from outreach.audit.log import record_access
from outreach.auth.models import User
from outreach.clients.choices import AnonymisationReason, ClientStatus
from outreach.clients.models import Client
from outreach.core.clock import utcnow
from outreach.core.records import REMOVED, Scrub, draft_forms, kept_text, scrubs
from outreach.drafts.models import Draft
from outreach.extensions import db

__all__ = ["REMOVED", "Scrub", "scrubs", "kept_text", "draft_records", "anonymise_client"]


def draft_records() -> dict[str, type]:
    """Forms whose drafts are about one record of hers: draft kind -> the record's model.
    Drafts of new records name her directly ("contact:new:client:42")."""
    return {kind: form.model for kind, form in draft_forms().items()}


def anonymise_client(client: Client, *, reason: AnonymisationReason | str,
                     user: User | None = None) -> bool:
    """Remove everything that names or describes her; keep the code, dates, categories,
    durations and counts. In the caller's transaction (the caller commits), with one
    access-log row. Idempotent: an anonymised record is left as it is (returns False).

    The records merged into hers (the same woman, recorded twice) go with it: their rows
    still hold the name and phone they were created with."""
    if client.anonymised_at is not None:
        return False

    # Whatever the caller changed is written first: the updates below go around the session.
    db.session.flush()
    ids = [client.id, *db.session.scalars(
        sa.select(Client.id).where(Client.merged_into_id == client.id).order_by(Client.id))]
    for scrub in scrubs():
        table = scrub.model.__table__
        values = dict(scrub.values)
        if "version" in table.c:
            # An edit form opened before now is stale: it cannot bring the text back.
            values["version"] = table.c.version + 1
        db.session.execute(sa.update(table).where(scrub.where(ids)).values(values))
    _delete_drafts(ids)
    c = Client.__table__.c
    db.session.execute(
        sa.update(Client.__table__)
        .where(c.id.in_(ids))
        .values(
            name=c.code,
            birth_year=None,
            phone=None,
            phone_digits=None,
            usual_place=None,
            safety_notes=None,
            closed_reason=None,
            anonymised_at=sa.func.coalesce(c.anonymised_at, utcnow()),
            anonymised_reason=sa.func.coalesce(c.anonymised_reason,
                                               AnonymisationReason(reason).value),
            version=c.version + 1,
        )
    )
    # The objects in the session still hold the old text: read them again when used.
    db.session.expire_all()
    for cid in ids:
        record_access(cid, "record", "anonymise",
                      basis="system" if user is None else "own_pair", user=user)
    return True


def _delete_drafts(client_ids: list[int]) -> None:
    keys = [Draft.form_key.like(f"%:new:client:{cid}") for cid in client_ids]
    for kind, model in draft_records().items():
        ids = [str(i) for i in db.session.scalars(
            sa.select(model.id).where(model.client_id.in_(client_ids)))]
        if ids:
            keys.append(Draft.form_key.in_([f"{kind}:edit:{i}" for i in ids]))
    db.session.execute(sa.delete(Draft).where(sa.or_(*keys)))


# --- When records are due -----------------------------------------------------------------


def retention_cutoff(today: date, years: int) -> date:
    """Records closed on or before this day are due: `years` full years have passed."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February, in a year that has none
        return today.replace(year=today.year - years, day=28)


def due_query(today: date, years: int):
    """Closed records whose retention period has run out and that still name her."""
    return (
        sa.select(Client)
        .where(
            Client.status == ClientStatus.CLOSED,
            Client.closed_on.is_not(None),
            Client.closed_on <= retention_cutoff(today, years),
            Client.anonymised_at.is_(None),
        )
        .order_by(Client.closed_on, Client.id)
    )


def due_clients(today: date, years: int) -> list[Client]:
    return list(db.session.scalars(due_query(today, years)))


def due_count(today: date, years: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(due_query(today, years).order_by(None).subquery())
    )


def anonymised_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Client.id)).where(Client.anonymised_at.is_not(None))
    )


def full_years_between(earlier: date, later: date) -> int:
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def run_retention(today: date, years: int) -> int:
    """Anonymise every record that is due, one transaction per record; return how many."""
    done = 0
    for client_id in [c.id for c in due_clients(today, years)]:
        client = db.session.get(Client, client_id)
        if client is not None and anonymise_client(client, reason=AnonymisationReason.RETENTION):
            done += 1
        db.session.commit()
    return done
