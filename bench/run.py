"""`make bench`: the app at scale under load, against a plain Flask "hello" as the ceiling.

1. The scale data (`outreach generate-scale`) in a dedicated database: a SQLite file under
   bench/.data/ (reused while the parameters, the generator and the migrations are the same
   and the data is less than BENCH_MAX_AGE_DAYS old), or the PostgreSQL database given as
   DATABASE_URL (empty: filled; a bench database with the same figures: reused; anything
   else: refused).
2. The app served by `outreach run` (gunicorn, BENCH_WORKERS sync workers, as in production)
   and bench/hello.py in the same gunicorn configuration, each on a free 127.0.0.1 port.
3. Signed-in sessions through the real sign-in form (CSRF token and all): pro1 for the
   partner pages, admin for the dashboard of the year over all pairs.
4. Each page loaded by wrk (a second process) with the session cookie and
   `Accept-Encoding: gzip`: a warm-up, then BENCH_SECONDS of load with BENCH_THREADS threads
   and BENCH_CONNECTIONS connections; a Lua hook reports the percentiles and counts every
   answer that is not 2xx.
5. SQL statements per request: each page once more in this process with Flask's test client
   (the same database and session cookie), counted with `before_cursor_execute`.
6. Bytes: each body as it comes over the wire with and without gzip asked for.
7. The table, and bench/results.json. Exit status 1 when any page answered anything but 2xx
   (or the load tool hit socket errors), 2 when the database is refused.
8. Every process started here is stopped at the end, also on failure or Ctrl-C.

BENCH_PROFILE=1 also writes a cProfile of one request per page to bench/.data/profiles/.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gzip
import hashlib
import http.client
import io
import json
import os
import pstats
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import floor  # bench/floor.py, beside this script: the stack's floor page
from floor import FLOOR_PATH

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / ".data"
RESULTS = BENCH / "results.json"
VENV_BIN = Path(sys.executable).parent
OUTREACH = VENV_BIN / "outreach"

BENCH_DOMAIN = "scale.test"
PASSWORD = "bench-pass-2026"  # noqa: S105 - the generated benchmark accounts (outreach.scale)
PARTNER = f"pro1@{BENCH_DOMAIN}"
DASHBOARD_USER = f"admin@{BENCH_DOMAIN}"  # sees every pair: "year, all pairs"
EXPERT = f"expert1@{BENCH_DOMAIN}"  # pro1's partner
SUPERVISOR = f"supervisor1@{BENCH_DOMAIN}"
USERS = (PARTNER, DASHBOARD_USER, EXPERT, SUPERVISOR)
SESSION_COOKIE = "tyopari_session"

# The targets.
TARGET_RATIO = 0.3
TARGET_P95_MS = 50.0
TARGET_QUERIES = 10
TARGET_FIRST_PAGE_BYTES = 60 * 1024
TARGET_SWAP_BYTES = 5 * 1024

HELLO = "hello"
FLOOR = "floor (session, CSRF, Babel, gzip)"  # bench/floor.py

LUA = r"""
-- Counts every answer that is not 2xx (wrk itself counts only >= 400) and prints the
-- figures as one JSON line at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  first_bad = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  local bad, bad_status = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    local s = thread:get("first_bad")
    if s ~= 0 then bad_status = s end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "non2xx": %d, "bad_status": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, bad, bad_status,
    e.connect, e.read, e.write, e.timeout))
