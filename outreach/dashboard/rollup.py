"""The work rollup (table `work_rollup`, model `WorkRollup`): the pairs' field work summed
per local day, kept in step with the records ON WRITE without the domain routes knowing.

How it stays right:
- After every flush, the session's new, changed and deleted contacts, accompaniments,
  network contacts and anonymous encounters give the (kind, pair, day) keys they touch:
  the old key and the new one when the pair or the day changed (attribute history).
- ORM bulk UPDATE/DELETE/INSERT statements on those tables (e.g. recording an
  accompaniment's outcome) give their keys too: the rows they match are read before the
  statement runs, and read again at commit for their new values.
- A changed service kind recomputes the accompaniments of the pairs that went there.
- Just before commit, each touched key's rows are deleted and recomputed from the records
  with one INSERT ... SELECT ... GROUP BY per kind, in the same transaction: a record and
  its rollup are stored together or not at all.

The monthly rollup (table `work_rollup_month`, model `WorkRollupMonth`) is derived from
the daily one in the same step: every (kind, pair, month) whose days were recomputed is
recomputed from the daily rows (one INSERT ... SELECT ... GROUP BY per chunk), and a pair
or kind recomputed whole is recomputed whole in months too. So it always equals the daily
rows summed per month, and a period's whole months can be read from it (about 12 rows per
pair and category for a year instead of 365). The yearly rollup (`work_rollup_year`,
`WorkRollupYear`) is derived from the months the same way, right after them (`LEVELS`):
a whole year is one row per pair and category. Last, the yearly totals
(`work_rollup_year_total`) sum the years over channels, service kinds and outcomes: the
overview of every pair reads about 12 rows per pair and year from them.

`rebuild(pair_ids=None)` recomputes everything (or some pairs) from the records: after bulk
loads (`outreach rollup rebuild`, the scale generator). Inside `paused()` the session
collects nothing (bulk loads that rebuild afterwards).

What counts is declared by each counted kind of record (RecordKind.rollup, in its
package's record.py; this module imports none of them), and used by the dashboard:
- contact: every contact, on the local day of `contacted_at`; role = who took part;
  detail = channel; minutes = duration.
- accompaniment: those that took place (an outcome is recorded), on the local day of
  `took_place_at`; planned ones are not work done yet. role = who went; detail = the
  service's kind; outcome; minutes = time spent including travel (0 when not recorded).
- network: network contacts, on the local day of `contacted_at`; the professional's work
  (only professionals record them); detail = channel; no minutes are recorded.
- encounter: anonymous encounters on `met_on` (already a local day); role = met by;
  people = number of people met; no minutes are recorded.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from outreach.core.records import Rollup, RollupSource, on_register, registered, rollups
from outreach.core.time import day_start_utc, local_day, local_day_expr
from outreach.dashboard.models import (
    RollupKind,
    WorkRollup,
    WorkRollupMonth,
    WorkRollupYear,
    WorkRollupYearTotal,
)
from outreach.extensions import db

__all__ = ["WorkRollup", "WorkRollupMonth", "WorkRollupYear", "WorkRollupYearTotal",
           "RollupKind", "rebuild",
           "paused", "rollup_rows", "month_rows", "year_rows", "year_total_rows",
           "month_start", "levels",
           "Level", "LEVELS"]

INFO_KEY = "work_rollup_pending"
PAUSE_KEY = "work_rollup_paused"
# Keys are recomputed in chunks, so that no statement grows without bound.
CHUNK = 100
# An ORM bulk INSERT touching more keys than this recomputes its pairs whole.
MANY_KEYS = 500


@dataclass(frozen=True)
class Spec:
    """How one kind of record maps onto rollup rows: its declaration (RecordKind.rollup)
    and its model."""

    kind: RollupKind
    model: type
    declared: Rollup

    @property
    def moment(self) -> str:
        return self.declared.moment

    @property
    def is_date(self) -> bool:
        return self.declared.is_date

    @property
    def attributes(self) -> tuple[str, ...]:
        return self.declared.attributes

    @property
    def table(self) -> sa.Table:
        return self.model.__table__

    def moment_column(self):
        return getattr(self.model, self.moment)

    def counted(self):
        """The records that count at all."""
        return self.declared.counted() if self.declared.counted is not None else sa.true()

    def columns(self, day_expr):
        """(pair_id, day, role, detail, outcome, minutes, people) as labelled SQL."""
        role, detail, outcome, minutes, people = self.declared.values()
        return [
            self.model.pair_id.label("pair_id"),
            day_expr.label("day"),
            sa.cast(role, sa.String).label("role"),
            sa.cast(detail, sa.String).label("detail"),
            sa.cast(outcome, sa.String).label("outcome"),
            minutes.label("minutes"),
            people.label("people"),
        ]

    def source(self, query):
        query = query.select_from(self.model)
        return self.declared.join(query) if self.declared.join is not None else query


# (the registered kinds, their specs): built once per registration.
_built: list = [None, {}]


def specs() -> dict[RollupKind, Spec]:
    """The counted kinds of record, as registered (outreach/records.py)."""
    kinds = registered()
    if _built[0] is not kinds:
        _built[:] = [kinds, {
            RollupKind(declared.kind): Spec(RollupKind(declared.kind), model, declared)
            for declared, model in rollups()
        }]
    return _built[1]


def _spec_by_model(model) -> Spec | None:
    return next((spec for spec in specs().values() if spec.model is model), None)


def _spec_by_table(name) -> Spec | None:
    return next((spec for spec in specs().values() if spec.table.name == name), None)


def _sources_of(table_name) -> list[tuple[RollupKind, int, RollupSource]]:
    """The other tables the counted kinds read (a service's kind): (kind, index, source)."""
    return [(kind, index, source) for kind, spec in specs().items()
            for index, source in enumerate(spec.declared.sources)
            if source.model.__tablename__ == table_name]


@dataclass
class Pending:
    """What the transaction touched, recomputed at commit."""

    keys: set = field(default_factory=set)  # (kind, pair_id, day)
    ids: dict = field(default_factory=lambda: defaultdict(set))  # kind -> ids to look up
    pairs: dict = field(default_factory=lambda: defaultdict(set))  # kind -> whole pairs
    kinds: set = field(default_factory=set)  # kinds to recompute for every pair
    # (kind, source index) -> ids of rows of another table the kind reads (a service whose
    # kind changed)
    sources: dict = field(default_factory=lambda: defaultdict(set))

    def __bool__(self) -> bool:
        return bool(self.keys or any(self.ids.values()) or any(self.pairs.values())
                    or self.kinds or any(self.sources.values()))


def _pending(session: Session) -> Pending:
    pending = session.info.get(INFO_KEY)
    if pending is None:
        pending = session.info[INFO_KEY] = Pending()
    return pending


@contextmanager
def paused(session: Session | None = None):
    """Collect nothing inside (a bulk load that calls `rebuild()` afterwards)."""
    session = session if session is not None else db.session()
    before = session.info.get(PAUSE_KEY)
    session.info[PAUSE_KEY] = True
    try:
        yield
    finally:
        if before:
            session.info[PAUSE_KEY] = before
        else:
            session.info.pop(PAUSE_KEY, None)


def _day(spec: Spec, value) -> date | None:
    if value is None:
        return None
    return value if spec.is_date else local_day(value)


_MISSING = object()


def _value(obj, attribute: str, old: bool):
    """The attribute's value before (old) or after the change; _MISSING when not loaded."""
    history = sa.inspect(obj).attrs[attribute].history
    if not (history.added or history.deleted or history.unchanged):
        return _MISSING
    before, after = history.deleted or history.unchanged, history.added or history.unchanged
    values = before if old else after
    return values[0] if values else None


def _note_object(pending: Pending, spec: Spec, obj, *, new: bool, deleted: bool) -> None:
    state = sa.inspect(obj)
    if not new and not deleted and not any(
        state.attrs[name].history.has_changes() for name in spec.attributes
    ):
        return
    versions = (True,) if new else ((False,) if deleted else (False, True))
    for new_values in versions:
        pair_id = _value(obj, "pair_id", old=not new_values)
        moment = _value(obj, spec.moment, old=not new_values)
        if pair_id is _MISSING or moment is _MISSING:
            # Not loaded and not changed: the row's values, read at commit.
            if not deleted and obj.id is not None:
                pending.ids[spec.kind].add(obj.id)
            elif pair_id is not _MISSING and pair_id is not None:
                pending.pairs[spec.kind].add(pair_id)
            else:
                pending.kinds.add(spec.kind)
            continue
        day = _day(spec, moment)
        if pair_id is not None and day is not None:
            pending.keys.add((spec.kind, pair_id, day))


def _keep_old_value(_target, value, _old, _initiator):
    return value


_listening: set = set()


def _listen_to_history(_kinds) -> None:
    """The old pair and day must be known when they change, even on an expired object:
    these attributes load their old value before a new one is set (active history)."""
    for spec in specs().values():
        for name in ("pair_id", spec.moment):
            if (spec.model, name) in _listening:
                continue
            event.listen(getattr(spec.model, name), "set", _keep_old_value,
                         active_history=True, retval=True)
            _listening.add((spec.model, name))


on_register(_listen_to_history)


def _paused(session: Session) -> bool:
    return bool(session.info.get(PAUSE_KEY))


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context) -> None:
    if _paused(session):
        return
    pending = _pending(session)
    for obj in session.new:
        if spec := _spec_by_model(type(obj)):
            _note_object(pending, spec, obj, new=True, deleted=False)
    for obj in session.dirty:
        if spec := _spec_by_model(type(obj)):
            _note_object(pending, spec, obj, new=False, deleted=False)
            continue
        for kind, index, source in _sources_of(getattr(obj, "__tablename__", None)):
            if sa.inspect(obj).attrs[source.attribute].history.has_changes():
                pending.sources[(kind, index)].add(obj.id)
    for obj in session.deleted:
        if spec := _spec_by_model(type(obj)):
            _note_object(pending, spec, obj, new=False, deleted=True)
    if not pending:
        session.info.pop(INFO_KEY, None)


