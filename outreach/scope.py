"""Which pairs and clients a user may read and write: every query's scope starts here.

Pairs (subqueries of pair ids):
- `visible_pair_ids`: what a user may see of pairs at all: administrators every pair,
  supervisors the pairs they supervise, partners the pairs they are or were in (ended ones
  stay visible, their clients do not). Pair pages, dashboards, reports.
- `reading_pair_ids`: what is internal to a pair (feedback, meetings, check-ins,
  evaluation forms): only its two partners, ended pairs included, read-only then.
- `writing_pair_ids`: where a partner records and edits: only partners, only pairs working
  on the day.
- `client_pair_ids`: the pairs whose CLIENTS a user may open: a professional's working
  pairs; an expert's working pairs whose start-up agreement records the confidentiality
  agreement as signed by the day.

Clients: `clients_of` (every client the user may open) and `client_or_404`. A role may be
given another client scope by the domain that grants it (the supervisor's consultations):
it SUPPLIES that scope here with `supply_client_scope`, registered from the app factory's
list, so that nothing here imports the domains above it. Such a scope reads only.

Everything outside the scope answers 404, so nothing tells a record exists."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from flask import abort, has_request_context
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from outreach.audit.log import action_of_request, note_client_access, part_of_request, record_access
from outreach.auth.models import Role, User
from outreach.clients.models import Client
from outreach.core.memo import shared
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.pairs.models import Pair, PairAgreement

PARTNERS = (Role.PROFESSIONAL, Role.EXPERT)
# What a pair is shown with wherever it is named: its two partners.
PAIR_PEOPLE = (Pair.professional, Pair.expert)


def _none() -> Select:
    return sa.select(Pair.id).where(sa.false())


def active_on(day: date):
    """The pair works on `day`: started, and not ended by then."""
    return sa.and_(Pair.starts_on <= day, sa.or_(Pair.ends_on.is_(None), Pair.ends_on > day))


def is_partner(user: User) -> bool:
    return user.role in PARTNERS


# --- Pairs -----------------------------------------------------------------------------------


def visible_pair_ids(user: User) -> Select:
    """Pairs the user may see at all: admins every pair, supervisors those they supervise,
    partners the pairs they are or were in (ended pairs stay visible, their clients do not)."""
    return _visible_pair_ids(user.role, user.id)


# The scopes are SQL, not rows: the same statement for the same user (and day), built once
# per process and shared (a Select is immutable). A partner's home page asked for them a
# dozen times: 13 % of its Python calls.
@lru_cache(maxsize=4096)
def _visible_pair_ids(role: Role, user_id: int) -> Select:
    query = sa.select(Pair.id)
    match role:
        case Role.ADMIN:
            return query
        case Role.SUPERVISOR:
            return query.where(Pair.supervisor_id == user_id)
        case Role.PROFESSIONAL:
            return query.where(Pair.professional_id == user_id)
        case Role.EXPERT:
            return query.where(Pair.expert_id == user_id)
    return _none()


def reading_pair_ids(user: User) -> Select:
    """Pairs whose internal records the user may read: a partner's own pairs, ended ones
    included. Nobody else: supervisors and administrators get none."""
    return visible_pair_ids(user) if is_partner(user) else _none()


def writing_pair_ids(user: User, day: date | None = None) -> Select:
    """Pairs the user works in on `day` (today): only partners, only active pairs."""
    return _writing_pair_ids(user.role, user.id, day or local_today())


@lru_cache(maxsize=4096)
def _writing_pair_ids(role: Role, user_id: int, day: date) -> Select:
    query = sa.select(Pair.id).where(active_on(day))
    match role:
        case Role.PROFESSIONAL:
            return query.where(Pair.professional_id == user_id)
        case Role.EXPERT:
            return query.where(Pair.expert_id == user_id)
    return _none()


def client_pair_ids(user: User, day: date | None = None) -> Select:
    """Pairs whose CLIENTS the user may open: every client query starts from this.

    Professionals: their working pairs. Experts: their working pairs whose start-up
    agreement records the confidentiality agreement (salassapitosopimus) as signed on or
    before `day`. Supervisors and administrators: none (a supplied client scope may give
    them single clients, see `clients_of`)."""
    return _client_pair_ids(user.role, user.id, day or local_today())


@lru_cache(maxsize=4096)
def _client_pair_ids(role: Role, user_id: int, day: date) -> Select:
    match role:
        case Role.PROFESSIONAL:
            return _writing_pair_ids(role, user_id, day)
        case Role.EXPERT:
            return (
                _writing_pair_ids(role, user_id, day)
                .join(PairAgreement, PairAgreement.pair_id == Pair.id)
                .where(
                    PairAgreement.confidentiality_signed_on.is_not(None),
                    PairAgreement.confidentiality_signed_on <= day,
                )
            )
    return _none()


def named_pairs(*where, newest_first: bool = False) -> list[Pair]:
    """The pairs that meet these conditions, with their people (for the choice of pair and
    the labels): one query. Oldest first, or `newest_first`."""
    order = Pair.starts_on.desc() if newest_first else Pair.starts_on
    query = (
        sa.select(Pair)
        .where(*where)
        .options(*(joinedload(relation) for relation in PAIR_PEOPLE))
        .order_by(order, Pair.id)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class PairsOfUser:
    """The pairs a user may see (`visible_pair_ids`), with their people and start-up
    agreement, and which of them the user works in (`writing`) and opens the clients of
    (`clients`) on `day`."""

    day: date
    visible: list[Pair]  # working ones first, then newest first
    writing: frozenset[int]
    clients: frozenset[int]

    def working(self, *, newest_first: bool = False) -> list[Pair]:
        """The pairs the user works in: oldest first (by start, then id), or newest first."""
        pairs = sorted((pair for pair in self.visible if pair.id in self.writing),
                       key=lambda pair: pair.id)
        # Stable sorts: the id stays the second key either way.
        return sorted(pairs, key=lambda pair: pair.starts_on, reverse=newest_first)


def pairs_of_user(user: User, day: date | None = None) -> PairsOfUser:
    """One query for every question about the user's own pairs on `day` (today); the parts
    of one page share it (outreach.core.memo)."""
    day = day or local_today()

    def load() -> PairsOfUser:
        rows = db.session.execute(_pairs_of_user(user.role, user.id, day)).all()
        return PairsOfUser(
            day=day,
            visible=[pair for pair, _writes, _clients in rows],
            writing=frozenset(pair.id for pair, writes, _clients in rows if writes),
            clients=frozenset(pair.id for pair, _writes, opens in rows if opens),
        )

    return shared(("pairs_of_user", user.id, day), load)


# Built once per user and day, as the scopes it reads: a statement used again keeps its
# cache key too. Built on every call it took 1.4-1.8 ms on SQLite, reused 0.7 ms. About
# 24 KB each with its cache key: at most 1,024 users' (a day's) kept, about 24 MB.
@lru_cache(maxsize=1024)
def _pairs_of_user(role: Role, user_id: int, day: date) -> Select:
    return (
        sa.select(Pair, Pair.id.in_(_writing_pair_ids(role, user_id, day)),
                  Pair.id.in_(_client_pair_ids(role, user_id, day)))
        .where(Pair.id.in_(_visible_pair_ids(role, user_id)))
        .options(*(joinedload(relation) for relation in (*PAIR_PEOPLE, Pair.supervisor)),
                 joinedload(Pair.agreement))
        .order_by(Pair.ends_on.is_not(None), Pair.starts_on.desc(), Pair.id)
    )


def writing_pairs(user: User, day: date | None = None, *, newest_first: bool = False
                  ) -> list[Pair]:
    """The pairs the user works in on `day` (today), with their people (for the choice of
    pair and the labels): one query. Oldest first, or `newest_first`."""
    if not is_partner(user):
        return []
    return pairs_of_user(user, day).working(newest_first=newest_first)


def current_pair_ids(user: User) -> Select:
    """The pairs a user has a hand in now: partners the pairs they work in today,
    supervisors the pairs they supervise, administrators every pair."""
    return writing_pair_ids(user) if is_partner(user) else visible_pair_ids(user)


def pair_ids(user: User, *, write: bool = False, visible: bool = False) -> Select:
    """One of the scopes above by what the caller needs: `write` the pairs the user works in
    today; `visible` every pair the user may see, supervisors' and administrators' too;
    neither: a pair's internal records, its two partners only."""
    if write:
        return writing_pair_ids(user)
    if visible:
        return visible_pair_ids(user)
    return reading_pair_ids(user)


