"""Shared set-up for the pair tests: one pair with its people, and a pair of strangers."""

import html
from dataclasses import dataclass

from outreach.auth.models import Role, User
from outreach.pairs.models import EDITABLE_FIELDS, Pair
from tests import factories


@dataclass
class World:
    admin: User
    supervisor: User
    other_supervisor: User
    pair: Pair
    other_pair: Pair

    def actor(self, name: str) -> User | None:
        return {
            "admin": self.admin,
            "supervisor": self.supervisor,
            "other_supervisor": self.other_supervisor,
            "professional": self.pair.professional,
            "expert": self.pair.expert,
            "other_professional": self.other_pair.professional,
            "other_expert": self.other_pair.expert,
            "anonymous": None,
        }[name]


def make_world() -> World:
    supervisor = factories.make_user(Role.SUPERVISOR, name="Sanna Supervisor")
    other_supervisor = factories.make_user(Role.SUPERVISOR, name="Outi Othersup")
    pair = factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Paula Pro"),
        expert=factories.make_user(Role.EXPERT, name="Eeva Expert"),
        supervisor=supervisor,
    )
    other_pair = factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Pia Stranger"),
        expert=factories.make_user(Role.EXPERT, name="Elli Stranger"),
        supervisor=other_supervisor,
    )
    return World(factories.make_user(Role.ADMIN, name="Aino Admin"), supervisor,
                 other_supervisor, pair, other_pair)


def sign_in(client, user: User | None):
    client.post("/logout")
    if user is not None:
        response = client.post("/login", data={"email": user.email,
                                               "password": factories.PASSWORD})
        assert response.status_code == 302


def agreement_data(version, **fields) -> dict:
    """What a browser sends: every field of the form, empty unless given."""
    data = dict.fromkeys(EDITABLE_FIELDS, "")
    data.update({name: str(value) for name, value in fields.items()})
    data["version"] = str(version)
    return data


def text_of(response) -> str:
    """The page as a reader sees it: entities such as &amp; and &#39; turned back."""
    return html.unescape(response.get_data(as_text=True))
