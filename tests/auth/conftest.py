"""Helpers for the two-step sign-in tests: a clock the codes follow, and ready accounts."""

from dataclasses import dataclass, field

import pyotp
import pytest

from outreach.auth import two_step
from outreach.core.clock import utcnow
from outreach.extensions import db


@dataclass
class Clock:
    """Time as two_step sees it, starting one second into a fresh 30-second step."""

    now: float = field(default_factory=lambda: (int(utcnow().timestamp()) // 30) * 30 + 1.0)

    def advance(self, steps: int = 1) -> None:
        self.now += steps * two_step.STEP_SECONDS

    def code(self, secret: str, steps: int = 0) -> str:
        """The app's code for the current step, or a step before (-1) or after (+1)."""
        return pyotp.TOTP(secret).at(self.now + steps * two_step.STEP_SECONDS)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(two_step, "time_now", lambda: clock.now)
    return clock


@dataclass
class TwoStepAccount:
    user: object
    secret: str
    recovery_codes: list[str]


@pytest.fixture
def with_two_step(app):
    """Turn two-step sign-in on for a user, as a finished setup would."""

    def enable(user) -> TwoStepAccount:
        secret = pyotp.random_base32()
        user.totp_secret = two_step.seal(secret)
        codes = two_step.enable(user)
        db.session.commit()
        return TwoStepAccount(user, secret, codes)

    return enable