end
"""


# --- settings --------------------------------------------------------------------------------


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


@dataclass
class Settings:
    seconds: int = field(default_factory=lambda: _env_int("BENCH_SECONDS", 10))
    warmup: int = field(default_factory=lambda: _env_int("BENCH_WARMUP", 2))
    threads: int = field(default_factory=lambda: _env_int("BENCH_THREADS", 2))
    connections: int = field(default_factory=lambda: _env_int("BENCH_CONNECTIONS", 8))
    workers: int = field(default_factory=lambda: _env_int("BENCH_WORKERS", 2))
    pairs: int = field(default_factory=lambda: _env_int("BENCH_PAIRS", 50))
    clients: int = field(default_factory=lambda: _env_int("BENCH_CLIENTS", 5000))
    contacts: int = field(default_factory=lambda: _env_int("BENCH_CONTACTS", 500_000))
    seed: int = field(default_factory=lambda: _env_int("BENCH_SEED", 1))
    max_age_days: int = field(default_factory=lambda: _env_int("BENCH_MAX_AGE_DAYS", 7))


class Refused(Exception):
    """The database given cannot be used for the benchmark."""


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


# --- processes -------------------------------------------------------------------------------


class Processes:
    """Every server started here, each in its own process group, stopped at the end."""

    def __init__(self) -> None:
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], env: dict, log: Path) -> subprocess.Popen:
        out = log.open("wb")
        proc = subprocess.Popen(  # noqa: S603 - our own servers, fixed arguments
            argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        self.started.append((name, proc))
        return proc

    def stop_all(self) -> None:
        for name, proc in reversed(self.started):
            if proc.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGINT)  # gunicorn: quick shutdown
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop in 15 s; killing it")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self.started.clear()


def _raise_exit(signum, _frame):
    raise SystemExit(128 + signum)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(proc: subprocess.Popen, port: int, path: str, log: Path,
                       timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited ({proc.returncode}):\n"
                               + tail(log))
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                conn.close()
                return
        time.sleep(0.3)
    raise RuntimeError(f"the server on port {port} did not answer in {timeout:.0f} s:\n"
                       + tail(log))


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- the database ----------------------------------------------------------------------------


def sqlalchemy_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def fingerprint() -> str:
    """What the generated data depends on: the generator and the schema's migrations."""
    digest = hashlib.sha256()
    for path in [ROOT / "outreach" / "scale.py",
                 *sorted((ROOT / "migrations" / "versions").glob("*.py"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def base_env(url: str, secret: str) -> dict:
    env = dict(os.environ)
    # The bench's own settings only: no two-step requirement, an instance folder of its own.
    for name in ("TWO_STEP_REQUIRED_ROLES", "TEST_DATABASE_URL", "E2E_DATABASE_URL"):
        env.pop(name, None)
    env.update(DATABASE_URL=url, SECRET_KEY=secret, INSTANCE_PATH=str(DATA / "instance"),
               PYTHONUNBUFFERED="1")
    return env


def generate(url: str, settings: Settings, env: dict) -> None:
    say(f"generating the scale data ({settings.pairs} pairs, {settings.clients:,} clients, "
        f"{settings.contacts:,} contacts); about a minute or two")
    log = DATA / "generate.log"
    with log.open("wb") as out:
        result = subprocess.run(  # noqa: S603 - the app's own command
            [str(OUTREACH), "generate-scale", "--pairs", str(settings.pairs),
             "--clients", str(settings.clients), "--contacts", str(settings.contacts),
             "--seed", str(settings.seed)],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError("outreach generate-scale failed:\n" + tail(log))
    for line in log.read_text().splitlines():
        if line.startswith("Done in"):
            say(f"generated: {line}")


def wanted_meta(settings: Settings) -> dict:
    return {"pairs": settings.pairs, "clients": settings.clients,
            "contacts": settings.contacts, "seed": settings.seed,
            "fingerprint": fingerprint()}


def reusable(meta: dict | None, settings: Settings) -> bool:
    """Data made with the same parameters, generator and migrations, recently enough."""
    if not meta:
        return False
    wanted = wanted_meta(settings)
    try:
        age = (date.today() - date.fromisoformat(meta["generated_on"])).days
    except (KeyError, TypeError, ValueError):
        return False
    return {k: meta.get(k) for k in wanted} == wanted and 0 <= age < settings.max_age_days


def sqlite_database(settings: Settings, secret: str) -> tuple[str, dict]:
    name = (f"scale-{settings.pairs}p-{settings.clients}c-{settings.contacts}ct-"
            f"s{settings.seed}")
    path = DATA / f"{name}.sqlite"
    meta_path = DATA / f"{name}.json"
    url = f"sqlite:///{path}"
    meta = None
    with contextlib.suppress(OSError, ValueError):
        meta = json.loads(meta_path.read_text())
    if path.exists() and reusable(meta, settings):
        say(f"reusing {path.relative_to(ROOT)} (generated {meta['generated_on']})")
        return url, {**meta, "reused": True}
    meta_path.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    generate(url, settings, base_env(url, secret))
    meta = {**wanted_meta(settings), "generated_on": date.today().isoformat()}
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    return url, {**meta, "reused": False}


# PostgreSQL: what the data was generated with, kept in the bench database itself.
META_TABLE = "bench_data"


def postgres_database(url: str, settings: Settings, secret: str) -> tuple[str, dict]:
    """An empty database is filled; a bench database (every account @scale.test) is reused
    when made with the same parameters, generator and migrations, else emptied and filled
    anew; any other database is refused (Refused) untouched."""
    import sqlalchemy as sa

    url = sqlalchemy_url(url)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            meta = None
            if tables and ("user_account" not in tables or "client" not in tables):
                raise Refused(f"the database has tables ({len(tables)}) but not the app's: "
                              "give an empty database or a bench database")
            if tables:
                emails = set(conn.scalars(sa.text("SELECT email FROM user_account")))
                if f"admin@{BENCH_DOMAIN}" not in emails or any(
                        not email.endswith(f"@{BENCH_DOMAIN}") for email in emails):
                    raise Refused("the database holds accounts that are not the benchmark's "
                                  f"(@{BENCH_DOMAIN}): it is not a bench database; give an "
                                  "empty one")
                if META_TABLE in tables:
                    with contextlib.suppress(ValueError, TypeError):
                        meta = json.loads(conn.scalar(sa.text(
                            f"SELECT meta FROM {META_TABLE}")) or "")  # noqa: S608
                if reusable(meta, settings):
                    say(f"reusing the bench database given (generated {meta['generated_on']})")
                    return url, {**meta, "reused": True}
                say("a bench database made with other parameters or an older app: emptying "
                    "it to generate anew")
                names = ", ".join(f'"{name}"' for name in sorted(tables))
                conn.execute(sa.text(f"DROP TABLE {names} CASCADE"))
    finally:
        engine.dispose()
    generate(url, settings, base_env(url, secret))
    meta = {**wanted_meta(settings), "generated_on": date.today().isoformat()}
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE TABLE {META_TABLE} (meta text NOT NULL)"))
            conn.execute(sa.text(f"INSERT INTO {META_TABLE} (meta) VALUES (:meta)"),  # noqa: S608
                         {"meta": json.dumps(meta)})
    finally:
        engine.dispose()
    return url, {**meta, "reused": False}


def describe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///{Path(parsed.database).relative_to(ROOT)}"
    return parsed.render_as_string(hide_password=True)


# --- HTTP ------------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The hidden inputs of the page's form (the CSRF token)."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.hidden[attrs["name"]] = attrs.get("value") or ""


class AssetReader(HTMLParser):
    """Same-site stylesheets, scripts, icons and images a browser fetches with the page."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and any(rel in (attrs.get("rel") or "").split()
                                 for rel in ("stylesheet", "icon", "preload", "modulepreload")):
            self.add(attrs.get("href"))
        elif tag in ("script", "img") and attrs.get("src"):
            self.add(attrs.get("src"))

    def add(self, url):
        parts = urlsplit(url or "")
        # Same-site paths only: not other hosts, nor data: URLs (nothing fetched for them).
        if url and not parts.scheme and not parts.netloc and url not in self.assets:
            self.assets.append(url)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes  # as it came over the wire (still compressed when compressed)

    def text(self) -> str:
        body = self.body
        if (self.headers.get("Content-Encoding") or "").lower() == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8", errors="replace")


def fetch(port: int, path: str, headers: dict | None = None, method: str = "GET",
          body: bytes | None = None, timeout: float = 60) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


def cookie_from(answer: Answer, name: str) -> str | None:
    for header in answer.headers.get_all("Set-Cookie") or []:
        if header.startswith(f"{name}="):
            return header.split(";", 1)[0].split("=", 1)[1]
    return None


def sign_in(port: int, email: str) -> str:
    """The session cookie's value after signing in through the sign-in form."""
    page = fetch(port, "/login", {"Accept-Language": "en"})
    if page.status != 200:
        raise RuntimeError(f"GET /login answered {page.status}")
    reader = FormReader()
    reader.feed(page.text())
    cookie = cookie_from(page, SESSION_COOKIE)
    form = {**reader.hidden, "email": email, "password": PASSWORD}
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en"}
    if cookie:
        headers["Cookie"] = f"{SESSION_COOKIE}={cookie}"
    answer = fetch(port, "/login", headers, "POST", urlencode(form).encode())
    session = cookie_from(answer, SESSION_COOKIE)
    if answer.status not in (302, 303) or not session:
        raise RuntimeError(f"signing in {email} failed: {answer.status}, "
                           f"{answer.headers.get('Location')}")
    if "/login" in (answer.headers.get("Location") or ""):
        raise RuntimeError(f"signing in {email} led back to the sign-in page")
    return session


# --- pages -----------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    path: str
    user: str | None  # None: no session (hello)
    htmx_target: str | None = None  # an htmx swap of this element
    port_key: str = "app"

    def headers(self, cookies: dict[str, str], gzip_ok: bool = True) -> dict[str, str]:
        headers = {"Accept-Language": "fi"}
        if gzip_ok:
            headers["Accept-Encoding"] = "gzip"
        if self.user:
            headers["Cookie"] = f"{SESSION_COOKIE}={cookies[self.user]}"
        if self.htmx_target:
            headers["HX-Request"] = "true"
            headers["HX-Target"] = self.htmx_target
        return headers


@dataclass
class Measured:
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    bytes: int = 0
    bytes_uncompressed: int = 0
    content_encoding: str = ""
    queries: int | None = None
    in_process_ms: float | None = None  # one request, test client, no load
    ratio: float = 0.0
    requests: int = 0
    errors: int = 0
    error_detail: str = ""


def choose_ids(app) -> dict:
    """pro1's active pair, its active client with the most contacts (the heaviest client
    page and timeline of the pair), for the client pages and the week plan."""
    import sqlalchemy as sa

    from outreach.auth.models import User
    from outreach.clients.models import Client
    from outreach.contacts.models import Contact
    from outreach.core.time import local_today
    from outreach.extensions import db
    from outreach.pairs.models import Pair

    with app.app_context():
        pro = db.session.scalar(sa.select(User).where(User.email == PARTNER))
        if pro is None:
            raise RuntimeError(f"{PARTNER} is not in the database")
        today = local_today()
        year = today.year - 1  # the funder report's last full year (the data spans two)
        pair = db.session.scalar(
            sa.select(Pair).where(Pair.professional_id == pro.id,
                                  sa.or_(Pair.ends_on.is_(None), Pair.ends_on >= today))
            .order_by(Pair.id))
        if pair is None:
            raise RuntimeError(f"{PARTNER} has no active pair")
        contacts = sa.func.count(Contact.id)
        row = db.session.execute(
            sa.select(Client.id, contacts).join(Contact, Contact.client_id == Client.id)
            .where(Client.pair_id == pair.id, Client.closed_on.is_(None))
            .group_by(Client.id).order_by(contacts.desc(), Client.id).limit(1)).first()
        if row is None:
            raise RuntimeError(f"pair {pair.id} has no open client with contacts")
        return {"pair_id": pair.id, "client_id": row[0], "client_contacts": row[1],
                "year": year}


def pages_for(ids: dict) -> list[Page]:
    client = f"/clients/{ids['client_id']}"
    return [
        Page("home, professional", "/", PARTNER),
        Page("home, experience expert", "/", EXPERT),
        Page("home, supervisor", "/", SUPERVISOR),
        Page("home, administrator", "/", DASHBOARD_USER),
        Page("pair page", f"/pairs/{ids['pair_id']}", PARTNER),
        Page("encounters list", "/encounters/", PARTNER),
        Page("client list", "/clients/", PARTNER),
        Page("client list, htmx page 2", "/clients/?page=2", PARTNER, htmx_target="client-list"),
        Page("client page", client, PARTNER),
        Page("client timeline", f"{client}/timeline", PARTNER),
        Page("my tasks", "/tasks/", PARTNER),
        Page("week plan", f"/tasks/week?pair={ids['pair_id']}", PARTNER),
        Page("supervisor dashboard (year, all pairs)", "/dashboard/?period=year",
             DASHBOARD_USER),
        Page("funder report (year, all pairs)", f"/reports/funder?year={ids['year']}",
             DASHBOARD_USER),
        Page(FLOOR, FLOOR_PATH, PARTNER, port_key="floor"),
        Page(HELLO, "/", None, port_key="hello"),
    ]


def wrk() -> str:
    return shutil.which("wrk") or "wrk"


def wrk_version() -> str:
    result = subprocess.run([wrk(), "-v"], capture_output=True, text=True)  # noqa: S603
    lines = (result.stdout + result.stderr).splitlines()
    return lines[0].strip() if lines else "wrk"


def run_wrk(url: str, headers: dict[str, str], seconds: int, settings: Settings,
            script: Path) -> dict:
    argv = [wrk(), "-t", str(settings.threads), "-c", str(settings.connections),
            "-d", f"{seconds}s", "--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    argv.append(url)
    result = subprocess.run(  # noqa: S603 - wrk with our own arguments
        argv, capture_output=True, text=True, timeout=seconds + 60)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[len("BENCH "):])
    raise RuntimeError(f"wrk gave no figures ({result.returncode}):\n{result.stdout}\n"
                       f"{result.stderr}")


def load(page: Page, ports: dict, cookies: dict, settings: Settings, script: Path,
         measured: Measured) -> None:
    url = f"http://127.0.0.1:{ports[page.port_key]}{page.path}"
    headers = page.headers(cookies)
    if settings.warmup > 0:
        run_wrk(url, headers, settings.warmup, settings, script)
    figures = run_wrk(url, headers, settings.seconds, settings, script)
    seconds = figures["duration_us"] / 1e6
    measured.requests = figures["requests"]
    measured.rps = round(figures["requests"] / seconds, 1) if seconds else 0.0
    measured.p50_ms = round(figures["p50_us"] / 1000, 2)
    measured.p95_ms = round(figures["p95_us"] / 1000, 2)
    measured.p99_ms = round(figures["p99_us"] / 1000, 2)
    socket_errors = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
    measured.errors = figures["non2xx"] + socket_errors
    if measured.errors:
        measured.error_detail = (
            f"{figures['non2xx']} answers not 2xx (e.g. {figures['bad_status']}), socket "
            f"errors: connect {figures['connect']}, read {figures['read']}, write "
            f"{figures['write']}, timeout {figures['timeout']}")


def drain(port: int, one_request_ms: float | None) -> None:
    """Wait until the server has answered what the load left queued: wrk stops sending, but
    the requests already accepted are still answered (at national scale the funder report's
    for half a minute, which weighed on the next page's figures). Requests are taken from
    the queue in turn, so once one more is answered every request queued before it has been
    taken up; another worker may still be busy with its last one, which takes about one
    request's time alone: wait twice that."""
    fetch(port, "/login", timeout=600)
    time.sleep(2 * (one_request_ms or 0) / 1000)


def measure_bytes(page: Page, ports: dict, cookies: dict, measured: Measured) -> Answer:
    port = ports[page.port_key]
    compressed = fetch(port, page.path, page.headers(cookies, gzip_ok=True))
    plain = fetch(port, page.path, page.headers(cookies, gzip_ok=False))
    for answer in (compressed, plain):
        if answer.status != 200:
            where = answer.headers.get("Location") or ""
            raise RuntimeError(f"{page.name} ({page.path}) answered {answer.status} {where}")
    measured.bytes = len(compressed.body)
    measured.bytes_uncompressed = len(plain.body)
    measured.content_encoding = compressed.headers.get("Content-Encoding") or "identity"
    return compressed


def first_visit(ports: dict, cookies: dict) -> dict:
    """The first page of a session: the home page a partner lands on after signing in, with
    every same-site stylesheet, script and image it links (an empty browser cache)."""
    page = Page("home", "/", PARTNER)
    home = fetch(ports["app"], "/", page.headers(cookies))
    if home.status != 200:
        raise RuntimeError(f"the home page answered {home.status}")
    reader = AssetReader()
    reader.feed(home.text())
    assets = {}
    for asset in reader.assets:
        answer = fetch(ports["app"], urljoin("/", asset), page.headers(cookies))
        assets[asset] = {"status": answer.status, "bytes": len(answer.body),
                         "encoding": answer.headers.get("Content-Encoding") or "identity",
                         "cache_control": answer.headers.get("Cache-Control") or ""}
    total = len(home.body) + sum(a["bytes"] for a in assets.values())
    return {"path": "/", "user": PARTNER, "html_bytes": len(home.body),
            "html_encoding": home.headers.get("Content-Encoding") or "identity",
            "assets": assets, "total_bytes": total}


# --- in-process: SQL statements and profiles ---------------------------------------------------


class StatementCounter:
    def __init__(self) -> None:
        self.count = 0
        self.active = False

    def __call__(self, *_args, **_kwargs) -> None:
        if self.active:
            self.count += 1

    @contextlib.contextmanager
    def counting(self):
        self.count, self.active = 0, True
        try:
            yield self
        finally:
            self.active = False


def in_process(app, pages: list[Page], cookies: dict, profile_dir: Path | None) -> dict:
    """SQL statements and milliseconds of one warm request of each page (the second one: the
    first may fill per-process caches); with a profile directory, a cProfile of a third."""
    from sqlalchemy import event

    from outreach.extensions import db

    counter = StatementCounter()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", counter)
    results = {}
    try:
        for page in pages:
            if page.port_key == "hello":
                continue
            client = app.test_client()
            if page.user:
                client.set_cookie(SESSION_COOKIE, cookies[page.user], domain="localhost")
            headers = page.headers(cookies, gzip_ok=False)
            headers.pop("Cookie", None)
            client.get(page.path, headers=headers)  # warm
            with counter.counting():
                started = time.perf_counter()
                response = client.get(page.path, headers=headers)
                took = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"in-process {page.name} answered {response.status_code}")
            results[page.name] = (counter.count, round(took, 1))
            if profile_dir is not None:
                profile = cProfile.Profile()
                started = time.perf_counter()
                profile.enable()
                client.get(page.path, headers=headers)
                profile.disable()
                took = (time.perf_counter() - started) * 1000
                out = io.StringIO()
                out.write(f"{page.name}: {page.path} ({took:.1f} ms under cProfile)\n\n")
                stats = pstats.Stats(profile, stream=out).strip_dirs()
                stats.sort_stats("cumulative").print_stats(40)
                stats.sort_stats("tottime").print_stats(25)
                slug = re.sub(r"[^a-z0-9]+", "-", page.name.lower()).strip("-")
                (profile_dir / f"{slug}.txt").write_text(out.getvalue())
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", counter)
    return results


# --- report ----------------------------------------------------------------------------------


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def print_table(results: dict[str, Measured], first: dict, load_average: list) -> None:
    head = (f"{'page':<40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9} "
            f"{'(raw)':>9} {'queries':>7} {'ratio':>6} {'1 req ms':>9}")
    print()
    print(head)
    print("-" * len(head))
    for name, m in results.items():
        queries = "-" if m.queries is None else str(m.queries)
        alone = "-" if m.in_process_ms is None else f"{m.in_process_ms:.1f}"
        print(f"{name:<40} {m.rps:>8.1f} {m.p50_ms:>8.2f} {m.p95_ms:>8.2f} {m.bytes:>9,} "
              f"{m.bytes_uncompressed:>9,} {queries:>7} {m.ratio:>6.2f} {alone:>9}")
    print()
    print(f"bytes: the body over the wire with Accept-Encoding: gzip (raw: without). "
          f"First page of a session (home + {len(first['assets'])} assets, empty cache): "
          f"{first['total_bytes']:,} bytes ({kb(first['total_bytes'])}).\n"
          "1 req ms: one request in-process (test client, no load). Load average before the "
          f"run: {' '.join(map(str, load_average))} on {os.cpu_count()} CPUs (other work on "
          "the machine lowers every figure).")


def shortfalls(results: dict[str, Measured], first: dict, swaps: set[str]) -> list[str]:
    misses = []
    for name, m in results.items():
        if name in (HELLO, FLOOR):
            continue
        if m.ratio < TARGET_RATIO:
            misses.append(f"{name}: {m.ratio:.2f}× hello (target ≥ {TARGET_RATIO}×)")
        if m.p95_ms >= TARGET_P95_MS:
            misses.append(f"{name}: p95 {m.p95_ms:.1f} ms (target < {TARGET_P95_MS:.0f} ms)")
        if m.queries is not None and m.queries > TARGET_QUERIES:
            misses.append(f"{name}: {m.queries} queries (target ≤ {TARGET_QUERIES})")
        if name in swaps and m.bytes > TARGET_SWAP_BYTES:
            misses.append(f"{name}: htmx swap {kb(m.bytes)} (target ≤ 5 KB)")
    if first["total_bytes"] > TARGET_FIRST_PAGE_BYTES:
        misses.append(f"first page of a session: {kb(first['total_bytes'])} with its assets "
                      "(target ≤ 60 KB)")
    return misses


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The benchmark at scale (make bench).")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="PostgreSQL URL; default: a SQLite file under bench/.data/")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    if shutil.which("wrk") is None:
        say("wrk is missing: apt-get install wrk (make bench installs it as root)")
        return 2
    settings = Settings()
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / ".gitignore").write_text("*\n")
    profile_dir = None
    if os.environ.get("BENCH_PROFILE", "").lower() in ("1", "true", "yes", "on"):
        profile_dir = DATA / "profiles"
        profile_dir.mkdir(exist_ok=True)

    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, _raise_exit)
    started = time.monotonic()
    # Other work on the machine skews every figure: recorded with the results.
    load_before = [round(x, 2) for x in os.getloadavg()]
    processes = Processes()
    secret = secrets.token_hex(32)
    try:
        try:
            if args.database_url:
                url, db_meta = postgres_database(args.database_url, settings, secret)
            else:
                url, db_meta = sqlite_database(settings, secret)
        except Refused as exc:
            say(f"refusing {describe_url(sqlalchemy_url(args.database_url))}: {exc}")
            return 2
        env = base_env(url, secret)
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "INSTANCE_PATH")})
        os.environ.pop("TWO_STEP_REQUIRED_ROLES", None)

        ports = {"app": free_port()}
        for key in ("hello", "floor"):
            ports[key] = free_port()
            while ports[key] in [port for other, port in ports.items() if other != key]:
                ports[key] = free_port()
        workers = str(settings.workers)
        app_log, hello_log = DATA / "gunicorn-app.log", DATA / "gunicorn-hello.log"
        app_proc = processes.start(
            "app", [str(OUTREACH), "run", "--host", "127.0.0.1", "--port", str(ports["app"]),
                    "--workers", workers], env, app_log)
        hello_proc = processes.start(
            "hello", [sys.executable, str(BENCH / "hello.py"), "--host", "127.0.0.1",
                      "--port", str(ports["hello"]), "--workers", workers], env, hello_log)
        floor_log = DATA / "gunicorn-floor.log"
        floor_proc = processes.start(
            "floor", [sys.executable, str(BENCH / "floor.py"), "--host", "127.0.0.1",
                      "--port", str(ports["floor"]), "--workers", workers], env, floor_log)
        wait_until_serving(app_proc, ports["app"], "/login", app_log)
        wait_until_serving(hello_proc, ports["hello"], "/", hello_log)
        wait_until_serving(floor_proc, ports["floor"], "/login", floor_log)
        say(f"serving: app on 127.0.0.1:{ports['app']}, hello on 127.0.0.1:{ports['hello']}, "
            f"floor on 127.0.0.1:{ports['floor']} (gunicorn, {workers} sync workers each)")

        # The floor serves the same database with the same key: the sessions work on both.
        cookies = {email: sign_in(ports["app"], email) for email in USERS}

        app = floor.build()  # the app itself, plus the floor page (for its query count)
        ids = choose_ids(app)
        pages = pages_for(ids)
        say(f"signed in {PARTNER} and {DASHBOARD_USER}; pair {ids['pair_id']}, client "
            f"{ids['client_id']} ({ids['client_contacts']} contacts)")

        results = {page.name: Measured() for page in pages}
        for page in pages:
            measure_bytes(page, ports, cookies, results[page.name])
        first = first_visit(ports, cookies)
        for name, (count, ms) in in_process(app, pages, cookies, profile_dir).items():
            results[name].queries = count
            results[name].in_process_ms = ms
        if profile_dir is not None:
            say(f"profiles in {profile_dir.relative_to(ROOT)}/")

        script = DATA / "report.lua"
        script.write_text(LUA)
        # hello before and after the pages, averaged: other work on the machine that comes
        # and goes during the run weighs on the ceiling as on the pages.
        hello_page = next(page for page in pages if page.name == HELLO)
        hello_before = Measured()
        order = [(hello_page, hello_before)] + [(page, results[page.name]) for page in pages]
        for page, measured in order:
            say(f"loading {page.name} ({page.path}) for {settings.seconds} s")
            load(page, ports, cookies, settings, script, measured)
            if any(proc.poll() is not None for proc in (app_proc, hello_proc, floor_proc)):
                raise RuntimeError("a server exited during the load:\n" + tail(app_log))
            drain(ports[page.port_key], measured.in_process_ms)
        hello_after = results[HELLO]
        hello_runs = [{"rps": m.rps, "p50_ms": m.p50_ms, "p95_ms": m.p95_ms}
                      for m in (hello_before, hello_after)]
        for key in ("rps", "p50_ms", "p95_ms", "p99_ms"):
            setattr(hello_after, key, round(
                (getattr(hello_before, key) + getattr(hello_after, key)) / 2, 2))
        hello_after.requests += hello_before.requests
        hello_after.errors += hello_before.errors
        hello_after.error_detail = hello_after.error_detail or hello_before.error_detail

        hello_rps = results[HELLO].rps or 1.0
        for m in results.values():
            m.ratio = round(m.rps / hello_rps, 2)
        results[HELLO].queries = 0

        print_table(results, first, load_before)
        swaps = {page.name for page in pages if page.htmx_target}
        misses = shortfalls(results, first, swaps)
        if misses:
            print("\nShort of the targets:")
            for miss in misses:
                print(f"  - {miss}")
        else:
            print("\nEvery target met.")

        backend = "postgresql" if url.startswith("postgresql") else "sqlite"
        document = {
            "hello_rps": results[HELLO].rps,
            "pages": {
                name: {"rps": m.rps, "p50_ms": m.p50_ms, "p95_ms": m.p95_ms,
                       "bytes": m.bytes, "queries": m.queries, "ratio": m.ratio}
                for name, m in results.items()
            },
            "database": backend,
            "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "details": {
                "database_url": describe_url(url),
                "data": db_meta,
                "load": {"tool": wrk_version(), "seconds": settings.seconds,
                         "warmup_seconds": settings.warmup, "threads": settings.threads,
                         "connections": settings.connections,
                         "server": f"gunicorn, {settings.workers} sync workers (outreach run)",
                         "cpus": os.cpu_count(),
                         "load_average_before": load_before,
                         "load_average_after": [round(x, 2) for x in os.getloadavg()]},
                "ids": ids,
                "hello_runs": hello_runs,  # before and after the pages; hello is their mean
                "pages": {
                    page.name: {"path": page.path, "user": page.user,
                                "htmx_target": page.htmx_target,
                                "bytes_uncompressed": results[page.name].bytes_uncompressed,
                                "content_encoding": results[page.name].content_encoding,
                                "p99_ms": results[page.name].p99_ms,
                                "in_process_ms": results[page.name].in_process_ms,
                                "requests": results[page.name].requests,
                                "errors": results[page.name].errors}
                    for page in pages
                },
                "first_visit": first,
                "short_of_targets": misses,
            },
        }
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        # The latest run in results.json; each database's latest beside it, so that the
        # SQLite and PostgreSQL figures can be kept together.
        per_database = args.output.with_name(f"{args.output.stem}-{backend}.json")
        for path in (args.output, per_database):
            path.write_text(text)
        say(f"wrote {args.output} and {per_database.name} in "
            f"{time.monotonic() - started:.0f} s")

        failed = {name: m for name, m in results.items() if m.errors}
        if failed:
            for name, m in failed.items():
                say(f"ERRORS under load on {name}: {m.error_detail}")
            return 1
        return 0
    except SystemExit:
        say("interrupted: stopping the servers")
        raise
    finally:
        processes.stop_all()


if __name__ == "__main__":
    sys.exit(main())
