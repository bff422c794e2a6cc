"""Consultation queries. The supervisor's access to a client is one condition
(`consulted_client_ids`), supplied to the scope (`supply_scope`, called by the app factory)
so that `outreach.scope.clients_of` and every client route answer from the same scope; the
pair's queries start from a client already loaded with `client_or_404`."""

from datetime import datetime

import sqlalchemy as sa
from flask import abort
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from outreach.audit.models import AccessLog, Basis
from outreach.auth.models import Role, User
from outreach.clients.models import Client
from outreach.consultations.models import Consultation
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.scope import active_on, client_ids_of, note_access, supply_client_scope

# How many reads through consultations her page lists (the access log has them all).
READS_SHOWN = 20


def is_active(now: datetime | None = None):
    """Not ended by the professional and its time not over."""
    return sa.and_(Consultation.ended_at.is_(None), Consultation.ends_at > (now or utcnow()))


def _supervised_now(user: User):
    """The consultation's client is still in its pair, the pair works today and she still
    supervises it: a hand-over, the pair's end or a new supervisor closes the record to her."""
    return sa.and_(
        Client.pair_id == Consultation.pair_id,
        Client.merged_into_id.is_(None),
        Pair.supervisor_id == user.id,
        active_on(local_today()),
    )


def consulted_client_ids(user: User, now: datetime | None = None) -> Select:
    """The clients whose record is open to this supervisor now (a subquery); none for
    anyone else."""
    if user.role != Role.SUPERVISOR:
        return sa.select(Consultation.client_id).where(sa.false())
    return (
        sa.select(Consultation.client_id)
        .join(Client, Client.id == Consultation.client_id)
        .join(Pair, Pair.id == Consultation.pair_id)
        .where(Consultation.supervisor_id == user.id, is_active(now), _supervised_now(user))
    )


def supply_scope() -> None:
    """Give supervisors, read-only, the clients their active consultations open to them;
    each read is logged with the basis "consultation"."""
    supply_client_scope(Role.SUPERVISOR, consulted_client_ids, Basis.CONSULTATION.value)


def active_for_supervisor(user: User, now: datetime | None = None) -> list[Consultation]:
    """Her active consultations, the soonest ending first, with the client and the pair's
    people: one query."""
    if user.role != Role.SUPERVISOR:
        return []
    query = (
        sa.select(Consultation)
        .join(Client, Client.id == Consultation.client_id)
        .join(Pair, Pair.id == Consultation.pair_id)
        .where(Consultation.supervisor_id == user.id, is_active(now), _supervised_now(user))
        .options(
            joinedload(Consultation.client),
            joinedload(Consultation.opened_by),
        )
        .order_by(Consultation.ends_at, Consultation.id)
    )
    return list(db.session.scalars(query))


def consultations_of(client: Client) -> list[Consultation]:
    """Every consultation of her record, newest first, with the people named: one query."""
    query = (
        sa.select(Consultation)
        .where(Consultation.client_id == client.id)
        .options(
            joinedload(Consultation.supervisor),
            joinedload(Consultation.opened_by),
            joinedload(Consultation.ended_by),
        )
        .order_by(Consultation.opened_at.desc(), Consultation.id.desc())
    )
    return list(db.session.scalars(query))


def active_of(consultations: list[Consultation], now: datetime | None = None):
    now = now or utcnow()
    return next((item for item in consultations if item.is_active(now)), None)


def consultation_reads(client: Client, limit: int = READS_SHOWN) -> list[AccessLog]:
    """Who read her record through a consultation, when and which part, newest first:
    one query (the reader joined in)."""
    query = (
        sa.select(AccessLog)
        .where(AccessLog.client_id == client.id,
               AccessLog.basis == Basis.CONSULTATION.value)
        .options(joinedload(AccessLog.user))
        .order_by(AccessLog.at.desc(), AccessLog.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def open_consultation(client: Client, user: User, supervisor_id: int, reason: str,
                      days: int) -> Consultation:
    consultation = Consultation.for_days(
        days, client_id=client.id, pair_id=client.pair_id, supervisor_id=supervisor_id,
        opened_by_id=user.id, reason=reason,
    )
    db.session.add(consultation)
    return consultation


def end_consultation(consultation: Consultation, user: User) -> None:
    consultation.ended_at = utcnow()
    consultation.ended_by_id = user.id


def consultation_or_404(user: User, consultation_id: int) -> Consultation:
    """A consultation of a client the user may open (her pair's partners); 404 otherwise."""
    query = (
        sa.select(Consultation)
        .where(
            Consultation.id == consultation_id,
            Consultation.client_id.in_(client_ids_of(user)),
        )
        .options(joinedload(Consultation.client), joinedload(Consultation.supervisor))
    )
    consultation = db.session.scalar(query)
    if consultation is None:
        abort(404)
    note_access(user, consultation.client_id)
    return consultation
