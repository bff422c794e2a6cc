"""One append-only row for every request that read or changed a client's data."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.extensions import db


class Outcome(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"


class Basis(StrEnum):
    OWN_PAIR = "own_pair"
    CONSULTATION = "consultation"
    SYSTEM = "system"


class AccessLog(db.Model):
    """Who read or changed what of a client, and whether they were let in.

    client_id and user_id carry no foreign keys on purpose: the log outlives the records it
    speaks about (retention, merges, removed accounts) and must never block a delete."""

    __tablename__ = "access_log"
    __table_args__ = (
        sa.Index("ix_access_log_client_at", "client_id", "at"),
        sa.Index("ix_access_log_user_at", "user_id", "at"),
        sa.Index("ix_access_log_outcome_at", "outcome", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.Integer)
    role: Mapped[str | None] = mapped_column(sa.String(24))
    client_id: Mapped[int | None] = mapped_column(sa.Integer)
    part: Mapped[str] = mapped_column(sa.String(40))
    action: Mapped[str] = mapped_column(sa.String(24))
    basis: Mapped[str] = mapped_column(sa.String(24), default=Basis.OWN_PAIR.value)
    outcome: Mapped[str] = mapped_column(sa.String(16), default=Outcome.ALLOWED.value)
    path: Mapped[str | None] = mapped_column(sa.String(500))
    session_hash: Mapped[str | None] = mapped_column(sa.String(64))
    remote_addr: Mapped[str | None] = mapped_column(sa.String(64))

    # Read-only convenience for the log pages; no constraint in the database.
    user: Mapped[User | None] = relationship(
        User,
        primaryjoin="foreign(AccessLog.user_id) == User.id",
        viewonly=True,
        lazy="raise",
    )

    def __repr__(self) -> str:
        return f"<AccessLog {self.at} u{self.user_id} c{self.client_id} {self.part} {self.action}>"
