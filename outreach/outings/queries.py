"""Outing queries, scoped by the user's pairs. Partners see the live outings of their own
working pairs; the supervisor sees only the outings of the pairs they supervise that are
past the second grace (who, which area, since when); administrators none. Every function
runs a fixed number of queries."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload

from outreach.auth.models import Role, User
from outreach.core.clock import utcnow
from outreach.core.memo import shared
from outreach.encounters.models import AnonymousEncounter
from outreach.extensions import db
from outreach.outings.models import DEFAULT_GRACE_MINUTES, Area, Outing
from outreach.pairs.models import Pair, PairAgreement
from outreach.scope import writing_pair_ids, writing_pairs

PARTNERS = (Role.PROFESSIONAL, Role.EXPERT)
EXTEND_MINUTES = 30
MAX_OUTING_HOURS = 14  # a return later than this is a mistake in the time


# --- Areas --------------------------------------------------------------------------------------


def active_areas() -> list[Area]:
    return list(db.session.scalars(
        sa.select(Area).where(Area.active.is_(True)).order_by(Area.name)))


def all_areas() -> list[Area]:
    return list(db.session.scalars(sa.select(Area).order_by(Area.active.desc(), Area.name)))


def area_or_404(area_id: int) -> Area:
    area = db.session.get(Area, area_id)
    if area is None:
        abort(404)
    return area


def area_named(name: str, other_than: int | None = None) -> Area | None:
    query = sa.select(Area).where(sa.func.lower(Area.name) == name.lower())
    if other_than is not None:
        query = query.where(Area.id != other_than)
    return db.session.scalar(query)


# --- The partner's own ------------------------------------------------------------------------


def working_pairs(user: User, today: date | None = None) -> list[Pair]:
    """With their people and start-up agreement: one query, shared with the page."""
    if user.role not in PARTNERS:
        return []
    return writing_pairs(user, today)


def colleagues(user: User) -> list[User]:
    """The organisation's active accounts a worker may go out with (not herself, not the
    administrators): the choice is a list, never free text."""
    return list(db.session.scalars(
        sa.select(User)
        .where(User.active.is_(True), User.id != user.id, User.role != Role.ADMIN)
        .order_by(User.name)
    ))


def graces(agreement: PairAgreement | None) -> tuple[int, int]:
    """The pair's two graces in minutes (the start-up agreement's safety rules)."""
    if agreement is None:
        return DEFAULT_GRACE_MINUTES, DEFAULT_GRACE_MINUTES
    return (agreement.outing_partner_grace or DEFAULT_GRACE_MINUTES,
            agreement.outing_supervisor_grace or DEFAULT_GRACE_MINUTES)


def start(pair: Pair, worker: User, area: Area, companion: User | None,
          expected: datetime) -> Outing:
    outing = Outing(pair_id=pair.id, worker_id=worker.id, area_id=area.id,
                    companion_id=companion.id if companion else None, started_at=utcnow())
    outing.set_return(expected, graces(pair.agreement)[0])
    db.session.add(outing)
    return outing


def extend(outing: Outing, expected: datetime) -> None:
    outing.set_return(expected, graces(outing.pair.agreement)[0])
    outing.round += 1


def come_back(outing: Outing) -> None:
    outing.returned_at = utcnow()


def _with_people():
    return (joinedload(Outing.worker), joinedload(Outing.companion), joinedload(Outing.area),
            joinedload(Outing.pair).joinedload(Pair.agreement))


def own_outing_or_404(user: User, outing_id: int) -> Outing:
    """A live outing the user herself is on (only she says she is back or extends it)."""
    outing = db.session.scalar(
        sa.select(Outing)
        .where(Outing.id == outing_id, Outing.pair_id.in_(writing_pair_ids(user)))
        .options(*_with_people())
    )
    if outing is None:
        abort(404)
    if outing.worker_id != user.id:
        abort(403)
    return outing


def live_outings(user: User) -> list[Outing]:
    """The live outings of the user's working pairs, hers and her partner's: one query."""
    if user.role not in PARTNERS:
        return []
    # The home page's banner and panel both show them.
    return shared(("live_outings", user.id), lambda: list(db.session.scalars(
        sa.select(Outing)
        .where(Outing.pair_id.in_(writing_pair_ids(user)), Outing.returned_at.is_(None))
        .options(*_with_people())
        .order_by(Outing.expected_back_at, Outing.id)
    )))


def supervisor_overdue(user: User, now: datetime | None = None) -> list[Outing]:
    """Outings of the supervisor's pairs past the second grace: one query. The page shows
    the worker's name, the area and since when, nothing else."""
    if user.role != Role.SUPERVISOR:
        return []
    now = now or utcnow()
    return list(db.session.scalars(
        sa.select(Outing)
        .join(Pair, Pair.id == Outing.pair_id)
        .where(Pair.supervisor_id == user.id, Outing.returned_at.is_(None),
               sa.or_(Outing.supervisor_alerted_at.is_not(None),
                      Outing.supervisor_due_at <= now))
        .options(joinedload(Outing.worker), joinedload(Outing.area))
        .order_by(Outing.expected_back_at, Outing.id)
    ))


