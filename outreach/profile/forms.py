from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from outreach.admin.forms import LANGUAGE_CHOICES
from outreach.core.forms import strip


class ProfileForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=120)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, validate_choice=True)


def _code_field(label):
    return StringField(
        label,
        validators=[DataRequired(_l("Enter the code.")), Length(max=40)],
        filters=[strip],
    )


class TwoStepCodeForm(FlaskForm):
    """A current code from the authenticator app: to turn two-step sign-in on, or to get
    new recovery codes."""

    code = _code_field(_l("Code from the app"))


class TwoStepOffForm(FlaskForm):
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password."))]
    )
    code = _code_field(_l("Code from the app or a recovery code"))
