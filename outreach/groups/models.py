"""Peer-support groups (vertaistukiryhmä) led by a pair, and their sessions.

A session is planned together (date, who leads which part, planning notes) and recorded
after it is held (the number of participants, never names, and the debrief notes). Both
partners edit the same session, so it is Versioned: a stale save answers 409."""

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

MAX_PARTICIPANTS = 500


class PeerGroup(Versioned, db.Model):
    """A peer-support group the pair leads together (seed 2: Voimaa ja valoa)."""

    __tablename__ = "peer_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    aim: Mapped[str | None] = mapped_column(sa.Text)
    place: Mapped[str | None] = mapped_column(sa.String(300))
    schedule: Mapped[str | None] = mapped_column(sa.String(300))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    pair: Mapped[Pair] = relationship()
    created_by: Mapped[User] = relationship()


class Leader(StrEnum):
    """Who of the pair leads a part of a session."""

    PROFESSIONAL = "professional"
    EXPERT = "expert"
    BOTH = "both"


LEADER_NAMES = {
    Leader.PROFESSIONAL: _l("Professional"),
    Leader.EXPERT: _l("Experience expert"),
    Leader.BOTH: _l("Both"),
}


class GroupSession(Versioned, db.Model):
    """One meeting of the group: planned before, recorded after. No participant names."""

    __tablename__ = "group_session"
    __table_args__ = (
        sa.Index("ix_group_session_group_held_on", "group_id", "held_on", "id"),
        sa.CheckConstraint(
            f"participants IS NULL OR (participants >= 0 AND participants <= {MAX_PARTICIPANTS})",
            name="ck_group_session_participants",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("peer_group.id", ondelete="CASCADE"))
    held_on: Mapped[date]
    starts_at: Mapped[time | None]
    planning_notes: Mapped[str | None] = mapped_column(sa.Text)
    # Recorded after the session: the number of people who came (no names) and the debrief.
    participants: Mapped[int | None]
    debrief_notes: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"),
                                                      index=True)
    updated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    group: Mapped[PeerGroup] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    parts: Mapped[list["GroupSessionPart"]] = relationship(
        back_populates="session",
        order_by=lambda: [GroupSessionPart.position, GroupSessionPart.id],
        cascade="all, delete-orphan",
    )

    @property
    def is_recorded(self) -> bool:
        return self.participants is not None


class GroupSessionPart(db.Model):
    """A part of the session's programme and who leads it (the pair's division of work)."""

    __tablename__ = "group_session_part"
    __table_args__ = (sa.Index("ix_group_session_part_session", "session_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("group_session.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(sa.String(300))
    leader: Mapped[Leader] = mapped_column(enum_column(Leader, "group_part_leader"))

    session: Mapped[GroupSession] = relationship(back_populates="parts")

    @property
    def leader_label(self) -> str:
        return str(LEADER_NAMES[self.leader])
