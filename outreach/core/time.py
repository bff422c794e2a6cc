"""Days and moments where the users are. Stored moments are UTC; what a user calls "today",
"this day" or "9.30" is in the users' time zone (BABEL_DEFAULT_TIMEZONE, Europe/Helsinki by
default). Every conversion between the two lives here, once.

zoneinfo zones only: Flask-Babel's get_timezone() gives a pytz zone, and a pytz zone passed as
tzinfo= uses the zone's historical local mean time (+1:40 for Helsinki), not its offset.

The SQL half (`local_day_expr`, `bucket_expr`) computes the users' calendar day of a stored
moment inside the database on SQLite and PostgreSQL alike, so that a GROUP BY can count per
local day or month. PostgreSQL knows time zones (`timezone(zone, moment)`). SQLite does not:
there the offset comes from a CASE over the zone's UTC offset changes (daylight saving time),
computed with zoneinfo for the years asked for, and SQLite's own
`date(moment, '+180 minutes')` does the rest. SQLite keeps moments as text in SQLAlchemy's
format, which compares in time order with the bound limits.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_app_context

from outreach.core.clock import utcnow
from outreach.extensions import db

DEFAULT_ZONE = "Europe/Helsinki"


def zone_name() -> str:
    if has_app_context():
        return str(current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_ZONE))
    return DEFAULT_ZONE


def zone() -> ZoneInfo:
    """The users' time zone as a zoneinfo zone."""
    return ZoneInfo(zone_name())


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without their zone; everything is stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def local_today() -> date:
    """Today where the users are, not on the server's clock: between 22 and 24 UTC the two
    disagree, and "today" must be the same on every page."""
    return utcnow().astimezone(zone()).date()


def local_day(moment: datetime) -> date:
    """The calendar day of a stored moment where the users are."""
    return aware(moment).astimezone(zone()).date()


def days_since(moment: datetime | None, today: date | None = None) -> int | None:
    if moment is None:
        return None
    return ((today or local_today()) - local_day(moment)).days


def utc_at(day: date, hour: int, minute: int = 0) -> datetime:
    """That day at that time of day, UTC: the moments the demo data is made at."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def past_utc_at(day: date, hour: int, minute: int = 0) -> datetime:
    """The same, but never later than now: the demo records nothing in the future."""
    return min(utc_at(day, hour, minute), utcnow())


def day_start_utc(day: date) -> datetime:
    """Midnight at the start of `day` where the users are, in UTC."""
    return datetime.combine(day, time.min, tzinfo=zone()).astimezone(UTC)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of a calendar day where the users are, in UTC."""
    return day_start_utc(day), day_start_utc(day + timedelta(days=1))


def days_bounds_utc(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """The first day's 00:00 to the day after the last day's 00:00 where the users are, in
    UTC: the moments of a period of days."""
    return day_start_utc(first_day), day_start_utc(last_day + timedelta(days=1))


def year_bounds_utc(year: int) -> tuple[datetime, datetime]:
    """1 January 00:00 to the next 1 January 00:00 where the users are, in UTC."""
    return days_bounds_utc(date(year, 1, 1), date(year, 12, 31))


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week of `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def to_utc(naive_local: datetime) -> datetime:
    """A wall time typed by a user (no zone) as an aware UTC moment."""
    return naive_local.replace(tzinfo=zone()).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    """A stored moment as an aware moment in the users' zone."""
    return aware(moment).astimezone(zone())


def local_moment(value: datetime) -> datetime:
    """A stored moment as the users' local wall time, without a zone (what a sheet shows)."""
    return to_local(value).replace(tzinfo=None)


# --- The local day inside SQL --------------------------------------------------------------


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


def local_day_expr(column, first: date, last: date):
    """SQL for the local calendar day of `column` (a UTC timestamp column), exact for moments
    from the year before `first` to the year after `last` (outside that, the offset of the
    nearest end is used)."""
    if db.session.get_bind().dialect.name == "postgresql":
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
