import calendar
from datetime import date, datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Mapped, mapped_column, relationship

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.core.columns import Versioned, enum_column
from outreach.extensions import db


class Pair(db.Model):
    """A professional and an experience expert working together; the data belongs to the pair."""

    __tablename__ = "pair"

    id: Mapped[int] = mapped_column(primary_key=True)
    professional_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    expert_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"), index=True
    )
    starts_on: Mapped[date]
    # The first day the pair no longer works together: from then on its members lose access.
    ends_on: Mapped[date | None]
    end_reason: Mapped[str | None] = mapped_column(sa.Text)
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Women not reached in this many days are flagged on the client list and the home page;
    # the partners set it on the pair's page. New pairs start from NO_CONTACT_DAYS (14).
    no_contact_days: Mapped[int] = mapped_column(
        default=lambda: _default_no_contact_days(), server_default="14"
    )

    professional: Mapped[User] = relationship(foreign_keys=[professional_id])
    expert: Mapped[User] = relationship(foreign_keys=[expert_id])
    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id])
    ended_by: Mapped[User | None] = relationship(foreign_keys=[ended_by_id])
    agreement: Mapped["PairAgreement | None"] = relationship(back_populates="pair")

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on > day)

    def has_ended_by(self, day: date) -> bool:
        return self.ends_on is not None and self.ends_on <= day

    def is_partner(self, user: User) -> bool:
        return user.id in (self.professional_id, self.expert_id)

    @property
    def label(self) -> str:
        return f"{self.professional.name} & {self.expert.name}"


NO_CONTACT_DAYS_DEFAULT = 14


def _default_no_contact_days() -> int:
    if has_app_context():
        return int(current_app.config.get("NO_CONTACT_DAYS", NO_CONTACT_DAYS_DEFAULT))
    return NO_CONTACT_DAYS_DEFAULT


class MeetingRhythm(StrEnum):
    """How often the pair meets to plan or to debrief. Stored by name, not as a number of
    days, so that "monthly" stays a calendar month when due dates are computed."""

    WEEKLY = "weekly"
    EVERY_2_WEEKS = "every_2_weeks"
    EVERY_3_WEEKS = "every_3_weeks"
    EVERY_4_WEEKS = "every_4_weeks"
    MONTHLY = "monthly"

    def next_after(self, day: date) -> date:
        """The day the next meeting is due when the last one was on `day`."""
        if self is MeetingRhythm.MONTHLY:
            year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
            return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
        weeks = {"weekly": 1, "every_2_weeks": 2, "every_3_weeks": 3, "every_4_weeks": 4}
        return day + timedelta(weeks=weeks[self.value])


class AgreementState(StrEnum):
    MISSING = "missing"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


# The notes of the start-up discussion (questions in outreach/pairs/agreement.py).
VALUES_FIELDS = tuple(f"values_{n}" for n in range(1, 6))
ROLES_FIELDS = tuple(f"roles_{n}" for n in range(1, 8))
# The checklist: the agreement is complete when the meeting date and all of these are recorded.
CHECKLIST_FIELDS = (
    "volunteer_signed_on",
    "confidentiality_signed_on",
    "challenging_situations_plan",
    "planning_rhythm",
    "debrief_rhythm",
    "practical_matters",
    "professional_asks_help",
    "expert_asks_help",
)
# The pair's safety rules for outings (outreach.outings): not part of the seed's checklist.
SAFETY_FIELDS = ("outing_partner_grace", "outing_supervisor_grace", "outing_who_to_call")
EDITABLE_FIELDS = ("meeting_date", *VALUES_FIELDS, *ROLES_FIELDS, *CHECKLIST_FIELDS,
                   *SAFETY_FIELDS)


class PairAgreement(Versioned, db.Model):
    """The start-up agreement (yhteistyön käynnistäminen): one per pair, recorded together
    by the two partners. Until confidentiality_signed_on is recorded, the expert cannot
    open the pair's clients (outreach.scope.client_pair_ids)."""

    __tablename__ = "pair_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id"), unique=True, index=True)
    meeting_date: Mapped[date | None]

    values_1: Mapped[str | None] = mapped_column(sa.Text)
    values_2: Mapped[str | None] = mapped_column(sa.Text)
    values_3: Mapped[str | None] = mapped_column(sa.Text)
    values_4: Mapped[str | None] = mapped_column(sa.Text)
    values_5: Mapped[str | None] = mapped_column(sa.Text)

    roles_1: Mapped[str | None] = mapped_column(sa.Text)
    roles_2: Mapped[str | None] = mapped_column(sa.Text)
    roles_3: Mapped[str | None] = mapped_column(sa.Text)
    roles_4: Mapped[str | None] = mapped_column(sa.Text)
    roles_5: Mapped[str | None] = mapped_column(sa.Text)
    roles_6: Mapped[str | None] = mapped_column(sa.Text)
    roles_7: Mapped[str | None] = mapped_column(sa.Text)

    volunteer_signed_on: Mapped[date | None]
    confidentiality_signed_on: Mapped[date | None] = mapped_column(index=True)
    challenging_situations_plan: Mapped[str | None] = mapped_column(sa.Text)
    planning_rhythm: Mapped[MeetingRhythm | None] = mapped_column(
        enum_column(MeetingRhythm, "planning_rhythm")
    )
    debrief_rhythm: Mapped[MeetingRhythm | None] = mapped_column(
        enum_column(MeetingRhythm, "debrief_rhythm")
    )
    practical_matters: Mapped[str | None] = mapped_column(sa.Text)
    professional_asks_help: Mapped[str | None] = mapped_column(sa.Text)
    expert_asks_help: Mapped[str | None] = mapped_column(sa.Text)
    # Safety rules for outings: minutes past the expected return before the partner is
    # alerted, then before the supervisor is (None: 30), and whom to call.
    outing_partner_grace: Mapped[int | None]
    outing_supervisor_grace: Mapped[int | None]
    outing_who_to_call: Mapped[str | None] = mapped_column(sa.Text)

    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    pair: Mapped[Pair] = relationship(back_populates="agreement")
    edits: Mapped[list["PairAgreementEdit"]] = relationship(
        back_populates="agreement",
        order_by=lambda: [PairAgreementEdit.at.desc(), PairAgreementEdit.id.desc()],
    )

    def confidentiality_recorded_on(self, day: date) -> bool:
        return self.confidentiality_signed_on is not None and self.confidentiality_signed_on <= day

    @property
    def notes_count(self) -> int:
        return sum(1 for name in (*VALUES_FIELDS, *ROLES_FIELDS) if getattr(self, name))

    @property
    def is_complete(self) -> bool:
        return all(getattr(self, name) for name in ("meeting_date", *CHECKLIST_FIELDS))


def agreement_state(agreement: PairAgreement | None) -> AgreementState:
    if agreement is None:
        return AgreementState.MISSING
    return AgreementState.COMPLETE if agreement.is_complete else AgreementState.IN_PROGRESS


class PairAgreementEdit(db.Model):
    """Who changed the start-up agreement, when, and which fields (not the values)."""

    __tablename__ = "pair_agreement_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("pair_agreement.id"), index=True)
    edited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Field names separated by commas, e.g. "meeting_date,confidentiality_signed_on".
    changed_fields: Mapped[str] = mapped_column(sa.Text, default="")

    agreement: Mapped[PairAgreement] = relationship(back_populates="edits")
    edited_by: Mapped[User] = relationship()

    @property
    def fields(self) -> list[str]:
        return [name for name in self.changed_fields.split(",") if name]
