from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.clients.choices import LIFE_DOMAIN_NAMES, LifeDomain
from outreach.clients.models import Client
from outreach.contacts.choices import CHANNEL_NAMES, PARTICIPANT_NAMES, Channel, Participants
from outreach.core.clock import utcnow
from outreach.core.columns import ClientRecordMixin, enum_column
from outreach.core.forms import name_of
from outreach.core.time import aware
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.tasks.models import Task


def topic_labels(topics: list[str] | None) -> list[str]:
    """The names of LifeDomain values, in the domains' own order."""
    chosen = set(topics or [])
    return [str(LIFE_DOMAIN_NAMES[d]) for d in LifeDomain if d.value in chosen]


class Contact(ClientRecordMixin, db.Model):
    """Keeping in touch with her (yhteydenpito): when, how long, how, who of the pair, what
    about, and a short note. Saving one keeps `client.last_contact_at` right."""

    __tablename__ = "contact"
    __table_args__ = (
        sa.Index("ix_contact_client_contacted", "client_id", "contacted_at"),
        sa.Index("ix_contact_pair_contacted", "pair_id", "contacted_at"),
        # The contact a user just logged about her (the quick log's note and undo).
        sa.Index("ix_contact_client_created", "client_id", "created_at"),
        sa.CheckConstraint("duration_minutes >= 0", name="ck_contact_duration"),
        # Ids are never reused (SQLite would reuse a deleted last id): an "Undo" or a draft
        # of a deleted record must not land on a new one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contacted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    duration_minutes: Mapped[int] = mapped_column(default=15)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "contact_channel"))
    participants: Mapped[Participants] = mapped_column(
        enum_column(Participants, "contact_participants")
    )
    # LifeDomain values; a JSON list works the same on SQLite and PostgreSQL.
    topics: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    note: Mapped[str | None] = mapped_column(sa.Text)
    # The follow-up task made when the contact was logged, if any.
    task_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("task.id", ondelete="SET NULL"), index=True
    )

    client: Mapped[Client] = relationship()
    pair: Mapped[Pair] = relationship()
    created_by: Mapped[User] = relationship()
    task: Mapped[Task | None] = relationship()

    @property
    def channel_label(self) -> str:
        return name_of(CHANNEL_NAMES, self.channel)

    @property
    def participants_label(self) -> str:
        return name_of(PARTICIPANT_NAMES, self.participants)

    @property
    def topic_labels(self) -> list[str]:
        return topic_labels(self.topics)

    @property
    def at(self) -> datetime:
        return aware(self.contacted_at)

    def __repr__(self) -> str:
        return f"<Contact {self.id} client={self.client_id} {self.channel}>"
