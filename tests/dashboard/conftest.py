"""A small known world for the dashboard: a supervisor with two pairs, another supervisor's
pair, clients, contacts, accompaniments, network contacts and encounters."""

from datetime import UTC, date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from outreach.auth.models import Role
from outreach.pairs.models import Pair
from tests import factories

HELSINKI = ZoneInfo("Europe/Helsinki")
START = date(2025, 1, 1)


def at(year, month, day, hour=12, minute=0) -> datetime:
    """A Helsinki wall-clock moment, as the UTC moment stored."""
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI).astimezone(UTC)


def make_world() -> SimpleNamespace:
    supervisor = factories.make_user(Role.SUPERVISOR, name="Sirpa Supervisor")
    other_supervisor = factories.make_user(Role.SUPERVISOR)
    pair = factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Paula Pro"),
        expert=factories.make_user(Role.EXPERT, name="Eeva Expert"),
        supervisor=supervisor, starts_on=START,
    )
    pair2 = factories.make_pair(supervisor=supervisor, starts_on=START)
    other = factories.make_pair(supervisor=other_supervisor, starts_on=START)
    factories.make_agreement(pair, confidentiality_signed_on=pair.starts_on)
    return SimpleNamespace(supervisor=supervisor, other_supervisor=other_supervisor,
                           pair=pair, pair2=pair2, other=other,
                           pro=pair.professional, expert=pair.expert)


@pytest.fixture
def world(app):
    return make_world()


@pytest.fixture
def pair_of():
    from outreach.extensions import db

    def get(pair_id: int) -> Pair:
        return db.session.get(Pair, pair_id)

    return get
