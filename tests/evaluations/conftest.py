"""Two pairs with their supervisors, an administrator, and helpers to fill forms."""

import html
from dataclasses import dataclass

import pytest

from outreach.auth.models import Role, User
from outreach.evaluations import items as form_items
from outreach.evaluations.items import FormRole
from outreach.pairs.models import Pair
from tests import factories
from tests.factories import make_form, make_round  # noqa: F401 - this package's tests use them


@dataclass
class World:
    pair: Pair
    other: Pair
    supervisor: User
    other_supervisor: User
    admin: User

    @property
    def pro(self) -> User:
        return self.pair.professional

    @property
    def expert(self) -> User:
        return self.pair.expert


@pytest.fixture
def world(app) -> World:
    supervisor = factories.make_user(Role.SUPERVISOR)
    other_supervisor = factories.make_user(Role.SUPERVISOR)
    pair = factories.make_pair(supervisor=supervisor)
    other = factories.make_pair(supervisor=other_supervisor)
    return World(pair, other, supervisor, other_supervisor, factories.make_user(Role.ADMIN))



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