def _statement_columns(statement) -> set[str] | None:
    """The names of the columns an UPDATE sets; None when they cannot be told."""
    values = getattr(statement, "_values", None) or {}
    ordered = getattr(statement, "_ordered_values", None) or ()
    names = set()
    for key in [*values.keys(), *(k for k, _v in ordered)]:
        name = key if isinstance(key, str) else getattr(key, "key", None)
        if name is None:
            return None
        names.add(name)
    return names or None


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    """ORM bulk UPDATE, DELETE and INSERT on the records bypass the flush: note their keys."""
    session = state.session
    if _paused(session) or not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    spec = _spec_by_table(getattr(table, "name", None))
    if spec is None:
        if state.is_update:
            columns = _statement_columns(state.statement)
            for kind, _index, source in _sources_of(getattr(table, "name", None)):
                if columns is None or source.attribute in columns:
                    _pending(session).kinds.add(kind)
        return
    pending = _pending(session)
    if state.is_insert:
        _note_inserted(pending, spec, state.parameters)
        return
    if state.is_update:
        columns = _statement_columns(state.statement)
        if columns is not None and not columns & set(spec.attributes):
            return
    where = state.statement.whereclause
    query = sa.select(spec.model.id, spec.model.pair_id, spec.moment_column())
    if where is not None:
        query = query.where(where)
    rows = session.execute(query.execution_options(autoflush=False)).all()
    for record_id, pair_id, moment in rows:
        day = _day(spec, moment)
        if day is not None:
            pending.keys.add((spec.kind, pair_id, day))
        if state.is_update:
            pending.ids[spec.kind].add(record_id)


