from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SearchField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from outreach.auth.forms import MIN_PASSWORD_LENGTH
from outreach.auth.models import Role
from outreach.core.forms import search_text
from outreach.labels import LANGUAGE_NAMES, ROLE_NAMES

# Each language named in itself, marked with its language for screen readers.
LANGUAGE_CHOICES = [
    SelectChoice(code, name, {"lang": code}) for code, name in LANGUAGE_NAMES.items()
]
# Enough to catch typing mistakes; the address is only a sign-in name here (no mail server).
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, ROLE_NAMES[role]) for role in Role]


def _one_time_password(label):
    # A text field on purpose: the administrator has to read it to hand it over in person,
    # and a password field would empty itself when the form comes back with an error.
    return StringField(
        label,
        validators=[
            DataRequired(_l("Type a one-time password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("The password must be at least %(min)d characters long."),
            ),
        ],
    )


class AccountFields(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter the person's name.")), Length(max=120)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter an email address.")),
            Regexp(EMAIL_PATTERN, message=_l("Enter a valid email address, like name@example.fi.")),
            Length(max=254),
        ],
        filters=[lambda value: value.strip().lower() if isinstance(value, str) else value],
    )
    role = SelectField(_l("Role"), choices=role_choices, validate_choice=True)
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, validate_choice=True)


class CreateAccountForm(AccountFields):
    password = _one_time_password(_l("One-time password"))


class EditAccountForm(AccountFields):
    # The newest change the form was opened on: a save after someone else's change is stale.
    seen_change = HiddenField(validators=[Optional()])


class ResetPasswordForm(FlaskForm):
    password = _one_time_password(_l("New one-time password"))


class ListFilterForm(FlaskForm):
    """The list's GET form: never submitted as a POST, no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search by name or email"), filters=[search_text],
                    validators=[Optional()])
    role = SelectField(_l("Role"), validators=[Optional()], validate_choice=False)
    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice("", _l("All roles")), *role_choices()]
        self.status.choices = [
            SelectChoice("", _l("Active and inactive")),
            SelectChoice("active", _l("Active")),
            SelectChoice("inactive", _l("Inactive")),
        ]
