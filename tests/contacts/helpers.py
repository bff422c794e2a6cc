"""Shared set-up for the field-work tests (contacts, accompaniments, network contacts,
drafts): the mapping tests' world (our pair and its consenting client, another pair, a pair
whose expert has not signed the confidentiality agreement, the supervisor and the
administrator), and helpers to read what the requests saved."""

from datetime import UTC, datetime

import sqlalchemy as sa

from outreach.clients.models import Client
from outreach.core.time import aware
from outreach.extensions import db
from tests.mappings.helpers import HTMX, REFUSED, give_consent, htmx_headers, make_world, sign_in

__all__ = ["HTMX", "REFUSED", "give_consent", "htmx_headers", "make_world", "sign_in",
           "fresh", "count", "rows", "last_contact", "local_input"]


def fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def rows(model, *where) -> list:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(model).where(*where).order_by(model.id)))


def last_contact(client) -> datetime | None:
    return aware(fresh(Client, client.id).last_contact_at)


def local_input(moment: datetime) -> str:
    """The value a datetime-local input sends for this moment, in Helsinki time."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Europe/Helsinki")).strftime("%Y-%m-%dT%H:%M")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
