"""Her consent: whether anything new may be recorded about her, and what it covers.

The newest consent (by the day she gave it, then by id) is the current one. Its state:
- valid: not withdrawn and not past its last valid day;
- expired: past `expires_on`;
- withdrawn: she withdrew it (whatever the expiry);
- none: nothing recorded yet.

Only a valid consent lets the pair record anything new about her (`can_record`); what is
already saved stays either way. Every function here takes a client the caller has
already loaded through `client_or_404`, so the pair scope is checked before.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from outreach.clients.models import Client
from outreach.consents.models import Consent, consent_service, consent_share_service
from outreach.core.memo import has_shared_loads, shared
from outreach.core.records import Joined
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.scope import her_record_or_404
from outreach.services.models import Service
from outreach.web import render


class ConsentStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    NONE = "none"


CONSENT_STATUS_NAMES = {
    ConsentStatus.VALID: _l("Valid"),
    ConsentStatus.EXPIRED: _l("Expired"),
    ConsentStatus.WITHDRAWN: _l("Withdrawn"),
    ConsentStatus.NONE: _l("No consent recorded"),
}


@dataclass(frozen=True)
class ConsentState:
    status: ConsentStatus
    consent: Consent | None  # the current consent, whatever its state

    @property
    def is_valid(self) -> bool:
        return self.status == ConsentStatus.VALID

    @property
    def label(self) -> str:
        return str(CONSENT_STATUS_NAMES[self.status])

    @property
    def can_withdraw(self) -> bool:
        return self.consent is not None and not self.consent.is_withdrawn


def status_of(consent: Consent | None, day: date | None = None) -> ConsentStatus:
    if consent is None:
        return ConsentStatus.NONE
    if consent.is_withdrawn:
        return ConsentStatus.WITHDRAWN
    if consent.has_expired_by(day or local_today()):
        return ConsentStatus.EXPIRED
    return ConsentStatus.VALID


def _newest_first(query):
    return query.order_by(Consent.given_on.desc(), Consent.id.desc())


def _current_query(client_id: int):
    return _newest_first(sa.select(Consent).where(Consent.client_id == client_id)).limit(1)




def current_consent_id(client_id) -> sa.ScalarSelect:
    """The id of her current consent, as a subquery (`client_id` an id or a column)."""
    newest = aliased(Consent)
    return (
        sa.select(newest.id).where(newest.client_id == client_id)
        .order_by(newest.given_on.desc(), newest.id.desc()).limit(1).scalar_subquery()
    )


_SERVICES = aliased(Service, name="consent_services")
_ORGANISATIONS = aliased(Service, name="consent_organisations")
_SERVICE_LINKS = consent_service.alias("consent_service_links")
_ORGANISATION_LINKS = consent_share_service.alias("consent_organisation_links")


def joined_consent(client_id) -> Joined:
    """Her current consent with its scope (services, organisations, people) in one query,
    loaded with her record (Section.joined) or alone (`current_consent`): the two lists
    through flat LEFT JOINs (a few services each, multiplying each other's rows), in the
    relationships' own order."""
    return Joined(
        Consent, Consent.id == current_consent_id(client_id),
        options=(
            contains_eager(Consent.services.of_type(_SERVICES)),
            contains_eager(Consent.share_organisations.of_type(_ORGANISATIONS)),
            joinedload(Consent.recorded_by),
            joinedload(Consent.withdrawn_by),
        ),
        joins=(
            (_SERVICE_LINKS, _SERVICE_LINKS.c.consent_id == Consent.id),
            (_SERVICES, _SERVICES.id == _SERVICE_LINKS.c.service_id),
            (_ORGANISATION_LINKS, _ORGANISATION_LINKS.c.consent_id == Consent.id),
            (_ORGANISATIONS, _ORGANISATIONS.id == _ORGANISATION_LINKS.c.service_id),
        ),
        order_by=(_SERVICES.name_fi, _SERVICES.id, _ORGANISATIONS.name_fi,
                  _ORGANISATIONS.id),
    )


def shared_key(client: Client) -> tuple:
    return ("current_consent", client.id)


def current_consent(client: Client, *, with_scope: bool = True) -> Consent | None:
    """The newest consent; with its scope (services, organisations, people) loaded: one
    query whatever the history. The parts of one page share it (outreach.core.memo)."""

    def load() -> Consent | None:
        # On a page, load the scope anyway: the part that needs it may ask later.
        if not (with_scope or has_shared_loads()):
            return db.session.scalars(_current_query(client.id)).first()
        spec = joined_consent(client.id)
        query = spec.join_lists(sa.select(Consent).where(spec.onclause))
        query = query.options(*spec.options).order_by(*spec.order_by)
        return db.session.scalars(query).unique().first()

    return shared(shared_key(client), load)


def consent_state(client: Client, day: date | None = None) -> ConsentState:
    return state_of(current_consent(client), day)


def state_of(consent: Consent | None, day: date | None = None) -> ConsentState:
    return ConsentState(status_of(consent, day), consent)


def can_record(client: Client, day: date | None = None) -> bool:
    """True only with a valid current consent: one query."""
    consent = current_consent(client, with_scope=False)
    return status_of(consent, day) == ConsentStatus.VALID


def consent_covers(client: Client, service: Service | int, day: date | None = None) -> bool:
    """Whether her valid consent names this service from the catalogue: as one the pair
    may contact on her behalf (with "contact services" in the scope), or as an
    organisation the pair may share information with. For the warning on network
    contacts; two queries at most."""
    consent = current_consent(client, with_scope=False)
    if status_of(consent, day) != ConsentStatus.VALID:
        return False
    service_id = service if isinstance(service, int) else service.id
    named = [
        sa.select(consent_share_service.c.consent_id).where(
            consent_share_service.c.consent_id == consent.id,
            consent_share_service.c.service_id == service_id,
        )
    ]
    if consent.contact_services:
        named.append(
            sa.select(consent_service.c.consent_id).where(
                consent_service.c.consent_id == consent.id,
                consent_service.c.service_id == service_id,
            )
        )
    return bool(db.session.scalar(sa.select(sa.exists(sa.union_all(*named).subquery()))))


def require_consent(client: Client) -> Consent:
    """Call at the top of every view that records something new about her (GET and POST),
    right after `client_or_404`. Without a valid consent it stops the request with 403 and
    a page that says why and links to recording her consent (htmx shows its heading as
    the error message and leaves the user's form as it was). 403, not 409: nothing is in
    conflict, the pair is not allowed to record yet. Returns the valid consent."""
    state = consent_state(client)
    if not state.is_valid:
        abort(render("consents/required.html", status=403, client=client, consent_state=state))
    return state.consent


def consent_history(client: Client) -> list[Consent]:
    """Every consent she has given, newest first, with scope and people: four queries."""
    query = _newest_first(sa.select(Consent).where(Consent.client_id == client.id)).options(
        selectinload(Consent.services),
        selectinload(Consent.share_organisations),
        joinedload(Consent.recorded_by),
        joinedload(Consent.withdrawn_by),
    )
    return list(db.session.scalars(query).unique())


def consent_statuses(client_ids: list[int], day: date | None = None) -> dict[int, ConsentStatus]:
    """The consent state of many clients in one query (for list flags): the newest
    consent per client by a window function. Clients without any get NONE."""
    if not client_ids:
        return {}
    newest = (
        sa.select(
            Consent.client_id,
            Consent.expires_on,
            Consent.withdrawn_on,
            sa.func.row_number()
            .over(
                partition_by=Consent.client_id,
                order_by=[Consent.given_on.desc(), Consent.id.desc()],
            )
            .label("n"),
        )
        .where(Consent.client_id.in_(client_ids))
        .subquery()
    )
    rows = db.session.execute(
        sa.select(newest.c.client_id, newest.c.expires_on, newest.c.withdrawn_on).where(
            newest.c.n == 1
        )
    )
    day = day or local_today()
    statuses = dict.fromkeys(client_ids, ConsentStatus.NONE)
    for client_id, expires_on, withdrawn_on in rows:
        if withdrawn_on is not None:
            statuses[client_id] = ConsentStatus.WITHDRAWN
        elif expires_on is not None and expires_on < day:
            statuses[client_id] = ConsentStatus.EXPIRED
        else:
            statuses[client_id] = ConsentStatus.VALID
    return statuses


def consent_or_404(client: Client, consent_id: int) -> Consent:
    return her_record_or_404(Consent, client, consent_id)
