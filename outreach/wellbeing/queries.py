"""Check-in queries, each scoped by the user's pairs.

The content of a check-in (strain, wish to talk, note) is read by the two partners of the
pair only (`outreach.scope.reading_pair_ids`): supervisors and administrators get nothing, so every
content URL answers them 404, as it does another pair. The supervisor's view is the
aggregate `waiting_checkins`: how many wait unacknowledged per pair and since when.

Every function runs a fixed number of queries, whatever the number of check-ins."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import abort
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from outreach.auth.models import Role, User
from outreach.core.clock import utcnow
from outreach.core.time import days_since, local_today
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.scope import pairs_of_user, reading_pair_ids, writing_pair_ids
from outreach.wellbeing.models import CheckIn, StrainShare

CHART_DAYS = 365  # her chart shows the last year


def create_checkin(pair: Pair, expert: User, strain: int, wants_to_talk: bool,
                   note: str | None) -> CheckIn:
    checkin = CheckIn(pair_id=pair.id, expert_id=expert.id, strain=strain,
                      wants_to_talk=wants_to_talk, note=note or None)
    db.session.add(checkin)
    return checkin


def acknowledge(checkin: CheckIn, user: User, talked_on: date, note: str | None) -> None:
    checkin.acknowledged_at = utcnow()
    checkin.acknowledged_by_id = user.id
    checkin.talked_on = talked_on
    checkin.ack_note = note or None


def _with_people():
    return (joinedload(CheckIn.expert), joinedload(CheckIn.acknowledged_by))


def checkin_or_404(user: User, checkin_id: int) -> CheckIn:
    """One check-in of the user's own pairs; 404 for everyone else, supervisors included."""
    checkin = db.session.scalar(
        sa.select(CheckIn)
        .where(CheckIn.id == checkin_id, CheckIn.pair_id.in_(reading_pair_ids(user)))
        .options(*_with_people(), joinedload(CheckIn.pair))
    )
    if checkin is None:
        abort(404)
    return checkin


def can_acknowledge(user: User, checkin: CheckIn, today: date | None = None) -> bool:
    """The professional of the pair, while the pair works."""
    return (user.role == Role.PROFESSIONAL and checkin.pair.professional_id == user.id
            and checkin.pair.is_active_on(today or local_today()))


def waiting_for_professional(user: User) -> list[CheckIn]:
    """The check-ins waiting for this professional's acknowledgement, oldest first (one query)."""
    if user.role != Role.PROFESSIONAL:
        return []
    query = (
        sa.select(CheckIn)
        .where(CheckIn.pair_id.in_(writing_pair_ids(user)), CheckIn.acknowledged_at.is_(None))
        .options(*_with_people(), joinedload(CheckIn.pair))
        .order_by(CheckIn.created_at, CheckIn.id)
    )
    return list(db.session.scalars(query))


def history_of(expert: User) -> Select:
    """Her own check-ins in her pairs, newest first (for a paginated list)."""
    return (
        sa.select(CheckIn)
        .where(CheckIn.expert_id == expert.id, CheckIn.pair_id.in_(reading_pair_ids(expert)))
        .options(*_with_people())
        .order_by(CheckIn.created_at.desc(), CheckIn.id.desc())
    )


def chart_points(expert: User) -> list[tuple[datetime, int]]:
    """(when, strain) of her check-ins over the last year, oldest first: one query."""
    since = utcnow() - timedelta(days=CHART_DAYS)
    query = (
        sa.select(CheckIn.created_at, CheckIn.strain)
        .where(CheckIn.expert_id == expert.id, CheckIn.pair_id.in_(reading_pair_ids(expert)),
               CheckIn.created_at >= since)
        .order_by(CheckIn.created_at, CheckIn.id)
    )
    return [(row.created_at, row.strain) for row in db.session.execute(query)]


def pair_checkins(user: User, pair: Pair) -> Select:
    """The pair's check-ins for its partners: the waiting ones first, then newest first."""
    return (
        sa.select(CheckIn)
        .where(CheckIn.pair_id == pair.id, CheckIn.pair_id.in_(reading_pair_ids(user)))
        .options(*_with_people())
        .order_by(CheckIn.acknowledged_at.is_not(None), CheckIn.created_at.desc(),
                  CheckIn.id.desc())
    )


def waiting_query(pair_ids) -> Select:
    """Per pair: how many check-ins wait unacknowledged (`count`) and when the oldest was
    recorded (`oldest`); pairs with none waiting are left out. Counts only: this is all a
    supervisor ever sees of check-ins. The caller scopes `pair_ids` (ids, or a select of
    them)."""
    return (
        sa.select(CheckIn.pair_id, sa.func.count(CheckIn.id).label("count"),
                  sa.func.min(CheckIn.created_at).label("oldest"))
        .where(CheckIn.pair_id.in_(pair_ids), CheckIn.acknowledged_at.is_(None))
        .group_by(CheckIn.pair_id)
    )


def waiting_checkins(pair_ids) -> dict[int, tuple[int, datetime]]:
    """{pair_id: (how many wait, when the oldest was recorded)}: `waiting_query` in ONE
    query."""
    if not isinstance(pair_ids, sa.Select):
        pair_ids = list(pair_ids)
        if not pair_ids:
            return {}
    return {pair_id: (count, oldest)
            for pair_id, count, oldest in db.session.execute(waiting_query(pair_ids))}


def supervised_pairs(user: User, today: date | None = None) -> list[Pair]:
    """The supervisor's pairs that work now, with the people: one query."""
    today = today or local_today()
    if user.role != Role.SUPERVISOR:
        return []
    # The pairs a supervisor sees are those they supervise (outreach.scope).
    pairs = [pair for pair in pairs_of_user(user).visible if pair.is_active_on(today)]
    return sorted(sorted(pairs, key=lambda pair: pair.id), key=lambda pair: pair.starts_on)


def waited_days(oldest: datetime | None, today: date | None = None) -> int | None:
    """Whole days the oldest waiting check-in has waited, in the users' calendar."""
    return days_since(oldest, today)


def last_checkin(expert: User) -> CheckIn | None:
    return db.session.scalar(
        sa.select(CheckIn)
        .where(CheckIn.expert_id == expert.id, CheckIn.pair_id.in_(reading_pair_ids(expert)))
        .order_by(CheckIn.created_at.desc(), CheckIn.id.desc())
        .limit(1)
    )


# --- Her choice to share her monthly trend with the supervisor ----------------------------------


def shares_strain(expert: User) -> bool:
    return db.session.get(StrainShare, expert.id) is not None


def set_strain_sharing(expert: User, share: bool) -> None:
    """Share or withdraw at once: the supervisor's next page reads the table again."""
    current = db.session.get(StrainShare, expert.id)
    if share and current is None:
        db.session.add(StrainShare(expert_id=expert.id))
    elif not share and current is not None:
        db.session.delete(current)


def sharing_expert_ids() -> Select:
    """The experts who share their monthly trend (a subquery for the dashboard)."""
    return sa.select(StrainShare.expert_id)
