"""What goes over the wire: compressed pages, CSS and JS; the CSV export still streamed;
static files under content-hashed URLs cached for a year while pages stay `no-store`; and
the weight budgets of issue 10 on the demo data: the first page of a session at most 60 KB
with its CSS and JS, a typical htmx swap at most 5 KB."""

import gzip
import hashlib
import re
import types
from pathlib import Path

import brotli
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from outreach import create_app, static_assets
from outreach.auth.access import allow_anyone
from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.core.clock import utcnow
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.tasks.models import Task, TaskStatus
from tests.conftest import TEST_DATABASE_URL, make_config
from tests.database import clear_database

STATIC = Path(__file__).resolve().parent.parent / "static"
DEMO_PASSWORD = "demo-pass-2026"  # outreach/demo.py
FIRST_PAGE_BUDGET = 60_000  # bytes over the wire, the page and the CSS and JS it loads
SWAP_BUDGET = 5_000  # bytes over the wire for one htmx swap
IMMUTABLE = "public, max-age=31536000, immutable"
GZIP = {"Accept-Encoding": "gzip"}
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


class WireClient(FlaskClient):
    """Each request in its own app context, as in production. Unlike the suite's client it
    does not hand pages to the HTML check: the bodies here are compressed."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """One app with the demo data (what a session really meets), shared by the module."""
    from outreach import demo

    app = create_app(make_config(tmp_path_factory.mktemp("delivery"), RATELIMIT_ENABLED=False))
    app.test_client_class = WireClient
    with app.app_context():
        db.create_all()
        demo.load()
    yield app
    with app.app_context():
        db.session.remove()
        if TEST_DATABASE_URL:
            clear_database()
        db.engine.dispose()


def _client(app, email: str | None = None) -> FlaskClient:
    client = app.test_client()
    if email:
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def anonymous(demo_app):
    return _client(demo_app)


@pytest.fixture
def pro1(demo_app):
    return _client(demo_app, "pro1@demo.test")


@pytest.fixture
def expert1(demo_app):
    return _client(demo_app, "expert1@demo.test")


@pytest.fixture
def supervisor(demo_app):
    return _client(demo_app, "supervisor@demo.test")


def decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    if encoding == "gzip":
        return gzip.decompress(response.data)
    if encoding == "br":
        return brotli.decompress(response.data)
    assert encoding is None, encoding
    return response.data


def text(response) -> str:
    return decoded(response).decode("utf-8")


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.headers.get("Vary", "").split(",")}


def static_urls(html: str) -> list[str]:
    """The CSS, scripts and images a page loads from /static/."""
    return re.findall(
        r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src|img[^>]*src)="(/static/[^"]+)"',
        html)


def _demo_user(app, email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


# --- Compression ---------------------------------------------------------------------------


def test_pages_are_gzipped_and_vary_on_encoding_and_htmx(pro1):
    response = pro1.get("/clients/", headers=GZIP)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) == len(response.data)
    assert text(response).lstrip().lower().startswith("<!doctype html")
    assert {"accept-encoding", "hx-request"} <= vary(response)
    assert response.headers["Cache-Control"] == "no-store"

    fragment = pro1.get("/clients/?q=a", headers={
        **GZIP, "HX-Request": "true", "HX-Target": "client-list"})
    assert fragment.status_code == 200
    assert {"accept-encoding", "hx-request"} <= vary(fragment)
    assert fragment.headers["Cache-Control"] == "no-store"
    assert "<!doctype" not in text(fragment).lower()


def test_brotli_when_the_browser_takes_it_and_nothing_when_it_asks_for_none(pro1):
    html = text(pro1.get("/clients/"))  # no Accept-Encoding: as it was
    browser = pro1.get("/clients/", headers=BROWSER)
    assert browser.headers["Content-Encoding"] == "br"
    plain = pro1.get("/clients/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert "accept-encoding" in vary(plain)
    # The same page either way (the CSRF token differs on every page).
    token = re.compile(r"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}")
    assert token.sub("", text(browser)) == token.sub("", html) == token.sub("", text(plain))


def test_css_and_javascript_are_compressed(anonymous):
    urls = static_urls(text(anonymous.get("/login", headers=GZIP)))
    assert {url.split("?")[0] for url in urls} == {
        "/static/css/app.css", "/static/vendor/htmx/htmx.min.js", "/static/js/app.js",
        "/static/js/offline.js"}
    for url in urls:
        response = anonymous.get(url, headers=GZIP)
        assert response.status_code == 200, url
        assert response.headers["Content-Encoding"] == "gzip", url
        assert len(response.data) < (STATIC / url.split("?")[0][len("/static/"):]).stat().st_size
        assert decoded(response) == (STATIC / url.split("?")[0][len("/static/"):]).read_bytes()
        assert "accept-encoding" in vary(response)
        response.close()


def test_a_signed_out_htmx_request_gets_its_empty_redirect_uncompressed(anonymous):
    response = anonymous.get("/clients/", headers={
        **GZIP, "HX-Request": "true", "HX-Target": "client-list"})
    assert response.headers["HX-Redirect"].startswith("/login")
    assert "Content-Encoding" not in response.headers
    assert response.data == b""


def test_responses_under_500_bytes_are_sent_as_they_are(tmp_path):
    app = create_app(make_config(tmp_path))

    @app.get("/_size/<int:size>")
    @allow_anyone
    def sized(size: int):
        return "<p>" + "x" * (size - 7) + "</p>"

    client = app.test_client()
    small = client.get("/_size/499", headers=GZIP)
    assert "Content-Encoding" not in small.headers and len(small.data) == 499
    large = client.get("/_size/600", headers=GZIP)
    assert large.headers["Content-Encoding"] == "gzip" and len(large.data) < 600
    assert gzip.decompress(large.data) == b"<p>" + b"x" * 593 + b"</p>"
    with app.app_context():
        db.engine.dispose()


# --- The CSV export streams, uncompressed ---------------------------------------------------


def test_the_csv_export_still_streams_with_compression_on(demo_app, pro1, monkeypatch):
    from outreach import exports

    batches = []
    original = exports.stream_batches

    def spy(query, **kwargs):
        for batch in original(query, **kwargs):
            batches.append(len(batch))
            yield batch

    monkeypatch.setattr(exports, "stream_batches", spy)
    with demo_app.app_context():
        user = _demo_user(demo_app, "pro1@demo.test")
        pair_id = db.session.scalar(
            sa.select(Pair.id).where(Pair.professional_id == user.id).order_by(Pair.id))
        now = utcnow()
        db.session.execute(sa.insert(Client), [
            {"pair_id": pair_id, "code": f"STREAM-{n:05d}", "name": f"Virta Äö {n}",
             "usual_place": "Rautatientori", "created_by_id": user.id,
             "created_at": now, "last_record_at": now, "version": 1}
            for n in range(3000)])
        db.session.commit()
    try:
        response = pro1.get("/clients/export?lang=en", headers=BROWSER)
        assert response.status_code == 200
        assert response.is_streamed
        assert not isinstance(response.response, list | tuple | bytes)  # not one buffered body
        assert "Content-Encoding" not in response.headers
        assert "Content-Length" not in response.headers
        assert "accept-encoding" in vary(response)
        pieces = iter(response.response)
        first = next(pieces)
        assert first.startswith("\ufeff".encode())
        # The first rows arrive before the last rows are even read from the database.
        assert 1 <= len(batches) < 3
        rest = list(pieces)
        assert len(rest) >= 2
        csv = b"".join([first, *rest]).decode("utf-8-sig")
        assert csv.count("Virta Äö") == 3000
        assert sum(batches) >= 3000
    finally:
        with demo_app.app_context():
            db.session.execute(sa.delete(Client).where(Client.code.like("STREAM-%")))
            db.session.commit()


# --- Static files: hashed URLs, cached for a year; pages no-store ---------------------------


def test_static_urls_carry_the_hash_of_the_file(anonymous):
    urls = static_urls(text(anonymous.get("/login")))
    assert len(urls) == 4  # app.css, htmx, app.js, offline.js
    for url in urls:
        path, _, query = url.partition("?")
        digest = hashlib.sha256((STATIC / path[len("/static/"):]).read_bytes()).hexdigest()
        assert query == f"v={digest[:12]}", url


def test_the_url_changes_when_the_file_changes(tmp_path):
    fake_app = types.SimpleNamespace(static_folder=str(tmp_path))
    asset = tmp_path / "css" / "app.css"
    asset.parent.mkdir()
    asset.write_text("body { color: black; }")
    before = static_assets.static_version(fake_app, "css/app.css")
    asset.write_text("body { color: navy; }")
    after = static_assets.static_version(fake_app, "css/app.css")
    assert before and after and before != after
    assert static_assets.static_version(fake_app, "css/missing.css") is None
    assert static_assets.static_version(fake_app, "../outside.css") is None


@pytest.mark.parametrize("who", ["anonymous", "pro1"])
def test_versioned_static_files_are_cached_for_a_year(request, who):
    client = request.getfixturevalue(who)
    urls = static_urls(text(client.get("/" if who != "anonymous" else "/login")))
    for url in urls:
        response = client.get(url, headers=BROWSER)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        assert "Set-Cookie" not in response.headers  # nothing personal in a public response
        response.close()


def test_unversioned_or_outdated_static_urls_are_revalidated(anonymous):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = anonymous.get(url)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", ""), url
        assert "max-age=31536000" not in response.headers.get("Cache-Control", ""), url
        response.close()


@pytest.mark.parametrize("path", ["/", "/clients/", "/tasks/"])
def test_pages_stay_no_store(pro1, path):
    response = pro1.get(path, headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


# --- Budgets: the first page of a session, and htmx swaps -----------------------------------


@pytest.mark.parametrize("email", [
    None, "admin@demo.test", "supervisor@demo.test", "pro1@demo.test", "expert1@demo.test"])
def test_the_first_page_of_a_session_is_at_most_60_kb(demo_app, email):
    """The sign-in page, or the home page right after signing in, with every CSS and JS file
    it loads, each gzipped: what a phone downloads on an empty cache."""
    client = _client(demo_app, email)
    page = client.get("/" if email else "/login", headers=GZIP, follow_redirects=True)
    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == "gzip"
    sizes = {page.request.path: len(page.data)}
    for url in static_urls(text(page)):
        asset = client.get(url, headers=GZIP)
        assert asset.status_code == 200
        sizes[url] = len(asset.data)
        asset.close()
    assert len(sizes) >= 4  # the page, app.css, htmx, app.js
    assert sum(sizes.values()) <= FIRST_PAGE_BUDGET, sizes


def _assert_swap(response, status: int = 200):
    assert response.status_code == status, text(response)[:500]
    html = text(response)
    assert "<!doctype" not in html.lower()  # a fragment, not the page
    assert len(response.data) <= SWAP_BUDGET, (len(response.data), len(html))
    return html


@pytest.mark.parametrize("query", ["", "?q=a", "?q=a&sort=name&status=active", "?page=2"])
def test_client_list_search_swap(pro1, query):
    response = pro1.get(f"/clients/{query}", headers={
        **GZIP, "HX-Request": "true", "HX-Target": "client-list"})
    _assert_swap(response)


def test_task_done_swap(demo_app, pro1):
    with demo_app.app_context():
        user = _demo_user(demo_app, "pro1@demo.test")
        task_id = db.session.scalar(
            sa.select(Task.id).join(Pair, Pair.id == Task.pair_id)
            .where(Pair.professional_id == user.id, Task.status == TaskStatus.OPEN)
            .order_by(Task.id))
    assert task_id, "the demo has open tasks for pro1"
    response = pro1.post(f"/tasks/{task_id}/done", data={"next": "/tasks/"}, headers={
        **GZIP, "HX-Request": "true", "HX-Target": f"task-{task_id}"})
    html = _assert_swap(response)
    assert f'id="task-{task_id}"' in html


def test_quick_log_swap(demo_app, expert1):
    with demo_app.app_context():
        user = _demo_user(demo_app, "expert1@demo.test")
        client_ids = db.session.scalars(
            sa.select(Client.id).join(Pair, Pair.id == Client.pair_id)
            .where(Pair.expert_id == user.id).order_by(Client.id)).all()
    quick_ids = [cid for cid in client_ids
                 if f"/clients/{cid}/contacts/quick" in text(expert1.get(f"/clients/{cid}"))]
    assert quick_ids, "the demo has a client with consent for expert1"
    headers = {**GZIP, "HX-Request": "true", "HX-Target": "quick-log"}
    logged = expert1.post(f"/clients/{quick_ids[0]}/contacts/quick",
                          data={"channel": "street"}, headers=headers)
    html = _assert_swap(logged)
    undo = re.search(r'data-hx-post="(/clients/\d+/contacts/\d+/undo)"', html)
    assert undo, html
    _assert_swap(expert1.post(undo.group(1), headers=headers))  # and the undo swap


@pytest.mark.parametrize("period", ["week", "month", "quarter", "year"])
def test_dashboard_period_switch_swap(supervisor, period):
    response = supervisor.get(f"/dashboard/?period={period}", headers={
        **GZIP, "HX-Request": "true", "HX-Target": "dashboard-figures"})
    _assert_swap(response)
