"""Challenge and step queries. Each takes a client already loaded with `client_or_404`
(the pair scope), and looks the record up inside that client: another client's id is 404."""

from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from outreach.clients.models import Client
from outreach.extensions import db
from outreach.scope import her_record_or_404
from outreach.steps.models import Challenge, ChallengeStatus, Step, StepDecision


def _with_steps():
    """Everything the challenges page shows, in a fixed number of queries."""
    return (
        joinedload(Challenge.created_by),
        joinedload(Challenge.closed_by),
        selectinload(Challenge.steps).options(
            selectinload(Step.tasks),  # the task made of the step (outreach.tasks)
            joinedload(Step.proposed_by_user),
            joinedload(Step.decision_recorded_by),
            selectinload(Step.decisions).joinedload(StepDecision.recorded_by),
        ),
    )


def challenges_of(client: Client) -> tuple[list[Challenge], list[Challenge]]:
    """(open, closed): open ones oldest first, closed ones most recently closed first."""
    query = (
        sa.select(Challenge)
        .where(Challenge.client_id == client.id)
        .options(*_with_steps())
        .order_by(Challenge.created_at, Challenge.id)
    )
    challenges = list(db.session.scalars(query))
    open_ = [c for c in challenges if c.status == ChallengeStatus.OPEN]
    closed = sorted(
        (c for c in challenges if c.status != ChallengeStatus.OPEN),
        key=lambda c: (c.closed_on, c.id),
        reverse=True,
    )
    return open_, closed


def challenge_or_404(client: Client, challenge_id: int) -> Challenge:
    return her_record_or_404(Challenge, client, challenge_id)


def step_or_404(client: Client, step_id: int) -> Step:
    """One step of this client, with what its row on the page shows."""
    return her_record_or_404(
        Step, client, step_id,
        joinedload(Step.challenge),
        selectinload(Step.tasks),  # the task made of the step (outreach.tasks)
        joinedload(Step.proposed_by_user),
        joinedload(Step.decision_recorded_by),
        selectinload(Step.decisions).joinedload(StepDecision.recorded_by),
    )


def closed_count_of(client_id):
    """How many of her challenges are closed, as a subquery (`client_id` an id or a
    column): one of her page's figures."""
    return (
        sa.select(sa.func.count(Challenge.id))
        .where(Challenge.client_id == client_id, Challenge.status != ChallengeStatus.OPEN)
        .scalar_subquery()
    )


def challenge_summary(client: Client, closed_count: int | None = None) -> dict:
    """For the client page: her open challenges with their steps counted by decision, and
    how many are closed (given when her page loaded it with her). One query, two without
    `closed_count`."""
    rows = db.session.execute(
        sa.select(Challenge, Step.decision, sa.func.count(Step.id))
        .outerjoin(Step, Step.challenge_id == Challenge.id)
        .where(Challenge.client_id == client.id, Challenge.status == ChallengeStatus.OPEN)
        # Grouped by the challenge's key: its other columns follow from it (PostgreSQL too).
        .group_by(Challenge.id, Step.decision)
        .order_by(Challenge.created_at, Challenge.id)
    ).all()
    open_: list[Challenge] = []
    counts: dict[int, Counter] = {}
    for challenge, decision, count in rows:
        if challenge.id not in counts:
            open_.append(challenge)
            counts[challenge.id] = Counter()
        if decision is not None:
            counts[challenge.id][decision] = count
    if closed_count is None:
        closed_count = db.session.scalar(sa.select(closed_count_of(client.id)))
    return {"open_challenges": open_, "decision_counts": counts, "closed_count": closed_count}
