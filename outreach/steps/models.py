"""Challenges broken into small steps (haasteet pienemmiksi paloiksi), with her decisions."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.clients.choices import LIFE_DOMAIN_NAMES, LifeDomain
from outreach.clients.models import Client
from outreach.core.clock import utcnow
from outreach.core.columns import Versioned, enum_column
from outreach.extensions import db
from outreach.steps.choices import (
    ASSIGNEE_NAMES,
    CHALLENGE_STATUS_NAMES,
    CLOSED_STATUSES,
    DECISION_NAMES,
    PROPOSER_NAMES,
    RECORDED_DECISIONS,
    STEP_STATE_NAMES,
    Assignee,
    ChallengeStatus,
    Decision,
    Proposer,
    StepState,
)

__all__ = [
    "CLOSED_STATUSES",
    "RECORDED_DECISIONS",
    "Assignee",
    "Challenge",
    "ChallengeStatus",
    "Decision",
    "Proposer",
    "Step",
    "StepDecision",
    "StepState",
]


class Challenge(Versioned, db.Model):
    """A challenge in her life, linked to a life domain and described in her words."""

    __tablename__ = "challenge"
    __table_args__ = (sa.Index("ix_challenge_client_status", "client_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    domain: Mapped[LifeDomain] = mapped_column(enum_column(LifeDomain, "challenge_domain"))
    description: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[ChallengeStatus] = mapped_column(
        enum_column(ChallengeStatus, "challenge_status"), default=ChallengeStatus.OPEN
    )
    closed_on: Mapped[date | None]
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    client: Mapped[Client] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    steps: Mapped[list["Step"]] = relationship(
        back_populates="challenge", order_by=lambda: [Step.created_at, Step.id]
    )

    @property
    def is_open(self) -> bool:
        return self.status == ChallengeStatus.OPEN

    @property
    def domain_label(self) -> str:
        return str(LIFE_DOMAIN_NAMES[self.domain])

    @property
    def status_label(self) -> str:
        return str(CHALLENGE_STATUS_NAMES[self.status])


class Step(Versioned, db.Model):
    """One small step: the proposal, who proposed it, her decision, who does it and by when.
    The tasks issue turns agreed steps into tasks; until then the step holds its due date
    and state itself."""

    __tablename__ = "step"
    __table_args__ = (sa.Index("ix_step_decision_recorder", "decision_recorded_by_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(sa.ForeignKey("challenge.id"), index=True)
    # Denormalised from the challenge: the scope of every query and the timeline.
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    proposal: Mapped[str] = mapped_column(sa.Text)
    proposed_by: Mapped[Proposer] = mapped_column(enum_column(Proposer, "step_proposer"))
    # Who recorded the proposal in the app.
    proposed_by_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id"), index=True
    )
    decision: Mapped[Decision] = mapped_column(
        enum_column(Decision, "step_decision"), default=Decision.PENDING
    )
    # Indexed in __table_args__: the default name would clash with step_decision.recorded_by_id.
    decision_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decision_recorded_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    assignee: Mapped[Assignee] = mapped_column(enum_column(Assignee, "step_assignee"))
    due_on: Mapped[date | None]
    state: Mapped[StepState] = mapped_column(
        enum_column(StepState, "step_state"), default=StepState.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    challenge: Mapped[Challenge] = relationship(back_populates="steps")
    client: Mapped[Client] = relationship()
    proposed_by_user: Mapped[User] = relationship(foreign_keys=[proposed_by_user_id])
    decision_recorded_by: Mapped[User | None] = relationship(
        foreign_keys=[decision_recorded_by_id]
    )
    decisions: Mapped[list["StepDecision"]] = relationship(
        back_populates="step",
        order_by=lambda: [StepDecision.recorded_at.desc(), StepDecision.id.desc()],
    )

    @property
    def proposed_by_label(self) -> str:
        return str(PROPOSER_NAMES[self.proposed_by])

    @property
    def decision_label(self) -> str:
        return str(DECISION_NAMES[self.decision])

    @property
    def assignee_label(self) -> str:
        return str(ASSIGNEE_NAMES[self.assignee])

    @property
    def state_label(self) -> str:
        return str(STEP_STATE_NAMES[self.state])


class StepDecision(db.Model):
    """Every decision recorded on a step, newest first: changes are kept."""

    __tablename__ = "step_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(sa.ForeignKey("step.id"), index=True)
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, "decision"))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )
    note: Mapped[str | None] = mapped_column(sa.Text)

    step: Mapped[Step] = relationship(back_populates="decisions")
    recorded_by: Mapped[User] = relationship()

    @property
    def decision_label(self) -> str:
        return str(DECISION_NAMES[self.decision])
