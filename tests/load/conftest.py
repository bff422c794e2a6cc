"""Load and fault tests: the real app under gunicorn (`outreach demo --no-serve`, then
`outreach run --workers 2`) in a subprocess on a free 127.0.0.1 port, loaded by the virtual
users of `tests/load/users.py`.

Everything here is bounded: 127.0.0.1 only, a fixed duration (LOAD_SECONDS, default 30 for
the load test), a timeout on every request, the server always stopped. The figures are
printed in the test summary ("load and fault figures").
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.support import Translations

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
START_TIMEOUT = 60  # seconds for the server to answer /login (a shared machine boots slowly)
# The sign-in limit per address (30 a minute) would refuse 50 users signing in from
# 127.0.0.1 within a second; the test server allows more. (The per-account limit counts
# only failed sign-ins, so four shared accounts are no problem.)
LOGIN_LIMIT = "10000 per minute"

FIGURES: list[str] = []  # printed at the end of the run


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("load and fault figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


def report(*lines: str) -> None:
    """Lines for the summary at the end of the run (and the captured output)."""
    for line in lines:
        print(line)
        FIGURES.append(line)


# --- translations, as the app has them -----------------------------------------------------


@cache
def _catalogue(lang: str) -> Translations:
    return Translations.load(str(ROOT / "outreach" / "translations"), [lang], domain="messages")


def t(lang: str, message: str) -> str:
    """The app's text for `message` in `lang` (the English msgid where untranslated)."""
    return _catalogue(lang).gettext(message)


UNAVAILABLE_TITLE = "Työpari cannot reach its records just now"  # templates/errors/error.html


# --- the served app --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def server_log(path: Path, tail: int = 6000) -> str:
    try:
        return path.read_text(errors="replace")[-tail:]
    except OSError:
        return "(no log)"


def tracebacks(log: str, lines_after: int = 40) -> str:
    """The server log's tracebacks, each with the lines that follow it, for a failure's
    message: the tail of a busy log rarely holds the one that matters."""
    lines = log.splitlines()
    found = [i for i, line in enumerate(lines) if "Traceback" in line]
    return "\n---\n".join(
        "\n".join(lines[max(0, i - 2):i + lines_after]) for i in found[:3])


class Served:
    """The app under gunicorn: its base URL, database URL and log file."""

    def __init__(self, base: str, database_url: str, log_path: Path):
        self.base = base
        self.database_url = database_url
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.database_url, poolclass=sa.pool.NullPool)


def server_env(tmp: Path, database_url: str, **extra: str) -> dict:
    """The environment `outreach` runs with: this database, a fresh key, the test limits."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "TEST_DATABASE_URL", "E2E_DATABASE_URL"}
    }
    env.update(
        SECRET_KEY=secrets.token_hex(32),
        INSTANCE_PATH=str(tmp / "instance"),
        DATABASE_URL=database_url,
        LOGIN_LIMIT_PER_ADDRESS=LOGIN_LIMIT,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


OUTREACH = str(Path(sys.executable).parent / "outreach")


def prepare_demo(env: dict) -> None:
    """`outreach demo --no-serve`: migrate and load the demo data."""
    prepared = subprocess.run(
        [OUTREACH, "demo", "--no-serve"], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=180, check=False,
    )
    if prepared.returncode != 0:
        pytest.fail(f"`outreach demo --no-serve` failed ({prepared.returncode}):\n"
                    f"{prepared.stdout}\n{prepared.stderr}", pytrace=False)


@contextmanager
def gunicorn(env: dict, log_path: Path, workers: int = 2):
    """`outreach run --workers N` on a free 127.0.0.1 port until it answers /login; stopped
    (SIGTERM, then SIGKILL) when the block ends."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [OUTREACH, "run", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers)],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"the server exited ({server.returncode}):\n{server_log(log_path)}",
                            pytrace=False)
            try:
                with urllib.request.urlopen(f"{base}/login", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer {base}/login in {START_TIMEOUT} s:\n"
                            f"{server_log(log_path)}", pytrace=False)
            time.sleep(0.2)
        yield Served(base, env["DATABASE_URL"], log_path)
    finally:
        server.send_signal(signal.SIGTERM)  # gunicorn: graceful stop of the workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def served_app(tmp: Path, database_url: str, workers: int = 2, **extra_env: str):
    """Prepare the demo data, then serve it as `outreach run --workers N` does."""
    env = server_env(tmp, database_url, **extra_env)
    prepare_demo(env)
    with gunicorn(env, tmp / "server.log", workers) as served:
        yield served


def load_seconds(default: int = 30) -> float:
    value = os.environ.get("LOAD_SECONDS", "").strip()
    try:
        seconds = float(value) if value else float(default)
    except ValueError:
        pytest.fail(f"LOAD_SECONDS must be a number of seconds, not {value!r}", pytrace=False)
    return max(1.0, seconds)


# --- what a run left in the database -----------------------------------------------------


def stored(engine: sa.Engine, run: str, first_contact_id: int) -> dict:
    """What this run left in the database, found by its markers."""
    prefix = f"load-{run}-%"
    with engine.connect() as conn:
        tasks = conn.execute(
            sa.text("SELECT id, title, status FROM task WHERE title LIKE :p"), {"p": prefix}
        ).all()
        notes = conn.execute(
            sa.text("SELECT note FROM check_in WHERE note LIKE :p"), {"p": prefix}
        ).scalars().all()
        contacts = conn.execute(
            sa.text("SELECT id FROM contact WHERE id >= :first"), {"first": first_contact_id}
        ).scalars().all()
    return {
        "task_titles": {title for _, title, _ in tasks},
        "done_task_ids": {task_id for task_id, _, status in tasks if status == "done"},
        "checkin_notes": set(notes),
        "contact_ids": set(contacts),
    }


def next_contact_id(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return (conn.execute(sa.text("SELECT max(id) FROM contact")).scalar() or 0) + 1