def _note_inserted(pending: Pending, spec: Spec, parameters) -> None:
    if isinstance(parameters, dict):
        parameters = [parameters]
    if not parameters:
        pending.kinds.add(spec.kind)
        return
    keys = set()
    for row in parameters:
        pair_id, moment = row.get("pair_id"), row.get(spec.moment)
        if pair_id is None:
            pending.kinds.add(spec.kind)
            return
        if moment is None and spec.declared.counted is None:
            pending.pairs[spec.kind].add(pair_id)  # a default moment: recompute the pair
            continue
        if (day := _day(spec, moment)) is not None:
            keys.add((spec.kind, pair_id, day))
    if len(keys) > MANY_KEYS:
        pending.pairs[spec.kind].update(pair_id for _kind, pair_id, _day in keys)
    else:
        pending.keys.update(keys)


@event.listens_for(Session, "before_commit")
def _apply_before_commit(session: Session) -> None:
    if _paused(session):
        return
    if session.new or session.dirty or session.deleted:
        session.flush()
    pending = session.info.pop(INFO_KEY, None)
    if pending and table_exists(session):
        _apply(session, pending)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(INFO_KEY, None)


_TABLE_SEEN: set = set()


def _has_table(session: Session, name: str) -> bool:
    """Whether the database has this table; once seen, remembered (no query again)."""
    key = (str(session.get_bind().url), name)
    if key in _TABLE_SEEN:
        return True
    if sa.inspect(session.connection()).has_table(name):
        _TABLE_SEEN.add(key)
        return True
    if has_app_context():
        current_app.logger.warning("No %s table: run the migrations, then "
                                   "`outreach rollup rebuild`.", name)
    return False


