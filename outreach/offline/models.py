"""One row per write sent with a replay key: unique per user, holding the first result."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from outreach.core.clock import utcnow
from outreach.extensions import db


class ReplayKey(db.Model):
    __tablename__ = "replay_key"
    __table_args__ = (sa.UniqueConstraint("user_id", "key", name="uq_replay_key_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # A key belongs to the account that sent it: another user's same key is a new write.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    key: Mapped[str] = mapped_column(sa.String(64))
    # The first answer, given again to a replay: where the record is and what was said.
    status: Mapped[int] = mapped_column(sa.Integer, default=0)
    location: Mapped[str] = mapped_column(sa.String(500), default="")
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow,
                                                 index=True)
