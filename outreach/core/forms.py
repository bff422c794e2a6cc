"""The form kit every domain uses: trimming, optional numbers, dates and local times that
stay valid HTML when the typed value is not one, choices from enums, text fields with their
limits. Times are typed in the users' own time zone and stored in UTC. (The side-by-side
rows of a stale save are in outreach.core.editing.)"""

from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields import DateTimeLocalField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from outreach.core.clock import utcnow
from outreach.core.time import aware, to_local, to_utc


def strip(value):
    return value.strip() if isinstance(value, str) else value


SEARCH_MAX = 200


def search_text(value):
    """A search term, trimmed and cut to SEARCH_MAX characters: a longer one finds nothing
    more, and SQLite refuses a LIKE pattern over 50,000 bytes (an error, not an answer)."""
    return value.strip()[:SEARCH_MAX] if isinstance(value, str) else value


# The database's INTEGER (ids, years): PostgreSQL refuses a larger number with an error.
INT_MAX = 2**31 - 1


def record_id(value) -> int:
    """A number (ValueError for anything else) for a record's id: one no id can be is -1,
    no record, so that a lookup finds nothing instead of overflowing the database's
    integers."""
    number = int(value)
    return number if -INT_MAX <= number <= INT_MAX else -1


def optional_int(value):
    """'' or None → None; a number → int; anything else, or a number no id can be, → -1,
    no valid choice, so the select refuses it with its own message. Blank (spaces of any
    kind) is None too: Optional() takes it for empty and would drop the refusal."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return record_id(value)
    except (TypeError, ValueError):
        return -1


TEXT_MAX = 5000
# A duration of field work in minutes: at most a day.
MAX_MINUTES = 24 * 60
NOTE_MAX = 2000
TOO_LONG = _l("At most %(max)d characters.")
INVALID_CHOICE = _l("Choose one of the options.")
# Phones and servers disagree by a minute or two; "now" on the phone is not the future.
CLOCK_SKEW = timedelta(minutes=5)
INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class QuotesTyped:
    """A field that never writes an impossible value back into its <input> (that would be
    invalid HTML, and browsers drop it anyway): the error quotes what was typed instead, so
    the user still sees it. Put before the wtforms field class; a subclass names its message
    in `invalid`."""

    invalid: str

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            typed = " ".join(valuelist).strip()
            raise ValueError(
                str(self.invalid) + " " + _("You entered: %(value)s", value=typed)
            ) from None

    def _value(self):
        return "" if self.process_errors else super()._value()


class DayField(QuotesTyped, DateField):
    """<input type="date">."""

    invalid = _l("Enter a valid date.")


class ClockField(QuotesTyped, TimeField):
    """<input type="time">, a time of day."""

    invalid = _l("Enter a valid time, for example 14:30.")


class Chosen:
    """InputRequired for a select, without the `required` attribute: HTML5 wants a required
    select to start with an empty placeholder, and these always have a sensible default."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.raw_data or not field.raw_data[0]:
            field.errors[:] = []
            raise StopValidation(self.message)


def now_to_the_minute() -> datetime:
    return utcnow().replace(second=0, microsecond=0)


def is_future(moment: datetime | None) -> bool:
    return moment is not None and aware(moment) > utcnow() + CLOCK_SKEW


def empty_to_none(value):
    return value or None


def enum_coerce(enum: type[StrEnum]):
    def coerce(value):
        if value in (None, ""):
            return None
        try:
            return enum(value)
        except ValueError:
            return value  # not a choice: refused with a message

    return coerce


def name_of(names: dict, value) -> str:
    """The translated name of an enum value, or the raw value if it is unknown."""
    for member, label in names.items():
        if member == value:
            return str(label)
    return str(value or "")


def options(names: dict, members=None) -> list[SelectChoice]:
    return [SelectChoice(member.value, names[member]) for member in (members or names)]


def pair_field() -> SelectField:
    """Which of her working pairs a new record is for (choices: `offer_pairs`)."""
    return SelectField(
        _l("Pair"),
        coerce=optional_int,
        validators=[Chosen(_l("Choose the pair."))],
        invalid_choice_message=_l("Choose one of your pairs."),
    )


def offer_pairs(field, pairs) -> bool:
    """These pairs as the field's choices; True when she has one only and nothing was
    chosen, which is then chosen for her."""
    field.choices = [SelectChoice(pair.id, pair.label) for pair in pairs]
    if len(pairs) == 1 and not field.data:
        field.data = pairs[0].id
        return True
    return False


def choice_field(label, names: dict, required_message=None, *, field=RadioField, **kwargs):
    """One of an enum's members, offered by their names (`names`: member → label); required
    with `required_message`, else optional. A value that is none of them is refused."""
    enum = type(next(iter(names)))
    return field(
        label,
        choices=options(names),
        coerce=enum_coerce(enum),
        validators=[InputRequired(required_message)] if required_message else [Optional()],
        invalid_choice_message=INVALID_CHOICE,
        **kwargs,
    )


class MomentField(DateTimeLocalField):
    """<input type="datetime-local"> in the users' time zone; `data` is an aware UTC
    datetime. A value that is not a date and time is quoted in the error, never written
    back into the input (that would be invalid HTML)."""

    FORMATS = (INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=list(self.FORMATS), **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        typed = " ".join(valuelist).strip()
        if not typed:
            self.data = None
            return
        for pattern in self.FORMATS:
            try:
                naive = datetime.strptime(typed, pattern)
            except ValueError:
                continue
            self.data = to_utc(naive)
            return
        self.data = None
        raise ValueError(
            _("Enter a valid date and time.") + " " + _("You entered: %(value)s", value=typed)
        )

    def _value(self):
        if self.process_errors or not isinstance(self.data, datetime):
            return ""
        return to_local(self.data).strftime(INPUT_FORMAT)


class NumberField(IntegerField):
    """A whole number for <input type="number">: what is not a number is quoted in the
    error, never written back into the input (that would be invalid HTML)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            typed = " ".join(valuelist).strip()
            raise ValueError(f"{error} " + _("You entered: %(value)s", value=typed)) from None

    def _value(self):
        if self.process_errors:
            return ""
        return super()._value()


def text_field(label, required_message=None, maximum=TEXT_MAX, rows=3, field=None):
    validators = [DataRequired(required_message)] if required_message else [Optional()]
    return (field or TextAreaField)(
        label,
        validators=[*validators, Length(max=maximum, message=TOO_LONG)],
        filters=[strip, empty_to_none] if not required_message else [strip],
        render_kw={"rows": rows} if field is None else {},
    )


def short_text(label, required_message=None, maximum=200):
    return text_field(label, required_message, maximum=maximum, field=StringField)


def not_in_future(field, message=None):
    if is_future(field.data):
        raise ValidationError(message or _l("The time cannot be in the future."))
