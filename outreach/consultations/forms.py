from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from outreach.consultations.models import DAYS_DEFAULT, DAYS_MAX, DAYS_MIN
from outreach.core.forms import (
    Chosen,  # a select without the `required` attribute
    optional_int,
    strip,
)

REASON_MAX = 2000


def day_choices() -> list[SelectChoice]:
    return [SelectChoice(days, _l("%(num)d days", num=days) if days > 1 else _l("1 day"))
            for days in range(DAYS_MIN, DAYS_MAX + 1)]


class OpenConsultationForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you want your supervisor to read her record?"),
        validators=[
            DataRequired(_l("Write the reason for the consultation.")),
            Length(max=REASON_MAX, message=_l("At most %(max)d characters.")),
        ],
        filters=[strip],
        render_kw={"rows": 4},
    )
    days = SelectField(
        _l("Open for"),
        choices=day_choices(),
        coerce=optional_int,
        default=DAYS_DEFAULT,
        validators=[Chosen(_l("Choose for how many days."))],
        invalid_choice_message=_l("Choose from 1 to 14 days."),
    )


class EndConsultationForm(FlaskForm):
    """Only the CSRF token: the confirmation page is the question."""
