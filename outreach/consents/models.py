from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.core.clock import utcnow
from outreach.core.columns import enum_column
from outreach.extensions import db
from outreach.services.models import Service


class ConsentMedium(StrEnum):
    """How she gave it (the issue's "form"): said aloud, or signed on paper."""

    VERBAL = "verbal"
    WRITTEN = "written"


CONSENT_MEDIUM_NAMES = {
    ConsentMedium.VERBAL: _l("Verbal"),
    ConsentMedium.WRITTEN: _l("Written"),
}


class WithdrawalEffect(StrEnum):
    """What she wants done with what is already saved when she withdraws."""

    KEEP = "keep"
    ERASE = "erase"  # anonymise; carried out by the retention work of a later issue


WITHDRAWAL_EFFECT_NAMES = {
    WithdrawalEffect.KEEP: _l("Keep what is already recorded"),
    WithdrawalEffect.ERASE: _l("Erase her details (anonymise the records)"),
}


# Services she agreed the pair may contact on her behalf.
consent_service = sa.Table(
    "consent_service",
    db.metadata,
    sa.Column("consent_id", sa.ForeignKey("consent.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("service_id", sa.ForeignKey("service.id"), primary_key=True, index=True),
)

# Organisations of the service catalogue the pair may share information about her with.
consent_share_service = sa.Table(
    "consent_share_service",
    db.metadata,
    sa.Column("consent_id", sa.ForeignKey("consent.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("service_id", sa.ForeignKey("service.id"), primary_key=True, index=True),
)


class Consent(db.Model):
    """One consent she gave. Never edited: a changed scope is a new consent, and the
    newest one (by the day she gave it) is the current one. A withdrawal is recorded on
    the consent it ends; nothing already saved is removed by it."""

    __tablename__ = "consent"
    __table_args__ = (sa.Index("ix_consent_client_given", "client_id", "given_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    given_on: Mapped[date]
    form: Mapped[ConsentMedium] = mapped_column(enum_column(ConsentMedium, "consent_form"))
    # Scope. Keeping records here is what makes it a consent at all (the form requires it).
    keep_records: Mapped[bool] = mapped_column(default=True)
    contact_services: Mapped[bool] = mapped_column(default=False)
    # The last day the consent is valid; none = until withdrawn.
    expires_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    withdrawn_on: Mapped[date | None]  # the day she withdrew it
    withdrawn_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))  # recorded
    withdrawal_effect: Mapped[WithdrawalEffect | None] = mapped_column(
        enum_column(WithdrawalEffect, "withdrawal_effect")
    )
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"), index=True
    )

    client: Mapped[Client] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])
    services: Mapped[list[Service]] = relationship(
        secondary=consent_service, order_by=lambda: [Service.name_fi, Service.id]
    )
    share_organisations: Mapped[list[Service]] = relationship(
        secondary=consent_share_service, order_by=lambda: [Service.name_fi, Service.id]
    )

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None

    def has_expired_by(self, day: date) -> bool:
        return self.expires_on is not None and self.expires_on < day

    @property
    def erasure_requested(self) -> bool:
        return self.withdrawal_effect == WithdrawalEffect.ERASE

    @property
    def form_label(self) -> str:
        return str(CONSENT_MEDIUM_NAMES.get(self.form, self.form))

    @property
    def withdrawal_effect_label(self) -> str:
        if self.withdrawal_effect is None:
            return ""
        return str(WITHDRAWAL_EFFECT_NAMES[self.withdrawal_effect])

    def __repr__(self) -> str:
        return f"<Consent {self.id} client={self.client_id} {self.given_on}>"
