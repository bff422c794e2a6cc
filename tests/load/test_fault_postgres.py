"""PostgreSQL restarted while partners work: gunicorn + PostgreSQL as `outreach run` serves it,
ten signed-in users reading and writing, and the database server stopped (`pg_ctl stop -m
fast`) for about five seconds in the middle, then started again.

What users rely on: while the database is down every page – plain or htmx – answers 503
with a clear page in their language (never a 500, never a hang); the app serves again
within 5 s of PostgreSQL being back; nothing the app said it saved is lost.

Runs in the PostgreSQL pass (`scripts/test-postgres.sh`: make test, make test-postgres) on a
throwaway cluster of its own (`scripts/pg-throwaway.sh` with its own PG_STATE), which it
stops and starts through `server-stop / server-start`: the other tests, running beside it
in other workers on the pass's shared server, never see PostgreSQL go away. Elsewhere it is
skipped – except that the PostgreSQL pass sets LOAD_FAULT_REQUIRED=1, and then anything
missing fails the test instead of skipping it.
"""

import os
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.load.conftest import UNAVAILABLE_TITLE, report, served_app, stored, t, tracebacks
from tests.load.users import (
    Acknowledged,
    Recorder,
    VirtualUser,
    figure_lines,
    figures,
    find_form,
    in_threads,
    make_users,
)

pytestmark = [pytest.mark.load, pytest.mark.postgres_fault]

USERS = 10
THINK = 0.1
WARM_UP = 5  # seconds of normal work before the database goes down
DOWN = 5  # seconds the database stays down
AFTER = 6  # seconds of work after it is back
SERVES_AGAIN_WITHIN = 5  # seconds after PostgreSQL is back
DATABASE = "tyopari_load"


def _cannot_run(reason: str):
    if os.environ.get("LOAD_FAULT_REQUIRED") == "1":
        pytest.fail(f"the fault test must run in this pass but cannot: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL fault test: {reason} (run make test-postgres)")


@pytest.fixture
def throwaway(tmp_path):
    """The control of a throwaway cluster of this test's own and the URL of a database in it."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    script = os.environ.get("PG_THROWAWAY", "")
    if not url:
        _cannot_run("TEST_DATABASE_URL is not set")
    if not url.startswith(("postgres://", "postgresql")):
        _cannot_run("TEST_DATABASE_URL is not a PostgreSQL database")
    if not script or not os.access(script, os.X_OK):
        _cannot_run("PG_THROWAWAY does not name scripts/pg-throwaway.sh")
    control = Control(script, tmp_path / "pg-state")
    control.run("start")
    try:
        base = sa.engine.make_url(control.run("url").strip())
        admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT",
                                 poolclass=sa.pool.NullPool)
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{DATABASE}"'))
        admin.dispose()
        yield control, base.set(database=DATABASE).render_as_string(hide_password=False)
    finally:
        control.run("stop")


class Control:
    """Stops and starts this test's throwaway PostgreSQL server (its data stays)."""

    def __init__(self, script: str, state: Path):
        self.script = script
        self.env = {**os.environ, "PG_STATE": str(state)}
        self.stopped = False

    def run(self, command: str) -> str:
        done = subprocess.run([self.script, command], capture_output=True, text=True,
                              timeout=120, check=False, env=self.env)
        if done.returncode != 0:
            pytest.fail(f"pg-throwaway.sh {command} failed:\n{done.stdout}\n{done.stderr}",
                        pytrace=False)
        return done.stdout

    def stop(self) -> None:
        self.stopped = True
        self.run("server-stop")

    def start(self) -> None:
        self.run("server-start")
        self.stopped = False

    def ensure_running(self) -> None:
        if self.stopped:
            self.start()


def _client_with_quick_log(user: VirtualUser) -> int:
    user.do_client_list()
    for client_id in user.client_ids:
        user._client_page(client_id)
        if client_id in user.loggable:
            return client_id
    pytest.fail("no client of pro1 offers the quick log in the demo data", pytrace=False)


