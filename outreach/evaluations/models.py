"""Evaluation rounds of a pair, each partner's own form and its answers."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.core.columns import Versioned, enum_column
from outreach.evaluations.items import FormRole
from outreach.extensions import db
from outreach.groups.models import PeerGroup
from outreach.pairs.models import Pair


class Activity(StrEnum):
    """The form of activity evaluated (Toiminnan muoto)."""

    OUTREACH = "outreach"
    PEER_GROUP = "peer_group"
    INDIVIDUAL = "individual"
    OTHER = "other"


ACTIVITY_NAMES = {
    Activity.OUTREACH: _l("Pair work in outreach"),
    Activity.PEER_GROUP: _l("Peer-support group"),
    Activity.INDIVIDUAL: _l("Individual meetings"),
    Activity.OTHER: _l("Other"),
}


class FormStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


ROLE_NAMES = {
    FormRole.PROFESSIONAL: _l("Professional"),
    FormRole.EXPERT: _l("Experience expert"),
}


class EvaluationRound(Versioned, db.Model):
    """One evaluation of the pair's cooperation: both partners fill their own form; the
    joint discussion's notes (edited by both, hence the version) come after both submit."""

    __tablename__ = "evaluation_round"
    __table_args__ = (
        sa.Index("ix_evaluation_round_pair_opened", "pair_id", "opened_at"),
        sa.Index("ix_evaluation_round_activity_opened", "activity", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"))
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("peer_group.id"), index=True)
    activity: Mapped[Activity] = mapped_column(enum_column(Activity, "evaluation_activity"))
    activity_detail: Mapped[str | None] = mapped_column(sa.String(200))
    duration: Mapped[str] = mapped_column(sa.String(100))
    opened_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    discussion_notes: Mapped[str | None] = mapped_column(sa.Text)
    discussed_on: Mapped[date | None]
    notes_edited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"), index=True
    )
    notes_edited_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    pair: Mapped[Pair] = relationship()
    group: Mapped[PeerGroup | None] = relationship()
    opened_by: Mapped[User] = relationship(foreign_keys=[opened_by_id])
    notes_edited_by: Mapped[User | None] = relationship(foreign_keys=[notes_edited_by_id])

    @property
    def activity_label(self) -> str:
        label = str(ACTIVITY_NAMES[self.activity])
        return f"{label}: {self.activity_detail}" if self.activity_detail else label


class EvaluationForm(db.Model):
    """One partner's own form in a round. Nobody else reads its answers before both
    partners have submitted (outreach.evaluations.queries)."""

    __tablename__ = "evaluation_form"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "user_id", name="uq_evaluation_form_round_user"),
        sa.Index("ix_evaluation_form_round_status", "round_id", "status"),
        sa.Index("ix_evaluation_form_status_role", "status", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation_round.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    role: Mapped[FormRole] = mapped_column(enum_column(FormRole, "evaluation_form_role"))
    status: Mapped[FormStatus] = mapped_column(
        enum_column(FormStatus, "evaluation_form_status"), default=FormStatus.DRAFT
    )
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    round: Mapped[EvaluationRound] = relationship()
    user: Mapped[User] = relationship()
    answers: Mapped[list["EvaluationAnswer"]] = relationship(
        back_populates="form", cascade="all, delete-orphan",
        order_by=lambda: EvaluationAnswer.id,
    )

    @property
    def is_submitted(self) -> bool:
        return self.status == FormStatus.SUBMITTED

    def answer(self, key: str) -> "EvaluationAnswer | None":
        return next((a for a in self.answers if a.item == key), None)


class EvaluationAnswer(db.Model):
    """One statement's value (1–5) or one open question's text, with the permission to
    quote it in reports (off unless the answerer allows it)."""

    __tablename__ = "evaluation_answer"
    __table_args__ = (
        sa.UniqueConstraint("form_id", "item", name="uq_evaluation_answer_form_item"),
        sa.Index("ix_evaluation_answer_item_value", "item", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluation_form.id"), index=True)
    item: Mapped[str] = mapped_column(sa.String(20))
    value: Mapped[int | None] = mapped_column(sa.SmallInteger)
    text: Mapped[str | None] = mapped_column(sa.Text)
    may_quote: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    form: Mapped[EvaluationForm] = relationship(back_populates="answers")