def table_exists(session: Session) -> bool:
    """A database not migrated yet has no rollup table: the records save as before (a
    warning is logged) and `outreach rollup rebuild` fills it later."""
    return _has_table(session, WorkRollup.__tablename__)


def levels(session: Session | None = None) -> tuple["Level", ...]:
    """The coarser rollups this database has, finest first (`LEVELS`, up to the first one
    missing): a database migrated before one was added reads the finer ones only, until
    migrated and rebuilt."""
    session = session if session is not None else db.session()
    present = []
    for level in LEVELS:
        if not _has_table(session, level.model.__tablename__):
            break
        present.append(level)
    return tuple(present)


# --- Recomputing -------------------------------------------------------------------------


def _apply(session: Session, pending: Pending) -> None:
    keys = set(pending.keys)
    for kind, ids in pending.ids.items():
        if not ids:
            continue
        spec = specs()[kind]
        for chunk in _chunks(sorted(ids), 500):
            rows = session.execute(
                sa.select(spec.model.pair_id, spec.moment_column())
                .where(spec.model.id.in_(chunk))
                .execution_options(autoflush=False)
            )
            for pair_id, moment in rows:
                if (day := _day(spec, moment)) is not None:
                    keys.add((kind, pair_id, day))
    pairs = {kind: set(ids) for kind, ids in pending.pairs.items() if ids}
    for (kind, index), ids in pending.sources.items():
        if ids:
            source = specs()[kind].declared.sources[index]
            affected = session.scalars(source.pairs(sorted(ids)))
            pairs.setdefault(kind, set()).update(affected)
    if pending.kinds:
        _lock_pairs(session, None)
    else:
        _lock_pairs(session, {pair_id for _kind, pair_id, _day in keys}
                    | {pair_id for ids in pairs.values() for pair_id in ids})
    for kind in pending.kinds:
        _recompute_pairs(session, specs()[kind], None)
    for kind, pair_ids in pairs.items():
        if kind not in pending.kinds:
            _recompute_pairs(session, specs()[kind], pair_ids)
    by_kind: dict = defaultdict(set)
    for kind, pair_id, day in keys:
        if kind in pending.kinds or pair_id in pairs.get(kind, ()):
            continue
        by_kind[kind].add((pair_id, day))
    for kind, kind_keys in by_kind.items():
        for chunk in _chunks(sorted(kind_keys), CHUNK):
            _recompute_keys(session, specs()[kind], chunk)
    for level in levels(session) if by_kind else ():
        for kind, kind_keys in by_kind.items():
            starts = sorted({(pair_id, level.start(day)) for pair_id, day in kind_keys})
            for chunk in _chunks(starts, CHUNK):
                _recompute_level_keys(session, level, kind, chunk)


# pg_advisory_xact_lock's first key: "rollup" (any constant of our own will do).
LOCK_CLASS = 0x726F6C6C


