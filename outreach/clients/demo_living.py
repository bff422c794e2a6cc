"""Demo data for the funder report: the demo women's living situations over time, so that
the report's "first and last known" table has moves to show. Idempotent.

Every demo woman's record starts with the situation she had when it was made; a few have
moved since (the client row holds the newest)."""

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from outreach.clients.choices import LivingSituation as L
from outreach.clients.models import Client, LivingSituationChange
from outreach.core.clock import utcnow
from outreach.core.records import already_loaded
from outreach.extensions import db

# name -> (where she lived when her record was made, [(where she moved, days ago)])
MOVES = {
    "Tiina": (L.STREET, [(L.EMERGENCY_SHELTER, 60), (L.TEMPORARY_HOUSING, 20)]),
    "Maikki": (L.STREET, [(L.EMERGENCY_SHELTER, 120), (L.SUPPORTED_HOUSING, 30)]),
    "Jonna": (L.EMERGENCY_SHELTER, [(L.TEMPORARY_HOUSING, 90)]),
    "Heli": (L.STREET, [(L.INSTITUTION, 50)]),
    "Minna": (L.TEMPORARY_HOUSING, [(L.OWN_LEASE, 15)]),
    "Leena": (L.EMERGENCY_SHELTER, [(L.STREET, 12)]),
    "Nina": (L.STREET, [(L.EMERGENCY_SHELTER, 20)]),
}


def _days_ago(days: int) -> datetime:
    day = utcnow().date() - timedelta(days=days)
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def load_living_situations() -> bool:
    if already_loaded(LivingSituationChange):
        return False
    clients = list(db.session.scalars(sa.select(Client).order_by(Client.id)))
    if not clients:
        return False
    for client in clients:
        first, moves = MOVES.get(client.name, (client.living_situation, []))
        created = client.created_at if client.created_at.tzinfo else \
            client.created_at.replace(tzinfo=UTC)
        db.session.add(LivingSituationChange(client_id=client.id, living_situation=first,
                                             at=created, by_id=client.created_by_id))
        for situation, days in moves:
            moment = max(created, _days_ago(days))
            db.session.add(LivingSituationChange(client_id=client.id, living_situation=situation,
                                                 at=moment, by_id=client.pair.professional_id))
            client.living_situation = situation
    db.session.flush()
    return True
