"""Accompaniment queries. Those about one woman take her already loaded with
`client_or_404`; the week plan and the home page take the user's or pair's scope."""

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from outreach.accompaniments.forms import PLANNED
from outreach.accompaniments.models import Accompaniment, Outcome
from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.contacts.choices import participants_of
from outreach.contacts.queries import note_contact
from outreach.core.clock import utcnow
from outreach.core.columns import in_any
from outreach.core.search import contains
from outreach.core.time import aware, days_bounds_utc, to_local
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.scope import client_ids_of, her_record_or_404, is_partner


def _with_people():
    return (
        joinedload(Accompaniment.service),
        joinedload(Accompaniment.created_by),
        joinedload(Accompaniment.outcome_recorded_by),
        joinedload(Accompaniment.task),
    )


def accompaniment_list(client: Client, q: str = "", state: str = "") -> Select:
    """Hers, planned ones first (soonest first), then the rest newest first: one query
    per page whatever the number of rows."""
    query = sa.select(Accompaniment).where(Accompaniment.client_id == client.id)
    if state == PLANNED:
        query = query.where(Accompaniment.outcome.is_(None))
    elif state in {o.value for o in Outcome}:
        query = query.where(Accompaniment.outcome == Outcome(state))
    if q := q.strip():
        query = query.where(contains(Accompaniment.purpose, q))
    when = sa.func.coalesce(Accompaniment.took_place_at, Accompaniment.planned_at)
    return query.options(*_with_people()).order_by(
        Accompaniment.outcome.is_not(None), when.desc(), Accompaniment.id.desc()
    )


def accompaniment_or_404(client: Client, accompaniment_id: int) -> Accompaniment:
    return her_record_or_404(Accompaniment, client, accompaniment_id, *_with_people())


def accompaniment_summary(client: Client) -> dict:
    """For her page: what is planned (soonest first) and the latest ones. One query."""
    planned = Accompaniment.outcome.is_(None)
    soonest = (
        sa.select(Accompaniment.id)
        .where(Accompaniment.client_id == client.id, planned)
        .order_by(Accompaniment.planned_at, Accompaniment.id).limit(5)
    )
    latest = (
        sa.select(Accompaniment.id)
        .where(Accompaniment.client_id == client.id, Accompaniment.outcome.is_not(None))
        .order_by(Accompaniment.took_place_at.desc(), Accompaniment.id.desc()).limit(3)
    )
    # Each list in the order its own query picked it by (the database's place for an
    # empty time included): the planned ones first, then the others.
    rows = list(db.session.scalars(
        sa.select(Accompaniment)
        .where(in_any(Accompaniment.id, soonest, latest))
        .options(joinedload(Accompaniment.service))
        .order_by(
            sa.case((planned, 0), else_=1),
            sa.case((planned, Accompaniment.planned_at)),
            sa.case((planned, None), else_=Accompaniment.took_place_at).desc(),
            sa.case((planned, Accompaniment.id), else_=-Accompaniment.id),
        )
    ))
    return {"planned_accompaniments": [a for a in rows if a.outcome is None],
            "recent_accompaniments": [a for a in rows if a.outcome is not None]}


def planned_accompaniments(pair_ids, start: datetime, end: datetime) -> list[Accompaniment]:
    """The accompaniments of these pairs planned from `start` (inclusive) to `end`
    (exclusive), whatever their outcome, soonest first, with her and the service loaded:
    one query. `pair_ids` is a list or a SELECT of ids (e.g. writing_pair_ids(user)); the
    caller decides whether her name may be shown (an expert before the confidentiality
    agreement may not see it)."""
    query = (
        sa.select(Accompaniment)
        .join(Client, Client.id == Accompaniment.client_id)
        .where(
            Accompaniment.pair_id.in_(pair_ids),
            Client.merged_into_id.is_(None),
            Accompaniment.planned_at >= start,
            Accompaniment.planned_at < end,
        )
        .options(joinedload(Accompaniment.client), joinedload(Accompaniment.service))
        .order_by(Accompaniment.planned_at, Accompaniment.id)
    )
    return list(db.session.scalars(query))


def planned_in_week(pair_ids, monday: date) -> list[tuple[Accompaniment, time]]:
    """For the week plan: the week's planned accompaniments with their local time of day."""
    start, end = days_bounds_utc(monday, monday + timedelta(days=6))
    return [
        (record, to_local(record.planned_at).time().replace(second=0, microsecond=0))
        for record in planned_accompaniments(pair_ids, start, end)
    ]


def planned_for_week(pair: Pair, monday: date, with_clients: bool = True
                     ) -> list[tuple[Accompaniment, time]]:
    """For the week plan (outreach.tasks): the pair's accompaniments planned from Monday to
    Sunday, each with its local time of day. Every accompaniment is about a woman, so
    without access to the pair's clients (an expert before the confidentiality agreement)
    there is nothing to show. One query."""
    if not with_clients:
        return []
    return planned_in_week([pair.id], monday)


def outcomes_due(user: User, now: datetime | None = None, limit: int = 20) -> list[Accompaniment]:
    """Planned accompaniments whose time has passed with no outcome recorded, for the one
    who went (the expert, the professional, or both): the home page asks them to record
    it. One query; nothing for supervisors and administrators."""
    if not is_partner(user):
        return []
    who = participants_of(user.role)
    query = (
        sa.select(Accompaniment)
        .where(
            Accompaniment.client_id.in_(client_ids_of(user)),
            Accompaniment.outcome.is_(None),
            Accompaniment.planned_at <= (now or utcnow()),
            Accompaniment.who_went.in_(who),
        )
        .options(joinedload(Accompaniment.client), joinedload(Accompaniment.service))
        .order_by(Accompaniment.planned_at, Accompaniment.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def record_outcome(record: Accompaniment, user: User, outcome: Outcome,
                   minutes: int | None, supported: bool, now: datetime | None = None) -> bool:
    """Record the outcome of a planned accompaniment unless someone did it first (the
    partner who went too): False then. It took place at the planned time, or now if that
    is still ahead. In the caller's transaction; keeps her last contact right."""
    now = now or utcnow()
    planned = aware(record.planned_at)
    took_place = planned if planned is not None and planned <= now else now
    result = db.session.execute(
        sa.update(Accompaniment)
        .where(Accompaniment.id == record.id, Accompaniment.outcome.is_(None))
        .values(
            outcome=outcome,
            took_place_at=took_place,
            minutes_spent=minutes,
            expert_supported_interaction=supported,
            outcome_recorded_by_id=user.id,
            outcome_recorded_at=now,
            version=Accompaniment.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        return False
    met = outcome in (Outcome.DONE, Outcome.PARTLY_DONE, Outcome.NOT_DONE)
    note_contact(record.client_id, took_place if met else None)
    return True
