import pytest

from tests.world import make_world


@pytest.fixture
def world(app):
    """The well-being tests' world: two pairs, each under a supervisor of its own."""
    return make_world(confirmed=False, clients=False, other_supervisor="Oona Otherboss")
