"""The administrator's search over the access log (a GET form)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from outreach.core.forms import DayField, search_text, strip


class LogSearchForm(FlaskForm):
    class Meta:
        csrf = False

    user = SearchField(_l("User (name or email)"), filters=[search_text],
                      validators=[Optional()])
    code = SearchField(_l("Client code"), filters=[strip], validators=[Optional()])
    since = DayField(_l("From"), validators=[Optional()])
    until = DayField(_l("To"), validators=[Optional()])
    outcome = SelectField(
        _l("Outcome"),
        validators=[Optional()],
        choices=[
            SelectChoice("", _l("Allowed and denied")),
            SelectChoice("allowed", _l("Allowed")),
            SelectChoice("denied", _l("Denied")),
        ],
    )
