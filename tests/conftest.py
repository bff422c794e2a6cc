"""flaskr-style fixtures: an app on a temporary database, a client, and sign-in actions.

TEST_DATABASE_URL runs the same tests on PostgreSQL (make test does both).
"""

import hashlib
import os
import re
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from outreach import create_app
from outreach.auth.models import Role, User
from outreach.core import formatting
from outreach.core import time as core_time
from outreach.core.clock import set_now
from outreach.dashboard import chart, rollup
from outreach.extensions import db, limiter
from outreach.mappings import chart as mapping_chart
from tests import factories, helpers
from tests.database import clear_written
from tests.helpers import MARKUP_CHECKS
from tests.html5 import problems_in
from tests.world import consulted, make_world


def _database_of_this_worker(variable: str) -> str | None:
    """Under pytest-xdist each worker (gw0, gw1…) runs on a PostgreSQL database of its own,
    made on first use next to the one named: tests clear what they wrote, and two workers
    clearing one database would clear each other's rows. The variable is rewritten so that
    the servers and commands the tests start in subprocesses use the same database."""
    url = os.environ.get(variable)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker or not url.startswith(("postgres://", "postgresql")):
        return url
    base = sa.engine.make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                              {"name": own.database}).first()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{own.database}"'))
    admin.dispose()
    os.environ[variable] = own.render_as_string(hide_password=False)
    return os.environ[variable]


TEST_DATABASE_URL = _database_of_this_worker("TEST_DATABASE_URL")
_database_of_this_worker("E2E_DATABASE_URL")  # the browser journeys' live server
FAST_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}

# Full pages rendered by any test, checked by the HTML5 validator at the end of the run.
RENDERED_PAGES: dict[str, tuple[str, str]] = {}


def remember_page(where: str, html: str) -> None:
    """The page joins those the HTML5 check reads at the end of the run, in the pass where
    the markup is checked (tests/helpers.py: MARKUP_CHECKS)."""
    if MARKUP_CHECKS and html.lstrip()[:15].lower().startswith("<!doctype html"):
        # The CSRF token differs on every page; leave it out of the identity.
        key = hashlib.sha1(
            re.sub(r'(value|X-CSRFToken": )"[^"]*"', "", html).encode(), usedforsecurity=False
        ).hexdigest()
        RENDERED_PAGES.setdefault(key, (where, html))


def make_config(tmp_path: Path, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.db'}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "ARGON2_PARAMS": FAST_ARGON2,
        "WTF_CSRF_ENABLED": False,
        # Said explicitly: Flask-Limiter otherwise takes the last app's setting (one limiter
        # object for every app in the process), so one app built without limits would
        # switch them off in every app built after it.
        "RATELIMIT_ENABLED": True,
    }
    config.update(overrides)
    return config


def _make_app(tmp_path, overrides):
    app = create_app(make_config(tmp_path, **overrides))
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.create_all()
    return app


def reset_memory() -> None:
    """What the app keeps in memory between requests, back to how a new app starts."""
    limiter.reset()
    set_now(os.environ.get("TYOPARI_NOW"))  # a clock moved for the whole run stays moved
    rollup._TABLE_SEEN.clear()
    chart._name.cache_clear()
    core_time.offset_changes.cache_clear()
    formatting._day_text.cache_clear()
    mapping_chart._CACHE.clear()


# One app per distinct `app_config`, built on first use and kept for the whole session:
# building it (create_app + create_all) costs ~0.3 s, more than most tests.
_APPS: dict[str, object] = {}
_LAST_APP: list = []  # the app the previous test used


@pytest.fixture
def app_config():
    """Override to change the app's configuration for one module or test."""
    return {}


