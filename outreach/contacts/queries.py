"""Contact queries, and keeping `client.last_contact_at` right.

Each query takes a client already loaded with `client_or_404` (the pair scope) and looks
the record up inside that client: another client's record is a 404."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from outreach.accompaniments.models import MET_OUTCOMES, Accompaniment
from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.contacts.models import Contact
from outreach.core.clock import utcnow
from outreach.core.columns import in_any
from outreach.core.memo import shared
from outreach.core.search import contains
from outreach.core.time import aware
from outreach.extensions import db
from outreach.scope import her_record_or_404

# How long the quick log offers "Undo" for the contact the user just logged.
UNDO_WINDOW = timedelta(minutes=15)


def contact_list(client: Client, q: str = "", channel: str = "") -> Select:
    """Her contacts, newest first, with who logged them and the follow-up task: one query
    per page whatever the number of rows."""
    query = (
        sa.select(Contact)
        .where(Contact.client_id == client.id)
        .options(joinedload(Contact.created_by), joinedload(Contact.task))
    )
    if channel:
        query = query.where(Contact.channel == channel)
    if q := q.strip():
        query = query.where(contains(Contact.note, q))
    return query.order_by(Contact.contacted_at.desc(), Contact.id.desc())


def contact_or_404(client: Client, contact_id: int) -> Contact:
    return her_record_or_404(Contact, client, contact_id, joinedload(Contact.created_by),
                             joinedload(Contact.task))


def recent_contacts(client: Client, limit: int = 3) -> list[Contact]:
    return list(db.session.scalars(contact_list(client).limit(limit)))


def _just_logged_query(client: Client, user: User, since: datetime) -> Select:
    return (
        sa.select(Contact)
        .where(Contact.client_id == client.id, Contact.created_by_id == user.id,
               Contact.created_at >= since)
        .order_by(Contact.created_at.desc(), Contact.id.desc())
        .limit(1)
    )


def latest_and_just_logged(client: Client, user: User, limit: int = 3,
                           now: datetime | None = None) -> tuple[list[Contact], Contact | None]:
    """Her latest contacts, and the contact this user logged about her in the last few
    minutes (the quick log offers to add a note to it or to undo it): one query, for her
    page's field work and quick log. The parts of her
    page share it (outreach.core.memo)."""

    def load():
        since = (now or utcnow()) - UNDO_WINDOW
        latest = (
            sa.select(Contact.id).where(Contact.client_id == client.id)
            .order_by(Contact.contacted_at.desc(), Contact.id.desc()).limit(limit)
        )
        just = _just_logged_query(client, user, since).with_only_columns(Contact.id)
        rows = list(db.session.scalars(
            sa.select(Contact)
            .where(in_any(Contact.id, latest, just))
            .options(joinedload(Contact.created_by), joinedload(Contact.task))
        ))
        # The rows are the latest `limit` and, if not among them, the one just logged (older
        # than those): sorted, the first `limit` are the latest; of those this user logged
        # since then, the newest is the one just logged.
        rows.sort(key=lambda c: (aware(c.contacted_at), c.id), reverse=True)
        mine = [c for c in rows if c.created_by_id == user.id and aware(c.created_at) >= since]
        return rows[:limit], max(mine, key=lambda c: (aware(c.created_at), c.id), default=None)

    return shared(("latest_contacts", client.id, user.id, limit), load)


def may_undo(contact: Contact, user: User, now: datetime | None = None) -> bool:
    return contact.created_by_id == user.id and \
        aware(contact.created_at) >= (now or utcnow()) - UNDO_WINDOW


# --- Her last contact ----------------------------------------------------------------------


def note_contact(client_id: int, at: datetime | None, touch: bool = True) -> None:
    """A contact with her at `at` was recorded: last_contact_at = max(last_contact_at, at),
    and last_record_at = now (client.touch()), in the caller's transaction.

    One UPDATE statement that neither reads the row first nor bumps her record's version:
    a partner editing her record at the same moment does not get a conflict because of it,
    and two contacts logged at once cannot undo each other."""
    values = {}
    if at is not None:
        at_value = sa.literal(at, Client.last_contact_at.type)
        values["last_contact_at"] = sa.case(
            (sa.or_(Client.last_contact_at.is_(None), Client.last_contact_at < at_value),
             at_value),
            else_=Client.last_contact_at,
        )
    if touch:
        values["last_record_at"] = utcnow()
    if values:
        db.session.execute(
            sa.update(Client).where(Client.id == client_id).values(**values)
            .execution_options(synchronize_session=False)
        )


def latest_contact_moment(client_id: int):
    """The newest of her contacts and of the accompaniments in which the pair met her, as
    a scalar subquery."""
    moments = sa.union_all(
        sa.select(Contact.contacted_at.label("at")).where(Contact.client_id == client_id),
        sa.select(Accompaniment.took_place_at.label("at")).where(
            Accompaniment.client_id == client_id,
            Accompaniment.outcome.in_(MET_OUTCOMES),
            Accompaniment.took_place_at.is_not(None),
        ),
    ).subquery()
    return sa.select(sa.func.max(moments.c.at)).scalar_subquery()


def refresh_last_contact(client_id: int, touch: bool = False) -> None:
    """After a contact or an accompaniment was edited or deleted: last_contact_at is
    counted again from what is recorded. One UPDATE statement."""
    db.session.flush()
    values = {"last_contact_at": latest_contact_moment(client_id)}
    if touch:
        values["last_record_at"] = utcnow()
    db.session.execute(
        sa.update(Client).where(Client.id == client_id).values(**values)
        .execution_options(synchronize_session=False)
    )
