"""The test database between tests: which tables a test wrote, clearing them afterwards,
and snapshots of the worlds the tests build (tests/world.py), replayed instead of rebuilt.

Building the world through the models (nine people, five pairs, their agreements, three
clients and consents, the rollup rows their commits make) costs ~0.1 s of CPU a test, a
third of a typical test. Its rows are the same every time, so the first build of each kind
of world is read back table by table and later tests insert those rows directly (one
statement a table), then load the world's objects by their ids.
"""

import dataclasses
import re
from collections.abc import Callable
from datetime import datetime
from functools import cache, wraps

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql

from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db

# Tables that got rows, per database URL: seen in every INSERT any engine in this process
# runs (ORM, Core, bulk and raw SQL alike), so a test's rows can be deleted afterwards
# from those tables only. Deleting from a handful of tables is much cheaper than clearing
# all of them (TRUNCATE of every table costs ~0.1 s a test on PostgreSQL).
_WRITTEN: dict[str, set[str]] = {}
_INSERT = re.compile(r'\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+"?(\w+)"?', re.IGNORECASE)


@sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
def _note_insert(conn, _cursor, statement, *_args):
    match = _INSERT.search(statement)
    if match:
        _WRITTEN.setdefault(conn.engine.url.render_as_string(), set()).add(match.group(1))


def _url(engine: sa.Engine) -> str:
    return engine.url.render_as_string()


_SEQUENCES: dict[str, dict[str, str]] = {}


def _sequences(conn) -> dict[str, str]:
    """PostgreSQL: the id sequence of each table, restarted with the table as TRUNCATE
    ... RESTART IDENTITY did (tests may rely on the first row getting id 1)."""
    url = _url(conn.engine)
    if url not in _SEQUENCES:
        rows = conn.execute(sa.text(
            "SELECT t.relname, s.relname FROM pg_class s "
            "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
            "JOIN pg_class t ON t.oid = d.refobjid "
            "WHERE s.relkind = 'S' AND t.relnamespace = 'public'::regnamespace"))
        _SEQUENCES[url] = dict(rows.all())
    return _SEQUENCES[url]


def clear_database() -> None:
    """Every table of the app's database emptied (the tests that build their own app)."""
    tables = _tables_last_first()
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()
    _WRITTEN.pop(_url(db.engine), None)


def clear_written(engine: sa.Engine) -> None:
    """Delete every row from the tables that got rows since the last clearing."""
    written = _WRITTEN.pop(_url(engine), set())
    tables = [t for t in _tables_last_first() if t.name in written]
    if not tables:
        return
    if _without_key_checks(engine):
        _delete_unchecked(engine, tables)
        return
    try:
        _delete(engine, tables)
    except sa.exc.IntegrityError:
        # A subprocess (a CLI run, a served app) wrote rows this process did not see that
        # still refer to them: clear every table instead.
        _delete(engine, _tables_last_first())


@cache
def _tables_last_first() -> list[sa.Table]:
    # MetaData.sorted_tables sorts the 50-odd tables again at every reading (~1 ms).
    return list(reversed(db.metadata.sorted_tables))


def _delete(engine: sa.Engine, tables: list[sa.Table]) -> None:
    with engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        if engine.dialect.name == "postgresql":
            _restart_sequences(conn, tables)


def _restart_sequences(conn, tables: list[sa.Table]) -> None:
    sequences = _sequences(conn)
    restarts = [f"setval('\"{sequences[t.name]}\"', 1, false)"
                for t in tables if t.name in sequences]
    if restarts:
        conn.execute(sa.text("SELECT " + ", ".join(restarts)))


# PostgreSQL, as a superuser (the throwaway cluster of `make test`): the rows a test leaves
# are cleared with the foreign keys' triggers off (session_replication_role = replica).
# The keys are checked on the app's own writes; checking them again on rows that are all
# going cost ~10 ms a test. Rows that another process wrote to tables this one never saw
# written are found by looking (below), not by a key error.
_UNCHECKED: dict[str, bool] = {}


