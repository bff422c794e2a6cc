"""A small known world for the dashboard: a supervisor with two pairs, another supervisor's
pair, clients, contacts, accompaniments, network contacts and encounters."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from outreach.pairs.models import Pair
from tests import factories
from tests.world import World, make_world

HELSINKI = ZoneInfo("Europe/Helsinki")
START = date(2025, 1, 1)


def at(year, month, day, hour=12, minute=0) -> datetime:
    """A Helsinki wall-clock moment, as the UTC moment stored."""
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI).astimezone(UTC)


def dashboard_world() -> World:
    """The one test world (tests/world.py) with our supervisor's second pair, every pair
    started on START; our pair's start-up agreement was recorded that day."""
    world = make_world(confirmed=False, clients=False, other_supervisor="Olli Other",
                       second_pair=True, starts_on=START)
    factories.make_agreement(world.pair, confidentiality_signed_on=START)
    return world


@pytest.fixture
def world(app) -> World:
    return dashboard_world()


@pytest.fixture
def pair_of():
    from outreach.extensions import db

    def get(pair_id: int) -> Pair:
        return db.session.get(Pair, pair_id)

    return get
