"""Evaluation queries, each starting from the user's scope.

Privacy rule: a partner's answers are loaded only for herself/himself (`my_form`), or for
the joint review once BOTH partners have submitted (`joint_forms` puts that condition in
the query itself). Supervisors and administrators get counts and the anonymous summary
(`summary`): only submitted forms, figures only from 3 answers up, quotes only with
permission and only from a set of at least 3 submitted forms, never with a name or pair.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import aliased, joinedload, selectinload

from outreach.auth.models import Role, User
from outreach.core.clock import utcnow
from outreach.core.time import year_bounds_utc
from outreach.evaluations import items as form_items
from outreach.evaluations.items import FormRole, Item
from outreach.evaluations.models import (
    Activity,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationRound,
    FormStatus,
)
from outreach.extensions import db
from outreach.groups.models import PeerGroup
from outreach.pairs.models import Pair
from outreach.scope import PARTNERS, pair_ids, visible_pair_ids, writing_pair_ids

MIN_ANSWERS = 3  # fewer answers than this: no figures and no quotes in the summary


def role_in(pair: Pair, user: User) -> FormRole | None:
    """The user's form in this pair: the professional's or the experience expert's."""
    if user.id == pair.professional_id:
        return FormRole.PROFESSIONAL
    if user.id == pair.expert_id:
        return FormRole.EXPERT
    return None


def can_open_round(pair: Pair, user: User, today: date) -> bool:
    """The pair's professional or its supervisor opens a round, while the pair works."""
    if not pair.is_active_on(today):
        return False
    return user.id == pair.professional_id or (
        user.role == Role.SUPERVISOR and user.id == pair.supervisor_id
    )


def groups_of(pair: Pair) -> list[PeerGroup]:
    query = sa.select(PeerGroup).where(PeerGroup.pair_id == pair.id).order_by(
        PeerGroup.name, PeerGroup.id)
    return list(db.session.scalars(query))


def open_round(pair: Pair, user: User, values: dict) -> EvaluationRound:
    evaluation_round = EvaluationRound(pair_id=pair.id, opened_by_id=user.id, **values)
    db.session.add(evaluation_round)
    db.session.flush()
    return evaluation_round


def partner_round_or_404(user: User, round_id: int, write: bool = False) -> EvaluationRound:
    """A round of one of the user's own pairs (as a partner); 404 for everyone else,
    supervisors and administrators included: they never open individual forms."""
    query = (
        sa.select(EvaluationRound)
        .where(EvaluationRound.id == round_id,
               EvaluationRound.pair_id.in_(pair_ids(user, write=write)))
        .options(
            joinedload(EvaluationRound.pair).joinedload(Pair.professional),
            joinedload(EvaluationRound.pair).joinedload(Pair.expert),
            joinedload(EvaluationRound.group),
        )
    )
    evaluation_round = db.session.scalar(query)
    if evaluation_round is None:
        abort(404)
    return evaluation_round


def my_form(user: User, round_id: int) -> EvaluationForm | None:
    """The user's own form with its answers: never anybody else's."""
    query = (
        sa.select(EvaluationForm)
        .where(EvaluationForm.round_id == round_id, EvaluationForm.user_id == user.id)
        .options(selectinload(EvaluationForm.answers))
    )
    return db.session.scalar(query)


def partner_status(user: User, evaluation_round: EvaluationRound) -> FormStatus | None:
    """Only the state of the partner's form (draft, submitted or not started): no answers."""
    pair = evaluation_round.pair
    other = pair.expert_id if user.id == pair.professional_id else pair.professional_id
    return db.session.scalar(
        sa.select(EvaluationForm.status).where(
            EvaluationForm.round_id == evaluation_round.id, EvaluationForm.user_id == other
        )
    )


def _both_submitted(evaluation_round: EvaluationRound):
    """SQL: both partners of the pair have submitted their form in this round."""
    pair = evaluation_round.pair
    submitted = (
        sa.select(sa.func.count(EvaluationForm.id))
        .where(
            EvaluationForm.round_id == evaluation_round.id,
            EvaluationForm.status == FormStatus.SUBMITTED,
            EvaluationForm.user_id.in_([pair.professional_id, pair.expert_id]),
        )
        .scalar_subquery()
    )
    return submitted == 2


