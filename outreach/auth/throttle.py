"""Failed sign-ins counted in the database, shared by every worker and app server.

Flask-Limiter stores its counts in memory unless Redis (or memcached, MongoDB) is set up:
with the default two gunicorn workers each worker counted its own five wrong passwords, so
one account got ten guesses a minute, and two app servers doubled that again. The limits
library has no SQL storage, and the per-account limit is the one that guards a password,
so it is kept here, in the one place every server already shares: table `signin_failure`
(as django-axes does), whatever RATELIMIT_STORAGE_URI says. The per-address limit stays
with Flask-Limiter (shared once RATELIMIT_STORAGE_URI points at Redis).

Exact under concurrency: an attempt takes its place in the count with one atomic
INSERT ... ON CONFLICT DO UPDATE ... RETURNING before the password is checked, so two
workers checking at the same moment can never both see "four so far". A correct password
gives its place back (successful sign-ins do not use the limit up), and so does an attempt
refused without its password being checked. The window starts at
the first failure and lasts the limit's period: "5 per minute" means at most five wrong
passwords within a minute of the first, never more however the attempts are timed.
"""

import sqlalchemy as sa
from limits import parse_many
from sqlalchemy.dialects import postgresql, sqlite

from outreach.auth.models import SigninFailure
from outreach.core.clock import utcnow
from outreach.extensions import db

KEY_LENGTH = 255


def keys(scope: str, limits: str, who: str) -> list[tuple[str, int, int]]:
    """(row key, allowed, window seconds) for each limit of a "5 per minute;20 per hour"."""
    result = []
    for item in parse_many(limits):
        seconds = item.get_expiry()
        result.append((f"{scope}|{seconds}|{who}"[:KEY_LENGTH], item.amount, seconds))
    return result


def _upsert(dialect: str):
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(
        SigninFailure.__table__)


def take_place(scope: str, limits: str, who: str) -> tuple[bool, list[str]]:
    """Count one attempt against every limit; (allowed, the keys counted). Committed at
    once in its own statement so that other workers see it before the password is
    checked."""
    now = utcnow().timestamp()
    table = SigninFailure.__table__
    allowed = True
    counted = []
    for key, amount, seconds in keys(scope, limits, who):
        cutoff = now - seconds
        insert = _upsert(db.session.get_bind().dialect.name).values(
            key=key, window_start=now, failures=1)
        running = table.c.window_start > cutoff
        statement = insert.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": sa.case((running, table.c.failures + 1), else_=1),
                "window_start": sa.case((running, table.c.window_start), else_=now),
            },
        ).returning(table.c.failures)
        failures = db.session.execute(statement).scalar_one()
        counted.append(key)
        if failures > amount:
            allowed = False
    if not allowed:
        # Refused before any password was checked: only checked failures count.
        give_back(counted)
    db.session.commit()
    return allowed, counted


def give_back(counted: list[str]) -> None:
    """The attempt succeeded: its place in the count is returned (committed by the caller)."""
    if not counted:
        return
    table = SigninFailure.__table__
    db.session.execute(
        sa.update(table).where(table.c.key.in_(counted), table.c.failures > 0)
        .values(failures=table.c.failures - 1)
    )


def purge_ended(*limits: str) -> int:
    """Delete the counts whose window has ended under every limit given (the longest window
    of them): what a stranger typed as an email stays no longer than it guards anything.
    `outreach retention` runs it nightly. The number of rows deleted."""
    longest = max((item.get_expiry() for text in limits for item in parse_many(text)),
                  default=0)
    table = SigninFailure.__table__
    result = db.session.execute(
        sa.delete(table).where(table.c.window_start < utcnow().timestamp() - longest))
    db.session.commit()
    return result.rowcount
