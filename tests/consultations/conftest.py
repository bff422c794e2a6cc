"""The consultation tests' world: the one test world (tests/world.py) with the other pair
under a supervisor of its own, so that a consultation can be opened to someone else; her
(`world.client`) safety notes recorded. On top of it, when a test asks: `second`, another
client of our pair, and `lonely`, a client of a pair without a supervisor."""

from datetime import timedelta

import pytest

from outreach.auth.models import Role
from outreach.clients.models import Client
from outreach.consultations.models import Consultation
from outreach.core.clock import utcnow
from outreach.extensions import db
from tests import factories
from tests.world import World, confirmed_pair, give_consent, make_world


@pytest.fixture
def world(app) -> World:
    world = make_world(other_supervisor="Olli Other")
    # The consultation is about her: the supervisor reads her safety notes too.
    world.client.safety_notes = "Turvallisuushuomio"
    db.session.commit()
    return world


@pytest.fixture
def second(world) -> Client:
    """Another client of our pair, whom no consultation of hers opens."""
    client = factories.make_client(world.pair, name="Toini Samanparin")
    give_consent(client)
    return client


@pytest.fixture
def lonely(world) -> Client:
    """A client of a pair (confidentiality agreement recorded) that has no supervisor."""
    pair = confirmed_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Lotta Yksin"),
        expert=factories.make_user(Role.EXPERT, name="Elina Yksin"),
    )
    client = factories.make_client(pair, name="Tuula Yksinäinen")
    give_consent(client)
    return client


def make_consultation(client, *, days: int = 7, reason: str = "Vaikea tilanne, tarvitsen tukea",
                      ended: bool = False, expired: bool = False, **fields) -> Consultation:
    """A consultation of her record, opened by her pair's professional to its supervisor."""
    pair = client.pair
    now = utcnow()
    consultation = Consultation(
        client_id=client.id, pair_id=pair.id,
        supervisor_id=fields.pop("supervisor_id", pair.supervisor_id),
        opened_by_id=pair.professional_id, reason=reason,
        opened_at=now - timedelta(days=days + 1 if expired else 0),
        ends_at=now - timedelta(hours=1) if expired else now + timedelta(days=days),
        **fields,
    )
    if ended:
        consultation.ended_at = now
        consultation.ended_by_id = pair.professional_id
    db.session.add(consultation)
    db.session.commit()
    return consultation