def pair_or_404(user: User, pair_id: int, *, write: bool = False, visible: bool = False,
                roles: tuple[Role, ...] | None = None, load=PAIR_PEOPLE) -> Pair:
    """One pair in the user's scope, with `load` (relationships of Pair) joined in; 404
    outside it.

    The scope: as `pair_ids` (`write`, `visible`, or a pair's two partners). `roles`: only
    these roles get anything."""
    if roles is not None and user.role not in roles:
        abort(404)
    pair = db.session.scalar(
        sa.select(Pair)
        .where(Pair.id == pair_id, Pair.id.in_(pair_ids(user, write=write, visible=visible)))
        .options(*(joinedload(relation) for relation in load))
    )
    if pair is None:
        abort(404)
    return pair


def may_delete(record, user: User) -> bool:
    """Deleting a record of the pair's work: the professional any record of the pair; the
    expert only her own (she cannot delete what her partner recorded)."""
    return user.role == Role.PROFESSIONAL or record.created_by_id == user.id


def may_see_clients(user: User, pair: Pair) -> bool:
    """Whether the user may see the pair's clients (an expert: after the confidentiality
    agreement)."""
    return db.session.scalar(client_pair_ids(user).where(Pair.id == pair.id).limit(1)) is not None


# --- Clients ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientScope:
    """Clients a role may read through another domain's grant, instead of by its pairs."""

    client_ids: Callable[[User], Select]  # a subquery of client ids open to the user now
    basis: str  # logged as the basis of each read in her access log


