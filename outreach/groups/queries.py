"""Peer-support groups in the user's scope.

Partners read and write the groups of their working pairs (active pairs). Supervisors and
administrators see the groups of the pairs they may see (`visible_pair_ids`) with counts
only: the name, the schedule, how many sessions were held and how many took part — never
the planning or debrief notes. Every count is one GROUP BY, so a page runs a fixed number
of queries however many sessions there are."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import abort
from sqlalchemy import Select
from sqlalchemy.orm import joinedload, selectinload

from outreach.auth.models import User
from outreach.core.search import contains
from outreach.extensions import db
from outreach.groups.models import GroupSession, PeerGroup
from outreach.pairs.models import Pair
from outreach.scope import current_pair_ids, is_partner, writing_pair_ids


@dataclass(frozen=True)
class GroupCounts:
    held: int = 0  # sessions recorded after they were held
    participants: int = 0  # participants over those sessions (a sum, no names)
    planned: int = 0  # sessions not recorded yet
    last_on: date | None = None  # the last session held
    next_on: date | None = None  # the next session from today on, not recorded yet


def counts_of(group_ids: list[int], today: date) -> dict[int, GroupCounts]:
    """Per group, one GROUP BY over its sessions."""
    if not group_ids:
        return {}
    recorded = GroupSession.participants.is_not(None)
    query = (
        sa.select(
            GroupSession.group_id,
            sa.func.count(GroupSession.id).filter(recorded),
            sa.func.coalesce(sa.func.sum(GroupSession.participants), 0),
            sa.func.count(GroupSession.id).filter(~recorded),
            sa.func.max(GroupSession.held_on).filter(recorded),
            sa.func.min(GroupSession.held_on).filter(~recorded, GroupSession.held_on >= today),
        )
        .where(GroupSession.group_id.in_(group_ids))
        .group_by(GroupSession.group_id)
    )
    return {
        row[0]: GroupCounts(int(row[1]), int(row[2]), int(row[3]), row[4], row[5])
        for row in db.session.execute(query)
    }


@dataclass(frozen=True)
class GroupRow:
    group: PeerGroup
    counts: GroupCounts


def group_list(user: User, q: str = "") -> Select:
    """The groups of the user's pairs for a paginated list (counts come from `counts_of`):
    current groups first, then by name."""
    query = (
        sa.select(PeerGroup)
        .where(PeerGroup.pair_id.in_(current_pair_ids(user)))
        .options(
            joinedload(PeerGroup.pair).joinedload(Pair.professional),
            joinedload(PeerGroup.pair).joinedload(Pair.expert),
        )
    )
    if q:
        query = query.where(contains(PeerGroup.name, q))
    return query.order_by(PeerGroup.ends_on.is_not(None), sa.func.lower(PeerGroup.name),
                          PeerGroup.id)


def has_working_pair(user: User) -> bool:
    return db.session.scalar(sa.select(writing_pair_ids(user).exists())) or False


def suggested_day(group: PeerGroup, today: date) -> date:
    """A new session's default date: a week after the latest one, or today."""
    latest = db.session.scalar(
        sa.select(sa.func.max(GroupSession.held_on)).where(GroupSession.group_id == group.id)
    )
    if latest is not None and latest + timedelta(days=7) >= today:
        return latest + timedelta(days=7)
    return today


def group_rows(user: User, today: date, pair_id: int | None = None) -> list[GroupRow]:
    """The groups of the user's pairs with their counts: two queries in all."""
    query = group_list(user)
    if pair_id is not None:
        query = query.where(PeerGroup.pair_id == pair_id)
    groups = list(db.session.scalars(query))
    counts = counts_of([group.id for group in groups], today)
    return [GroupRow(group, counts.get(group.id, GroupCounts())) for group in groups]


def group_counts(group: PeerGroup, today: date) -> GroupCounts:
    return counts_of([group.id], today).get(group.id, GroupCounts())


def group_or_404(user: User, group_id: int) -> PeerGroup:
    """A group of one of the partner's working pairs; 404 for anyone else (supervisors and
    administrators included: the group page shows the session notes)."""
    group = db.session.scalar(
        sa.select(PeerGroup)
        .where(PeerGroup.id == group_id, PeerGroup.pair_id.in_(writing_pair_ids(user)))
        .options(
            joinedload(PeerGroup.pair).joinedload(Pair.professional),
            joinedload(PeerGroup.pair).joinedload(Pair.expert),
        )
    )
    if group is None:
        abort(404)
    return group


def session_list(group: PeerGroup) -> Select:
    """The group's sessions, newest first, with their parts (for a paginated page)."""
    return (
        sa.select(GroupSession)
        .where(GroupSession.group_id == group.id)
        .options(selectinload(GroupSession.parts))
        .order_by(GroupSession.held_on.desc(), GroupSession.id.desc())
    )


def session_or_404(user: User, group_id: int, session_id: int) -> GroupSession:
    """A session of a group of the partner's working pairs; 404 otherwise."""
    session = db.session.scalar(
        sa.select(GroupSession)
        .join(PeerGroup, PeerGroup.id == GroupSession.group_id)
        .where(
            GroupSession.id == session_id,
            GroupSession.group_id == group_id,
            PeerGroup.pair_id.in_(writing_pair_ids(user)),
        )
        .options(
            selectinload(GroupSession.parts),
            joinedload(GroupSession.group).joinedload(PeerGroup.pair).joinedload(Pair.professional),
            joinedload(GroupSession.group).joinedload(PeerGroup.pair).joinedload(Pair.expert),
            joinedload(GroupSession.created_by),
            joinedload(GroupSession.updated_by),
        )
    )
    if session is None:
        abort(404)
    return session


def can_write(user: User, pair: Pair, today: date) -> bool:
    return is_partner(user) and pair.is_partner(user) and pair.is_active_on(today)
