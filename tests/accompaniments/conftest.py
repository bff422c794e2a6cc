import pytest

from tests.contacts.helpers import make_world


@pytest.fixture
def world(app):
    return make_world()
