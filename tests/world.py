"""The one test world every package shares (the `world` fixture of tests/conftest.py).

Our pair (professional Paula, expert Eeva, under supervisor Sanna; the start-up agreement
with the confidentiality agreement signed), another pair (Pia and Elli), the administrator,
a client of each pair with a valid consent, and a pair of the same professional whose
expert has not signed the confidentiality agreement yet, with its own client.

Packages that need less or more say so: `make_world(confirmed=False, clients=False)` is
two pairs with their people only (the pair and well-being tests, which record agreements
themselves); `other_supervisor=` puts the other pair under a supervisor of its own;
`second_pair=True` adds a second pair of our supervisor (the dashboard and the funder report
count over several); `starts_on=` dates the pairs' start. A consulted client (a consultation
open to the supervisor) comes from `consulted(world)`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from outreach.auth.models import Role, User
from outreach.clients.models import Client
from outreach.consultations.models import Consultation
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.pairs.models import Pair
from tests import factories
from tests.database import snapshotted


@dataclass
class World:
    admin: User
    supervisor: User
    pair: Pair
    other_pair: Pair
    other_supervisor: User | None = None
    second_pair: Pair | None = None  # another pair of our supervisor
    unconfirmed_pair: Pair | None = None  # the expert has no confidentiality agreement yet
    client: Client | None = None
    other_client: Client | None = None
    unconfirmed_client: Client | None = None  # of the pair whose expert cannot open clients

    @property
    def professional(self) -> User:
        return self.pair.professional

    @property
    def expert(self) -> User:
        return self.pair.expert

    # The client tests' short names.
    pro = professional

    @property
    def other(self) -> Pair:
        return self.other_pair

    @property
    def pair2(self) -> Pair | None:
        return self.second_pair

    @property
    def pro2(self) -> User:
        return self.other_pair.professional

    @property
    def expert2(self) -> User:
        return self.other_pair.expert

    def actor(self, name: str) -> User | None:
        """The person a parametrised test names ("anonymous": nobody signed in)."""
        people = {
            "admin": self.admin,
            "supervisor": self.supervisor,
            "other_supervisor": self.other_supervisor,
            "professional": self.pair.professional,
            "expert": self.pair.expert,
            "other_professional": self.other_pair.professional,
            "other_expert": self.other_pair.expert,
            "unconfirmed_expert": self.unconfirmed_pair and self.unconfirmed_pair.expert,
            "anonymous": None,
        }
        if name not in people or (name != "anonymous" and people[name] is None):
            raise KeyError(name)
        return people[name]


def give_consent(client: Client, **fields):
    """A valid consent (given a month ago)."""
    return factories.make_consent(client, **fields)


def confirmed_pair(**people) -> Pair:
    """A pair whose start-up agreement records the confidentiality agreement (20 days ago)."""
    pair = factories.make_pair(**people)
    factories.make_agreement(pair, confidentiality_signed_on=local_today() - timedelta(days=20))
    return pair


@snapshotted
def make_world(*, confirmed: bool = True, clients: bool = True,
               other_supervisor: str | None = None, second_pair: bool = False,
               starts_on: date | None = None) -> World:
    supervisor = factories.make_user(Role.SUPERVISOR, name="Sanna Supervisor")
    theirs = (factories.make_user(Role.SUPERVISOR, name=other_supervisor)
              if other_supervisor else None)
    make = confirmed_pair if confirmed else factories.make_pair
    pair = make(
        professional=factories.make_user(Role.PROFESSIONAL, name="Paula Pro"),
        expert=factories.make_user(Role.EXPERT, name="Eeva Expert"),
        supervisor=supervisor, starts_on=starts_on,
    )
    other_pair = make(
        professional=factories.make_user(Role.PROFESSIONAL, name="Pia Stranger"),
        expert=factories.make_user(Role.EXPERT, name="Elli Stranger"),
        supervisor=theirs, starts_on=starts_on,
    )
    world = World(admin=None, supervisor=supervisor, pair=pair, other_pair=other_pair,
                  other_supervisor=theirs)
    if second_pair:
        world.second_pair = make(
            professional=factories.make_user(Role.PROFESSIONAL, name="Riikka Second"),
            expert=factories.make_user(Role.EXPERT, name="Saara Second"),
            supervisor=supervisor, starts_on=starts_on,
        )
    if clients:
        # The same professional in a second pair, whose expert cannot open clients yet.
        world.unconfirmed_pair = factories.make_pair(
            professional=pair.professional,
            expert=factories.make_user(Role.EXPERT, name="Ulla Unconfirmed"),
        )
        factories.make_agreement(world.unconfirmed_pair)
        world.client = factories.make_client(pair, name="Maija")
        give_consent(world.client)
        world.other_client = factories.make_client(other_pair, name="Stranger")
        give_consent(world.other_client)
        world.unconfirmed_client = factories.make_client(world.unconfirmed_pair, name="Liisa")
        give_consent(world.unconfirmed_client)
    world.admin = factories.make_user(Role.ADMIN, name="Aino Admin")
    return world


@snapshotted
def make_clients_world() -> World:
    """The client, audit and export tests' variant: both pairs confirmed and under a
    supervisor of their own, started 100 and 50 days ago; no clients (the tests make them)."""
    signed = local_today() - timedelta(days=20)
    supervisor = factories.make_user(Role.SUPERVISOR, name="Sirpa Supervisor")
    pair = factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Paula Pro"),
        expert=factories.make_user(Role.EXPERT, name="Eeva Expert"),
        supervisor=supervisor,
        starts_on=local_today() - timedelta(days=100),
    )
    factories.make_agreement(pair, confidentiality_signed_on=signed)
    other_supervisor = factories.make_user(Role.SUPERVISOR, name="Olli Other Supervisor")
    other = factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="Pirjo Pro2"),
        expert=factories.make_user(Role.EXPERT, name="Essi Expert2"),
        supervisor=other_supervisor,
        starts_on=local_today() - timedelta(days=50),
    )
    factories.make_agreement(other, confidentiality_signed_on=signed)
    return World(admin=factories.make_user(Role.ADMIN), supervisor=supervisor, pair=pair,
                 other_pair=other, other_supervisor=other_supervisor)


def consulted(world: World, days: int = 7) -> Client:
    """A client of our pair whose record a consultation opens to the pair's supervisor."""
    client = factories.make_client(world.pair, name="Kaisa Konsultoitava")
    give_consent(client)
    now = utcnow()
    db.session.add(Consultation(
        client_id=client.id, pair_id=world.pair.id, supervisor_id=world.supervisor.id,
        opened_by_id=world.professional.id, reason="Vaikea tilanne, tarvitsen tukea",
        opened_at=now, ends_at=now + timedelta(days=days)))
    db.session.commit()
    return client