@pytest.fixture
def app(tmp_path_factory, app_config):
    key = repr(sorted(app_config.items()))
    app = _APPS.get(key)
    if app is None:
        app = _APPS[key] = _make_app(tmp_path_factory.mktemp("app"), app_config)
    if _LAST_APP and _LAST_APP[0] is not app:
        # Each kept app has its own connection pool: only the app in use holds connections,
        # or tests with many configurations (a port each) use up PostgreSQL's connections.
        with _LAST_APP[0].app_context():
            db.engine.dispose()
    _LAST_APP[:] = [app]
    config = dict(app.config)
    # The limiter is one object for every app in the process: an app built without limits
    # (test_delivery, the permission matrix) switches it off for all until set again.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    with app.app_context():
        engine = db.engine
        try:
            yield app
        finally:
            db.session.remove()
    # Outside the test's context: whatever it left open is closed first.
    clear_written(engine)
    app.config.clear()
    app.config.update(config)
    reset_memory()


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production: a fresh `g` (signed-in
    user, locale) and its own database session, even while the test holds a context."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        headers = kwargs.get("headers") or {}
        # REMEMBER_PAGES off: pages full of deliberately hostile input (test_hostile_input)
        # are checked for escaping there, not handed to the HTML validator.
        if (response.mimetype == "text/html" and "HX-Request" not in headers
                and self.application.config.get("REMEMBER_PAGES", True)):
            where = str(args[0] if args and isinstance(args[0], str) else kwargs.get("path"))
            remember_page(where, response.get_data(as_text=True))
        return response


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    return factories.make_user


@pytest.fixture
def make_pair(app):
    return factories.make_pair


@pytest.fixture
def make_agreement(app):
    return factories.make_agreement


@pytest.fixture
def make_service(app):
    return factories.make_service


@pytest.fixture
def make_client(app):
    return factories.make_client