def _without_key_checks(engine: sa.Engine) -> bool:
    url = _url(engine)
    if url not in _UNCHECKED:
        _UNCHECKED[url] = False
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                _UNCHECKED[url] = bool(conn.exec_driver_sql(
                    "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar())
    return _UNCHECKED[url]


_POSTGRESQL = postgresql.dialect()


def _deletes(tables: list[sa.Table]) -> str:
    """Every DELETE in one text: psycopg sends statements without parameters together."""
    return "; ".join(str(table.delete().compile(dialect=_POSTGRESQL)) for table in tables)


@cache
def _clearing(written: frozenset[str]) -> tuple[str, list[sa.Table], str | None]:
    """For a set of tables written: their DELETEs, the other tables, and one statement that
    names those of them that have rows. Made once per set (a handful in a run): building
    the check's 40-odd EXISTS on every test cost more than running it."""
    tables = [table for table in _tables_last_first() if table.name in written]
    others = [table for table in _tables_last_first() if table.name not in written]
    check = None
    if others:
        check = str(sa.union_all(*(
            sa.select(sa.literal(table.name, sa.String))
            .where(sa.exists(sa.select(1).select_from(table)))
            for table in others)).compile(dialect=_POSTGRESQL,
                                          compile_kwargs={"literal_binds": True}))
    return _deletes(tables), others, check


def _delete_unchecked(engine: sa.Engine, tables: list[sa.Table]) -> None:
    deletes, others, check = _clearing(frozenset(table.name for table in tables))
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.exec_driver_sql(deletes)
        # What every test starts from is an empty database: a table that still has rows
        # was written by another process (a CLI run, a served app).
        left = conn.exec_driver_sql(check).scalars().all() if check else []
        leftovers = [table for table in others if table.name in left]
        if leftovers:
            conn.exec_driver_sql(_deletes(leftovers))
        _restart_sequences(conn, tables + leftovers)


# --- snapshots of the worlds ------------------------------------------------------------------


def _is_datetime(column: sa.Column) -> bool:
    try:
        return column.type.python_type is datetime
    except NotImplementedError:
        return False


@dataclasses.dataclass
class _Snapshot:
    # In the order the foreign keys allow: each table, its rows, its date-time columns.
    rows: list[tuple[sa.Table, list[dict], list[str]]]
    world_class: type
    objects: dict[str, tuple[type, tuple] | None]  # the world's fields: model and id
    built_at: datetime  # the clock when the build was done

    @classmethod
    def take(cls, world, written: set[str]) -> "_Snapshot":
        db.session.commit()
        built_at = utcnow()
        rows = []
        for table in db.metadata.sorted_tables:
            if table.name in written:
                found = [dict(row._mapping) for row in db.session.execute(table.select())]
                if found:
                    rows.append((table, found, [c.name for c in table.columns
                                                if _is_datetime(c)]))
        objects = {}
        for field in dataclasses.fields(world):
            value = getattr(world, field.name)
            objects[field.name] = (
                None if value is None else (type(value), sa.inspect(value).identity))
        return cls(rows, type(world), objects, built_at)

    def restore(self):
        # Its times move with the clock, the build's end to now: a world made "just now"
        # is made just now again, never later than now (a test's "after" must come after
        # the world's "before"; TYOPARI_NOW restarts the clock at one moment every test).
        shift = utcnow() - self.built_at
        engine = db.engine
        with engine.begin() as conn:
            for table, rows, times in self.rows:
                if times and shift:
                    rows = [{**row, **{name: row[name] + shift for name in times
                                       if row[name] is not None}} for row in rows]
                conn.execute(table.insert(), rows)
            if engine.dialect.name == "postgresql":
                # The rows came with their ids: the sequences go on after them.
                sequences = _sequences(conn)
                moves = [f"setval('\"{sequences[t.name]}\"', {max(row['id'] for row in rows)})"
                         for t, rows, _times in self.rows if t.name in sequences]
                if moves:
                    conn.execute(sa.text("SELECT " + ", ".join(moves)))
        return self.world_class(**{
            name: None if where is None else db.session.get(where[0], where[1])
            for name, where in self.objects.items()})


_SNAPSHOTS: dict[tuple, _Snapshot] = {}


def snapshotted(build: Callable) -> Callable:
    """`build(**options)` made once per database, app, options and day (its dates come
    from the clock; its times are moved with the clock when replayed), replayed
    after that. Built as asked when the database already has rows (a fixture wrote some
    first), as the replay gives rows the ids of the first build."""

    @wraps(build)
    def make(**options):
        engine = db.engine
        url = _url(engine)
        # The app too: defaults may come from its configuration (NO_CONTACT_DAYS).
        key = (build.__name__, url, id(current_app._get_current_object()),
               tuple(sorted(options.items())), local_today())
        if _WRITTEN.get(url):
            return build(**options)
        snapshot = _SNAPSHOTS.get(key)
        if snapshot is None:
            world = build(**options)
            _SNAPSHOTS[key] = _Snapshot.take(world, set(_WRITTEN.get(url, ())))
            return world
        try:
            return snapshot.restore()
        except sa.exc.IntegrityError:
            # Rows this process did not see (a subprocess wrote them): clear and build.
            _delete(engine, _tables_last_first())
            return build(**options)

    return make
