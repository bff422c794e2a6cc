"""Pair meetings: what kind, when, who was there, the notes both partners edit (every saved
edit kept as a revision), and the actions agreed in the meeting, linked to their tasks."""

from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.core.columns import Versioned, enum_column
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.tasks.models import Task


class MeetingKind(StrEnum):
    START_UP = "start_up"
    PLANNING = "planning"
    DEBRIEF = "debrief"
    SUPERVISION = "supervision"  # työnohjaus, with an external supervisor
    OTHER = "other"


MEETING_KIND_NAMES = {
    MeetingKind.START_UP: _l("Start-up meeting"),
    MeetingKind.PLANNING: _l("Planning meeting"),
    MeetingKind.DEBRIEF: _l("Debrief meeting"),
    MeetingKind.SUPERVISION: _l("Work supervision"),
    MeetingKind.OTHER: _l("Other meeting"),
}

# The fields a revision can name, in the order forms show them.
MEETING_FIELDS = (
    "kind",
    "held_on",
    "starts_at",
    "duration_minutes",
    "external_supervisor",
    "professional_present",
    "expert_present",
    "others_present",
    "notes",
)

# One row per agreed action: the task it became. A task comes from one meeting at most.
meeting_action = sa.Table(
    "meeting_action",
    db.metadata,
    sa.Column("meeting_id", sa.ForeignKey("pair_meeting.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("task_id", sa.ForeignKey("task.id", ondelete="CASCADE"), primary_key=True,
              unique=True, index=True),
)


class PairMeeting(Versioned, db.Model):
    """A meeting of the pair. Both partners edit it; a save against an older version is
    refused (409) and every saved edit is kept in `revisions`."""

    __tablename__ = "pair_meeting"
    __table_args__ = (
        sa.Index("ix_pair_meeting_pair_kind_held", "pair_id", "kind", "held_on"),
        sa.Index("ix_pair_meeting_pair_held", "pair_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind, "meeting_kind"))
    held_on: Mapped[date]
    starts_at: Mapped[time | None]
    duration_minutes: Mapped[int | None]
    # The external work supervisor (työnohjaaja): required for a supervision meeting.
    external_supervisor: Mapped[str | None] = mapped_column(sa.String(200))
    professional_present: Mapped[bool] = mapped_column(default=True)
    expert_present: Mapped[bool] = mapped_column(default=True)
    others_present: Mapped[str | None] = mapped_column(sa.String(300))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    pair: Mapped[Pair] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revisions: Mapped[list["PairMeetingRevision"]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by=lambda: [PairMeetingRevision.at.desc(), PairMeetingRevision.id.desc()],
    )
    actions: Mapped[list[Task]] = relationship(secondary=meeting_action, order_by=Task.id)

    @property
    def kind_label(self) -> str:
        return str(MEETING_KIND_NAMES[self.kind])


class PairMeetingRevision(db.Model):
    """One saved version of a meeting: who saved it, when, which fields changed and the
    notes as they were after the save (so no earlier wording is lost). The first revision
    is the meeting as it was recorded."""

    __tablename__ = "pair_meeting_revision"
    __table_args__ = (sa.Index("ix_pair_meeting_revision_meeting_at", "meeting_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("pair_meeting.id", ondelete="CASCADE"), index=True
    )
    edited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    is_creation: Mapped[bool] = mapped_column(default=False)
    # Field names separated by commas, e.g. "held_on,notes".
    changed_fields: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str | None] = mapped_column(sa.Text)

    meeting: Mapped[PairMeeting] = relationship(back_populates="revisions")
    edited_by: Mapped[User] = relationship()

    @property
    def fields(self) -> list[str]:
        return [name for name in self.changed_fields.split(",") if name]
