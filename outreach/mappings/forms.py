
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from outreach.clients.choices import LifeDomain
from outreach.core.forms import DayField, strip
from outreach.core.time import local_today
from outreach.mappings.models import RATING_MAX, RATING_MIN

NOTE_MAX = 5000

# The scale, explained on the form; the ends carry their meaning in the button's label.
RATING_NAMES = {
    "1": _l("1 – acute crisis"),
    "2": "2",
    "3": "3",
    "4": "4",
    "5": _l("5 – stable"),
}
NOT_ASSESSED = _l("Not assessed")
RATING_MESSAGE = _l("Choose a rating from 1 to 5, or “Not assessed”.")


def _optional_rating(value):
    """'' or None: not assessed; a number 1–5; anything else is kept to be refused."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def rating_field_name(domain: LifeDomain) -> str:
    return f"rating_{domain.value}"


def notes_field_name(domain: LifeDomain) -> str:
    return f"notes_{domain.value}"


def _check_rating(_form, field):
    if field.data is None:
        return
    if not isinstance(field.data, int) or not RATING_MIN <= field.data <= RATING_MAX:
        raise ValidationError(RATING_MESSAGE)


class MappingForm(FlaskForm):
    mapped_on = DayField(
        _l("Date of the mapping"),
        validators=[InputRequired(_l("Enter the date of the mapping."))],
    )
    what_matters_most = TextAreaField(
        _l("What matters most to her, in her own words"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("At most %(max)d characters."))],
        filters=[strip],
        render_kw={"rows": 4},
    )

    def validate_mapped_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("The date cannot be in the future."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and all(self.rating(domain).data is None for domain in LifeDomain):
            self.form_errors.append(_l("Rate at least one life domain."))
            ok = False
        return ok

    def rating(self, domain: LifeDomain) -> RadioField:
        return self[rating_field_name(domain)]

    def notes(self, domain: LifeDomain) -> TextAreaField:
        return self[notes_field_name(domain)]

    def fill_from(self, mapping) -> None:
        """Start from the last mapping's values (a new mapping never overwrites it)."""
        self.what_matters_most.data = mapping.what_matters_most
        for rating in mapping.ratings:
            self.rating(rating.domain).data = rating.rating
            self.notes(rating.domain).data = rating.notes

    def values(self) -> dict[LifeDomain, tuple[int | None, str | None]]:
        return {
            domain: (self.rating(domain).data, self.notes(domain).data or None)
            for domain in LifeDomain
        }


for _domain in LifeDomain:
    setattr(MappingForm, rating_field_name(_domain), RadioField(
        _l("Rating"),
        choices=[*(SelectChoice(v, label) for v, label in RATING_NAMES.items()),
                 SelectChoice("", NOT_ASSESSED)],
        coerce=_optional_rating,
        default=None,
        validate_choice=False,
        validators=[_check_rating],
    ))
    setattr(MappingForm, notes_field_name(_domain), TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("At most %(max)d characters."))],
        filters=[strip],
        render_kw={"rows": 2},
    ))
del _domain