def _lock_pairs(session: Session, pair_ids: set | None) -> None:
    """On PostgreSQL, one transaction at a time recomputes a pair's rollup rows.

    Two app servers writing for the same pair and day would otherwise both delete the
    (old) rows and both insert their recount: the second INSERT breaks the unique key (a
    500), or, where no row existed, one transaction's count is lost. Under the lock, held
    to commit, the next transaction's DELETE and INSERT ... SELECT run after the first has
    committed and (READ COMMITTED: a fresh snapshot per statement) count its records too.
    Pairs are locked in ascending order, after the records are written, so two
    transactions never wait on each other in a circle; a whole-table recompute takes the
    class lock exclusively, every pair lock takes it shared. SQLite needs none of this:
    by the time the rollup is recomputed the transaction holds the database's one write
    lock."""
    if session.get_bind().dialect.name != "postgresql":
        return
    if pair_ids is None:
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_CLASS, 0)))
        return
    if not pair_ids:
        return
    # One statement; PostgreSQL evaluates the select list left to right.
    session.execute(sa.select(
        sa.func.pg_advisory_xact_lock_shared(LOCK_CLASS, 0),
        *(sa.func.pg_advisory_xact_lock(LOCK_CLASS, pair_id) for pair_id in sorted(pair_ids)),
    ))


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _day_ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days merged: [(first, last), ...]."""
    ranges: list[list[date]] = []
    for day in sorted(set(days)):
        if ranges and ranges[-1][1] + timedelta(days=1) == day:
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(first, last) for first, last in ranges]


def _insert(session: Session, spec: Spec, where, first: date, last: date) -> None:
    """INSERT INTO work_rollup SELECT ... GROUP BY over the records matching `where`."""
    moment = spec.moment_column()
    day_expr = moment if spec.is_date else local_day_expr(moment, first, last)
    rows = spec.source(sa.select(*spec.columns(day_expr))).where(spec.counted(), where)
    rows = rows.subquery("records")
    grouped = (
        sa.select(
            rows.c.pair_id, rows.c.day, rows.c.role, sa.literal(spec.kind.value),
            rows.c.detail, rows.c.outcome, sa.func.count(),
            sa.func.coalesce(sa.func.sum(rows.c.minutes), 0),
            sa.func.coalesce(sa.func.sum(rows.c.people), 0),
        )
        .group_by(rows.c.pair_id, rows.c.day, rows.c.role, rows.c.detail, rows.c.outcome)
    )
    table = WorkRollup.__table__
    session.execute(
        sa.insert(table).from_select(
            ["pair_id", "day", "role", "kind", "detail", "outcome", "count", "minutes",
             "people"],
            grouped,
        ).execution_options(autoflush=False)
    )


def _moment_in(spec: Spec, first: date, last: date):
    moment = spec.moment_column()
    if spec.is_date:
        return moment.between(first, last)
    return sa.and_(moment >= day_start_utc(first),
                   moment < day_start_utc(last + timedelta(days=1)))


def _recompute_keys(session: Session, spec: Spec, keys: list[tuple[int, date]]) -> None:
    """Delete and recompute the rollup rows of these (pair, day) keys of one kind."""
    table = WorkRollup.__table__
    session.execute(
        sa.delete(table).where(
            table.c.kind == spec.kind.value,
            sa.or_(*(sa.and_(table.c.pair_id == pair_id, table.c.day == day)
                     for pair_id, day in keys)),
        ).execution_options(autoflush=False)
    )
    days_by_pair: dict[int, list[date]] = defaultdict(list)
    for pair_id, day in keys:
        days_by_pair[pair_id].append(day)
    where = sa.or_(*(
        sa.and_(spec.model.pair_id == pair_id,
                sa.or_(*(_moment_in(spec, first, last) for first, last in _day_ranges(days))))
        for pair_id, days in days_by_pair.items()
    ))
    all_days = [day for _pair, day in keys]
    _insert(session, spec, where, min(all_days), max(all_days))


def _moment_span(session: Session, spec: Spec, pair_ids) -> tuple[date, date] | None:
    moment = spec.moment_column()
    query = sa.select(sa.func.min(moment), sa.func.max(moment)).where(spec.counted())
    if pair_ids is not None:
        query = query.where(spec.model.pair_id.in_(sorted(pair_ids)))
    first, last = session.execute(query.execution_options(autoflush=False)).one()
    if first is None:
        return None
    if isinstance(first, str):  # SQLite hands back text for an aggregate
        first, last = (datetime.fromisoformat(value) for value in (first, last))
    return _day(spec, first), _day(spec, last)


def _recompute_pairs(session: Session, spec: Spec, pair_ids) -> None:
    """Delete and recompute one kind's rollup rows for these pairs (None: every pair), the
    daily ones from the records, then each coarser level from the one before it (months,
    years, the years' totals: `LEVELS`)."""
    table = WorkRollup.__table__
    delete = sa.delete(table).where(table.c.kind == spec.kind.value)
    if pair_ids is not None:
        delete = delete.where(table.c.pair_id.in_(sorted(pair_ids)))
    session.execute(delete.execution_options(autoflush=False))
    span = _moment_span(session, spec, pair_ids)
    if span is not None:
        where = sa.true() if pair_ids is None else spec.model.pair_id.in_(sorted(pair_ids))
        _insert(session, spec, where, *span)
    for level in levels(session):
        _recompute_level_pairs(session, level, spec.kind, pair_ids)


# --- Months from the days, years from the months --------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def year_start(day: date) -> date:
    return date(day.year, 1, 1)


def next_year(year: date) -> date:
    return date(year.year + 1, 1, 1)


def _truncated(unit: str):
    """SQL for the first day of the month or year of a date column."""

    def expr(day_column):
        if session_dialect() == "postgresql":
            return sa.cast(sa.func.date_trunc(unit, day_column), sa.Date)
        return sa.func.date(day_column, f"start of {unit}")

    return expr


month_expr = _truncated("month")


def session_dialect() -> str:
    return db.session.get_bind().dialect.name


@dataclass(frozen=True)
class Level:
    """A coarser rollup: the rows of the finer one (`source`) summed per period, the period
    named by its first day (`column`). `start(day)` is the first day of a day's period,
    `following(first)` the first day of the next period. `detailed`: False for totals
    summed over the channels, service kinds and outcomes too (those columns left "")."""

    model: type
    column: str
    source: type
    source_column: str
    start: Callable[[date], date]
    following: Callable[[date], date]
    truncate: Callable
    detailed: bool = True

    def summed_columns(self) -> list[str]:
        return ["pair_id", self.column, "role", "kind", "detail", "outcome", "count",
                "minutes", "people"]


LEVELS = (
    Level(WorkRollupMonth, "month", WorkRollup, "day", month_start, next_month, month_expr),
    Level(WorkRollupYear, "year", WorkRollupMonth, "month", year_start, next_year,
          _truncated("year")),
    Level(WorkRollupYearTotal, "year", WorkRollupYear, "year", year_start, next_year,
          lambda year_column: year_column, detailed=False),
)


def _insert_level(session: Session, level: Level, where) -> None:
    """INSERT INTO the level's table SELECT ... GROUP BY period over the finer rows matching
    `where`."""
    source = level.source.__table__
    first_day = level.truncate(source.c[level.source_column])
    keys = [source.c.pair_id, first_day, source.c.role, source.c.kind]
    details = [source.c.detail, source.c.outcome] if level.detailed \
        else [sa.literal(""), sa.literal("")]
    grouped = (
        sa.select(*keys, *details, sa.func.sum(source.c.count),
                  sa.func.sum(source.c.minutes), sa.func.sum(source.c.people))
        .where(where)
        .group_by(*keys, *(details if level.detailed else ()))
    )
    session.execute(
        sa.insert(level.model.__table__).from_select(level.summed_columns(), grouped)
        .execution_options(autoflush=False)
    )


def _recompute_level_keys(session: Session, level: Level, kind: RollupKind,
                          keys: list[tuple[int, date]]) -> None:
    """Delete and recompute the level's rows of these (pair, first day) keys of one kind."""
    table, source = level.model.__table__, level.source.__table__
    session.execute(
        sa.delete(table).where(
            table.c.kind == kind.value,
            sa.or_(*(sa.and_(table.c.pair_id == pair_id, table.c[level.column] == first)
                     for pair_id, first in keys)),
        ).execution_options(autoflush=False)
    )
    finer = source.c[level.source_column]
    _insert_level(session, level, sa.and_(
        source.c.kind == kind.value,
        sa.or_(*(sa.and_(source.c.pair_id == pair_id, finer >= first,
                         finer < level.following(first))
                 for pair_id, first in keys)),
    ))


def _recompute_level_pairs(session: Session, level: Level, kind: RollupKind,
                           pair_ids) -> None:
    """Delete and recompute one kind's rows of the level for these pairs (None: every
    pair)."""
    table, source = level.model.__table__, level.source.__table__
    delete = sa.delete(table).where(table.c.kind == kind.value)
    where = source.c.kind == kind.value
    if pair_ids is not None:
        delete = delete.where(table.c.pair_id.in_(sorted(pair_ids)))
        where = sa.and_(where, source.c.pair_id.in_(sorted(pair_ids)))
    session.execute(delete.execution_options(autoflush=False))
    _insert_level(session, level, where)


def rebuild(pair_ids=None) -> None:
    """Recompute the rollup from the records, for every pair or the given ones, in the
    caller's transaction (committed here). Used after bulk loads."""
    session = db.session()
    session.flush()
    pair_ids = None if pair_ids is None else set(pair_ids)
    with paused(session):
        _lock_pairs(session, pair_ids)
        for spec in specs().values():
            _recompute_pairs(session, spec, pair_ids)
        session.info.pop(INFO_KEY, None)
        session.commit()


def rollup_rows(pair_ids=None) -> list[tuple]:
    """The rollup's rows as sorted tuples (for comparing with a rebuild in tests and
    checks): (pair_id, day, role, kind, detail, outcome, count, minutes, people)."""
    table = WorkRollup.__table__
    query = sa.select(table.c.pair_id, table.c.day, table.c.role, table.c.kind,
                      table.c.detail, table.c.outcome, table.c.count, table.c.minutes,
                      table.c.people)
    if pair_ids is not None:
        query = query.where(table.c.pair_id.in_(list(pair_ids)))
    return sorted(tuple(row) for row in db.session.execute(query))


def level_rows(level: Level, pair_ids=None) -> list[tuple]:
    """A coarser rollup's rows as sorted tuples: (pair_id, first day, role, kind, detail,
    outcome, count, minutes, people)."""
    table = level.model.__table__
    query = sa.select(*(table.c[name] for name in level.summed_columns()))
    if pair_ids is not None:
        query = query.where(table.c.pair_id.in_(list(pair_ids)))
    return sorted(tuple(row) for row in db.session.execute(query))


def month_rows(pair_ids=None) -> list[tuple]:
    return level_rows(LEVELS[0], pair_ids)


def year_rows(pair_ids=None) -> list[tuple]:
    return level_rows(LEVELS[1], pair_ids)


def year_total_rows(pair_ids=None) -> list[tuple]:
    return level_rows(LEVELS[2], pair_ids)


def summed_daily_rows(start: Callable[[date], date], pair_ids=None,
                      detailed: bool = True) -> list[tuple]:
    """The daily rows summed per period in Python (for tests and checks): what a coarser
    rollup must hold. `start`: month_start or year_start; `detailed`: False sums over the
    details and outcomes too."""
    summed: dict = defaultdict(lambda: [0, 0, 0])
    for pair_id, day, role, kind, detail, outcome, count, minutes, people in \
            rollup_rows(pair_ids):
        if not detailed:
            detail = outcome = ""
        total = summed[(pair_id, start(day), role, kind, detail, outcome)]
        total[0] += count
        total[1] += minutes
        total[2] += people
    return sorted((*key, *values) for key, values in summed.items())


def months_of_daily_rows(pair_ids=None) -> list[tuple]:
    return summed_daily_rows(month_start, pair_ids)


def years_of_daily_rows(pair_ids=None) -> list[tuple]:
    return summed_daily_rows(year_start, pair_ids)


def year_totals_of_daily_rows(pair_ids=None) -> list[tuple]:
    return summed_daily_rows(year_start, pair_ids, detailed=False)
