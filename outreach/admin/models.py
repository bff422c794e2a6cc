"""The change log of accounts: who changed which account, when, and what."""

import json
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.core.columns import enum_column
from outreach.extensions import db


class AccountAction(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - an action name, not a password
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    TWO_STEP_ENABLED = "two_step_enabled"  # turned on by the person
    TWO_STEP_DISABLED = "two_step_disabled"  # turned off by the person
    TWO_STEP_RESET = "two_step_reset"  # turned off by an administrator


# The account fields a change may name. Passwords are never among them: the log says that
# a password was reset or changed, never what it was.
LOGGED_FIELDS = ("name", "email", "role", "language")


class AccountChange(db.Model):
    __tablename__ = "account_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The account that was changed.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    # Who changed it; empty only for changes made outside the app (command line).
    changed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"), index=True
    )
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    action: Mapped[AccountAction] = mapped_column(enum_column(AccountAction, "account_action"))
    # JSON: {"field": [old, new], ...}; for a new account {"field": [null, value]}.
    details: Mapped[str] = mapped_column(sa.Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])

    @property
    def changes(self) -> list[tuple[str, str | None, str | None]]:
        """(field, old, new) for each field the change touched, in a fixed order."""
        try:
            data = json.loads(self.details) if self.details else {}
        except ValueError:
            return []
        return [
            (field, *data[field]) for field in LOGGED_FIELDS if field in data
        ]


def snapshot(user: User) -> dict[str, str]:
    """The logged fields of an account as they are now."""
    return {field: str(getattr(user, field) or "") for field in LOGGED_FIELDS}


def record_change(user: User, changed_by: User | None, action: AccountAction,
                  before: dict[str, str] | None = None,
                  after: dict[str, str] | None = None) -> AccountChange | None:
    """Add an entry to the session (the caller commits with the change itself).

    With `before` and `after`, only the fields that differ are kept; an edit that changed
    nothing is not recorded and returns None."""
    details = {}
    if after is not None:
        before = before or {}
        details = {
            field: [before.get(field), value]
            for field, value in after.items()
            if field in LOGGED_FIELDS and before.get(field) != value
        }
        if action == AccountAction.EDITED and not details:
            return None
    change = AccountChange(
        user=user,
        changed_by=changed_by,
        action=action,
        details=json.dumps(details, ensure_ascii=False) if details else "",
    )
    db.session.add(change)
    return change
