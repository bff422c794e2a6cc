"""The women a partner met lately: the quick log on her home page and the names the phone
keeps for logging without a connection."""

from datetime import timedelta

from outreach.auth.models import User
from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client
from outreach.clients.queries import clients_of
from outreach.core.clock import utcnow
from outreach.extensions import db

RECENT_DAYS = 7
RECENT_LIMIT = 20  # the most names the phone keeps


def recent_women(user: User, limit: int = RECENT_LIMIT) -> list[Client]:
    """Active clients of her pairs with a contact in the last week, latest first: one query."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    query = (
        clients_of(user)
        .where(Client.status == ClientStatus.ACTIVE, Client.last_contact_at >= since)
        .order_by(Client.last_contact_at.desc(), Client.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def first_name(client: Client) -> str:
    """The least the phone needs to tell the women apart: the first word of her name."""
    return (client.name or "").split(" ")[0]


def phone_names(user: User) -> list[dict]:
    return [{"id": c.id, "name": first_name(c), "code": c.code} for c in recent_women(user)]

