"""Names of the fixed choices in the user's language, in one place."""

from flask_babel import lazy_gettext as _l

from outreach.auth.models import Role

ROLE_NAMES = {
    Role.ADMIN: _l("Administrator"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.PROFESSIONAL: _l("Professional"),
    Role.EXPERT: _l("Experience expert"),
}

LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def role_name(role: Role | str) -> str:
    return str(ROLE_NAMES.get(Role(role), role))
