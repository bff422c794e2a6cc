from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.extensions import db
from outreach.pairs.models import Pair

STRAIN_MIN, STRAIN_MAX = 1, 5

# How heavy the work feels, every value in words (1 = light ... 5 = very heavy).
STRAIN_NAMES = {
    1: _l("Light"),
    2: _l("Fairly light"),
    3: _l("Moderate"),
    4: _l("Fairly heavy"),
    5: _l("Very heavy"),
}


class CheckIn(db.Model):
    """The expert's well-being check-in. Its content (strain, wish to talk, note) is the
    pair's own; the supervisor only ever sees how many wait unacknowledged and since when."""

    __tablename__ = "check_in"
    __table_args__ = (
        sa.CheckConstraint(f"strain BETWEEN {STRAIN_MIN} AND {STRAIN_MAX}",
                           name="strain_range"),
        # The waiting ones of a pair (home panels, the supervisor's counts).
        sa.Index("ix_check_in_pair_acknowledged", "pair_id", "acknowledged_at"),
        # Her history, newest first.
        sa.Index("ix_check_in_expert_created", "expert_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"))
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    strain: Mapped[int] = mapped_column(sa.SmallInteger)
    wants_to_talk: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"), index=True
    )
    talked_on: Mapped[date | None]
    ack_note: Mapped[str | None] = mapped_column(sa.Text)

    pair: Mapped[Pair] = relationship()
    expert: Mapped[User] = relationship(foreign_keys=[expert_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])

    @property
    def is_waiting(self) -> bool:
        return self.acknowledged_at is None

    @property
    def strain_label(self) -> str:
        return str(STRAIN_NAMES.get(self.strain, self.strain))


class StrainShare(db.Model):
    """The expert's choice to share her monthly strain trend with the supervisors of her
    pairs. A row means she shares, from `shared_at`; withdrawing deletes it, so the next
    page the supervisor opens has nothing. Absent by default."""

    __tablename__ = "strain_share"

    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), primary_key=True)
    shared_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
