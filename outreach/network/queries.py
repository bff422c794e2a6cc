"""Network contact queries; each takes her already loaded with `client_or_404`."""

import sqlalchemy as sa
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from outreach.clients.models import Client
from outreach.consents.queries import consent_state
from outreach.core.search import contains_any
from outreach.network.models import NetworkContact
from outreach.scope import her_record_or_404
from outreach.services.models import Service


def _loaded():
    return (joinedload(NetworkContact.service), joinedload(NetworkContact.created_by),
            joinedload(NetworkContact.task))


def network_list(client: Client, q: str = "") -> Select:
    """Hers, newest first: one query per page whatever the number of rows."""
    query = sa.select(NetworkContact).where(NetworkContact.client_id == client.id)
    if q := q.strip():
        query = query.outerjoin(Service, Service.id == NetworkContact.service_id).where(
            contains_any(q, NetworkContact.organisation, NetworkContact.person,
                         NetworkContact.topic, Service.name_fi, Service.name_sv, Service.name_en)
        )
    return query.options(*_loaded()).order_by(
        NetworkContact.contacted_at.desc(), NetworkContact.id.desc()
    )


def network_or_404(client: Client, record_id: int) -> NetworkContact:
    return her_record_or_404(NetworkContact, client, record_id, *_loaded())


def network_count_of(client_id):
    """How many network contacts she has, as a subquery (`client_id` an id or a column)."""
    return (
        sa.select(sa.func.count(NetworkContact.id))
        .where(NetworkContact.client_id == client_id).scalar_subquery()
    )


def covered_organisations(client: Client) -> list[Service]:
    """What her valid consent lets the pair contact about her: the services named for
    contacting on her behalf (when she agreed to that) and the organisations to share
    with. Empty without a valid consent."""
    state = consent_state(client)
    if not state.is_valid:
        return []
    consent = state.consent
    named = {s.id: s for s in consent.share_organisations}
    if consent.contact_services:
        named.update({s.id: s for s in consent.services})
    return sorted(named.values(), key=lambda s: (s.name.lower(), s.id))
