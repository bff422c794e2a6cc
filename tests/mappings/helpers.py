"""Shared set-up for the mapping and step tests: our pair and its client with a valid
consent, another pair with its own client, a pair whose expert has not signed the
confidentiality agreement yet, and the supervisor and administrator."""

from dataclasses import dataclass
from datetime import timedelta

from outreach.auth.models import Role, User
from outreach.clients.models import Client
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.pairs.models import Pair
from tests import factories

# Who may not even open a client of our pair, and what they get: the role is refused
# (403) or the client is outside their scope (404). "anonymous" is redirected to sign in.
REFUSED = [
    # The pair's supervisor may use the read routes of a record a consultation opens to
    # her (tests/consultations); without one her pair's client is outside her scope: 404.
    ("supervisor", (403, 404)),
    ("admin", (403,)),
    ("other_professional", (404,)),
    ("other_expert", (404,)),
]


@dataclass
class World:
    admin: User
    supervisor: User
    pair: Pair
    other_pair: Pair
    unconfirmed_pair: Pair  # the expert has no confidentiality agreement yet
    client: Client
    other_client: Client
    unconfirmed_client: Client  # of the pair whose expert cannot open clients yet

    @property
    def professional(self) -> User:
        return self.pair.professional

    @property
    def expert(self) -> User:
        return self.pair.expert

    def actor(self, name: str) -> User | None:
        return {
            "admin": self.admin,
            "supervisor": self.supervisor,
            "professional": self.pair.professional,
            "expert": self.pair.expert,
            "other_professional": self.other_pair.professional,
            "other_expert": self.other_pair.expert,
            "unconfirmed_expert": self.unconfirmed_pair.expert,
            "anonymous": None,
        }[name]


def give_consent(client: Client, **fields):
    """A valid consent (given a month ago), through CONSENT's factory when it exists."""
    if hasattr(factories, "make_consent"):
        return factories.make_consent(client, **fields)
    from outreach.consents.models import Consent, ConsentMedium

    fields.setdefault("given_on", local_today() - timedelta(days=30))
    consent = Consent(client_id=client.id, form=ConsentMedium.VERBAL, keep_records=True,
                      recorded_by_id=client.pair.professional_id, **fields)
    db.session.add(consent)
    db.session.commit()
    return consent


def confirmed_pair(**people) -> Pair:
    pair = factories.make_pair(**people)
    factories.make_agreement(pair, confidentiality_signed_on=local_today() - timedelta(days=20))
    return pair


def make_world() -> World:
    supervisor = factories.make_user(Role.SUPERVISOR, name="Sanna Supervisor")
    pair = confirmed_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Paula Pro"),
        expert=factories.make_user(Role.EXPERT, name="Eeva Expert"),
        supervisor=supervisor,
    )
    other_pair = confirmed_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Pia Stranger"),
        expert=factories.make_user(Role.EXPERT, name="Elli Stranger"),
    )
    # The same professional in a second pair, whose expert cannot open clients yet.
    unconfirmed_pair = factories.make_pair(
        professional=pair.professional,
        expert=factories.make_user(Role.EXPERT, name="Ulla Unconfirmed"),
    )
    factories.make_agreement(unconfirmed_pair)
    client = factories.make_client(pair, name="Maija")
    give_consent(client)
    other_client = factories.make_client(other_pair, name="Stranger")
    give_consent(other_client)
    unconfirmed_client = factories.make_client(unconfirmed_pair, name="Liisa")
    give_consent(unconfirmed_client)
    return World(factories.make_user(Role.ADMIN, name="Aino Admin"), supervisor, pair,
                 other_pair, unconfirmed_pair, client, other_client, unconfirmed_client)


def sign_in(client, user: User | None):
    client.post("/logout")
    if user is not None:
        response = client.post("/login", data={"email": user.email,
                                               "password": factories.PASSWORD})
        assert response.status_code == 302


HTMX = {"HX-Request": "true"}


def htmx_headers(target: str) -> dict:
    return {**HTMX, "HX-Target": target}