def joint_forms(evaluation_round: EvaluationRound) -> dict[FormRole, EvaluationForm] | None:
    """Both forms with their answers, only when both partners have submitted (the
    condition is part of the query: before that, no answer is even loaded)."""
    pair = evaluation_round.pair
    query = (
        sa.select(EvaluationForm)
        .where(
            EvaluationForm.round_id == evaluation_round.id,
            EvaluationForm.user_id.in_([pair.professional_id, pair.expert_id]),
            _both_submitted(evaluation_round),
        )
        .options(selectinload(EvaluationForm.answers), joinedload(EvaluationForm.user))
    )
    forms = {form.role: form for form in db.session.scalars(query)}
    return forms if len(forms) == 2 else None


def save_answers(user: User, evaluation_round: EvaluationRound, form_row: EvaluationForm | None,
                 answers, submit: bool) -> EvaluationForm:
    """Store the user's answers (a draft keeps whatever is there; empty answers are
    removed), and submit when asked."""
    now = utcnow()
    if form_row is None:
        form_row = EvaluationForm(round_id=evaluation_round.id, user_id=user.id,
                                  role=answers.role, status=FormStatus.DRAFT)
        db.session.add(form_row)
    existing = {answer.item: answer for answer in form_row.answers}
    for item, value_field in answers.statement_fields():
        _put(form_row, existing, item.key, value=value_field.data)
    for item, text_field, quote_field in answers.open_fields():
        text = text_field.data or None
        _put(form_row, existing, item.key, text=text,
             may_quote=bool(quote_field.data) if text else False)
    form_row.updated_at = now
    if submit:
        form_row.status = FormStatus.SUBMITTED
        form_row.submitted_at = now
    return form_row


def _put(form_row, existing, key, value=None, text=None, may_quote=False) -> None:
    answer = existing.get(key)
    if value is None and text is None:
        if answer is not None:
            form_row.answers.remove(answer)
        return
    if answer is None:
        answer = EvaluationAnswer(item=key)
        form_row.answers.append(answer)
    answer.value, answer.text, answer.may_quote = value, text, may_quote


# --- Rounds of a pair: the list, the pair page's panel ---------------------------------------


@dataclass
class RoundRow:
    round: EvaluationRound
    mine: FormStatus | None = None  # partners: the state of their own form
    partner: FormStatus | None = None  # partners: the partner's state, nothing more
    submitted: int = 0  # how many forms are submitted (0–2)

    @property
    def both_done(self) -> bool:
        return self.submitted >= 2


def pair_rounds(pair: Pair, user: User, limit: int | None = None) -> list[RoundRow]:
    """The pair's rounds, newest first, with the state of each form (never the answers):
    two queries whatever the number of rounds."""
    query = (
        sa.select(EvaluationRound)
        .where(EvaluationRound.pair_id == pair.id,
               EvaluationRound.pair_id.in_(visible_pair_ids(user)))
        .options(joinedload(EvaluationRound.opened_by), joinedload(EvaluationRound.group))
        .order_by(EvaluationRound.opened_at.desc(), EvaluationRound.id.desc())
    )
    if limit:
        query = query.limit(limit)
    rows = {r.id: RoundRow(r) for r in db.session.scalars(query)}
    if not rows:
        return []
    states = db.session.execute(
        sa.select(EvaluationForm.round_id, EvaluationForm.user_id, EvaluationForm.status)
        .where(EvaluationForm.round_id.in_(list(rows)),
               EvaluationForm.user_id.in_([pair.professional_id, pair.expert_id]))
    )
    for round_id, user_id, status in states:
        row = rows[round_id]
        if status == FormStatus.SUBMITTED:
            row.submitted += 1
        if user.id == user_id:
            row.mine = status
        elif pair.is_partner(user):
            row.partner = status
    return list(rows.values())


def waiting_rounds(user: User) -> list[tuple[EvaluationRound, FormStatus | None]]:
    """Rounds of the partner's active pairs where her/his own form is not submitted yet."""
    if user.role not in PARTNERS:
        return []
    mine = aliased(EvaluationForm)
    query = (
        sa.select(EvaluationRound, mine.status)
        .outerjoin(mine, sa.and_(mine.round_id == EvaluationRound.id, mine.user_id == user.id))
        .where(EvaluationRound.pair_id.in_(writing_pair_ids(user)),
               sa.or_(mine.id.is_(None), mine.status == FormStatus.DRAFT))
        .options(joinedload(EvaluationRound.pair).joinedload(Pair.professional),
                 joinedload(EvaluationRound.pair).joinedload(Pair.expert))
        .order_by(EvaluationRound.opened_at, EvaluationRound.id)
    )
    return [(r, status) for r, status in db.session.execute(query)]


