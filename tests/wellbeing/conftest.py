import pytest

from tests.wellbeing.helpers import make_world


@pytest.fixture
def world(app):
    return make_world()