# --- What `outreach notify` finds due -----------------------------------------------------------


def partner_alerts_due(now: datetime) -> list[Outing]:
    """Live outings past the first grace whose partner has not been alerted yet."""
    return list(db.session.scalars(
        sa.select(Outing)
        .where(Outing.returned_at.is_(None), Outing.partner_alerted_at.is_(None),
               Outing.partner_due_at <= now)
        .options(*_with_people(), joinedload(Outing.pair).joinedload(Pair.professional),
                 joinedload(Outing.pair).joinedload(Pair.expert))
        .order_by(Outing.id)
    ))


def supervisor_alerts_due(now: datetime) -> list[Outing]:
    return list(db.session.scalars(
        sa.select(Outing)
        .where(Outing.returned_at.is_(None), Outing.supervisor_alerted_at.is_(None),
               Outing.supervisor_due_at.is_not(None), Outing.supervisor_due_at <= now)
        .options(*_with_people(), joinedload(Outing.pair).joinedload(Pair.supervisor))
        .order_by(Outing.id)
    ))


def mark_partner_alerted(outing: Outing, now: datetime) -> None:
    """The partner's alert is out: the second grace counts from now."""
    now = now.astimezone(UTC)
    outing.partner_alerted_at = now
    outing.supervisor_due_at = now + timedelta(minutes=graces(outing.pair.agreement)[1])


def mark_supervisor_alerted(outing: Outing, now: datetime) -> None:
    outing.supervisor_alerted_at = now.astimezone(UTC)




def partner_in(pair: Pair, user: User) -> User:
    return pair.expert if user.id == pair.professional_id else pair.professional


def partner_of(outing: Outing) -> User:
    return partner_in(outing.pair, outing.worker)


def last_area_id(user: User) -> int | None:
    """The area of her last outing, if still in use (the form starts from it)."""
    return db.session.scalar(
        sa.select(Outing.area_id)
        .join(Area, Area.id == Outing.area_id)
        .where(Outing.worker_id == user.id, Area.active.is_(True))
        .order_by(Outing.started_at.desc(), Outing.id.desc())
        .limit(1)
    )


def area_in_use(area: Area) -> bool:
    """Outings or anonymous encounters point to it: it can only be taken out of use."""
    return bool(db.session.scalar(sa.select(
        sa.or_(sa.exists().where(Outing.area_id == area.id),
               sa.exists().where(AnonymousEncounter.area_id == area.id)))))


# --- Where the work is: counts per area (dashboard, funder report) -----------------------------


def area_counts(pair_in, first_day: date, last_day: date, start: datetime,
                end: datetime) -> list[tuple[str, int, int]]:
    """(area, anonymous encounters, outings) of the pairs `pair_in(column)` admits, in the
    period (encounters by their day, outings by their start, [start, end) in UTC): one
    GROUP BY over both. Encounters kept from before the list count under their own
    "other: ..." place. Readers show counts of 1 or 2 as "<3"."""
    encounters = sa.select(AnonymousEncounter.area.label("area"),
                           sa.literal(1).label("encounter"), sa.literal(0).label("outing")
                           ).where(pair_in(AnonymousEncounter.pair_id),
                                   AnonymousEncounter.met_on.between(first_day, last_day))
    trips = (sa.select(Area.name.label("area"), sa.literal(0).label("encounter"),
                       sa.literal(1).label("outing"))
             .select_from(Outing).join(Area, Area.id == Outing.area_id)
             .where(pair_in(Outing.pair_id), Outing.started_at >= start,
                    Outing.started_at < end))
    rows = sa.union_all(encounters, trips).subquery()
    query = (sa.select(rows.c.area, sa.func.sum(rows.c.encounter), sa.func.sum(rows.c.outing))
             .group_by(rows.c.area).order_by(rows.c.area))
    return [(name, int(met or 0), int(went or 0))
            for name, met, went in db.session.execute(query)]
