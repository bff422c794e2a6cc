import secrets
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, validates

from outreach.core.clock import utcnow
from outreach.core.columns import enum_column
from outreach.extensions import db


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    PROFESSIONAL = "professional"
    EXPERT = "expert"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive on every database.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    language: Mapped[str] = mapped_column(sa.String(2), default="fi")
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Part of the login cookie: changing it ends every session of this user at once.
    session_token: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=new_session_token
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Two-step sign-in (outreach.auth.two_step). The secret is kept sealed (encrypted and
    # authenticated with a key derived from the app's secret key), never in the clear.
    # It is set when setting up starts and counts only once totp_enabled_at is set.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(255), default=None)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(
        sa.DateTime(timezone=True), default=None
    )
    # The time step of the last code accepted: no code of that step or before works again.
    totp_last_counter: Mapped[int | None] = mapped_column(default=None)

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return value.strip().lower()

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    def end_sessions(self) -> None:
        self.session_token = new_session_token()

    @property
    def two_step_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class RecoveryCode(db.Model):
    """A one-use code for signing in without the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # argon2id, as for passwords (outreach.auth.passwords).
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), default=None)


class SigninFailure(db.Model):
    """Failed sign-ins counted in the database (outreach.auth.throttle), so that every
    worker and every app server counts against the same figure: one row per limit and
    account-and-address, holding the failures since the first one of its window."""

    __tablename__ = "signin_failure"

    # "<scope>|<window seconds>|<account>|<address>", cut to fit (see throttle.key()).
    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    # Epoch seconds of the first failure of the running window (the app's clock).
    window_start: Mapped[float] = mapped_column(sa.Float)
    failures: Mapped[int] = mapped_column(default=0)
