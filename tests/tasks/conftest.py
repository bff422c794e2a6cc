"""Our pair (confidentiality recorded) with a client who consented, another pair, a pair
of the same professional whose expert has not signed the confidentiality agreement yet,
and the supervisor and administrator (tests/mappings/helpers.py)."""

import pytest

from tests.mappings.helpers import make_world


@pytest.fixture
def world(app):
    return make_world()