# --- The anonymous summary -----------------------------------------------------------------


@dataclass
class StatementFigures:
    item: Item
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(form_items.SCALE, 0))

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def enough(self) -> bool:
        return self.n >= MIN_ANSWERS

    @property
    def mean(self) -> float | None:
        if not self.n:
            return None
        return sum(value * count for value, count in self.counts.items()) / self.n


@dataclass
class SummarySection:
    key: str  # "A", "B-expert", "B-professional"
    role: FormRole | None
    forms: int  # submitted forms in this set
    statements: list[StatementFigures]
    quotes: list[tuple[Item, list[str]]]

    @property
    def quotes_allowed(self) -> bool:
        return self.forms >= MIN_ANSWERS


def summary_round_ids(user: User, activity: Activity | None = None,
                      year: int | None = None) -> sa.Select:
    query = sa.select(EvaluationRound.id).where(
        EvaluationRound.pair_id.in_(visible_pair_ids(user)))
    if activity:
        query = query.where(EvaluationRound.activity == activity)
    if year:
        start, end = year_bounds_utc(year)
        query = query.where(EvaluationRound.opened_at >= start, EvaluationRound.opened_at < end)
    return query


def summary(user: User, activity: Activity | None = None,
            year: int | None = None, *, rounds: sa.Select | None = None,
            quotes: bool = True) -> list[SummarySection]:
    """Section A (both roles), the expert's B and the professional's B, over the SUBMITTED
    forms of the rounds in the user's scope: GROUP BY queries, at most three.

    `rounds` narrows it further (the funder report: its pairs and period, built on
    summary_round_ids so the scope stays); quotes=False leaves the quotes out."""
    if rounds is None:
        rounds = summary_round_ids(user, activity, year)
    submitted = sa.and_(EvaluationForm.status == FormStatus.SUBMITTED,
                        EvaluationForm.round_id.in_(rounds))
    forms = dict(db.session.execute(
        sa.select(EvaluationForm.role, sa.func.count(EvaluationForm.id))
        .where(submitted).group_by(EvaluationForm.role)
    ).all())
    distribution = db.session.execute(
        sa.select(EvaluationForm.role, EvaluationAnswer.item, EvaluationAnswer.value,
                  sa.func.count(EvaluationAnswer.id))
        .join(EvaluationForm, EvaluationForm.id == EvaluationAnswer.form_id)
        .where(submitted, EvaluationAnswer.value.is_not(None))
        .group_by(EvaluationForm.role, EvaluationAnswer.item, EvaluationAnswer.value)
    ).all()

    total = sum(forms.values())
    sections = [SummarySection("A", None, total,
                               [StatementFigures(i) for i in form_items.A_STATEMENTS], [])]
    for role in (FormRole.EXPERT, FormRole.PROFESSIONAL):
        sections.append(SummarySection(
            f"B-{role.value}", role, forms.get(role, 0),
            [StatementFigures(i) for i in form_items.B_STATEMENTS[role]], []))
    by_key = {(s.role, f.item.key): f for s in sections for f in s.statements}
    for role, key, value, count in distribution:
        figures = by_key.get((None if key.startswith("A") else FormRole(role), key))
        if figures is not None and value in figures.counts:
            figures.counts[value] += count

    # Quotes: only with permission, only from a set of at least three submitted forms.
    allowed = [s for s in sections if s.quotes_allowed] if quotes else []
    if allowed:
        conditions = []
        for section in allowed:
            if section.role is None:
                conditions.append(EvaluationAnswer.item.like("A\\_open\\_%", escape="\\"))
            else:
                conditions.append(sa.and_(
                    EvaluationForm.role == section.role,
                    EvaluationAnswer.item.like("B\\_open\\_%", escape="\\")))
        rows = db.session.execute(
            sa.select(EvaluationForm.role, EvaluationAnswer.item, EvaluationAnswer.text)
            .join(EvaluationForm, EvaluationForm.id == EvaluationAnswer.form_id)
            .where(submitted, EvaluationAnswer.may_quote.is_(True),
                   EvaluationAnswer.text.is_not(None), sa.or_(*conditions))
            .order_by(EvaluationAnswer.item, EvaluationAnswer.text)
        ).all()
        for section in allowed:
            questions = (form_items.A_OPEN if section.role is None
                         else form_items.B_OPEN[section.role])
            for question in questions:
                texts = [text for role, key, text in rows if key == question.key and (
                    section.role is None or FormRole(role) == section.role) and text.strip()]
                section.quotes.append((question, texts))
    return sections
