import pytest

from outreach.core.clock import set_now
from tests.outing_helpers import make_world


@pytest.fixture
def world(app):
    return make_world()


@pytest.fixture(autouse=True)
def real_clock():
    """Tests move the clock with set_now(); each starts and ends on the real one."""
    set_now(None)
    yield
    set_now(None)
