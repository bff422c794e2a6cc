"""The outings world: the well-being world's pairs (our pair under a supervisor, another
pair under another, an administrator), the areas, and a client whose name must never show
to the supervisor."""

from datetime import timedelta

import pytest

from outreach.core.clock import set_now, utcnow
from outreach.extensions import db
from outreach.outings.demo import load_areas
from outreach.outings.models import Area, Outing
from tests import factories
from tests.helpers import sign_in  # noqa: F401 - re-exported
from tests.world import make_world as _make_world

CLIENT_NAME = "Salainen Asiakasnainen"


def make_world():
    world = _make_world(confirmed=False, clients=False, other_supervisor="Oona Otherboss")
    load_areas()
    factories.make_agreement(world.pair, confidentiality_signed_on=world.pair.starts_on)
    world.client = factories.make_client(world.pair, name=CLIENT_NAME)
    db.session.commit()
    return world


def area(name: str = "Kallio") -> Area:
    return db.session.scalar(db.select(Area).where(Area.name == name))


def go_out(world, worker=None, minutes: int = 60, where: str = "Kallio") -> Outing:
    """An outing started `now` by the expert (or `worker`), back in `minutes`."""
    worker = worker or world.expert
    outing = Outing(pair_id=world.pair.id, worker_id=worker.id, area_id=area(where).id,
                    started_at=utcnow())
    outing.set_return(utcnow() + timedelta(minutes=minutes), 30)
    db.session.add(outing)
    db.session.commit()
    return outing


# The fixtures of the outings and the mail tests (each package's conftest imports them).
@pytest.fixture
def world(app):
    return make_world()


@pytest.fixture(autouse=True)
def real_clock():
    """Tests move the clock with set_now(); each starts and ends on the real one."""
    set_now(None)
    yield
    set_now(None)
