"""A peer-support group of our pair (the one world, tests/world.py: our pair with its
supervisor, another pair, the administrator) with its sessions."""

import pytest

from tests.factories import make_group, make_session  # noqa: F401 - this package's tests use them
from tests.helpers import fresh  # noqa: F401 - this package's tests use it


@pytest.fixture
def group(world):
    return make_group(world.pair, aim="Vertaistuki", place="Kallio")


@pytest.fixture
def session(group):
    return make_session(
        group,
        parts=[("Avauskierros", "expert"), ("Teema", "professional")],
        planning_notes="SECRET-PLAN muistiinpanot",
        participants=6,
        debrief_notes="SECRET-DEBRIEF purku",
    )
