"""Reading the access log: a client's log for her pair's professional, the administrator's
search over all of it, and her own log without staff-internal details."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from outreach.audit.models import AccessLog
from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.clients.queries import merged_ids
from outreach.core.time import day_start_utc
from outreach.extensions import db

OUTCOMES = ("allowed", "denied")


def her_ids(client: Client) -> list[int]:
    """Her record and the records merged into it: the log of each is hers."""
    return [client.id, *merged_ids(client)]


def client_log(ids: list[int]) -> Select:
    """Her log, newest first, with who it was (one query per page, plus the count)."""
    return (
        sa.select(AccessLog)
        .where(AccessLog.client_id.in_(ids))
        .options(joinedload(AccessLog.user))
        .order_by(AccessLog.at.desc(), AccessLog.id.desc())
    )


def her_log(ids: list[int]) -> list[AccessLog]:
    """What she sees: allowed reads and changes by people, oldest first. Denied attempts and
    the system's own work are left out; nothing about the staff member but the role."""
    query = (
        sa.select(AccessLog)
        .where(AccessLog.client_id.in_(ids), AccessLog.outcome == "allowed",
               AccessLog.role.is_not(None))
        .order_by(AccessLog.at, AccessLog.id)
    )
    return list(db.session.scalars(query))


@dataclass
class Search:
    user: str = ""
    code: str = ""
    since: date | None = None
    until: date | None = None
    outcome: str = ""


def admin_search(search: Search) -> Select:
    """Rows with the user and the client's code only (never her name), newest first. The
    days are Helsinki days; `until` includes its whole day."""
    query = (
        sa.select(AccessLog)
        .options(joinedload(AccessLog.user))
        .order_by(AccessLog.at.desc(), AccessLog.id.desc())
    )
    if text := search.user.strip():
        pattern = f"%{text.replace('%', '').replace('_', '')}%"
        users = sa.select(User.id).where(sa.or_(User.name.ilike(pattern),
                                                User.email.ilike(pattern)))
        query = query.where(AccessLog.user_id.in_(users))
    if code := search.code.strip():
        clients = sa.select(Client.id).where(sa.func.upper(Client.code) == code.upper())
        query = query.where(AccessLog.client_id.in_(clients))
    if search.since:
        query = query.where(AccessLog.at >= day_start_utc(search.since))
    if search.until:
        query = query.where(AccessLog.at < day_start_utc(search.until + timedelta(days=1)))
    if search.outcome in OUTCOMES:
        query = query.where(AccessLog.outcome == search.outcome)
    return query


def codes_of(entries: list[AccessLog]) -> dict[int, str]:
    """The codes of the clients on one page of the log: one query, never her name."""
    ids = {entry.client_id for entry in entries if entry.client_id is not None}
    if not ids:
        return {}
    query = sa.select(Client.id, Client.code).where(Client.id.in_(ids))
    return dict(db.session.execute(query).all())
