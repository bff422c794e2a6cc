from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.core.time import aware
from outreach.extensions import db

DAYS_MIN, DAYS_MAX, DAYS_DEFAULT = 1, 14, 7


class Consultation(db.Model):
    """One client's record opened to the pair's supervisor until `ends_at`, or until the
    professional ends it earlier (`ended_at`). Rows are kept after the end: the pair sees
    who read her record and why."""

    __tablename__ = "consultation"
    __table_args__ = (
        # The supervisor's active consultations (her list, her access to a record).
        sa.Index("ix_consultation_supervisor_active", "supervisor_id", "ended_at", "ends_at"),
        # The consultations of one client (her page), newest first.
        sa.Index("ix_consultation_client_opened", "client_id", "opened_at"),
        sa.CheckConstraint("ends_at > opened_at", name="ends_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"))
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"), index=True)
    # The pair's supervisor when it was opened: a later change of supervisor opens nothing.
    supervisor_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    opened_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    opened_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    ends_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"),
                                                    index=True)

    client = relationship("Client")
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])

    @classmethod
    def for_days(cls, days: int, now: datetime | None = None, **fields) -> "Consultation":
        now = now or utcnow()
        return cls(opened_at=now, ends_at=now + timedelta(days=days), **fields)

    def is_active(self, now: datetime | None = None) -> bool:
        return self.ended_at is None and aware(self.ends_at) > (now or utcnow())

    @property
    def closed_at(self) -> datetime:
        """When it ended or will end: ended early, or at its end time."""
        return self.ended_at or self.ends_at

    def __repr__(self) -> str:
        return f"<Consultation c{self.client_id} s{self.supervisor_id} until {self.ends_at}>"
