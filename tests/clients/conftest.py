"""The client tests' world: our pair (with its confidentiality agreement recorded) and
another pair with its own supervisor (tests/world.py), signing in through `sign_in`."""

import pytest

from tests.world import make_clients_world


@pytest.fixture
def world(app):
    return make_clients_world()