class AuthActions:
    """The one sign-in of the tests: `auth.login_as(user)` signs in as someone the world
    has (signing out whoever was signed in), `auth.login_as(Role.X)` makes a new user of
    that role first; `auth.login(email, password)` is the raw form post."""

    def __init__(self, client):
        self._client = client
        self.user = None

    def login(self, email: str, password: str = factories.PASSWORD, **kwargs):
        return self._client.post(
            "/login", data={"email": email, "password": password}, **kwargs
        )

    def login_as(self, who: User | Role | str | None, **fields):
        if who is None or isinstance(who, User):
            self.user = helpers.sign_in(self._client, who)
            return self.user
        self.user = factories.make_user(who, **fields)
        response = self.login(self.user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return self.user

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def sign_in(auth):
    """`sign_in(user)`: auth.login_as for tests that only ever sign in as someone."""
    return auth.login_as


@pytest.fixture
def world(app):
    """The one test world (tests/world.py): our pair, another pair, the supervisor, the
    administrator, a consenting client of each pair."""
    return make_world()


@pytest.fixture
def consulted_client(world):
    """A client of our pair whose record a consultation opens to the pair's supervisor."""
    return consulted(world)


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as counter:` block."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        statements: list[str] = []

        def before(_conn, _cursor, statement, *_args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)

    return counting


# --- the order of the run ----------------------------------------------------------------

# Under pytest-xdist (--dist loadscope --no-loadscope-reorder, Makefile) a module goes whole
# to one worker, in the order collected here. The longest modules go first, longest (as
# measured) at the top, so that the run ends on short modules with both workers busy.
# xdist's own reorder (most tests first) sends the browser journeys, long modules of one
# to four tests, last, where one of them can keep a worker busy after the other is done.
LONGEST_FIRST = (
    "tests/load/test_two_servers.py",  # PostgreSQL pass only, as the fault test
    "tests/load/test_fault_postgres.py",
    "tests/e2e/test_role_journeys.py",
    "tests/e2e/test_pages.py",
    "tests/e2e/test_supervisor_journey.py",
    "tests/test_hostile_input.py",
    "tests/load/test_load_sqlite.py",  # SQLite pass only
    "tests/e2e/test_sign_in.py",
    "tests/e2e/test_clients_journey.py",
    "tests/test_permission_matrix.py",
    "tests/e2e/test_pairs_journey.py",
    "tests/e2e/test_outing_journey.py",
    "tests/e2e/test_fieldwork_journey.py",
    "tests/e2e/test_evaluation_journey.py",
    "tests/e2e/test_phone_journey.py",
    "tests/e2e/test_wellbeing_journey.py",
)


def run_order(tests_in: dict[str, int]) -> list[str]:
    """The modules (path: number of tests) in the order they run: those of LONGEST_FIRST in
    its order, then the rest by number of tests, most first."""
    def rank(module):
        if module in LONGEST_FIRST:
            return (0, LONGEST_FIRST.index(module), "")
        return (1, -tests_in[module], module)

    return sorted(tests_in, key=rank)


def pytest_collection_modifyitems(session, config, items):
    """The tests by module in `run_order`; the tests of a module keep their order."""
    root = Path(str(config.rootpath))
    modules = [Path(str(item.path)).relative_to(root).as_posix() for item in items]
    tests_in: dict[str, int] = {}
    for module in modules:
        tests_in[module] = tests_in.get(module, 0) + 1
    position = {module: n for n, module in enumerate(run_order(tests_in))}
    order = sorted(range(len(items)), key=lambda n: position[modules[n]])
    items[:] = [items[n] for n in order]


# --- the run's HTML5 check (tests/html5.py) over every page rendered --------------------


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist, on the controller: what a worker's check found joins the run's."""
    output = getattr(node, "workeroutput", {})
    _HTML5_CHECKED.update(output.get("html5_checked", ()))
    _HTML5_PROBLEMS.extend(output.get("html5_problems", ()))


_HTML5_CHECKED: set[str] = set()  # the pages' keys (remember_page), from every worker
_HTML5_PROBLEMS: list[str] = []


def pytest_sessionfinish(session):
    """Each process checks the pages it rendered as soon as its tests are done: a worker
    that finishes first checks its pages while the other still runs tests, and hands what
    it found to the controller (`workeroutput`)."""
    if RENDERED_PAGES and not session.config.option.collectonly:
        with tempfile.TemporaryDirectory(prefix="tyopari-html5-") as folder:
            _HTML5_PROBLEMS.extend(problems_in(list(RENDERED_PAGES.values()), Path(folder)))
        _HTML5_CHECKED.update(RENDERED_PAGES)
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["html5_checked"] = sorted(_HTML5_CHECKED)
        workeroutput["html5_problems"] = list(_HTML5_PROBLEMS)
    elif _HTML5_PROBLEMS and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    if getattr(config, "workeroutput", None) is not None or (
            MARKUP_CHECKS and not _HTML5_CHECKED):
        return
    terminalreporter.section("HTML5 check (vnu) of every rendered page")
    if not MARKUP_CHECKS:
        terminalreporter.write_line("left to the SQLite pass (MARKUP_CHECKS=1 runs it here)")
        return
    terminalreporter.write_line(
        f"{len(_HTML5_CHECKED)} distinct pages checked, {len(_HTML5_PROBLEMS)} problems")
    for problem in sorted(set(_HTML5_PROBLEMS)):
        terminalreporter.write_line(f"FAILED {problem}", red=True)


@pytest.fixture
def empty_database_url(tmp_path):
    """A URL to a database with nothing in it: a new SQLite file, or a new PostgreSQL database."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url = sa.engine.make_url(TEST_DATABASE_URL)
    name = f"tyopari_empty_{os.getpid()}_{tmp_path.name[-12:]}".lower().replace("-", "_")
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def cli_app(tmp_path, empty_database_url):
    """An app on an empty database, for commands that migrate it themselves."""
    app = create_app(make_config(tmp_path, SQLALCHEMY_DATABASE_URI=empty_database_url))
    app.test_client_class = FreshContextClient
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def run_command(cli_app):
    from flask.cli import ScriptInfo

    from outreach.cli import main

    def run(*args, input=None):
        runner = cli_app.test_cli_runner()
        return runner.invoke(
            main, list(args), obj=ScriptInfo(create_app=lambda: cli_app), input=input
        )

    return run
