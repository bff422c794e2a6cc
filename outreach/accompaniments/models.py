from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.contacts.choices import PARTICIPANT_NAMES, Participants
from outreach.core.clock import utcnow
from outreach.core.columns import ClientRecordMixin, enum_column
from outreach.core.forms import name_of
from outreach.core.time import aware, local_day
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.services.models import Service
from outreach.tasks.models import Task


class Outcome(StrEnum):
    DONE = "done"
    PARTLY_DONE = "partly_done"
    NOT_DONE = "not_done"
    DID_NOT_COME = "did_not_come"
    POSTPONED = "postponed"


OUTCOME_NAMES = {
    Outcome.DONE: _l("Done"),
    Outcome.PARTLY_DONE: _l("Partly done"),
    Outcome.NOT_DONE: _l("Not done"),
    Outcome.DID_NOT_COME: _l("She did not come"),
    Outcome.POSTPONED: _l("Postponed"),
}

# Outcomes in which the pair met her: these count as a contact (client.last_contact_at).
MET_OUTCOMES = (Outcome.DONE, Outcome.PARTLY_DONE, Outcome.NOT_DONE)


class Accompaniment(ClientRecordMixin, db.Model):
    """Going with her to a service (jalkautuminen, asiointi). Planned first (planned_at, no
    outcome) or recorded afterwards; once it has taken place it has an outcome and the
    moment it took place (took_place_at)."""

    __tablename__ = "accompaniment"
    __table_args__ = (
        sa.Index("ix_accompaniment_client_took_place", "client_id", "took_place_at"),
        # The week plan and "record the outcome" read planned ones by pair and time.
        sa.Index("ix_accompaniment_pair_planned", "pair_id", "planned_at"),
        sa.CheckConstraint("minutes_spent IS NULL OR minutes_spent >= 0",
                           name="ck_accompaniment_minutes"),
        sa.CheckConstraint("planned_at IS NOT NULL OR took_place_at IS NOT NULL",
                           name="ck_accompaniment_when"),
        # Ids are never reused (SQLite would reuse a deleted last id): an "Undo" or a draft
        # of a deleted record must not land on a new one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("service.id"), index=True)
    purpose: Mapped[str] = mapped_column(sa.Text)
    planned_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    took_place_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Including travel.
    minutes_spent: Mapped[int | None]
    who_went: Mapped[Participants] = mapped_column(
        enum_column(Participants, "accompaniment_who_went")
    )
    # "The expert supported her talk with the staff."
    expert_supported_interaction: Mapped[bool] = mapped_column(default=False)
    # None while it is only planned.
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "accompaniment_outcome"))
    outcome_recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"), index=True
    )
    outcome_recorded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    next_step: Mapped[str | None] = mapped_column(sa.Text)
    task_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("task.id", ondelete="SET NULL"), index=True
    )

    client: Mapped[Client] = relationship()
    pair: Mapped[Pair] = relationship()
    service: Mapped[Service] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys="Accompaniment.created_by_id")
    outcome_recorded_by: Mapped[User | None] = relationship(foreign_keys=[outcome_recorded_by_id])
    task: Mapped[Task | None] = relationship()

    @property
    def is_planned(self) -> bool:
        """Planned and its outcome not recorded yet."""
        return self.outcome is None

    @property
    def met_her(self) -> bool:
        return self.outcome in MET_OUTCOMES

    @property
    def when(self) -> datetime | None:
        """When it took place, or, while only planned, when it is planned."""
        return aware(self.took_place_at or self.planned_at)

    @property
    def planned_on(self) -> date | None:
        """The local day it is planned for (the week plan puts it on that day)."""
        if self.planned_at is None:
            return None

        return local_day(self.planned_at)

    def outcome_due(self, now: datetime | None = None) -> bool:
        return self.outcome is None and self.planned_at is not None and \
            aware(self.planned_at) <= (now or utcnow())

    @property
    def outcome_label(self) -> str:
        if self.outcome is None:
            return str(_l("Planned"))
        return name_of(OUTCOME_NAMES, self.outcome)

    @property
    def who_went_label(self) -> str:
        return name_of(PARTICIPANT_NAMES, self.who_went)

    def __repr__(self) -> str:
        return f"<Accompaniment {self.id} client={self.client_id} {self.outcome}>"
