"""Browser tests: the real app (`outreach demo --no-serve`, then `outreach run`) in a
subprocess, driven by Playwright on Debian's Chromium, checked with axe-core.

E2E_DATABASE_URL runs the server on PostgreSQL (an empty throwaway database; whatever is
in it is dropped first; under pytest-xdist one per worker), else on a new SQLite file. Each
worker that runs journeys has a live server of its own; a module's journeys stay in one
worker (`--dist loadscope`), in order. Every page reached is also handed to
`tests.conftest.remember_page` for the HTML5 check at the end of the run.
"""

import hashlib
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import weakref
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from outreach.core.clock import set_now, utcnow
from tests.conftest import remember_page
from tests.helpers import MARKUP_CHECKS, t

# Playwright must never fetch a browser of its own: Debian's Chromium is the browser.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TRANSLATIONS = ROOT / "outreach" / "translations"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 20  # seconds for the server to answer /login

PASSWORD = "demo-pass-2026"  # the demo accounts' password (outreach/demo.py)
# email, name, role (as stored), from outreach/demo.py
ACCOUNTS = [
    ("admin@demo.test", "Aino Admin", "admin"),
    ("supervisor@demo.test", "Sirpa Esihenkilö", "supervisor"),
    ("pro1@demo.test", "Paula Ammattilainen", "professional"),
    ("expert1@demo.test", "Eeva Kokemusasiantuntija", "expert"),
    ("pro2@demo.test", "Pirjo Ammattilainen", "professional"),
    ("expert2@demo.test", "Essi Kokemusasiantuntija", "expert"),
]
LANGUAGES = ["fi", "sv", "en"]
# The English names in outreach/labels.py; translated through the catalogues.
ROLE_NAMES = {
    "admin": "Administrator",
    "supervisor": "Supervisor",
    "professional": "Professional",
    "expert": "Experience expert",
}
VIEWPORTS = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOGOUT_BUTTON = 'form[action$="/logout"] button'
HOME_URL = re.compile(r"^https?://[^/]+/(\?.*)?$")
LOGIN_URL = re.compile(r"^https?://[^/]+/login(\?.*)?$")


# --- marking ---------------------------------------------------------------------------


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


# --- translations, as the app has them (run `make translations` first) -----------------


def role_name(role: str, lang: str) -> str:
    return t(lang, ROLE_NAMES[role])


# --- the clock ---------------------------------------------------------------------------

# Under TYOPARI_NOW every process's clock starts at that moment when the process starts,
# and the tests restart their own at every test; the journeys' servers run for the whole
# session. So here the clock runs from the session's start: the tests read it (autouse
# fixture below) and every server or command they start is handed its current reading.
_SESSION_STARTED = datetime.now(UTC)


def session_clock() -> datetime:
    """The moved clock as the journeys' servers read it (TYOPARI_NOW must be set)."""
    moved = datetime.fromisoformat(os.environ["TYOPARI_NOW"])
    return moved + (datetime.now(UTC) - _SESSION_STARTED)


def clock_env(env: dict) -> dict:
    """`env` for a server or command started now, its clock in step with the session's."""
    if os.environ.get("TYOPARI_NOW"):
        return {**env, "TYOPARI_NOW": session_clock().isoformat()}
    return env


@pytest.fixture(autouse=True)
def _the_servers_clock():
    if os.environ.get("TYOPARI_NOW"):
        set_now(session_clock())


