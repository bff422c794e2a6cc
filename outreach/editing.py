"""Editing safely: a record carries a version; a save against an older version is refused
with 409 and the user's input kept, instead of silently overwriting a partner's work."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import InputRequired

from outreach.core.columns import Versioned


class VersionField(HiddenField):
    """The version the form was opened on."""

    def __init__(self, **kwargs):
        super().__init__(validators=[InputRequired(_l("The form is missing its version."))],
                         **kwargs)


def is_stale(record: Versioned, submitted: str | int | None) -> bool:
    try:
        return int(submitted) != record.version
    except (TypeError, ValueError):
        return True
