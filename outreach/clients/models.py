from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User, enum_column, utcnow
from outreach.clients.choices import ClientStatus, LivingSituation
from outreach.editing import Versioned
from outreach.extensions import db
from outreach.pairs.models import Pair


class Client(Versioned, db.Model):
    """A woman the pair works with. No personal identity code, by design."""

    __tablename__ = "client"
    __table_args__ = (
        sa.Index("ix_client_pair_status_last_contact", "pair_id", "status", "last_contact_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"), index=True)
    # A-2026-0042: used in reports instead of her name.
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))  # the name she wants to be called
    birth_year: Mapped[int | None]
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    usual_place: Mapped[str | None] = mapped_column(sa.String(200))
    living_situation: Mapped[LivingSituation] = mapped_column(
        enum_column(LivingSituation, "living_situation"), default=LivingSituation.UNKNOWN
    )
    safety_notes: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[ClientStatus] = mapped_column(
        enum_column(ClientStatus, "client_status"), default=ClientStatus.ACTIVE
    )
    closed_on: Mapped[date | None]
    closed_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # Kept on the row, in the same transaction as the record, so lists need no aggregates.
    last_contact_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_record_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # A merged record points at the one that kept both histories; it leaves every list.
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("client.id"), index=True)

    pair: Mapped[Pair] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def touch(self, at: datetime | None = None) -> None:
        """Something new was recorded about her."""
        self.last_record_at = at or utcnow()


class ClientCodeCounter(db.Model):
    """The running number of client codes per year (A-2026-0042)."""

    __tablename__ = "client_code_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)
