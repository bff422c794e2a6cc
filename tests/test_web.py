"""Security headers, page-or-fragment rendering, error pages."""

import logging

import pytest
from flask import Blueprint
from sqlalchemy.orm.exc import StaleDataError

from outreach import create_app
from outreach.auth.access import allow_anyone
from outreach.auth.models import Role
from tests.conftest import make_config
from tests.helpers import t


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}


def test_signed_in_pages_are_not_stored(client, auth):
    auth.login_as(Role.PROFESSIONAL)
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_cookies_are_httponly_and_samesite(client, make_user):
    from tests.factories import PASSWORD

    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}], indirect=True)
def test_cookie_is_secure_when_configured_for_https(client, make_user):
    from tests.factories import PASSWORD

    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


def test_page_or_fragment(client):
    page = client.get("/login")
    assert page.get_data(as_text=True).startswith("<!DOCTYPE html>")
    assert "HX-Request" in page.headers["Vary"]
    fragment = client.get("/login", headers={"HX-Request": "true", "HX-Target": "login-form"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text
    assert 'name="email"' in text
    assert "HX-Request" in fragment.headers["Vary"]
    boosted = client.get(
        "/login", headers={"HX-Request": "true", "HX-Boosted": "true", "HX-Target": "login-form"}
    )
    assert boosted.get_data(as_text=True).startswith("<!DOCTYPE html>")


def test_templates_have_no_inline_script_style_or_handlers(app):
    import re
    from pathlib import Path

    root = Path(app.template_folder)
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"<style", text):
            offenders.append(f"{path}: inline script or style")
        if re.search(r"\sstyle=", text) or re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path}: inline style or event handler attribute")
    assert offenders == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [("fi", "Sivua ei löytynyt"), ("sv", "Sidan hittades inte"), ("en", "Page not found")],
)
def test_error_pages_speak_the_users_language(client, lang, text):
    response = client.get(f"/no-such-page?lang={lang}")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def app_raising(tmp_path, error: Exception):
    """A test client of an app (as served: exceptions are not propagated to the test) with
    one more route, `POST /raising`, that raises `error`."""
    app = create_app(make_config(tmp_path))
    bp = Blueprint("raising", __name__)

    @bp.post("/raising")
    @allow_anyone
    def raising():
        raise error

    app.register_blueprint(bp)
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


def test_unexpected_error_is_a_500_page_with_a_request_id_and_is_logged(tmp_path, caplog):
    client = app_raising(tmp_path, RuntimeError("database exploded with a secret detail"))
    with caplog.at_level(logging.ERROR):
        response = client.post("/raising?lang=en", headers={"X-Request-ID": "req-123"})
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in text
    assert "req-123" in text
    assert "secret detail" not in text and "Traceback" not in text
    assert any("req-123" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("code", [400, 403, 404, 405, 409, 422, 429, 500])
def test_every_error_page_renders(app, code):
    from werkzeug.exceptions import default_exceptions

    from outreach.web import render

    with app.test_request_context("/?lang=sv"):
        app.preprocess_request()
        response = render("errors/error.html", status=code, error=default_exceptions[code]())
    assert response.status_code == code
    assert "<h1>" in response.get_data(as_text=True)


def test_messages_never_shown_do_not_grow_the_session_past_what_a_browser_keeps(
        client, auth, world):
    """Each saved task flashes a message quoting its title; a client that never loads the
    page showing them (here: redirects not followed) kept every one in the session cookie
    until it passed the 4 KB a browser keeps (the hostile-input test met it), and the
    browser would then drop the session. The newest messages are kept; she stays in."""
    auth.login_as(world.pro)
    titles = [  # 200 characters of non-Latin text each: escaped in the cookie, varied
        "".join(chr(0x4E00 + (n * 200 + i) * 7 % 20000) for i in range(200))
        for n in range(40)]
    for title in titles:
        saved = client.post("/tasks/new", data={
            "title": title, "pair_id": world.pair.id, "assignee": "expert"})
        assert saved.status_code == 302
    assert len(client.get_cookie("tyopari_session").value) < 4000
    home = client.get("/")
    assert home.status_code == 200  # still signed in
    page = home.get_data(as_text=True)
    assert titles[-1] in page  # the newest message is shown
    assert titles[0] not in page


def test_a_row_changed_meanwhile_is_a_409_not_a_500(tmp_path, caplog):
    """Whatever route meets a row that another request changed or deleted between its read
    and its write (StaleDataError) answers 409, "saved in the meantime", in her language:
    a conflict, logged as a warning, not a fault with a traceback."""
    client = app_raising(tmp_path, StaleDataError(
        "UPDATE statement on table 'task' expected to update 1 row(s); 0 were matched."))
    with caplog.at_level(logging.WARNING):
        response = client.post("/raising?lang=sv")
    assert response.status_code == 409
    assert '<html lang="sv">' in response.get_data(as_text=True)
    assert t("sv", "Someone else saved this in the meantime") in response.get_data(as_text=True)
    assert "Changed meanwhile" in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_number_beyond_any_id_in_a_url_is_not_found(app, client, auth, world):
    """Every route with an id in its path, given a number too big for the database's
    integers: not found, never a lookup that overflows into a 500."""
    auth.login_as(world.pro)
    huge = 2**70
    checked = 0
    for rule in app.url_map.iter_rules():
        ids = [name for name, converter in rule._converters.items()
               if converter.__class__.__name__ == "IdConverter"]
        if not ids or "GET" not in rule.methods:
            continue
        path = rule.rule
        for name in ids:
            path = path.replace(f"<int:{name}>", str(huge))
        response = client.get(path)
        # 405 where a POST route shares the path: werkzeug weighs the methods first.
        assert response.status_code in (404, 405), (path, response.status_code)
        checked += 1
    assert checked > 20, checked
