from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from outreach.core.clock import utcnow
from outreach.core.time import aware
from outreach.extensions import db


class Draft(db.Model):
    """What a user has typed into a long form and not saved yet, kept on the server as they
    type (one per user and form), so that a closed tab or a lost connection loses nothing.
    Only its author ever sees it; saving the form deletes it."""

    __tablename__ = "draft"
    __table_args__ = (sa.UniqueConstraint("user_id", "form_key", name="uq_draft_user_form"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # Which form: "contact:new:client:42", "accompaniment:edit:17", ...
    form_key: Mapped[str] = mapped_column(sa.String(120))
    # Field name -> list of values, as the browser sent them.
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    @property
    def saved_at(self) -> datetime:
        return aware(self.updated_at)

    def __repr__(self) -> str:
        return f"<Draft {self.user_id} {self.form_key}>"
