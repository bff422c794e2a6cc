"""Form pieces the field-work forms share: a local date and time, the follow-up task, and
small helpers. Times are typed in the users' own time zone and stored in UTC."""

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, StringField
from wtforms.fields import DateTimeLocalField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from outreach.auth.models import Role, utcnow
from outreach.clients.models import aware
from outreach.formfields import DayField, strip
from outreach.tasks.models import ASSIGNEE_NAMES, Assignee

TEXT_MAX = 5000
NOTE_MAX = 2000
TOO_LONG = _l("At most %(max)d characters.")
INVALID_CHOICE = _l("Choose one of the options.")
# Phones and servers disagree by a minute or two; "now" on the phone is not the future.
CLOCK_SKEW = timedelta(minutes=5)
INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def local_zone() -> ZoneInfo:
    """The users' time zone (Europe/Helsinki by default) as a zoneinfo zone: pytz zones
    must not be passed as tzinfo= (they would use the zone's historical mean time)."""
    return ZoneInfo(str(get_timezone()))


def to_utc(naive_local: datetime) -> datetime:
    return naive_local.replace(tzinfo=local_zone()).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    return aware(moment).astimezone(local_zone())


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


def options(names: dict, members=None) -> list[SelectChoice]:
    return [SelectChoice(member.value, names[member]) for member in (members or names)]


def own_assignee(role: Role | str) -> Assignee:
    return Assignee.EXPERT if role == Role.EXPERT else Assignee.PROFESSIONAL


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


class FollowUpFields(FlaskForm):
    """The follow-up task made together with the record (optional): who does it and by
    when. The task's title comes from the form (a title field, or the next step)."""

    task_assignee = RadioField(
        _l("Who does it"),
        choices=options(ASSIGNEE_NAMES),
        coerce=enum_coerce(Assignee),
        validators=[Optional()],
        validate_choice=True,
        invalid_choice_message=INVALID_CHOICE,
    )
    task_due_on = DayField(_l("Due date (optional)"), validators=[Optional()])

    def default_follow_up(self, role: Role | str) -> None:
        if not self.task_assignee.data:
            self.task_assignee.data = own_assignee(role)

    def chosen_assignee(self, role: Role | str) -> Assignee:
        value = self.task_assignee.data
        return value if isinstance(value, Assignee) else own_assignee(role)


def text_field(label, required_message=None, maximum=TEXT_MAX, rows=3, field=None):
    from wtforms import TextAreaField
    from wtforms.validators import DataRequired

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
