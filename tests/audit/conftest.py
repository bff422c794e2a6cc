"""Our pair with a client, another pair with its own, and reading what the log holds."""

import pytest
import sqlalchemy as sa

from outreach.audit.models import AccessLog
from outreach.extensions import db
from tests.world import make_clients_world


@pytest.fixture
def world(app):
    """The client tests' people (tests/world.py)."""
    return make_clients_world()


@pytest.fixture
def her(world, make_client):
    return make_client(world.pair, name="Hanna Hänninen", safety_notes="Ei kotikäyntejä")


@pytest.fixture
def theirs(world, make_client):
    return make_client(world.other, name="Toinen Asiakas")


def log_rows(**where) -> list[AccessLog]:
    """Every row in the log (in the database now), oldest first, optionally filtered."""
    db.session.expire_all()
    query = sa.select(AccessLog).order_by(AccessLog.id)
    for name, value in where.items():
        query = query.where(getattr(AccessLog, name) == value)
    return list(db.session.scalars(query))


def log_inserts(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("INSERT INTO ACCESS_LOG")]
