from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.core.columns import enum_column
from outreach.extensions import db
from outreach.pairs.models import Pair


class FeedbackKind(StrEnum):
    GIVE = "give"  # feedback given (an answer to an ask is one too)
    ASK = "ask"  # feedback asked for: waits for the other partner's answer


FEEDBACK_KIND_NAMES = {
    FeedbackKind.GIVE: _l("Feedback"),
    FeedbackKind.ASK: _l("Asking for feedback"),
}


class FeedbackItem(db.Model):
    """One message in the pair's feedback thread, read and written by the two partners only."""

    __tablename__ = "feedback_item"
    __table_args__ = (
        # The thread, newest first.
        sa.Index("ix_feedback_item_pair_created", "pair_id", "created_at"),
        # Asks still waiting for an answer.
        sa.Index("ix_feedback_item_pair_kind_answered", "pair_id", "kind", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    kind: Mapped[FeedbackKind] = mapped_column(enum_column(FeedbackKind, "feedback_kind"))
    situation: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    in_reply_to_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("feedback_item.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    pair: Mapped[Pair] = relationship()
    author: Mapped[User] = relationship()
    in_reply_to: Mapped["FeedbackItem | None"] = relationship(remote_side=[id])

    @property
    def is_ask(self) -> bool:
        return self.kind == FeedbackKind.ASK

    @property
    def is_open_ask(self) -> bool:
        return self.is_ask and self.answered_at is None
