"""The one clock every part of the app reads.

`TYOPARI_NOW` (ISO 8601, e.g. `2026-12-06T19:30:00+02:00`) moves it for a whole process:
the clock starts at that moment when the process starts and runs on from there, so a
browser journey's server or a CLI command run in a subprocess sees the same moved time as
the test that started it. Tests in the same process use `set_now()`.
"""

import os
from datetime import UTC, datetime, timedelta

_offset = timedelta(0)


def _parse(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def set_now(moment: datetime | str | None) -> None:
    """Move the clock so that it reads `moment` now and runs on from there (None: real)."""
    global _offset
    if moment is None:
        _offset = timedelta(0)
        return
    if isinstance(moment, str):
        moment = _parse(moment)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    _offset = moment - datetime.now(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC) + _offset


if os.environ.get("TYOPARI_NOW"):
    set_now(os.environ["TYOPARI_NOW"])
