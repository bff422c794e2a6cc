"""Anonymous encounters of the user's working pairs (professional and expert of an active
pair). Encounters carry no identity, so no confidentiality gate applies; supervisors and
administrators see only counts, in the reports of a later issue."""

from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_babel import format_date
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from outreach.auth.models import User
from outreach.core.time import local_today
from outreach.encounters.models import AnonymousEncounter
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.scope import writing_pair_ids

MONTHS_OFFERED = 12


def encounters_of(user: User) -> Select:
    return sa.select(AnonymousEncounter).where(
        AnonymousEncounter.pair_id.in_(writing_pair_ids(user))
    )


def _in_month(query: Select, month: date | None) -> Select:
    if month is None:
        return query
    return query.where(
        AnonymousEncounter.met_on >= month, AnonymousEncounter.met_on < next_month(month)
    )


def encounter_list(user: User, month: date | None = None) -> Select:
    """For a paginated list, newest first: the rows with who recorded them and the pair's
    people joined in, so a page costs the same number of queries however many rows."""
    query = encounters_of(user).options(
        joinedload(AnonymousEncounter.created_by),
        joinedload(AnonymousEncounter.pair).joinedload(Pair.professional),
        joinedload(AnonymousEncounter.pair).joinedload(Pair.expert),
    )
    return _in_month(query, month).order_by(
        AnonymousEncounter.met_on.desc(), AnonymousEncounter.id.desc()
    )


def encounter_totals(user: User, month: date | None = None) -> tuple[int, int]:
    """(encounters, people met) over the same rows as the list: one aggregate query."""
    query = sa.select(
        sa.func.count(AnonymousEncounter.id),
        sa.func.coalesce(sa.func.sum(AnonymousEncounter.people_count), 0),
    ).where(AnonymousEncounter.pair_id.in_(writing_pair_ids(user)))
    count, people = db.session.execute(_in_month(query, month)).one()
    return int(count), int(people)


def encounter_or_404(user: User, encounter_id: int) -> AnonymousEncounter:
    encounter = db.session.scalar(
        encounters_of(user).where(AnonymousEncounter.id == encounter_id)
    )
    if encounter is None:
        abort(404)
    return encounter


def working_pair_count(user: User) -> int:
    pairs = writing_pair_ids(user).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(pairs))


def recent_areas(user: User, limit: int = 15) -> list[str]:
    """Areas the user's pairs have recorded, most recently used first: suggestions only."""
    last_used = sa.func.max(AnonymousEncounter.met_on)
    query = (
        sa.select(AnonymousEncounter.area)
        .where(AnonymousEncounter.pair_id.in_(writing_pair_ids(user)))
        .group_by(AnonymousEncounter.area)
        .order_by(last_used.desc(), AnonymousEncounter.area)
        .limit(limit)
    )
    return list(db.session.scalars(query))


# --- Months for the filter ----------------------------------------------------------------


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def parse_month(value: str | None) -> date | None:
    """"2026-05" -> 1 May 2026; anything else -> None (all months)."""
    if not value:
        return None
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def month_value(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def month_choices(today: date | None = None, chosen: date | None = None) -> list[tuple[str, str]]:
    """The last twelve months, newest first (and a chosen older one), for the filter."""
    today = today or local_today()
    month = date(today.year, today.month, 1)
    months = []
    for _ in range(MONTHS_OFFERED):
        months.append(month)
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    if chosen is not None and chosen not in months:
        months.append(chosen)
        months.sort(reverse=True)
    return [(month_value(m), format_date(m, "LLLL y")) for m in months]
