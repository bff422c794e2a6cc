"""Demo consents for the demo clients: most have a valid one (written and verbal, various
scopes naming demo services), one has expired, one was withdrawn (records kept), and the
last client of each pair (two of the first pair) has none yet. Idempotent."""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from outreach.clients.models import Client
from outreach.consents.models import Consent, ConsentMedium, WithdrawalEffect
from outreach.core.records import already_loaded
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.services.models import Service, ServiceKind

K = ServiceKind

# (form, contact these kinds of services, share with these kinds, valid for days or None)
SCOPES = [
    (ConsentMedium.WRITTEN, [K.KELA, K.SOCIAL_SERVICES], [K.SOCIAL_SERVICES], None),
    (ConsentMedium.VERBAL, [], [], None),
    (ConsentMedium.WRITTEN, [K.HEALTH_CENTRE, K.HOUSING], [K.HOUSING], 365),
    (ConsentMedium.VERBAL, [K.SUBSTANCE_ABUSE], [], None),
    (ConsentMedium.WRITTEN, [K.KELA, K.HOUSING, K.LEGAL_AID], [K.SHELTER, K.HOUSING], None),
    (ConsentMedium.VERBAL, [K.MENTAL_HEALTH], [K.HEALTH_CENTRE], 180),
]


def _at(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour, 15), tzinfo=UTC)


def _created_on(client: Client, today: date) -> date:
    created = client.created_at.date() if client.created_at else today - timedelta(days=60)
    return min(created, today)


def _recorded_at(client: Client, given_on: date) -> datetime:
    """On the day she gave it, after her record was created (a tidy timeline)."""
    at = _at(given_on)
    if client.created_at is not None:
        created = client.created_at
        created = created if created.tzinfo else created.replace(tzinfo=UTC)
        at = max(at, created + timedelta(minutes=10))
    return at


def load_consents() -> bool:
    if already_loaded(Consent):
        return False
    clients = list(
        db.session.scalars(
            sa.select(Client).where(Client.merged_into_id.is_(None)).order_by(Client.id)
        )
    )
    if not clients:
        return False
    services: dict[ServiceKind, Service] = {}
    for service in db.session.scalars(
        sa.select(Service).where(Service.active.is_(True)).order_by(Service.id)
    ):
        services.setdefault(service.kind, service)

    def named(kinds):
        return [services[kind] for kind in kinds if kind in services]

    by_pair: dict[int, list[Client]] = {}
    for client in clients:
        by_pair.setdefault(client.pair_id, []).append(client)

    today = local_today()
    consents = []
    for pair_number, (_pair_id, pair_clients) in enumerate(sorted(by_pair.items())):
        # The newest clients wait for their consent: the last one of each pair, and the
        # second-to-last of the first pair too (when the pair has enough women).
        without = 2 if pair_number == 0 and len(pair_clients) >= 6 else 1
        with_consent = pair_clients[:-without] if len(pair_clients) > without else []
        for n, client in enumerate(with_consent):
            pair = client.pair
            recorder = pair.professional_id if n % 3 else pair.expert_id
            given_on = _created_on(client, today)
            medium, contact, share, valid_days = SCOPES[(n + pair_number) % len(SCOPES)]
            consent = Consent(
                client_id=client.id,
                given_on=given_on,
                form=medium,
                keep_records=True,
                contact_services=bool(named(contact)),
                services=named(contact),
                share_organisations=named(share),
                expires_on=given_on + timedelta(days=valid_days) if valid_days else None,
                recorded_by_id=recorder,
                created_at=_recorded_at(client, given_on),
            )
            if pair_number == 0 and n == 1:
                # Expired: a verbal consent for a fixed time that ran out a while ago.
                consent.given_on = min(given_on, today - timedelta(days=60))
                consent.form = ConsentMedium.VERBAL
                consent.expires_on = today - timedelta(days=12)
                consent.created_at = _recorded_at(client, consent.given_on)
            elif pair_number == 0 and n == 2:
                # Withdrawn two weeks ago; she wants what is recorded to be kept.
                consent.given_on = min(given_on, today - timedelta(days=30))
                consent.created_at = _recorded_at(client, consent.given_on)
                consent.withdrawn_on = today - timedelta(days=14)
                consent.withdrawn_at = _at(consent.withdrawn_on, 14)
                consent.withdrawal_effect = WithdrawalEffect.KEEP
                consent.withdrawn_by_id = pair.professional_id
            consents.append(consent)
    db.session.add_all(consents)
    db.session.flush()
    return bool(consents)
