from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from outreach.core.forms import (
    TOO_LONG,
    DayField,
    offer_pairs,
    pair_field,
    strip,
)
from outreach.core.time import local_day, local_today
from outreach.wellbeing.models import STRAIN_NAMES

NOTE_MAX = 2000


def _strain(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # no such choice: refused with a message


def strain_choices() -> list[SelectChoice]:
    """Called for each form (WTForms calls a callable `choices`), so that the names are in
    the user's language, not in the one of the import."""
    return [SelectChoice(value, f"{value} – {name}") for value, name in STRAIN_NAMES.items()]


class CheckInForm(FlaskForm):
    strain = RadioField(
        _l("How heavy does the work feel now?"),
        choices=strain_choices,
        coerce=_strain,
        validators=[InputRequired(_l("Choose how heavy the work feels."))],
        invalid_choice_message=_l("Choose one of the options."),
    )
    wants_to_talk = BooleanField(_l("I would like to talk about it"))
    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 3},
    )
    pair_id = pair_field()

    def __init__(self, *args, pairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        if offer_pairs(self.pair_id, pairs):
            # One working pair: it is chosen for her (a hidden field carries it).
            self.pair_id.raw_data = [str(pairs[0].id)]


class AcknowledgeForm(FlaskForm):
    """The professional: "we talked on <date>", with a note. One per check-in on a page,
    so each is built with its own prefix (field ids and names stay unique)."""

    talked_on = DayField(
        _l("We talked on"),
        validators=[InputRequired(_l("Enter the day you talked."))],
    )
    ack_note = TextAreaField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 2},
    )

    def __init__(self, *args, checkin=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checkin = checkin

    def validate_talked_on(self, field):
        if field.data is None:
            return
        if field.data > local_today():
            raise ValidationError(_l("The day cannot be in the future."))
        if self.checkin is not None and field.data < self.checkin_day:
            raise ValidationError(_l("The day cannot be before the check-in."))

    @property
    def checkin_day(self):
        return local_day(self.checkin.created_at)


def acknowledge_form(checkin, *, submitted: bool = False) -> AcknowledgeForm:
    """The check-in's own form: the submitted one, or a blank one starting from today."""
    prefix = f"c{checkin.id}"
    if submitted:
        return AcknowledgeForm(prefix=prefix, checkin=checkin)
    form = AcknowledgeForm(formdata=None, prefix=prefix, checkin=checkin)
    form.talked_on.data = local_today()
    return form


class StrainShareForm(FlaskForm):
    """Share or withdraw: one button, the hidden value says which."""

    share = HiddenField(validators=[AnyOf(["0", "1"])])
