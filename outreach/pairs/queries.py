"""The pairs a user may see: the base of every later query's scope."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from outreach.auth.models import Role, User
from outreach.core.search import ESCAPE, like
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.pairs.models import Pair, PairAgreement, PairAgreementEdit
from outreach.scope import (
    PAIR_PEOPLE,
    is_partner,
    pairs_of_user,
    visible_pair_ids,
)

HOME_PAIRS = 12  # the pairs a supervisor's or the administrator's home page lists


def pairs_awaiting_confidentiality(user: User, day: date | None = None) -> list[Pair]:
    """The expert's working pairs whose clients she cannot open yet, and why: no recorded
    confidentiality agreement. Empty for everyone else."""
    if user.role != Role.EXPERT:
        return []
    mine = pairs_of_user(user, day)
    return [pair for pair in mine.working() if pair.id not in mine.clients]


def pairs_for(user: User) -> list[Pair]:
    """The pairs the user may see, with their people: working ones first, newest first.
    One query (shared with the page's other questions about her pairs)."""
    return pairs_of_user(user).visible


def home_pairs(user: User) -> tuple[list[Pair], int]:
    """The pairs on the user's home page, working ones first, and how many she may see in
    all. A partner's are a few, shared with the page's other parts; a supervisor's or the
    administrator's may be a thousand: the first HOME_PAIRS (the list pages and searches
    them all). Listing every pair made the administrator's home page 389 KB and 0.65 s
    with 1,000 pairs."""
    if is_partner(user):
        pairs = pairs_for(user)
        return pairs, len(pairs)
    query = pair_list(user)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    return list(db.session.scalars(query.limit(HOME_PAIRS)).unique()), total or 0


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
