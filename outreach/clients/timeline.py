"""One chronological view of everything recorded about a woman.

Each kind of record declares its *sources* (a RecordKind's `timeline`, see
outreach/core/records.py): a SELECT of (kind, record_id, at, actor_id, client_id) over its
own table. The timeline is their UNION ALL, newest first, paged by a
keyset cursor; each page then loads the records it shows with one query per kind.
So a page costs a fixed number of queries however long her history is, and there is
no second copy of the data to keep in step (or to anonymise).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from outreach.core.records import TimelineKind, timeline_kinds
from outreach.extensions import db


def all_kinds() -> dict[str, TimelineKind]:
    """Every kind of timeline entry the registered kinds of record declare, by name."""
    return timeline_kinds()


@dataclass(frozen=True)
class Entry:
    kind: TimelineKind
    record: object
    at: datetime
    actor_id: int | None


@dataclass(frozen=True)
class TimelinePage:
    entries: list[Entry]
    cursor: str | None  # pass back as `before` to load the next page


def encode_cursor(at: datetime, kind: str, record_id: int) -> str:
    return f"{at.isoformat()}|{kind}|{record_id}"


def decode_cursor(cursor: str | None):
    if not cursor:
        return None
    try:
        at, kind, record_id = cursor.split("|")
        return datetime.fromisoformat(at), kind, int(record_id)
    except ValueError:
        return None


def page(client_ids: list[int], kinds: list[str] | None = None, before: str | None = None,
         size: int = 25) -> TimelinePage:
    known = timeline_kinds()
    wanted = [known[k] for k in (kinds or known) if k in known]
    if not wanted:
        return TimelinePage([], None)
    union = sa.union_all(*(kind.source() for kind in wanted)).subquery("timeline")
    # DISTINCT: a record about two of the given clients (a merge) is one entry, not two.
    query = (
        sa.select(union.c.kind, union.c.record_id, union.c.at, union.c.actor_id)
        .where(union.c.client_id.in_(client_ids))
        .distinct()
    )
    if cursor := decode_cursor(before):
        at, kind, record_id = cursor
        query = query.where(
            sa.or_(
                union.c.at < at,
                sa.and_(union.c.at == at, union.c.kind < kind),
                sa.and_(union.c.at == at, union.c.kind == kind, union.c.record_id < record_id),
            )
        )
    query = query.order_by(
        union.c.at.desc(), union.c.kind.desc(), union.c.record_id.desc()
    ).limit(size + 1)
    rows = db.session.execute(query).all()
    more = len(rows) > size
    rows = rows[:size]
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row.record_id)
    records = {name: known[name].loader(ids) for name, ids in by_kind.items()}
    entries = [
        Entry(known[row.kind], records[row.kind].get(row.record_id), _aware(row.at), row.actor_id)
        for row in rows
        if records[row.kind].get(row.record_id) is not None
    ]
    last = rows[-1] if rows and more else None
    cursor = encode_cursor(_aware(last.at), last.kind, last.record_id) if last else None
    return TimelinePage(entries, cursor)


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes from a UNION; everything is stored in UTC.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
