"""The pairs a user may see: the base of every later query's scope."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy import Select

from outreach.auth.models import Role, User
from outreach.extensions import db
from outreach.pairs.models import Pair


def _active_on(day: date):
    return sa.and_(Pair.starts_on <= day, sa.or_(Pair.ends_on.is_(None), Pair.ends_on > day))


def visible_pair_ids(user: User) -> Select:
    """Pairs the user may see at all: admins every pair, supervisors those they supervise,
    partners the pairs they are or were in (ended pairs stay visible, their clients do not)."""
    query = sa.select(Pair.id)
    match user.role:
        case Role.ADMIN:
            return query
        case Role.SUPERVISOR:
            return query.where(Pair.supervisor_id == user.id)
        case Role.PROFESSIONAL:
            return query.where(Pair.professional_id == user.id)
        case Role.EXPERT:
            return query.where(Pair.expert_id == user.id)
    return query.where(sa.false())


def working_pair_ids(user: User, day: date | None = None) -> Select:
    """Pairs whose clients the user works with today: only partners, only active pairs."""
    day = day or date.today()
    query = sa.select(Pair.id).where(_active_on(day))
    match user.role:
        case Role.PROFESSIONAL:
            return query.where(Pair.professional_id == user.id)
        case Role.EXPERT:
            return query.where(Pair.expert_id == user.id)
    return query.where(sa.false())


def pairs_for(user: User) -> list[Pair]:
    from sqlalchemy.orm import selectinload

    query = (
        sa.select(Pair)
        .where(Pair.id.in_(visible_pair_ids(user)))
        .options(
            selectinload(Pair.professional),
            selectinload(Pair.expert),
            selectinload(Pair.supervisor),
        )
        .order_by(Pair.ends_on.is_not(None), Pair.starts_on.desc(), Pair.id)
    )
    return list(db.session.scalars(query))
