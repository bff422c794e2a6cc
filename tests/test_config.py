import stat

import sqlalchemy as sa

from outreach import create_app
from outreach.config import database_url, secret_key
from outreach.extensions import db


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(str(tmp_path))
    assert len(first) >= 64
    assert secret_key(str(tmp_path)) == first
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert secret_key(str(tmp_path)) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url(str(tmp_path)) == f"sqlite:///{tmp_path / 'outreach.db'}"


def test_postgres_urls_get_the_psycopg_driver(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/x")
    assert database_url(str(tmp_path)) == "postgresql+psycopg://u:p@db/x"


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000
        db.engine.dispose()


def test_importing_the_package_has_no_side_effects(tmp_path):
    import subprocess
    import sys

    code = "import outreach, outreach.models, outreach.cli; print('ok')"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "ok"
    assert list(tmp_path.iterdir()) == []


def test_case_insensitive_search_knows_finnish_letters(app, make_user):
    from outreach.auth.models import User

    make_user(name="Äijälän Öljy")
    found = db.session.scalars(sa.select(User).where(User.name.ilike("%äijälän öLJY%"))).all()
    assert [u.name for u in found] == ["Äijälän Öljy"]


def test_postgresql_connections_run_without_jit_and_sqlite_ones_as_configured(app):
    """JIT compilation cost the funder report a second per request at national scale."""
    from outreach.config import engine_options

    url = "postgresql+psycopg://u@127.0.0.1/db"
    assert engine_options(url, {"pool_pre_ping": True}) == {
        "pool_pre_ping": True, "connect_args": {"options": "-c jit=off"}}
    # A deployment's own server options are kept, from its connect_args or its URL...
    assert engine_options(url, {"connect_args": {"options": "-c statement_timeout=5s"}}) == {
        "connect_args": {"options": "-c statement_timeout=5s -c jit=off"}}
    assert engine_options(url + "?options=-c%20statement_timeout%3D5s", {}) == {
        "connect_args": {"options": "-c statement_timeout=5s -c jit=off"}}
    # ...and its own choice of JIT wins.
    assert engine_options(url, {"connect_args": {"options": "-c jit=on"}}) == {
        "connect_args": {"options": "-c jit=on"}}
    assert engine_options("sqlite:///x.db", {"pool_pre_ping": True}) == {
        "pool_pre_ping": True}
    # And the test database's own connections (on PostgreSQL in that pass).
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
