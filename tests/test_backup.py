"""`outreach backup` and `outreach restore`: the demo data backed up from a running
database, restored into an empty one and compared table by table, row by row; on SQLite and
on PostgreSQL (TEST_DATABASE_URL)."""

import pytest
import sqlalchemy as sa
from flask.cli import ScriptInfo

from outreach import demo
from outreach.audit.models import AccessLog
from outreach.audit.schema import create_append_only_triggers, drop_append_only_triggers
from outreach.cli import main
from outreach.extensions import db
from outreach.retention.backup import libpq_arguments
from outreach.services.models import Service, ServiceKind


def run_on(app, *args):
    """Run a command on this app: in its own app context, as the `app` fixture keeps one of
    the source database's open for the whole test."""
    with app.app_context():
        return app.test_cli_runner().invoke(
            main, list(args), obj=ScriptInfo(create_app=lambda: app))


def every_row(engine) -> dict[str, list[tuple]]:
    """Every table of the schema, its rows sorted by primary key."""
    rows = {}
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            query = sa.select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in conn.execute(query)]
    return rows


def table_names(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def trigger_names(engine) -> set[str]:
    query = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
        "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
    }[engine.dialect.name]
    with engine.connect() as conn:
        return set(conn.scalars(sa.text(query)))


@pytest.fixture
def append_only_log(app):
    """The access log's append-only triggers, as the migration creates them (the test
    schema has none); dropped afterwards, so that the test database can be cleared."""
    with db.engine.begin() as conn:
        create_append_only_triggers(conn)
    yield
    with db.engine.begin() as conn:
        drop_append_only_triggers(conn)


def test_demo_data_round_trips_row_for_row(app, cli_app, empty_database_url, tmp_path,
                                          append_only_log):
    assert demo.load() is True
    path = tmp_path / "tyopari.backup"
    result = run_on(app, "backup", str(path))
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 0
    assert path.stat().st_mode & 0o077 == 0  # her data: readable by its owner only

    restored = run_on(cli_app, "restore", str(path))
    assert restored.exit_code == 0, restored.output
    target = sa.create_engine(empty_database_url)
    try:
        assert table_names(target) == table_names(db.engine)
        before, after = every_row(db.engine), every_row(target)
        assert set(after) == set(before)
        for name in before:
            assert after[name] == before[name], name
        assert before["client"] and before["contact"] and before["user_account"]
        # The schema's own rules come along: the access log stays append-only.
        assert trigger_names(target) == trigger_names(db.engine) != set()
        with target.begin() as conn:
            conn.execute(sa.insert(AccessLog).values(part="record", action="read"))
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), target.begin() as conn:
            conn.execute(sa.delete(AccessLog))
    finally:
        target.dispose()

    # The restored database is in use at once: new rows get new ids after the old ones.
    with cli_app.app_context():
        newest = db.session.scalar(sa.select(sa.func.max(Service.id)))
        service = Service(kind=ServiceKind.OTHER, name_fi="Uusi palvelu")
        db.session.add(service)
        db.session.commit()
        assert service.id > newest
        db.session.remove()


def test_a_backup_during_an_open_write_is_consistent(app, cli_app, empty_database_url,
                                                   tmp_path):
    demo.load()
    committed = db.session.scalar(sa.select(sa.func.count(Service.id)))
    path = tmp_path / "during-a-write.backup"
    with db.engine.connect() as writer:
        writer.begin()
        writer.execute(sa.insert(Service).values(kind="other", name_fi="Kesken oleva"))
        result = run_on(app, "backup", str(path))
        assert result.exit_code == 0, result.output
        writer.commit()
    assert run_on(cli_app, "restore", str(path)).exit_code == 0
    target = sa.create_engine(empty_database_url)
    try:
        with target.connect() as conn:
            names = list(conn.scalars(sa.select(Service.name_fi)))
    finally:
        target.dispose()
    # Everything committed before, and nothing of the transaction still open.
    assert len(names) == committed
    assert "Kesken oleva" not in names


def test_restore_refuses_a_database_that_is_not_empty(app, tmp_path):
    demo.load()
    path = tmp_path / "copy.backup"
    assert run_on(app, "backup", str(path)).exit_code == 0
    services = db.session.scalar(sa.select(sa.func.count(Service.id)))
    result = run_on(app, "restore", str(path))
    assert result.exit_code != 0
    assert "is not empty" in result.output
    assert "restored into an empty database only" in result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Service.id))) == services


def test_backup_never_overwrites_and_restore_wants_a_backup(app, cli_app, tmp_path):
    taken = tmp_path / "taken.backup"
    taken.write_text("something else")
    result = run_on(app, "backup", str(taken))
    assert result.exit_code != 0 and "exists already" in result.output
    assert taken.read_text() == "something else"
    result = run_on(cli_app, "restore", str(taken))
    assert result.exit_code != 0 and "is not a" in result.output


def test_the_postgresql_password_stays_out_of_the_command_line():
    url = sa.engine.make_url("postgresql+psycopg://tyopari:s3cret-pass@db.example:5433/tyopari")
    uri, env = libpq_arguments(url)
    assert "s3cret-pass" not in uri
    assert uri == "postgresql://tyopari@db.example:5433/tyopari"
    assert env["PGPASSWORD"] == "s3cret-pass"
