"""Append-only in the database itself: triggers that refuse UPDATE and DELETE on access_log.

Called from the migration (not from the test schema: tests clear tables with DELETE).
On PostgreSQL the migration may also `REVOKE UPDATE, DELETE ON access_log FROM <app role>`
when the app runs as a role other than the table's owner."""

import sqlalchemy as sa

MESSAGE = "access_log is append-only"

POSTGRESQL_CREATE = (
    f"""
    CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER access_log_append_only
    BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only()
    """,
    # TRUNCATE bypasses row triggers: refuse it too.
    """
    CREATE TRIGGER access_log_no_truncate
    BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()
    """,
)
POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS access_log_no_truncate ON access_log",
    "DROP TRIGGER IF EXISTS access_log_append_only ON access_log",
    "DROP FUNCTION IF EXISTS access_log_append_only()",
)

SQLITE_CREATE = (
    f"""
    CREATE TRIGGER IF NOT EXISTS access_log_no_update
    BEFORE UPDATE ON access_log
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS access_log_no_delete
    BEFORE DELETE ON access_log
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}');
    END
    """,
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS access_log_no_update",
    "DROP TRIGGER IF EXISTS access_log_no_delete",
)


def _statements(connection, postgresql, sqlite) -> tuple[str, ...]:
    name = connection.dialect.name
    if name == "postgresql":
        return postgresql
    if name == "sqlite":
        return sqlite
    raise NotImplementedError(f"no append-only triggers for {name}")


def create_append_only_triggers(connection) -> None:
    """`connection`: a SQLAlchemy Connection (in a migration: `op.get_bind()`)."""
    for statement in _statements(connection, POSTGRESQL_CREATE, SQLITE_CREATE):
        connection.execute(sa.text(statement))


def drop_append_only_triggers(connection) -> None:
    for statement in _statements(connection, POSTGRESQL_DROP, SQLITE_DROP):
        connection.execute(sa.text(statement))
