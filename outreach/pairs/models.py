from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User, utcnow
from outreach.extensions import db


class Pair(db.Model):
    """A professional and an experience expert working together; the data belongs to the pair."""

    __tablename__ = "pair"

    id: Mapped[int] = mapped_column(primary_key=True)
    professional_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"), index=True
    )
    starts_on: Mapped[date]
    # The first day the pair no longer works together: from then on its members lose access.
    ends_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    professional: Mapped[User] = relationship(foreign_keys=[professional_id])
    expert: Mapped[User] = relationship(foreign_keys=[expert_id])
    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id])

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on > day)

    @property
    def label(self) -> str:
        return f"{self.professional.name} & {self.expert.name}"
