"""Fifty signed-in partners at once against gunicorn + SQLite, as `outreach run` serves it.

For LOAD_SECONDS (default 30) fifty users – sharing the four partner accounts of the demo,
each with a session of her own – read (home, client list, her page, her timeline, my tasks,
the week plan) and write (quick-log a contact, add a task, mark it done, record a
well-being check-in as the expert), with the CSRF tokens of the pages. What users rely on:
no error answer at all, never "database is locked", and everything the app said it saved
is in the database afterwards – counted and compared one by one.
"""

import os
import time
import uuid

import pytest

from tests.load.conftest import (
    load_seconds,
    next_contact_id,
    report,
    served_app,
    stored,
    tracebacks,
)
from tests.load.users import Acknowledged, Recorder, figure_lines, figures, in_threads, make_users

pytestmark = pytest.mark.load

USERS = 50
THINK = 0.1  # seconds a user pauses between actions, on average
SIGNING_IN = 4  # users signing in at the same moment


def _unexpected(hits) -> str:
    return "\n".join(
        f"  {hit.name}: {hit.method} {hit.path} -> {hit.status or hit.error}"
        f"{' ' + repr(hit.heading) if hit.heading else ''}"
        for hit in hits[:15]
    )


@pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")),
    reason="SQLite load test: runs in the SQLite pass (the PostgreSQL pass runs the fault test)",
)
def test_fifty_users_read_and_write_without_errors_or_lost_writes(tmp_path):
    seconds = load_seconds()
    run = uuid.uuid4().hex[:8]
    recorder = Recorder()
    with served_app(tmp_path, f"sqlite:///{tmp_path / 'load.db'}", workers=2) as served:
        engine = served.engine()
        first_contact_id = next_contact_id(engine)
        users = make_users(served.base, recorder, USERS, run, THINK)

        # Signing in costs an argon2 hash (~0.25 s of CPU): a few at a time, as people do.
        errors = in_threads(lambda user: user.sign_in(), users, timeout=300,
                            concurrency=SIGNING_IN)
        assert not errors, f"signing in failed: {errors[:3]}"
        signed_in = len(recorder.hits)

        started, cpu = time.monotonic(), time.process_time()
        errors = in_threads(lambda user: user.run_until(started + seconds), users,
                            timeout=seconds + 120)
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        assert not errors, f"the users did not finish: {errors[:3]}"
    log = served.log()

    hits = recorder.hits[signed_in:]
    acked = Acknowledged()
    for user in users:
        acked.merge(user.acked)
    result = figures(hits, elapsed)
    report(*figure_lines(
        f"SQLite load, {USERS} users, {elapsed:.0f} s, gunicorn 2 workers", result))
    report(f"  acknowledged writes: {acked.counts()}",
           f"  the users' own CPU time (same machine): {cpu:.1f} s in {elapsed:.0f} s; "
           f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    assert not recorder.failures, "\n".join(recorder.failures[:15])
    unexpected = [hit for hit in recorder.hits if not hit.ok]
    assert not unexpected, (
        f"{len(unexpected)} of {len(recorder.hits)} answers were not the expected ones:\n"
        + _unexpected(unexpected) + "\n" + tracebacks(log)
    )
    assert not [hit for hit in recorder.hits if hit.locked], "'database is locked' in an answer"
    assert "database is locked" not in log
    assert "Traceback" not in log, tracebacks(log)

    # Every kind of write happened (the run means something).
    for name, count in acked.counts().items():
        assert count >= 1, f"no {name} in {elapsed:.0f} s"

    # Every acknowledged write is there; and nothing else was written by the run.
    saved = stored(served.engine(), run, first_contact_id)
    for name in ("task_titles", "checkin_notes", "contact_ids", "done_task_ids"):
        missing = getattr(acked, name) - saved[name]
        assert not missing, f"{len(missing)} acknowledged {name} not in the database"
        assert saved[name] == getattr(acked, name), (
            f"{name}: {len(saved[name])} in the database, {len(getattr(acked, name))} "
            "acknowledged"
        )
