from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User, enum_column, utcnow
from outreach.editing import Versioned
from outreach.extensions import db
from outreach.pairs.models import Pair


class Assignee(StrEnum):
    """Who does it: one partner, the two together, or the woman herself."""

    PROFESSIONAL = "professional"
    EXPERT = "expert"
    PAIR = "pair"
    CLIENT = "client"


ASSIGNEE_NAMES = {
    Assignee.PROFESSIONAL: _l("Professional"),
    Assignee.EXPERT: _l("Experience expert"),
    Assignee.PAIR: _l("The pair together"),
    Assignee.CLIENT: _l("The woman herself"),
}


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


TASK_STATUS_NAMES = {
    TaskStatus.OPEN: _l("Open"),
    TaskStatus.DONE: _l("Done"),
    TaskStatus.DROPPED: _l("Dropped"),
}


class TaskOrigin(StrEnum):
    DIRECT = "direct"
    STEP = "step"
    CONTACT = "contact"
    ACCOMPANIMENT = "accompaniment"
    NETWORK_CONTACT = "network_contact"
    MEETING = "meeting"


class Task(Versioned, db.Model):
    """Work the pair has agreed to do; belongs to the pair, optionally about one woman."""

    __tablename__ = "task"
    __table_args__ = (
        sa.Index("ix_task_pair_status_due", "pair_id", "status", "due_on"),
        sa.Index("ix_task_client_status", "client_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"))
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("client.id"))
    step_id: Mapped[int | None] = mapped_column(sa.ForeignKey("step.id"), index=True)
    origin: Mapped[TaskOrigin] = mapped_column(
        enum_column(TaskOrigin, "task_origin"), default=TaskOrigin.DIRECT
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    assignee: Mapped[Assignee] = mapped_column(enum_column(Assignee, "assignee"))
    due_on: Mapped[date | None]
    due_time: Mapped[time | None]
    status: Mapped[TaskStatus] = mapped_column(
        enum_column(TaskStatus, "task_status"), default=TaskStatus.OPEN
    )
    drop_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    pair: Mapped[Pair] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])
