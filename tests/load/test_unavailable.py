"""The page users get when the database cannot be reached: 503 with a clear page in their
language, for plain and htmx requests alike, never a 500 and never a misleading answer
(a sign-in is not "wrong password"); and the app serves again once the database is back.

In-process and fast (no `load` marker): the outage is every new database connection
failing as it does when the server is down. The served, real outage is the PostgreSQL
fault test next to this file."""

import logging
import sqlite3

import pytest
import sqlalchemy as sa

from outreach import database_unavailable_error
from outreach.audit import log as audit_log
from outreach.auth.models import Role
from outreach.extensions import db
from tests.load.conftest import UNAVAILABLE_TITLE, t

HTMX = {"HX-Request": "true", "HX-Target": "quick-log", "HX-Current-URL": "http://localhost/"}


class Outage:
    """Refuses every new connection of the app's engine while on."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.error = engine.dialect.loaded_dbapi.OperationalError

    def _refuse(self, *_args, **_kwargs):
        raise self.error("connection refused (the test's outage)")

    def begin(self) -> None:
        db.session.remove()  # the test's own session gives its connection back first
        sa.event.listen(self.engine, "do_connect", self._refuse)
        self.engine.dispose()  # the pooled connections go; every new one fails

    def end(self) -> None:
        if sa.event.contains(self.engine, "do_connect", self._refuse):
            sa.event.remove(self.engine, "do_connect", self._refuse)


@pytest.fixture
def outage(app):
    down = Outage(db.engine)
    yield down
    down.end()


def assert_unavailable_page(response, lang: str) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{t(lang, UNAVAILABLE_TITLE)}</h1>" in html
    assert "HX-Redirect" not in response.headers
    return html


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_signed_in_page_answers_503_in_her_language(client, auth, outage, lang, caplog):
    auth.login_as(Role.PROFESSIONAL)
    assert client.get(f"/tasks/?lang={lang}").status_code == 200
    outage.begin()
    with caplog.at_level(logging.WARNING, logger="outreach"):
        response = client.get("/tasks/")
    html = assert_unavailable_page(response, lang)
    # Shown as to a signed-out visitor (who she is cannot be read), with a way back.
    assert 'action="/logout"' not in html
    assert 'href="/"' in html
    assert any("Database unavailable" in record.getMessage() for record in caplog.records)


def test_an_htmx_request_answers_503_with_the_page_whose_heading_app_js_shows(
        client, auth, outage, make_pair, make_client):
    user = auth.login_as(Role.EXPERT)
    her_id = make_client(make_pair(expert=user)).id
    outage.begin()
    response = client.post(f"/clients/{her_id}/contacts/quick", data={"channel": "street"},
                           headers=HTMX)
    # htmx does not swap a 503; static/js/app.js shows the page's <main> <h1> instead.
    html = assert_unavailable_page(response, "fi")
    assert '<main id="main"' in html


def test_the_database_gone_when_her_reading_is_logged_is_503_without_a_traceback(
        app, client, auth, make_pair, make_client, monkeypatch, caplog):
    """PostgreSQL stopped after the page was made, as the access log was written: the page
    is not shown (her reading could not be logged), the answer is 503, and the server log
    has a warning, not an error's traceback (CI met this in the fault test)."""
    user = auth.login_as(Role.PROFESSIONAL)
    her_id = make_client(make_pair(professional=user)).id

    def connection_terminated(*_args):
        raise sa.exc.OperationalError("INSERT INTO access_log", {}, Exception(
            "terminating connection due to administrator command"))

    monkeypatch.setattr(audit_log, "insert_entries", connection_terminated)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as served, not TESTING
    with caplog.at_level(logging.WARNING):
        response = client.get(f"/clients/{her_id}")
    assert_unavailable_page(response, "fi")
    assert "Database unavailable" in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


def test_signing_in_while_it_is_down_is_503_not_wrong_password(client, make_user, outage):
    email = make_user(Role.PROFESSIONAL).email
    outage.begin()
    response = client.post("/login", data={"email": email, "password": "whatever-it-is"},
                           headers={"Accept-Language": "sv"})
    html = assert_unavailable_page(response, "sv")
    assert t("sv", "Wrong email or password.") not in html


def test_it_serves_again_as_soon_as_the_database_is_back(client, auth, outage):
    auth.login_as(Role.PROFESSIONAL)
    outage.begin()
    assert client.get("/").status_code == 503
    outage.end()
    assert client.get("/").status_code == 200


def _sqlite_error(message: str, name: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorname = name
    return error


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (sa.exc.OperationalError("SELECT 1", {}, _sqlite_error("database is locked",
                                                               "SQLITE_BUSY")), True),
        (sa.exc.OperationalError("SELECT 1", {}, _sqlite_error("unable to open database file",
                                                               "SQLITE_CANTOPEN")), True),
        # A mistake in the SQL is SQLite's OperationalError too: that is a 500 to fix.
        (sa.exc.OperationalError("SELECT 1", {}, _sqlite_error("no such table: x",
                                                               "SQLITE_ERROR")), False),
        (sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection")),
         True),
        (sa.exc.InterfaceError("SELECT 1", {}, Exception("the connection is closed")), True),
        (sa.exc.DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True),
         True),
        (sa.exc.TimeoutError("QueuePool limit reached"), True),
        (sa.exc.IntegrityError("INSERT", {}, Exception("duplicate key")), False),
        (sa.exc.ProgrammingError("SELECT", {}, Exception("syntax error")), False),
        (ValueError("not a database error"), False),
        (None, False),
    ],
)
def test_which_errors_mean_the_database_is_unavailable(error, unavailable):
    assert database_unavailable_error(error) is unavailable


def test_a_page_made_before_the_database_went_away_is_still_answered(
        client, auth, monkeypatch, caplog):
    """The server stopped while the request was ending: the rollback at the end fails,
    but the page was made and is answered (not a 500)."""
    auth.login_as(Role.PROFESSIONAL)
    real_close = sa.orm.Session.close

    def close_on_a_dead_connection(session):
        real_close(session)
        raise sa.exc.OperationalError("ROLLBACK", {}, Exception(
            "terminating connection due to administrator command"))

    monkeypatch.setattr(sa.orm.Session, "close", close_on_a_dead_connection)
    with caplog.at_level(logging.WARNING, logger="outreach"):
        response = client.get("/")
    monkeypatch.undo()
    assert response.status_code == 200
    assert "Database gone while ending" in caplog.text
    assert client.get("/").status_code == 200
