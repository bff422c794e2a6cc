"""The pairs a user may see: the base of every later query's scope."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy import Select
from sqlalchemy.orm import joinedload, selectinload

from outreach.auth.models import Role, User
from outreach.core.search import ESCAPE, like
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.pairs.models import Pair, PairAgreement, PairAgreementEdit
from outreach.scope import (
    PAIR_PEOPLE,
    client_pair_ids,
    named_pairs,
    visible_pair_ids,
    writing_pair_ids,
)


def pairs_awaiting_confidentiality(user: User, day: date | None = None) -> list[Pair]:
    """The expert's working pairs whose clients she cannot open yet, and why: no recorded
    confidentiality agreement. Empty for everyone else."""
    if user.role != Role.EXPERT:
        return []
    day = day or local_today()
    return named_pairs(Pair.id.in_(writing_pair_ids(user, day)),
                       Pair.id.not_in(client_pair_ids(user, day)))


def pairs_for(user: User) -> list[Pair]:
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


PAIR_STATUSES = ("active", "ended")


def pair_list(user: User, q: str = "", status: str = "", day: date | None = None) -> Select:
    """The pairs the user may see, for a paginated list: one query for the rows, with the
    people and the agreement's state joined in (a fixed number of queries per page).

    `status`: "active" (not ended by `day`, including pairs that start later), "ended", or
    anything else for all. `q` matches the names of the partners and the supervisor."""
    day = day or local_today()
    query = (
        sa.select(Pair)
        .where(Pair.id.in_(visible_pair_ids(user)))
        .options(
            joinedload(Pair.professional),
            joinedload(Pair.expert),
            joinedload(Pair.supervisor),
            joinedload(Pair.agreement),
        )
    )
    if status == "active":
        query = query.where(sa.or_(Pair.ends_on.is_(None), Pair.ends_on > day))
    elif status == "ended":
        query = query.where(Pair.ends_on <= day)
    if q := q.strip():
        pattern = like(q)
        query = query.where(
            sa.or_(
                Pair.professional.has(User.name.ilike(pattern, escape=ESCAPE)),
                Pair.expert.has(User.name.ilike(pattern, escape=ESCAPE)),
                Pair.supervisor.has(User.name.ilike(pattern, escape=ESCAPE)),
            )
        )
    ended = sa.and_(Pair.ends_on.is_not(None), Pair.ends_on <= day)
    return query.order_by(ended, Pair.starts_on.desc(), Pair.id.desc())


# What a pair's own pages show of it: the people, who ended it, the agreement.
PAIR_PAGE = (*PAIR_PEOPLE, Pair.supervisor, Pair.ended_by, Pair.agreement)


def agreement_edits(agreement: PairAgreement | None, limit: int = 10) -> list[PairAgreementEdit]:
    if agreement is None or agreement.id is None:
        return []
    query = (
        sa.select(PairAgreementEdit)
        .where(PairAgreementEdit.agreement_id == agreement.id)
        .options(joinedload(PairAgreementEdit.edited_by))
        .order_by(PairAgreementEdit.at.desc(), PairAgreementEdit.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def active_users(role: Role) -> list[User]:
    """Active accounts of one role, for the choices when a pair is created."""
    query = sa.select(User).where(User.role == role, User.active.is_(True)).order_by(User.name)
    return list(db.session.scalars(query))


def active_user(user_id: int | None, role: Role) -> User | None:
    if user_id is None:
        return None
    return db.session.scalar(
        sa.select(User).where(User.id == user_id, User.role == role, User.active.is_(True))
    )


def open_pair_of(professional_id: int, expert_id: int) -> Pair | None:
    """A pair of these two people that has not ended: creating it again is a mistake."""
    today = local_today()
    return db.session.scalar(
        sa.select(Pair)
        .where(
            Pair.professional_id == professional_id,
            Pair.expert_id == expert_id,
            sa.or_(Pair.ends_on.is_(None), Pair.ends_on > today),
        )
        .limit(1)
    )
