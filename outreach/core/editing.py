"""Editing safely: a record carries a version; a save against an older version is refused
with 409 and the user's input kept, instead of silently overwriting a partner's work.

One stale check for every versioned record and form (`stale_conflict`, `flush_or_reload`),
and one way to show it: the rows (label, saved, yours) that templates/macros/conflict.html
lays side by side."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import TypeVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField
from wtforms.validators import InputRequired

from outreach.core.columns import Versioned
from outreach.core.formatting import format_day, format_moment, format_time_of_day
from outreach.core.time import aware
from outreach.extensions import db

R = TypeVar("R", bound=Versioned)


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


# --- What the 409 page shows ---------------------------------------------------------------


@dataclass
class Conflict:
    """A stale save: (label, saved, yours) for each field that differs, as the user reads
    them; `by` and `at` say who saved the version shown, when the caller knows."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)
    by: str | None = None
    at: datetime | None = None

    def __bool__(self) -> bool:
        # A conflict is shown even when no field differs (the partner saved the same values).
        return True


def _normal(value):
    """Values compared as the user sees them: to the minute, enums by value, lists as sets."""
    if isinstance(value, datetime):
        return aware(value).replace(second=0, microsecond=0)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list | tuple):
        return sorted(str(v) for v in value)
    if value == "" or value == []:
        return None
    return value


def _choice_labels(choices) -> dict[str, str]:
    if isinstance(choices, Mapping):  # SelectField choices may be grouped: {group: [...]}
        choices = [choice for group in choices.values() for choice in group]
    return {str(choice.value if hasattr(choice, "value") else choice[0]):
            str(choice.label if hasattr(choice, "label") else choice[1])
            for choice in choices}


def shown(field, value) -> str:
    """A value as the user reads it: a choice by its label, a time in their format."""
    if value in (None, "", [], ()):
        return ""
    if isinstance(value, datetime):
        return format_moment(aware(value))
    if isinstance(value, date):
        return format_day(value)
    if isinstance(value, time):
        return format_time_of_day(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    choices = getattr(field, "choices", None)
    if choices:
        labels = _choice_labels(choices)
        if isinstance(value, list | tuple):
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value.value if isinstance(value, StrEnum) else value), str(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


Label = Callable[[str], str]
Show = Callable[[str, object], str]


def conflict_rows(form, saved: dict, mine: dict, *, label: Label | None = None,
                  show: Show | None = None) -> list[tuple[str, str, str]]:
    """(label, saved, yours) for every field that differs. By default a field's label and
    its values as `shown` reads them; `label(name)` and `show(name, value)` replace them
    where the form's own labels are not what the page calls the fields."""
    def label_of(name):
        return label(name) if label else form[name].label.text

    def show_of(name, value):
        return show(name, value) if show else shown(form[name], value)

    return [
        (str(label_of(name)), show_of(name, saved_value), show_of(name, mine.get(name)))
        for name, saved_value in saved.items()
        if _normal(saved_value) != _normal(mine.get(name))
    ]


def stale_conflict(record: Versioned, form, *, fields=None, saved: dict | None = None,
                   mine: dict | None = None, label: Label | None = None,
                   show: Show | None = None, by: str | None = None,
                   at: datetime | None = None) -> Conflict:
    """The one stale check's answer: what is saved now against the user's input, field by
    field; the form now carries the current version so that saving again is deliberate.

    By default the fields are the form's FIELDS, the saved values the record's attributes
    of those names and the input the form's `values()`; a caller whose form and record
    differ passes `saved` and/or `mine` (field name → value)."""
    names = tuple(fields if fields is not None else (saved or form.FIELDS))
    if saved is None:
        saved = {name: getattr(record, name) for name in names}
    if mine is None:
        mine = form.values() if hasattr(form, "values") else {n: form[n].data for n in names}
    form.version.data = str(record.version)
    rows = conflict_rows(form, {n: saved[n] for n in names}, mine, label=label, show=show)
    return Conflict(rows, by=by, at=at)


def flush_or_reload(reload: Callable[[], R], *, commit: bool = False) -> R | None:
    """Write the pending UPDATE. None when it went through; when the partner's save won the
    race between our version check and our write (the UPDATE's WHERE found an older
    version), roll back and answer the record as it is saved now."""
    try:
        if commit:
            db.session.commit()
        else:
            db.session.flush()
    except StaleDataError:
        db.session.rollback()
        db.session.expire_all()
        return reload()
    return None
