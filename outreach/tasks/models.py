from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.core.clock import utcnow
from outreach.core.columns import Versioned, enum_column
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.steps.choices import STEP_STATE_NAMES, StepState
from outreach.steps.models import Step


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


# A task's status is the same choice as a step's state (the task made of a step carries
# it back): open, done or dropped.
TaskStatus = StepState
TASK_STATUS_NAMES = STEP_STATE_NAMES


class TaskOrigin(StrEnum):
    DIRECT = "direct"
    STEP = "step"
    CONTACT = "contact"
    ACCOMPANIMENT = "accompaniment"
    NETWORK_CONTACT = "network_contact"
    MEETING = "meeting"


TASK_ORIGIN_NAMES = {
    TaskOrigin.DIRECT: _l("Added directly"),
    TaskOrigin.STEP: _l("From a step"),
    TaskOrigin.CONTACT: _l("Follow-up of a contact"),
    TaskOrigin.ACCOMPANIMENT: _l("Next step of an accompaniment"),
    TaskOrigin.NETWORK_CONTACT: _l("Next step of a network contact"),
    TaskOrigin.MEETING: _l("Agreed in a pair meeting"),
}


class Task(Versioned, db.Model):
    """Work the pair has agreed to do; belongs to the pair, optionally about one woman."""

    __tablename__ = "task"
    __table_args__ = (
        sa.Index("ix_task_pair_status_due", "pair_id", "status", "due_on"),
        # The open tasks alone, with what the dashboard counts of them (open and overdue
        # per pair and assignee): read from the index, not from the many done tasks.
        sa.Index("ix_task_open_pair_assignee_due", "pair_id", "assignee", "due_on",
                 postgresql_where=sa.text("status = 'open'"),
                 sqlite_where=sa.text("status = 'open'")),
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
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)

    pair: Mapped[Pair] = relationship()
    client: Mapped[Client | None] = relationship()
    # A backref, so that a step knows its tasks without the steps package importing this one.
    step: Mapped[Step | None] = relationship(
        backref=backref("tasks", order_by="Task.id")
    )
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])
    proposals: Mapped[list["TaskProposal"]] = relationship(
        back_populates="task",
        order_by=lambda: [TaskProposal.created_at, TaskProposal.id],
    )

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def is_done(self) -> bool:
        return self.status == TaskStatus.DONE

    @property
    def assignee_label(self) -> str:
        return str(ASSIGNEE_NAMES[self.assignee])

    @property
    def status_label(self) -> str:
        return str(TASK_STATUS_NAMES[self.status])

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


class ProposalStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


PROPOSAL_STATUS_NAMES = {
    ProposalStatus.PENDING: _l("Waiting for a decision"),
    ProposalStatus.ACCEPTED: _l("Accepted"),
    ProposalStatus.DECLINED: _l("Declined"),
}


class TaskProposal(db.Model):
    """The expert's proposal to move or re-assign a task: the professional decides (accepts,
    which applies it, or declines); the expert is heard and the answer is kept."""

    __tablename__ = "task_proposal"
    __table_args__ = (sa.Index("ix_task_proposal_task_status", "task_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("task.id"))
    proposed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    new_due_on: Mapped[date | None]
    new_assignee: Mapped[Assignee | None] = mapped_column(
        enum_column(Assignee, "proposal_assignee")
    )
    note: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus, "proposal_status"), default=ProposalStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    task: Mapped[Task] = relationship(back_populates="proposals")
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING

    @property
    def status_label(self) -> str:
        return str(PROPOSAL_STATUS_NAMES[self.status])

    @property
    def new_assignee_label(self) -> str | None:
        return str(ASSIGNEE_NAMES[self.new_assignee]) if self.new_assignee else None
