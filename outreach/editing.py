"""Editing safely: a record carries a version; a save against an older version is refused
with 409 and the user's input kept, instead of silently overwriting a partner's work."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from wtforms import HiddenField
from wtforms.validators import InputRequired


class Versioned:
    """Mixin: an integer version that SQLAlchemy increments on every UPDATE and checks in
    the UPDATE's WHERE clause, so even two saves racing each other cannot both win."""

    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}


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
