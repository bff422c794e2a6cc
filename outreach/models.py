"""Every model, imported in one place so that Alembic and the app see the whole schema."""

from outreach.auth.models import Role, User
from outreach.pairs.models import Pair

__all__ = ["Pair", "Role", "User"]
