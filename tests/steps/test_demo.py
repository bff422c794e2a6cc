"""The demo's mappings show change over three dates; its steps cover every decision."""


import sqlalchemy as sa

from outreach import demo
from outreach.clients.choices import LifeDomain
from outreach.clients.models import Client
from outreach.consents.queries import can_record
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.mappings.demo import load_mappings
from outreach.mappings.models import Mapping
from outreach.steps.demo import load_steps
from outreach.steps.models import Challenge, ChallengeStatus, Decision, Step, StepDecision


def test_demo_mappings_and_steps(app):
    assert load_mappings in demo.demo_parts()
    assert load_steps in demo.demo_parts()
    assert demo.load() is True
    clients = list(db.session.scalars(sa.select(Client).order_by(Client.id)))
    mappings = list(db.session.scalars(sa.select(Mapping)))
    by_client: dict[int, list[Mapping]] = {}
    for mapping in mappings:
        by_client.setdefault(mapping.client_id, []).append(mapping)

    consenting = [c for c in clients if can_record(c)]
    assert len(consenting) >= 10
    # Every woman with a valid consent has been mapped; none without one.
    assert set(by_client) == {c.id for c in consenting}
    three = [ms for ms in by_client.values() if len({m.mapped_on for m in ms}) == 3]
    assert len(three) >= len(consenting) - 2
    for ms in by_client.values():
        assert all(len(m.ratings) == 10 for m in ms)
        assert all(m.mapped_on <= local_today() for m in ms)
    # Change over time: mostly better, with setbacks too.
    ups = downs = 0
    for ms in three:
        ms.sort(key=lambda m: m.mapped_on)
        for before, after in zip(ms, ms[1:], strict=False):
            for domain in LifeDomain:
                a, b = before.rating_for(domain).rating, after.rating_for(domain).rating
                if a is not None and b is not None:
                    ups += b > a
                    downs += b < a
    assert ups > downs > 0

    steps = list(db.session.scalars(sa.select(Step)))
    assert {s.decision for s in steps} == set(Decision)
    statuses = set(db.session.scalars(sa.select(Challenge.status)))
    assert statuses == set(ChallengeStatus)
    challenged = set(db.session.scalars(sa.select(Challenge.client_id)))
    assert len(challenged) >= 6
    assert challenged <= {c.id for c in consenting}
    # Some decisions changed, and the earlier ones are kept.
    changed = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            sa.select(StepDecision.step_id).group_by(StepDecision.step_id)
            .having(sa.func.count() > 1).subquery()
        )
    )
    assert changed >= 2
    for step in steps:
        if step.decision == Decision.PENDING:
            assert step.decisions == []
        else:
            assert step.decisions[0].decision == step.decision

    assert demo.load() is False
    assert db.session.scalar(sa.select(sa.func.count(Mapping.id))) == len(mappings)
    assert db.session.scalar(sa.select(sa.func.count(Step.id))) == len(steps)
