from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship, validates
from sqlalchemy.orm.attributes import set_committed_value

from outreach.auth.models import User
from outreach.clients.choices import AnonymisationReason, ClientStatus, LivingSituation
from outreach.core.clock import utcnow
from outreach.core.columns import Versioned, enum_column
from outreach.core.time import aware
from outreach.extensions import db
from outreach.pairs.models import Pair


class Client(Versioned, db.Model):
    """A woman the pair works with. No personal identity code, by design."""

    __tablename__ = "client"
    __table_args__ = (
        sa.Index("ix_client_pair_status_last_contact", "pair_id", "status", "last_contact_at"),
        # Retention: closed records past the retention period, not yet anonymised.
        sa.Index("ix_client_status_closed_on", "status", "closed_on"),
        # What the dashboard counts per pair (active, new, not reached), read from the
        # index alone: the overview of every pair counts every client.
        sa.Index("ix_client_pair_counts", "pair_id", "status", "created_at", "last_contact_at",
                 "last_record_at", postgresql_where=sa.text("merged_into_id IS NULL"),
                 sqlite_where=sa.text("merged_into_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"), index=True)
    # A-2026-0042: used in reports instead of her name.
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))  # the name she wants to be called
    birth_year: Mapped[int | None]
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    # The phone number's digits only (+358 40 → 040), kept in step by the validator below:
    # possible duplicates are found by it, however the number was typed.
    phone_digits: Mapped[str | None] = mapped_column(sa.String(40), index=True)
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
    # Anonymised (outreach.retention): her name, contact details and every free-text note
    # are gone; the code, dates, categories and counts stay for the reports.
    anonymised_at: Mapped[datetime | None] = mapped_column(
        sa.DateTime(timezone=True), index=True
    )
    anonymised_reason: Mapped[AnonymisationReason | None] = mapped_column(
        enum_column(AnonymisationReason, "anonymisation_reason")
    )

    pair: Mapped[Pair] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def touch(self, at: datetime | None = None) -> None:
        """Something new was recorded about her: last_record_at, in one UPDATE that does not
        bump her record's version. A partner editing her record meanwhile gets no conflict,
        and two records added for her at once cannot fail each other (the second was a
        StaleDataError: 500)."""
        at = at or utcnow()
        session = object_session(self)
        if session is None or self.id is None:  # not saved yet: saved with the value
            self.last_record_at = at
            return
        session.execute(
            sa.update(Client).where(Client.id == self.id).values(last_record_at=at)
            .execution_options(synchronize_session=False)
        )
        set_committed_value(self, "last_record_at", at)

    @validates("phone")
    def _phone_digits(self, _key: str, value: str | None) -> str | None:
        value = (value or "").strip() or None
        self.phone_digits = phone_digits(value)
        return value

    @property
    def is_active(self) -> bool:
        return self.status == ClientStatus.ACTIVE

    @property
    def last_seen_at(self) -> datetime:
        """The last contact; until contacts are recorded, the last record about her."""
        return aware(self.last_contact_at or self.last_record_at)


def phone_digits(phone: str | None) -> str | None:
    """Digits only, the Finnish country code folded into the trunk prefix, so that
    "+358 40 123 4567", "00358401234567" and "040-123 4567" compare equal."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    for prefix in ("00358", "358"):
        if digits.startswith(prefix) and len(digits) > len(prefix) + 5:
            digits = "0" + digits[len(prefix):]
            break
    return digits or None


class ClientCodeCounter(db.Model):
    """The running number of client codes per year (A-2026-0042)."""

    __tablename__ = "client_code_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class ClientStatusChange(db.Model):
    """Her record closed (with reason and date) or reopened: kept, so reopening loses nothing."""

    __tablename__ = "client_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    status: Mapped[ClientStatus] = mapped_column(enum_column(ClientStatus, "client_status_change"))
    day: Mapped[date]  # the day it was closed or reopened
    reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    client: Mapped[Client] = relationship()


class ClientMerge(db.Model):
    """Two records of the same woman made one: `merged` now points at `keep`, whose record
    holds both histories. Shown on the timeline of both."""

    __tablename__ = "client_merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    keep_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    merged_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    keep: Mapped[Client] = relationship(foreign_keys=[keep_id])
    merged: Mapped[Client] = relationship(foreign_keys=[merged_id])
    by: Mapped[User] = relationship()


class ClientTransfer(db.Model):
    """A client handed over from an ended pair to another; her history travels with her
    (everything about her is keyed by client_id), and this row says so on the timeline."""

    __tablename__ = "client_transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    from_pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"), index=True)
    to_pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"), index=True)
    by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    note: Mapped[str | None] = mapped_column(sa.Text)

    client: Mapped[Client] = relationship()
    from_pair: Mapped[Pair] = relationship(foreign_keys=[from_pair_id])
    to_pair: Mapped[Pair] = relationship(foreign_keys=[to_pair_id])
    by: Mapped[User] = relationship()


class LivingSituationChange(db.Model):
    """Her living situation as recorded, each time it was set: on her new record and on
    every edit that changed it. The client row holds only the current one; reports compare
    the first and last known situation of a period from these rows (outreach.reports)."""

    __tablename__ = "living_situation_change"
    __table_args__ = (
        sa.Index("ix_living_situation_change_client_at", "client_id", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    living_situation: Mapped[LivingSituation] = mapped_column(
        enum_column(LivingSituation, "living_situation_change_value")
    )
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)

    client: Mapped[Client] = relationship()