# --- the live server -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _empty_postgres(url: str) -> None:
    """Drop everything the previous run left in the throwaway e2e database."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            metadata = sa.MetaData()
            metadata.reflect(conn)  # includes alembic_version
            metadata.drop_all(conn)
            if conn.dialect.name == "postgresql":
                enums = conn.execute(
                    sa.text(
                        "SELECT t.typname FROM pg_type t JOIN pg_namespace n "
                        "ON n.oid = t.typnamespace WHERE t.typtype = 'e' "
                        "AND n.nspname = current_schema()"
                    )
                ).scalars()
                for name in list(enums):
                    conn.execute(sa.text(f'DROP TYPE IF EXISTS "{name}" CASCADE'))
    finally:
        engine.dispose()


def _server_log(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-6000:]
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Base URL of the real app under gunicorn, with the demo data loaded."""
    tmp = tmp_path_factory.mktemp("e2e")
    database_url = os.environ.get("E2E_DATABASE_URL")
    if database_url:
        for prefix in ("postgres://", "postgresql://"):
            if database_url.startswith(prefix):
                database_url = "postgresql+psycopg://" + database_url[len(prefix) :]
        _empty_postgres(database_url)
    else:
        database_url = f"sqlite:///{tmp / 'e2e.db'}"

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "TEST_DATABASE_URL", "E2E_DATABASE_URL"}
    }
    env.update(
        SECRET_KEY=secrets.token_hex(32),
        INSTANCE_PATH=str(tmp / "instance"),
        DATABASE_URL=database_url,
        LOGIN_LIMIT_PER_ADDRESS="1000 per minute",
        LOGIN_LIMIT_PER_ACCOUNT="1000 per minute",
        PYTHONUNBUFFERED="1",
    )
    outreach = str(Path(sys.executable).parent / "outreach")
    log_path = tmp / "server.log"

    prepared = subprocess.run(
        [outreach, "demo", "--no-serve"],
        env=clock_env(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if prepared.returncode != 0:
        pytest.fail(
            f"`outreach demo --no-serve` failed ({prepared.returncode}):\n"
            f"{prepared.stdout}\n{prepared.stderr}",
            pytrace=False,
        )

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [outreach, "run", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=clock_env(env),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"the server exited ({server.returncode}):\n{_server_log(log_path)}",
                    pytrace=False,
                )
            try:
                with urllib.request.urlopen(f"{base}/login", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the server did not answer {base}/login in {START_TIMEOUT} s:\n"
                    f"{_server_log(log_path)}",
                    pytrace=False,
                )
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- pytest-playwright settings ---------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless unless --headed; Playwright never downloads one."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    # No viewport here: `context` and `sized_page` pass their own.
    return {**browser_context_args, "base_url": live_server}


# Console errors and uncaught exceptions per browser context, as they come.
CONSOLE_ERRORS: "weakref.WeakKeyDictionary[object, list[str]]" = weakref.WeakKeyDictionary()
# Contexts with JavaScript disabled: no script can run in their pages (page.evaluate hangs),
# so axe and the width check are left to the journeys that run with it.
NO_SCRIPT: "weakref.WeakSet[object]" = weakref.WeakSet()


@pytest.fixture
def new_context(new_context):
    """pytest-playwright's `new_context` (desktop size unless told), collecting console
    errors; a Content Security Policy violation or an uncaught exception fails the test."""
    made = []

    def _new_context(**kwargs):
        context = new_context(**{**VIEWPORTS["desktop"], **kwargs})
        if os.environ.get("TYOPARI_NOW"):
            # The servers run on the moved clock; the browser's goes with it (from the
            # test's own moment, never ahead of the server's), or every tap a phone queued
            # would be "in the future" for the server and refused, as it should be.
            context.clock.install(time=utcnow())
        errors: list[str] = []
        context.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        context.on("weberror", lambda e: errors.append(f"uncaught: {e.error}"))
        CONSOLE_ERRORS[context] = errors
        if kwargs.get("java_script_enabled") is False:
            NO_SCRIPT.add(context)
        made.append(context)
        return context

    yield _new_context
    for context in made:
        _check_console(CONSOLE_ERRORS.get(context, []), "")


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    """Parametrises a test over the phone (360×740) and desktop (1280×800) sizes."""
    return request.param


@pytest.fixture
def sized_page(viewport, new_context):
    """A page in a fresh context at the `viewport` size."""
    return new_context(**VIEWPORTS[viewport]).new_page()


@pytest.fixture
def console_errors(page):
    """The console errors (and uncaught exceptions) of `page`'s context so far."""
    return CONSOLE_ERRORS[page.context]


def _check_console(errors: list[str], where: str) -> None:
    csp = [text for text in errors if "Content Security Policy" in text]
    uncaught = [text for text in errors if text.startswith("uncaught: ")]
    errors[:] = [text for text in errors if text not in csp and text not in uncaught]  # once
    assert not csp, f"Content Security Policy violations{where}:\n" + "\n".join(csp)
    assert not uncaught, f"JavaScript errors{where}:\n" + "\n".join(uncaught)


# --- helpers ---------------------------------------------------------------------------


def _path_of(page) -> str:
    match = re.match(r"https?://[^/]+(/[^#]*)?", page.url)
    return (match.group(1) if match else None) or "/"


def remember(page, where: str | None = None) -> None:
    """Hand the page's current DOM to the HTML5 check at the end of the run, and check
    that the browser has reported no CSP violation or JavaScript error so far."""
    _check_console(CONSOLE_ERRORS.get(page.context, []), f" by {page.url}")
    if not MARKUP_CHECKS:
        return
    html = page.content()
    # The DOM serialises hx-headers with &quot;, so the shared de-duplication does not see
    # the per-page CSRF token there; blank it so the same page is validated once.
    html = re.sub(r"(&quot;X-CSRFToken&quot;: &quot;)[^&]*(&quot;)", r"\1\2", html)
    remember_page(f"e2e {where or _path_of(page)}", html)


def visit(page, path: str):
    """Go to `path`, wait for it to load, remember the page; return the response."""
    response = page.goto(path)
    remember(page)
    return response


# What axe's WCAG rules can tell apart on a page, read in the browser: the window's width,
# the tree of elements with their attributes (the values that carry text only as "has one
# or not"; an id as unique or not, with how many references reach it; a reference to ids
# as the tags it reaches and whether they hold text, or "none" or "dup"), whether each
# holds text of its own, the computed styles that colour contrast and visibility depend
# on, and the language links as a set (which one is current is the only difference between
# languages). A run of identical siblings counts once: a list of three rows and one of
# thirty rows alike give axe the same findings. The same page in another language, with
# more or fewer rows, or the same page again, gives the same shape.
PAGE_SHAPE_JS = r"""() => {
  const TEXT = new Set(["title", "alt", "placeholder", "value", "content", "aria-label",
    "aria-description", "aria-valuetext", "aria-roledescription", "href", "action", "src",
    "datetime", "name", "min", "max", "pattern", "accept", "lang", "hreflang"]);
  const REFS = new Set(["for", "aria-labelledby", "aria-describedby", "aria-controls",
    "aria-owns", "aria-activedescendant", "aria-errormessage", "list", "form", "headers"]);
  const ids = new Map();  // how many elements have each id
  for (const el of document.querySelectorAll("[id]")) ids.set(el.id, (ids.get(el.id) || 0) + 1);
  const reached = new Map();  // how many references reach each id
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      if (!REFS.has(a.name)) { continue; }
      for (const id of a.value.split(/\s+/).filter(Boolean)) {
        reached.set(id, (reached.get(id) || 0) + 1);
      }
    }
  }
  const reach = (id) => {
    const n = ids.get(id) || 0;
    if (n !== 1) { return n === 0 ? "none" : "dup"; }
    const target = document.getElementById(id);
    return target.tagName + (target.textContent.trim() ? "+" : "-");
  };
  const languages = [];  // the language links: which one is current depends on the language
  const shape = (el) => {
    let s = el.tagName;
    for (const a of el.attributes) {
      const n = a.name;
      if (n.startsWith("data-") || n.startsWith("hx-")) { s += " " + n; continue; }
      if (n === "id") {
        s += ids.get(a.value) > 1 ? " id=dup" : " id<" + (reached.get(a.value) || 0);
        continue;
      }
      if (REFS.has(n)) {
        s += " " + n + "=" + a.value.split(/\s+/).filter(Boolean).map(reach).join(",");
        continue;
      }
      s += " " + n + (TEXT.has(n) ? (a.value.trim() ? "+" : "-") : "=" + a.value);
    }
    if ([...el.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim())) { s += " T"; }
    const st = getComputedStyle(el);
    s += " " + [st.display, st.visibility, st.color, st.backgroundColor, st.fontSize,
                st.fontWeight, st.opacity, st.position].join("/");
    if (st.overflowX !== "visible" || st.overflowY !== "visible") {
      const over = el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight;
      s += over ? " scrolls" : " fits";
    }
    const kids = [];
    for (const child of el.children) {
      const k = shape(child);
      if (k !== kids[kids.length - 1]) { kids.push(k); }
    }
    if (kids.length) { s += "[" + kids.join("\n") + "]"; }
    if (el.hasAttribute("hreflang")) { languages.push(s); return "(language)"; }
    return s;
  };
  const tree = shape(document.documentElement);
  return [String(window.innerWidth), tree, ...languages.sort()].join("\n");
}"""


class _CleanShapes:
    """The shapes (their SHA-1) on which axe found nothing in this run, shared by the
    run's workers as empty files in a folder of its base temporary folder: a shape one
    worker passed is not read again by the other (the journeys of both open the same
    lists and records)."""

    def __init__(self):
        self.seen: set[str] = set()
        self.folder: Path | None = None

    def __contains__(self, shape: str) -> bool:
        return shape in self.seen or bool(self.folder and (self.folder / shape).exists())

    def add(self, shape: str) -> None:
        self.seen.add(shape)
        if self.folder:
            (self.folder / shape).touch()


AXE_CLEAN = _CleanShapes()


@pytest.fixture(scope="session", autouse=True)
def _axe_clean_shared(tmp_path_factory):
    base = tmp_path_factory.getbasetemp()  # a worker's is a folder in the run's
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "axe-clean"
    folder.mkdir(exist_ok=True)
    AXE_CLEAN.folder = folder


AXE_RUNS = {"run": 0, "same shape": 0, "left to the SQLite pass": 0, "axe already in the page": 0}
# axe reads the markup, which does not depend on the database: it runs where the markup is
# checked (tests/helpers.py: MARKUP_CHECKS), the SQLite pass; on PostgreSQL it would read
# the same templates again (8 of a journey's 9.6 s, measured with the journey alone).
AXE_IN_THIS_RUN = MARKUP_CHECKS


def pytest_terminal_summary(terminalreporter):
    """The axe figures (in one process; a pytest-xdist worker's summary is not shown)."""
    if sum(AXE_RUNS.values()):
        terminalreporter.write_line(
            f"axe: {AXE_RUNS['run']} pages checked ({AXE_RUNS['axe already in the page']} "
            f"with axe already in the page), {AXE_RUNS['same shape']} of a shape already "
            f"checked, {AXE_RUNS['left to the SQLite pass']} left to the SQLite pass")


def check_accessibility(page) -> None:
    """axe-core, WCAG 2.0/2.1 A and AA rules only: no violations. A page whose shape
    (`PAGE_SHAPE_JS`) passed already in this run is not checked again: axe would read the
    same elements, attributes and styles (about 0.5 s a page)."""
    from axe_playwright_python.sync_playwright import Axe

    if not AXE_IN_THIS_RUN:
        AXE_RUNS["left to the SQLite pass"] += 1
        return
    shape = hashlib.sha1(page.evaluate(PAGE_SHAPE_JS).encode(),
                         usedforsecurity=False).hexdigest()
    if shape in AXE_CLEAN:
        AXE_RUNS["same shape"] += 1
        return
    AXE_RUNS["run"] += 1
    # axe (572 KB) goes into a document once: after an htmx swap or a boosted link the
    # document, and axe in it, is still there (putting it in again cost ~80 ms a run).
    if page.evaluate("() => typeof window.axe === 'object'"):
        AXE_RUNS["axe already in the page"] += 1
    else:
        page.evaluate(Axe().axe_script)
    violations = page.evaluate(
        "options => axe.run(document, options).then((results) => results.violations)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation.get('help')} "
            f"[{violation.get('helpUrl', '')}]"
        )
        for node in violation.get("nodes", []):
            lines.append(f"    at {node.get('target')}: {node.get('failureSummary', '')!r}"[:400])
    assert not violations, f"{len(violations)} axe violation(s) on {page.url}:\n" + "\n".join(lines)
    AXE_CLEAN.add(shape)


def no_horizontal_scroll(page, width: int = 360) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width} px > {width} px"


def expect_home(page, name: str) -> None:
    from playwright.sync_api import expect

    # wait_for_url follows htmx's history push too, without expect()'s polling back-off.
    page.wait_for_url(HOME_URL)
    expect(page.locator(".main-nav .who")).to_contain_text(name)
    remember(page)


@pytest.fixture
def sign_in():
    """sign_in(page, email, lang="en", password=PASSWORD): through the login form, to home."""

    from playwright.sync_api import expect

    def _sign_in(page, email: str, lang: str = "en", password: str = PASSWORD) -> None:
        visit(page, f"/login?lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        page.get_by_label(t(lang, "Email"), exact=True).fill(email)
        page.get_by_label(t(lang, "Password"), exact=True).fill(password)
        page.get_by_role("button", name=t(lang, "Sign in"), exact=True).click()
        name = next(account[1] for account in ACCOUNTS if account[0] == email)
        expect_home(page, name)

    return _sign_in


@pytest.fixture
def sign_out():
    """sign_out(page): the header's sign-out button, back on the login page."""
    from playwright.sync_api import expect

    def _sign_out(page) -> None:
        page.locator(LOGOUT_BUTTON).click()
        page.wait_for_url(LOGIN_URL)
        expect(page.locator('input[name="password"]')).to_be_visible()
        expect(page.locator(LOGOUT_BUTTON)).to_have_count(0)
        remember(page)

    return _sign_out


# --- journey helpers shared by the journeys (English by default, any language by `lang`) --

CLIENT_URL = re.compile(r"/clients/(\d+)(\?.*)?(#.*)?$")
CLIENT_LINK = re.compile(r"^/clients/\d+$")
CHALLENGES_URL = re.compile(r"/clients/\d+/challenges/(\?.*)?(#.*)?$")
MAPPING_URL = re.compile(r"/clients/\d+/mappings/(\d+)(\?.*)?$")
HOME = re.compile(r"^https?://[^/]+/(\?.*)?(#.*)?$")


def checked(page, where: str | None = None, phone: bool = False, axe: bool = True) -> None:
    """The page as it is now: remembered for the HTML5 check, CSP clean, passes axe (and
    fits a phone's width on a phone). `axe=False` where the same page, with only other
    text in it, was checked already (keeps the run short on a loaded machine). With
    JavaScript disabled, only remembered."""
    remember(page, where)
    if page.context in NO_SCRIPT:
        return
    if axe:
        check_accessibility(page)
    if phone:
        no_horizontal_scroll(page)


def flash(page):
    """The flashed messages (and htmx's out-of-band ones)."""
    return page.locator("#messages")


def nav_link(page, name: str):
    return page.locator("nav.main-nav").get_by_role("link", name=name, exact=True)


def path_of(url: str) -> str:
    return urlsplit(url).path


def fmt(lang: str, message: str, **values) -> str:
    """The app's text for `message` in `lang`, its placeholders filled in."""
    return t(lang, message) % values


def prefix(lang: str, message: str, **values) -> str:
    """The translated text up to its first placeholder not given in `values` (for the
    parts formatted by the server, such as dates and times), the given ones filled in."""
    text = t(lang, message)
    for name, value in values.items():
        text = text.replace(f"%({name})s", str(value)).replace(f"%({name})d", str(value))
    return re.split(r"%\(\w+\)[sd]", text)[0]


def starting(text: str) -> re.Pattern:
    """An accessible name that starts with `text` (a visually hidden ": ..." may follow)."""
    return re.compile(rf"^{re.escape(text)}")


def create_client(page, name: str, lang: str = "en", phone: bool = False,
                  place: str | None = None) -> str:
    """From the main navigation: a new client record of `name`; her page's path."""
    from playwright.sync_api import expect

    nav_link(page, t(lang, "Clients")).click()
    page.wait_for_url(re.compile(r"/clients/(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Clients"))
    checked(page, phone=phone)
    page.get_by_role("link", name=t(lang, "New client"), exact=True).click()
    page.wait_for_url(re.compile(r"/clients/new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "New client"))
    checked(page, phone=phone)
    page.get_by_label(t(lang, "Name she wants to be called"), exact=True).fill(name)
    if place:
        page.get_by_label(
            t(lang, "Where she can usually be found (optional)"), exact=True
        ).fill(place)
    page.get_by_role("button", name=t(lang, "Create the record"), exact=True).click()
    page.wait_for_url(CLIENT_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(flash(page)).to_contain_text(
        prefix(lang, "The record of %(name)s was created with the code %(code)s.", name=name)
    )
    checked(page, phone=phone)
    return path_of(page.url)


def record_consent(page, client_url: str, lang: str = "en", phone: bool = False) -> None:
    """From the banner on her page: a verbal consent given today to keep records."""
    from playwright.sync_api import expect

    from outreach.core.time import local_today

    banner = page.locator("#consent .consent-banner")
    expect(banner).to_contain_text(t(lang, "No consent recorded"))
    banner.get_by_role("link", name=t(lang, "Record her consent"), exact=True).click()
    page.wait_for_url(re.compile(rf"{client_url}/consents/new$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(lang, "Record consent"))
    checked(page, phone=phone)
    given_on = page.get_by_label(t(lang, "Date she gave her consent"), exact=True)
    expect(given_on).to_have_value(local_today().isoformat())
    page.get_by_role("group", name=t(lang, "How she gave it")).get_by_label(
        t(lang, "Verbal"), exact=True
    ).check()
    page.get_by_label(
        t(lang, "She agrees that the pair keeps records about her here"), exact=True
    ).check()
    page.get_by_role("button", name=t(lang, "Record consent"), exact=True).click()
    page.wait_for_url(re.compile(rf"{client_url}(#.*)?$"))
    expect(flash(page)).to_contain_text(t(lang, "Her consent was recorded."))
    expect(page.locator(".consent-banner")).to_have_count(0)
    checked(page, f"{client_url} (after the consent)", phone=phone)


def client_with_quick_log(page, lang: str = "en", phone: bool = False) -> tuple[str, str]:
    """From the client list: the first of her clients whose page offers the quick log (a
    valid consent); (her page's path, her name). Opens her page by tapping her name."""
    from playwright.sync_api import expect

    nav_link(page, t(lang, "Clients")).click()
    page.wait_for_url(re.compile(r"/clients/(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Clients"))
    checked(page, phone=phone)
    links = page.locator("#client-list a[href]")
    candidates = [
        (href, name.strip())
        for href, name in links.evaluate_all(
            "links => links.map(a => [a.getAttribute('href'), a.textContent])"
        )
        if CLIENT_LINK.match(href or "")
    ]
    assert candidates, "no clients on the list"
    for href, name in candidates:
        html = page.request.get(href).text()
        if 'name="channel" value="street"' in html:
            page.locator(f'#client-list a[href="{href}"]').first.click()
            page.wait_for_url(re.compile(rf"{href}$"))
            expect(page.get_by_role("heading", level=1)).to_contain_text(name)
            return href, name
    raise AssertionError(f"none of {len(candidates)} clients offers the quick log")


def open_challenges(page, lang: str = "en", phone: bool = False, axe: bool = True) -> None:
    """From her page to "Challenges and steps"."""
    from playwright.sync_api import expect

    page.locator("#challenges").get_by_role(
        "link", name=starting(t(lang, "All challenges and steps"))
    ).click()
    page.wait_for_url(CHALLENGES_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(lang, "Challenges and steps"))
    checked(page, phone=phone, axe=axe)


def add_challenge(page, client_url: str, domain: str, words: str, lang: str = "en",
                  phone: bool = False) -> None:
    """On "Challenges and steps": a new challenge in `domain` (its English name)."""
    from playwright.sync_api import expect

    page.get_by_role("link", name=t(lang, "New challenge"), exact=True).click()
    page.wait_for_url(re.compile(rf"{client_url}/challenges/new$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(lang, "New challenge"))
    checked(page, phone=phone)
    page.get_by_label(t(lang, "Life domain"), exact=True).select_option(label=t(lang, domain))
    page.get_by_label(t(lang, "The challenge, in her words"), exact=True).fill(words)
    page.get_by_role("button", name=t(lang, "Add the challenge"), exact=True).click()
    page.wait_for_url(CHALLENGES_URL)
    expect(flash(page)).to_contain_text(
        t(lang, "The challenge was added. Next, break it into small steps.")
    )
    checked(page, phone=phone)


def add_step(page, client_url: str, challenge, proposal: str, lang: str = "en",
             phone: bool = False, axe: bool = True, proposed_by: str = "Together",
             assignee: str = "The pair together", due_on=None) -> None:
    """Under `challenge` (its li on "Challenges and steps"): a step with no decision yet.
    `proposed_by` and `assignee` are the English names of the options."""
    from playwright.sync_api import expect

    challenge.get_by_role("link", name=starting(t(lang, "Add a step"))).click()
    page.wait_for_url(re.compile(rf"{client_url}/challenges/\d+/steps/new$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(t(lang, "Add a step"))
    checked(page, phone=phone, axe=axe)
    page.get_by_label(t(lang, "Proposed step"), exact=True).fill(proposal)
    page.get_by_role("group", name=t(lang, "Who proposed it")).get_by_label(
        t(lang, proposed_by), exact=True
    ).check()
    expect(
        page.get_by_role("group", name=t(lang, "Her decision")).get_by_label(
            t(lang, "No decision yet"), exact=True
        )
    ).to_be_checked()
    page.get_by_role("group", name=t(lang, "Who does it")).get_by_label(
        t(lang, assignee), exact=True
    ).check()
    if due_on is not None:
        page.get_by_label(t(lang, "Due date"), exact=True).fill(due_on.isoformat())
    page.get_by_role("button", name=t(lang, "Add the step"), exact=True).click()
    page.wait_for_url(CHALLENGES_URL)
    expect(flash(page)).to_contain_text(t(lang, "The step was added."))
    row = page.locator("li.step").filter(has_text=proposal)
    expect(row.locator(".badge").first).to_have_text(t(lang, "No decision yet"))
    checked(page, f"{path_of(page.url)} (after adding a step)", phone=phone, axe=axe)


def decide_step(page, proposal: str, decision: str, recorder: str, lang: str = "en",
                phone: bool = False, axe: bool = True):
    """Her decision (`decision`: the English name) on the step: htmx posts it and swaps
    the step's row in place, no page load. Returns the row."""
    from playwright.sync_api import expect

    row = page.locator("li.step").filter(has_text=proposal)
    row_id = row.get_attribute("id")
    url_before = page.url
    name = t(lang, decision)
    page.evaluate("window.__sameDocument = true")  # gone if the page were loaded again
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/decision")
    ) as answer:
        row.get_by_role("group", name=t(lang, "Record her decision")).get_by_role(
            "button", name=name, exact=True
        ).click()
    response = answer.value
    assert response.status == 200, response.status
    assert response.request.headers.get("hx-request") == "true"
    assert response.request.headers.get("hx-target") == row_id
    assert "<html" not in response.text().lower()  # the row alone, not a page
    row = page.locator(f"#{row_id}")
    expect(row.locator(".badge").first).to_have_text(name)
    expect(
        row.get_by_role("button", name=f"{name} ({t(lang, 'current')})", exact=True)
    ).to_be_visible()
    expect(row).to_contain_text(prefix(lang, "recorded by %(name)s, %(moment)s", name=recorder))
    expect(flash(page)).to_contain_text(
        fmt(lang, "Her decision was recorded: %(decision)s.", decision=name)
    )
    assert page.evaluate("window.__sameDocument === true"), "the decision reloaded the page"
    assert page.url == url_before
    checked(page, f"{path_of(page.url)} (after {decision})", phone=phone, axe=axe)
    return row
