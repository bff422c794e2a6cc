from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.extensions import db


class MailMessage(db.Model):
    """One message to one person. `key` names what it is (e.g. "outing:12:1:partner",
    "daily:5:2026-12-07") and is unique: inserting it is the claim, so a second sender
    gets the constraint error and leaves it. `claimed_until` is the lease of the sender at
    work; a message not sent whose lease has run out (a failed send, a sender that died)
    is taken again by the next run."""

    __tablename__ = "mail_message"
    __table_args__ = (
        sa.UniqueConstraint("key", name="uq_mail_message_key"),
        sa.Index("ix_mail_message_sent_claimed", "sent_at", "claimed_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(32))
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    transport: Mapped[str | None] = mapped_column(sa.String(8))  # "smtp" or "log"
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))

    recipient: Mapped[User] = relationship()


class MailPreference(db.Model):
    """Which digests a person gets (no row: both, as chosen on her profile). Outing alerts
    are not a choice: they are the safety of her partner."""

    __tablename__ = "mail_preference"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), primary_key=True)
    daily_digest: Mapped[bool] = mapped_column(default=True)
    weekly_digest: Mapped[bool] = mapped_column(default=True)
