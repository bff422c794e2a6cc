"""Demo consents and anonymous encounters: loaded once, after the demo clients."""

from datetime import timedelta

import sqlalchemy as sa

from outreach import demo
from outreach.clients.demo import load_clients
from outreach.clients.models import Client
from outreach.consents.demo import load_consents
from outreach.consents.models import Consent, ConsentMedium, WithdrawalEffect
from outreach.consents.queries import ConsentStatus, consent_statuses
from outreach.core.time import local_today
from outreach.encounters.demo import PER_PAIR, load_encounters
from outreach.encounters.models import AnonymousEncounter
from outreach.extensions import db
from outreach.pairs.models import Pair


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


def test_demo_loads_consents_and_encounters_after_the_clients(app):
    parts = demo.demo_parts()
    assert parts.index(load_clients) < parts.index(load_consents)
    assert parts.index(load_clients) < parts.index(load_encounters)
    assert demo.load() is True
    consents, encounters = count(Consent), count(AnonymousEncounter)

    clients = list(db.session.scalars(sa.select(Client).order_by(Client.id)))
    statuses = consent_statuses([c.id for c in clients])
    tally = {status: list(statuses.values()).count(status) for status in ConsentStatus}
    assert tally[ConsentStatus.EXPIRED] == 1
    assert tally[ConsentStatus.WITHDRAWN] == 1
    assert 2 <= tally[ConsentStatus.NONE] <= 3
    assert tally[ConsentStatus.VALID] >= len(clients) - 5

    every = list(db.session.scalars(sa.select(Consent)))
    assert {c.form for c in every} == {ConsentMedium.VERBAL, ConsentMedium.WRITTEN}
    assert any(c.services for c in every) and any(c.share_organisations for c in every)
    assert any(not c.services and not c.share_organisations for c in every)
    [withdrawn] = [c for c in every if c.withdrawn_on]
    assert withdrawn.withdrawal_effect == WithdrawalEffect.KEEP and withdrawn.withdrawn_at
    assert all(c.given_on <= local_today() for c in every)
    assert all(c.expires_on is None or c.expires_on >= c.given_on for c in every)

    today = local_today()
    # The current pairs' recent encounters (the pair that ended years ago has none).
    for pair in db.session.scalars(sa.select(Pair).where(Pair.ends_on.is_(None))):
        rows = list(db.session.scalars(
            sa.select(AnonymousEncounter).where(AnonymousEncounter.pair_id == pair.id)))
        assert len(rows) == PER_PAIR
        assert all(max(pair.starts_on, today - timedelta(days=92)) <= r.met_on <= today
                   for r in rows)
        assert all(r.created_by_id in (pair.professional_id, pair.expert_id) for r in rows)
        assert len({r.met_on.month for r in rows}) >= 2
    assert encounters == 2 * PER_PAIR

    # Loaded once.
    assert load_consents() is False
    assert load_encounters() is False
    assert demo.load() is False
    assert (count(Consent), count(AnonymousEncounter)) == (consents, encounters)


def test_no_consents_without_clients(app):
    assert load_consents() is False
    assert count(Consent) == 0
