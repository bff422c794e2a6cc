"""Challenges and their steps, declared once as a kind of client record
(outreach/core/records.py)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from outreach.core.forms import name_of
from outreach.core.records import (
    REMOVED,
    HerDataPart,
    LogPart,
    RecordKind,
    Scrub,
    Section,
    TimelineKind,
    loader_for,
    row_of,
    rows_of,
    rows_under,
    source_columns,
    timeline_of,
)
from outreach.steps import choices as names
from outreach.steps import queries
from outreach.steps.demo import load_steps
from outreach.steps.models import RECORDED_DECISIONS, Challenge, Decision, Step, StepDecision
from outreach.steps.routes import bp


def _section(client, _user, rows) -> dict:
    return {
        **queries.challenge_summary(client, rows["closed_count"]),
        "names": names,
        "name_of": name_of,
        "decisions": (*RECORDED_DECISIONS, Decision.PENDING),
    }


def _decision_source():
    return source_columns(
        "step_decision", StepDecision, StepDecision.recorded_at, StepDecision.recorded_by_id,
        Step.client_id,
    ).join_from(StepDecision, Step, StepDecision.step_id == Step.id)


def _her_data(ids: list[int]) -> list[dict]:
    challenges = rows_of(Challenge, ids,
                         selectinload(Challenge.steps).selectinload(Step.decisions),
                         order=[Challenge.created_at, Challenge.id])
    return [
        row_of(ch, steps=[
            row_of(st, decisions=[row_of(d) for d in sorted(st.decisions, key=lambda d: d.id)])
            for st in sorted(ch.steps, key=lambda s: s.id)
        ])
        for ch in challenges
    ]


RECORD = RecordKind(
    name="challenge",
    models=(Challenge, Step),
    timeline=(
        timeline_of("challenge", _l("Challenge"), Challenge, Challenge.created_at,
                    Challenge.created_by_id, "steps/_timeline_challenge.html"),
        TimelineKind("step_decision", _l("Her decision on a step"), _decision_source,
                     loader_for(StepDecision, joinedload(StepDecision.step)),
                     "steps/_timeline_decision.html"),
    ),
    sections=(Section("challenges", "steps/_section.html", _section, order=50,
                      figures=lambda client_id: {
                          "closed_count": queries.closed_count_of(client_id)}),),
    scrubs=(
        Scrub(Challenge, {"description": REMOVED}),
        Scrub(Step, {"proposal": REMOVED}),
        Scrub(StepDecision, {"note": None}, rows_under(StepDecision.step_id, Step)),
    ),
    her_data=HerDataPart("challenges", _l("Challenges and steps"), _her_data, order=30),
    log_parts=(LogPart("steps", _l("Challenges and steps"), "steps"),),
    demo=load_steps,
    blueprint=bp,
)