def test_postgres_restart_answers_503_then_serves_again_and_loses_nothing(tmp_path, throwaway):
    control, database_url = throwaway
    run = uuid.uuid4().hex[:8]
    recorder, probes = Recorder(), Recorder()
    with served_app(tmp_path, database_url, workers=2) as served:
        users = make_users(served.base, recorder, USERS, run, THINK)
        errors = in_threads(lambda user: user.sign_in(), users, timeout=120, concurrency=4)
        assert not errors, f"signing in failed: {errors[:3]}"
        signed_in = len(recorder.hits)

        # Two people who look at the pages while the database is down: one in Finnish
        # (the demo's language), one who chose Swedish.
        finnish = VirtualUser(served.base, probes, "pro1@demo.test", "professional", run, 1)
        swedish = VirtualUser(served.base, probes, "pro2@demo.test", "professional", run, 2)
        finnish.sign_in()
        swedish.sign_in()
        swedish.get("/?lang=sv", "language")
        client_id = _client_with_quick_log(finnish)
        quick = f"/clients/{client_id}/contacts/quick"
        her_page = finnish.get(f"/clients/{client_id}", "client page").text
        token = find_form(her_page, quick).value("csrf_token")

        started = time.monotonic()
        stop = threading.Event()
        workers = [threading.Thread(target=user.run_until, args=(started + 300, stop),
                                    daemon=True) for user in users]
        for worker in workers:
            worker.start()
        try:
            time.sleep(WARM_UP)
            stopping = time.monotonic()
            control.stop()
            down = time.monotonic()

            # While it is down: a 503 page, plain and htmx, in the user's language.
            page = finnish.get(f"/clients/{client_id}", "down: page", expected=(503,))
            fragment = finnish.request(
                "POST", quick, name="down: htmx quick log", expected=(503,),
                data={"channel": "street", "csrf_token": token}, htmx_target="quick-log",
                csrf=token)
            home_sv = swedish.get("/", "down: home (sv)", expected=(503,))
            time.sleep(max(0.0, down + DOWN - time.monotonic()))

            starting = time.monotonic()
            control.start()
            back = time.monotonic()
            serving = None
            while time.monotonic() < back + SERVES_AGAIN_WITHIN + 10:
                answer = finnish.get("/", "after: home", expected=(200, 503), check=False)
                if answer.status == 200:
                    serving = time.monotonic()
                    break
                time.sleep(0.1)
            time.sleep(AFTER)
        finally:
            stop.set()
            for worker in workers:
                worker.join(60)
            control.ensure_running()
        ended = time.monotonic()
    log = served.log()

    # The pages while it was down.
    for answer, lang in ((page, "fi"), (fragment, "fi"), (home_sv, "sv")):
        assert answer.status == 503
        assert f'<html lang="{lang}">' in answer.text
        assert t(lang, UNAVAILABLE_TITLE) in answer.text
        assert answer.headers.get("Retry-After")
        assert "HX-Redirect" not in answer.headers
    assert serving is not None, "the app did not serve again after PostgreSQL was back"
    recovery = serving - back

    hits = recorder.hits[signed_in:]
    acked = Acknowledged()
    for user in users:
        acked.merge(user.acked)
    unavailable = [hit for hit in hits if hit.status == 503]
    window_end = back + SERVES_AGAIN_WITHIN
    working = [hit for hit in hits if hit.started + hit.seconds < stopping
               or hit.started > window_end]
    working_seconds = (stopping - started) + max(0.0, ended - window_end)
    report(*figure_lines(
        f"PostgreSQL fault, {USERS} users, {ended - started:.0f} s in all; figures outside "
        f"the outage ({working_seconds:.0f} s)", figures(working, working_seconds)))
    report(
        f"  PostgreSQL stopped in {down - stopping:.1f} s, down {starting - down:.1f} s, "
        f"started in {back - starting:.1f} s; the app served again {recovery:.2f} s after "
        f"it was back; {len(unavailable)} answers 503 "
        f"({sum(hit.htmx for hit in unavailable)} htmx) while it was down",
        f"  acknowledged writes: {acked.counts()}",
    )

    assert not recorder.failures, "\n".join(recorder.failures[:15])
    assert recovery <= SERVES_AGAIN_WITHIN, f"served again only {recovery:.1f} s after"
    wrong = [
        hit for hit in recorder.hits + probes.hits
        if not hit.ok and not (hit.status == 503 and hit.started + hit.seconds >= stopping
                               and hit.started <= window_end)
    ]
    assert not wrong, "answers other than expected:\n" + "\n".join(
        f"  {hit.name}: {hit.method} {hit.path} -> {hit.status or hit.error} {hit.heading!r}"
        for hit in wrong[:15]) + "\n" + tracebacks(log)
    assert unavailable, "no user met the outage: nothing was tested"
    assert not [hit for hit in hits if hit.started > window_end and hit.status >= 500]
    assert "Traceback" not in log, tracebacks(log)

    # Nothing acknowledged is lost (a write cut off by the stop may be there unacknowledged).
    saved = stored(served.engine(), run, first_contact_id=0)
    for name in ("task_titles", "checkin_notes", "done_task_ids"):
        missing = getattr(acked, name) - saved[name]
        assert not missing, f"{len(missing)} acknowledged {name} lost"
    missing_contacts = acked.contact_ids - saved["contact_ids"]
    assert not missing_contacts, f"{len(missing_contacts)} acknowledged contacts lost"
