"""The users' calendar day of a stored UTC moment, computed inside SQL on SQLite and
PostgreSQL alike, so that a GROUP BY can count per local day or month.

PostgreSQL knows time zones (`timezone(zone, moment)`). SQLite does not: there the offset
comes from a CASE over the zone's UTC offset changes (daylight saving time), computed with
zoneinfo for the years asked for, and SQLite's own `date(moment, '+180 minutes')` does the
rest. Stored moments are UTC (outreach.clients.models.aware); SQLite keeps them as text in
SQLAlchemy's format, which compares in time order with the bound limits below."""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_app_context

DEFAULT_ZONE = "Europe/Helsinki"


def zone_name() -> str:
    if has_app_context():
        return str(current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_ZONE))
    return DEFAULT_ZONE


def zone() -> ZoneInfo:
    return ZoneInfo(zone_name())


def day_start_utc(day: date) -> datetime:
    """Midnight at the start of `day` where the users are, in UTC."""
    local = datetime.combine(day, time.min, tzinfo=zone())
    return local.astimezone(UTC)


def local_day_of(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone()).date()


def _offset_minutes(tz: ZoneInfo, moment: datetime) -> int:
    return int(moment.astimezone(tz).utcoffset().total_seconds() // 60)


@lru_cache(maxsize=64)
def offset_changes(name: str, first_year: int, last_year: int) -> tuple:
    """(offset in minutes before the first change, ((UTC moment, offset from then on),
    ...)) for the years first_year..last_year: found day by day, then to the minute."""
    tz = ZoneInfo(name)
    start = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    initial = current = _offset_minutes(tz, start)
    changes = []
    day = start
    while day < end:
        following = day + timedelta(days=1)
        offset = _offset_minutes(tz, following)
        if offset != current:
            low, high = day, following  # the change happens in (low, high]
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if _offset_minutes(tz, middle) == current:
                    low = middle
                else:
                    high = middle
            changes.append((high.replace(second=0, microsecond=0), offset))
            current = offset
        day = following
    return initial, tuple(changes)


def _dialect() -> str:
    from outreach.extensions import db

    return db.session.get_bind().dialect.name


def local_day_expr(column, first: date, last: date):
    """SQL for the local calendar day of `column` (a UTC timestamp column), exact for moments
    from the year before `first` to the year after `last` (outside that, the offset of the
    nearest end is used)."""
    if _dialect() == "postgresql":
        return sa.cast(sa.func.timezone(zone_name(), column), sa.Date)
    initial, changes = offset_changes(zone_name(), first.year - 1, last.year + 1)
    whens = []
    before = initial
    for moment, offset in changes:
        whens.append((column < moment, f"{before:+d} minutes"))
        before = offset
    modifier = sa.case(*whens, else_=f"{before:+d} minutes") if whens \
        else sa.literal(f"{before:+d} minutes")
    return sa.func.date(column, modifier)


def bucket_expr(column, starts: list[date]):
    """SQL giving the index of the local period (e.g. month) a moment falls in, given the
    periods' first days in order: 0 for the first period, ... (NULL before the first).
    Portable: a CASE over bound UTC limits."""
    whens = [(column >= day_start_utc(start), index)
             for index, start in reversed(list(enumerate(starts)))]
    return sa.case(*whens, else_=None)
