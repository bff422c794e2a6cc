"""The main navigation, derived from the access declarations: a role sees what it may use."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from outreach.auth.access import ACCESS_ATTR, ANYONE

# (endpoint, label): later domains add their entries here.
MAIN_NAVIGATION = [
    ("home.index", _l("Home")),
]


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label in MAIN_NAVIGATION:
        view = current_app.view_functions.get(endpoint)
        allowed = getattr(view, ACCESS_ATTR, None)
        if allowed == ANYONE or (allowed and current_user.role in allowed):
            items.append((endpoint, label))
    return items
