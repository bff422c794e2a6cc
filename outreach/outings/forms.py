"""The outing form (where, with whom, back when), the extension and the area form."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from outreach.core.clock import utcnow
from outreach.core.forms import Chosen, ClockField, optional_int, strip
from outreach.outings.models import aware
from outreach.outings.queries import EXTEND_MINUTES, MAX_OUTING_HOURS

RETURN_IN = (30, 60, 120, 180, 240)  # minutes: the quick choices
DEFAULT_RETURN_IN = 60


def _minutes_label(minutes: int) -> str:
    if minutes < 60:
        return str(_l("In %(num)d minutes", num=minutes))
    return str(_l("In %(num)d h", num=minutes // 60))


def return_choices() -> list[SelectChoice]:
    return [SelectChoice(str(minutes), _minutes_label(minutes)) for minutes in RETURN_IN]


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Helsinki"))


def clock_to_moment(clock) -> datetime:
    """A time of day typed as "back by": today where the users are, or tomorrow when that
    time has already passed today (going out in the evening, back after midnight)."""
    now = utcnow().astimezone(_zone())
    moment = now.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
    if moment <= now - timedelta(minutes=1):
        moment += timedelta(days=1)
    return moment.astimezone(UTC)  # stored as UTC: SQLite keeps no offset


class ReturnFields:
    """"Back in" (quick choices) or "back by" (a time): the time wins when given."""

    def expected_return(self) -> datetime:
        if self.back_by.data is not None:
            return clock_to_moment(self.back_by.data)
        return utcnow() + timedelta(minutes=int(self.return_in.data or DEFAULT_RETURN_IN))

    def validate_back_by(self, field):
        if field.data is None:
            return
        if clock_to_moment(field.data) - utcnow() > timedelta(hours=MAX_OUTING_HOURS):
            raise ValidationError(_l("Give a return within %(num)d hours.",
                                     num=MAX_OUTING_HOURS))


class OutingForm(ReturnFields, FlaskForm):
    pair_id = SelectField(_l("Pair"), coerce=optional_int,
                          invalid_choice_message=_l("Choose one of your pairs."))
    area_id = RadioField(_l("Where are you going?"), coerce=optional_int,
                         validators=[Chosen(_l("Choose an area from the list."))],
                         invalid_choice_message=_l("Choose an area from the list."))
    companion_id = SelectField(_l("With whom?"), coerce=optional_int,
                               invalid_choice_message=_l("Choose a colleague from the list."))
    return_in = RadioField(_l("Back"), choices=return_choices, default=str(DEFAULT_RETURN_IN),
                           validate_choice=True,
                           invalid_choice_message=_l("Choose one of the options."))
    back_by = ClockField(_l("Or back by (time)"), validators=[Optional()])

    def __init__(self, *args, pairs=(), areas=(), colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs = list(pairs)
        self.pair_id.choices = [SelectChoice(pair.id, pair.label) for pair in self.pairs]
        if len(self.pairs) == 1 or (self.pairs and self.pair_id.data is None):
            self.pair_id.data = self.pairs[0].id
        self.area_id.choices = [SelectChoice(area.id, area.name) for area in areas]
        self.companion_id.choices = [SelectChoice("", _l("Alone"))] + [
            SelectChoice(person.id, person.name) for person in colleagues]

    @property
    def chooses_pair(self) -> bool:
        return len(self.pairs) > 1


class ExtendForm(FlaskForm):
    """+30 minutes by default (one tap), or a new time."""

    back_by = ClockField(_l("New return time"), validators=[Optional()])
    validate_back_by = ReturnFields.validate_back_by

    def extended_return(self, expected: datetime) -> datetime:
        """The new time, or 30 minutes more than the old one (from now, when it has
        passed already)."""
        if self.back_by.data is not None:
            return clock_to_moment(self.back_by.data)
        return max(aware(expected), utcnow()) + timedelta(minutes=EXTEND_MINUTES)


class AreaForm(FlaskForm):
    name = StringField(_l("Name of the area"), filters=[strip], validators=[
        DataRequired(_l("Enter the name of the area.")),
        Length(max=80, message=_l("At most %(max)d characters.", max=80)),
    ])
    active = BooleanField(_l("In use"), default=True)
