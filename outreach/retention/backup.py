"""`outreach backup PATH` and `outreach restore PATH`.

A backup is consistent while the app runs: on SQLite the online backup API copies the
database as one snapshot (a writer's uncommitted transaction is not in it, and writers are
not stopped); on PostgreSQL pg_dump reads everything in one snapshot too. A restore goes
into an empty database only, so nothing is ever overwritten.

The backup holds every woman's data: it is created readable by its owner only. The
PostgreSQL password is handed to pg_dump and pg_restore in their environment (PGPASSWORD),
never on the command line and never printed."""

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""


def backup(url: sa.URL, path: Path) -> None:
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already; choose a new file name.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    if _dialect(url) == "sqlite":
        _sqlite_backup(_sqlite_file(url), path)
    else:
        _pg_backup(url, path)


def restore(url: sa.URL, path: Path) -> None:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if _dialect(url) == "sqlite":
        if not header.startswith(SQLITE_HEADER):
            raise BackupError(f"{path} is not an SQLite backup; the database is SQLite.")
        target = _sqlite_file(url)
        if not sqlite_is_empty(target):
            raise BackupError(
                f"The database {target} is not empty: a backup is restored into an empty "
                "database only. Point DATABASE_URL at a new database and try again."
            )
        _sqlite_restore(path, target)
    else:
        if not header.startswith(PG_DUMP_HEADER):
            raise BackupError(
                f"{path} is not a PostgreSQL backup (pg_dump --format=custom); the database "
                "is PostgreSQL."
            )
        if not pg_is_empty(url):
            raise BackupError(
                f"The database {url.database} is not empty: a backup is restored into an "
                "empty database only. Create a new database, point DATABASE_URL at it and "
                "try again."
            )
        _pg_restore(url, path)


def describe(url: sa.URL) -> str:
    """The database, for messages: never with the password."""
    if _dialect(url) == "sqlite":
        return str(_sqlite_file(url))
    return url.render_as_string(hide_password=True)


def _dialect(url: sa.URL) -> str:
    name = url.get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups of {name} databases are not supported.")
    return name


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_file(url: sa.URL) -> Path:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("Only an SQLite database in a file can be backed up or restored.")
    return Path(database)


def _private_file(path: Path) -> None:
    """Create the file empty and readable by its owner only, before anything is written."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise BackupError(f"{path} exists already; choose a new file name.") from None


def _sqlite_backup(source: Path, path: Path) -> None:
    if not source.is_file():
        raise BackupError(f"There is no database at {source}.")
    partial = path.with_name(path.name + ".partial")
    _private_file(partial)
    try:
        src = sqlite3.connect(source, timeout=30)
        dst = sqlite3.connect(partial)
        try:
            # One step (pages=-1): the whole database from one read snapshot.
            src.backup(dst)
            # A single self-contained file, whatever journal mode the live database uses.
            dst.execute("PRAGMA journal_mode=DELETE")
            _sqlite_check(dst, partial)
        finally:
            dst.close()
            src.close()
        os.replace(partial, path)
    except sqlite3.Error as exc:
        raise BackupError(f"The backup failed: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_check(conn: sqlite3.Connection, path: Path) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{path} failed the integrity check: {result}")


def sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=30)
    try:
        count = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
    finally:
        conn.close()
    return count == 0


def _sqlite_restore(path: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        _sqlite_check(src, path)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            _sqlite_check(dst, target)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"The restore failed: {exc}") from exc
    finally:
        src.close()


# --- PostgreSQL ---------------------------------------------------------------------------


def find_pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> tuple[int, ...]:
        match = re.search(r"/postgresql/([\d.]+)/bin/", path)
        return tuple(int(part) for part in match[1].split(".")) if match else (0,)

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version)
    if candidates:
        return candidates[-1]
    raise BackupError(f"{name} was not found on PATH or in /usr/lib/postgresql/*/bin.")


def libpq_arguments(url: sa.URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and an environment that holds it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    # (URL.set(password=None) would keep the password: None there means "unchanged".)
    bare = sa.engine.URL.create(
        "postgresql", username=url.username, host=url.host, port=url.port,
        database=url.database, query=url.query,
    )
    uri = bare.render_as_string(hide_password=False)
    return uri, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - fixed tool, arguments as a list
            command, env=env, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise BackupError(f"{what} failed: {exc}") from exc
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")


def _pg_backup(url: sa.URL, path: Path) -> None:
    uri, env = libpq_arguments(url)
    partial = path.with_name(path.name + ".partial")
    _private_file(partial)
    try:
        _run([find_pg_tool("pg_dump"), "--format=custom", "--file", str(partial),
              "--dbname", uri], env, "pg_dump")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def pg_is_empty(url: sa.URL) -> bool:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            count = conn.execute(sa.text(
                "SELECT count(*) FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "AND n.nspname NOT LIKE 'pg_toast%' "
                "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
            )).scalar_one()
    except sa.exc.SQLAlchemyError as exc:
        raise BackupError(f"Cannot open the database: {exc.orig or exc}") from exc
    finally:
        engine.dispose()
    return count == 0


def _pg_restore(url: sa.URL, path: Path) -> None:
    uri, env = libpq_arguments(url)
    # One transaction: a restore that fails half-way leaves the database empty again.
    _run([find_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
          "--dbname", uri, str(path)], env, "pg_restore")
