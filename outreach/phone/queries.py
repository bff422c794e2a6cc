"""The women a partner met lately: the quick log on her home page and the names the phone
keeps for logging without a connection."""


from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.clients.queries import RECENT_DAYS, recent_clients_query
from outreach.extensions import db

__all__ = ["RECENT_DAYS", "first_name", "phone_names", "recent_women"]

RECENT_LIMIT = 20  # the most names the phone keeps


def recent_women(user: User, limit: int = RECENT_LIMIT) -> list[Client]:
    """Active clients of her pairs with a contact in the last week, latest first: one query."""
    return list(db.session.scalars(recent_clients_query(user, limit)))


def first_name(client: Client) -> str:
    """The least the phone needs to tell the women apart: the first word of her name."""
    return (client.name or "").split(" ")[0]


def phone_names(user: User) -> list[dict]:
    return [{"id": c.id, "name": first_name(c), "code": c.code} for c in recent_women(user)]

