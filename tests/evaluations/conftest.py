"""The evaluation tests' world (tests/world.py) and helpers to fill forms."""

import html

import pytest

from outreach.evaluations import items as form_items
from outreach.evaluations.items import FormRole
from tests.factories import make_form, make_round  # noqa: F401 - this package's tests use them
from tests.world import World, make_world


@pytest.fixture
def world(app) -> World:
    """Two pairs (no start-up agreement), each under a supervisor of its own, and the
    administrator: the one test world without clients."""
    return make_world(confirmed=False, clients=False, other_supervisor="Olli Other")


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def answers_data(role: FormRole | str, action: str = "submit", value: int | None = 3,
                 **overrides) -> dict:
    """The form as posted: every statement `value` (None: unanswered), no texts."""
    data = {"action": action}
    for item in form_items.statements(role):
        if value is not None:
            data[item.key] = str(value)
    data.update(overrides)
    return data
