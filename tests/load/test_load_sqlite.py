"""Fifty signed-in partners at once against gunicorn + SQLite, as `outreach run` serves it.

For LOAD_SECONDS (default 60) fifty users – sharing the four partner accounts of the demo,
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
import sqlalchemy as sa

from tests.load.conftest import load_seconds, report, served_app
from tests.load.users import Acknowledged, Recorder, figure_lines, figures, in_threads, make_users

pytestmark = pytest.mark.load

USERS = 50
THINK = 0.1  # seconds a user pauses between actions, on average


def _unexpected(hits) -> str:
    return "\n".join(
        f"  {hit.name}: {hit.method} {hit.path} -> {hit.status or hit.error}"
        f"{' ' + repr(hit.heading) if hit.heading else ''}"
        for hit in hits[:15]
    )


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

        errors = in_threads(lambda user: user.sign_in(), users, timeout=180)
        assert not errors, f"signing in failed: {errors[:3]}"
        signed_in = len(recorder.hits)

        started = time.monotonic()
        errors = in_threads(lambda user: user.run_until(started + seconds), users,
                            timeout=seconds + 120)
        elapsed = time.monotonic() - started
        assert not errors, f"the users did not finish: {errors[:3]}"
    log = served.log()

    hits = recorder.hits[signed_in:]
    acked = Acknowledged()
    for user in users:
        acked.merge(user.acked)
    result = figures(hits, elapsed)
    report(*figure_lines(
        f"SQLite load, {USERS} users, {elapsed:.0f} s, gunicorn 2 workers", result))
    report(f"  acknowledged writes: {acked.counts()}")

    assert not recorder.failures, "\n".join(recorder.failures[:15])
    unexpected = [hit for hit in recorder.hits if not hit.ok]
    assert not unexpected, (
        f"{len(unexpected)} of {len(recorder.hits)} answers were not the expected ones:\n"
        + _unexpected(unexpected)
    )
    assert not [hit for hit in recorder.hits if hit.locked], "'database is locked' in an answer"
    assert "database is locked" not in log
    assert "Traceback" not in log, log[-4000:]

    # Enough happened to mean something: every kind of write, many times.
    for name, count in acked.counts().items():
        assert count >= 5, f"only {count} {name} in {elapsed:.0f} s"

    # Every acknowledged write is there; and nothing else was written by the run.
    saved = stored(served.engine(), run, first_contact_id)
    for name in ("task_titles", "checkin_notes", "contact_ids", "done_task_ids"):
        missing = getattr(acked, name) - saved[name]
        assert not missing, f"{len(missing)} acknowledged {name} not in the database"
        assert saved[name] == getattr(acked, name), (
            f"{name}: {len(saved[name])} in the database, {len(getattr(acked, name))} "
            "acknowledged"
        )
