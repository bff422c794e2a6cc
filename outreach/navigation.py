"""The main navigation, derived from the access declarations: a role sees what it may use."""


from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import escape

from outreach.auth.access import ACCESS_ATTR, ANYONE
from outreach.auth.models import Role


class RoleLabel:
    """A navigation label that reads differently for some roles ("Our pair" for partners)."""

    def __init__(self, default, by_role: dict):
        self.default = default
        self.by_role = by_role

    def __str__(self) -> str:
        return str(self.by_role.get(getattr(current_user, "role", None), self.default))

    def __html__(self):
        return escape(str(self))


# (endpoint, label) in the order users reach for them: field work first.
MAIN_NAVIGATION = [
    ("home.index", _l("Home")),
    ("clients.index", _l("Clients")),
    ("tasks.index", _l("My tasks")),
    ("tasks.week", _l("Week plan")),
    ("dashboard.index", _l("Dashboard")),
    ("encounters.index", _l("Anonymous encounters")),
    ("groups.index", _l("Groups")),
    ("reports.funder", _l("Reports")),
    ("pairs.index", RoleLabel(_l("Pairs"), {Role.PROFESSIONAL: _l("Our pair"),
                                            Role.EXPERT: _l("Our pair")})),
    ("services.index", _l("Services")),
    ("outings.areas", _l("Areas")),
    ("admin.users", _l("Accounts")),
    ("audit.admin_log", _l("Access log")),
    ("mail.sent", _l("Sent messages")),
    ("profile.index", _l("Profile")),
]


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    # A role's entries are the same on every page (the views and their access declarations
    # are fixed once the app is made): worked out once per app and role, kept with the app.
    known = current_app.extensions.setdefault("navigation", {})
    role = current_user.role
    if role not in known:
        known[role] = _entries(current_app.view_functions, role)
    return list(known[role])


def _entries(view_functions, role) -> tuple[tuple[str, str], ...]:
    items = []
    for endpoint, label in MAIN_NAVIGATION:
        view = view_functions.get(endpoint)
        allowed = getattr(view, ACCESS_ATTR, None)
        # A view may keep its menu entry to fewer roles than may open it (the funder report).
        allowed = getattr(view, "navigation_roles", allowed)
        if allowed == ANYONE or (allowed and role in allowed):
            items.append((endpoint, label))
    return tuple(items)
