from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.core.clock import utcnow
from outreach.core.columns import ClientRecordMixin, enum_column
from outreach.core.forms import name_of
from outreach.core.time import aware
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.services.models import Service
from outreach.tasks.models import Task


class NetworkChannel(StrEnum):
    """How the professional reached the service."""

    PHONE = "phone"
    EMAIL = "email"
    SECURE_MESSAGE = "secure_message"
    MEETING = "meeting"
    VIDEO = "video"
    LETTER = "letter"


NETWORK_CHANNEL_NAMES = {
    NetworkChannel.PHONE: _l("Phone"),
    NetworkChannel.EMAIL: _l("Email"),
    NetworkChannel.SECURE_MESSAGE: _l("Secure message"),
    NetworkChannel.MEETING: _l("Meeting"),
    NetworkChannel.VIDEO: _l("Video"),
    NetworkChannel.LETTER: _l("Letter"),
}


class NetworkContact(ClientRecordMixin, db.Model):
    """The professional contacting a service about her (verkostotyö). When her consent did
    not cover that organisation, the professional's reason to go on is recorded."""

    __tablename__ = "network_contact"
    __table_args__ = (
        sa.Index("ix_network_contact_client_contacted", "client_id", "contacted_at"),
        sa.CheckConstraint("service_id IS NOT NULL OR organisation IS NOT NULL",
                           name="ck_network_contact_organisation"),
        # Ids are never reused (SQLite would reuse a deleted last id): an "Undo" or a draft
        # of a deleted record must not land on a new one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unlike the other records, looked up by pair alone too.
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"), index=True)
    # A service of the catalogue, or an organisation outside it (free text).
    service_id: Mapped[int | None] = mapped_column(sa.ForeignKey("service.id"), index=True)
    organisation: Mapped[str | None] = mapped_column(sa.String(200))
    person: Mapped[str | None] = mapped_column(sa.String(200))
    channel: Mapped[NetworkChannel] = mapped_column(
        enum_column(NetworkChannel, "network_channel")
    )
    topic: Mapped[str] = mapped_column(sa.Text)
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    next_step: Mapped[str | None] = mapped_column(sa.Text)
    task_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("task.id", ondelete="SET NULL"), index=True
    )
    contacted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Her consent did not cover the organisation, and the professional went on: why.
    consent_warning_overridden_reason: Mapped[str | None] = mapped_column(sa.Text)

    client: Mapped[Client] = relationship()
    pair: Mapped[Pair] = relationship()
    service: Mapped[Service | None] = relationship()
    created_by: Mapped[User] = relationship()
    task: Mapped[Task | None] = relationship()

    @property
    def organisation_name(self) -> str:
        return self.service.name if self.service is not None else (self.organisation or "")

    @property
    def channel_label(self) -> str:
        return name_of(NETWORK_CHANNEL_NAMES, self.channel)

    @property
    def at(self) -> datetime:
        return aware(self.contacted_at)

    def __repr__(self) -> str:
        return f"<NetworkContact {self.id} client={self.client_id}>"