_supplied: dict[Role, ClientScope] = {}


def supply_client_scope(role: Role, client_ids: Callable[[User], Select], basis: str) -> None:
    """Give `role` the clients `client_ids(user)` selects, read-only, instead of the clients
    of its pairs. Called from the app factory's list (outreach.consultations.register)."""
    _supplied[role] = ClientScope(client_ids, basis)


def clients_of(user: User) -> Select:
    """Every client the user may open: of their pairs, not merged away; for a role with a
    supplied scope (the supervisor: the clients a consultation opens to her now), those."""
    supplied = _supplied.get(user.role)
    if supplied is not None:
        return sa.select(Client).where(
            Client.id.in_(supplied.client_ids(user)), Client.merged_into_id.is_(None)
        )
    return sa.select(Client).where(
        Client.pair_id.in_(client_pair_ids(user)), Client.merged_into_id.is_(None)
    )


def client_ids_of(user: User) -> Select:
    """The ids of `clients_of(user)`, as a subquery."""
    return clients_of(user).with_only_columns(Client.id)


def reads_only(user: User | None) -> bool:
    """Whether the user may only read the client records she opens: a role with a supplied
    scope (the supervisor, through a consultation). Templates get it as `reads_only` and
    offer no changes."""
    return user is not None and getattr(user, "role", None) in _supplied


def note_access(user: User, client_id: int, outcome: str = "allowed") -> None:
    """Note the request in her access log. A read through a supplied scope is logged with
    that scope's basis."""
    supplied = _supplied.get(getattr(user, "role", None))
    if supplied is not None and has_request_context():
        record_access(client_id, part_of_request(), action_of_request(),
                      basis=supplied.basis, outcome=outcome, user=user)
    else:
        note_client_access(client_id, outcome=outcome, user=user)


def client_or_404(user: User, client_id: int, *options) -> Client:
    """Her record if the user may open it (with loader `options`); 404 otherwise, so nothing
    tells it exists."""
    client = db.session.scalar(clients_of(user).where(Client.id == client_id).options(*options))
    # Every view of her data loads her here: the access log notes the request, allowed or
    # denied (written once, at the end of the request or with its change).
    note_access(user, client_id, outcome="denied" if client is None else "allowed")
    if client is None:
        abort(404)
    return client


def her_record_or_404(model, client: Client, record_id: int, *options):
    """One record of `model` about her (whose record client_or_404 opened), with loader
    `options`; 404 for an id that is not hers, so nothing tells it exists."""
    query = sa.select(model).where(model.id == record_id, model.client_id == client.id)
    record = db.session.scalar(query.options(*options))
    if record is None:
        abort(404)
    return record
