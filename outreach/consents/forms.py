
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from outreach.consents.models import (
    CONSENT_MEDIUM_NAMES,
    WITHDRAWAL_EFFECT_NAMES,
    WithdrawalEffect,
)
from outreach.core.forms import DayField
from outreach.core.time import local_today
from outreach.services.queries import active_services

INVALID_DATE = _l("Enter a valid date.")
NOT_IN_CATALOGUE = _l("Choose services from the list: one of them is no longer offered.")


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes (big tap targets), rendered one by one in templates."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _choices(names: dict) -> list[SelectChoice]:
    return [SelectChoice(member.value, label) for member, label in names.items()]


def _not_in_future(field) -> None:
    if field.data and field.data > local_today():
        raise ValidationError(_l("The date cannot be in the future."))


class ConsentRecordForm(FlaskForm):
    given_on = DayField(
        _l("Date she gave her consent"),
        validators=[DataRequired(_l("Enter the date she gave her consent."))],
        invalid_value_message=INVALID_DATE,
    )
    medium = RadioField(
        _l("How she gave it"),
        choices=_choices(CONSENT_MEDIUM_NAMES),
        validators=[InputRequired(_l("Choose whether she gave it verbally or in writing."))],
        invalid_choice_message=_l("Choose whether she gave it verbally or in writing."),
    )
    keep_records = BooleanField(_l("She agrees that the pair keeps records about her here"))
    contact_services = BooleanField(
        _l("She agrees that the pair contacts the services named below on her behalf")
    )
    services = CheckboxListField(
        _l("Services the pair may contact on her behalf"),
        coerce=int,
        invalid_choice_message=NOT_IN_CATALOGUE,
    )
    share_organisations = CheckboxListField(
        _l("Organisations the pair may share information about her with"),
        coerce=int,
        invalid_choice_message=NOT_IN_CATALOGUE,
    )
    expires_on = DayField(
        _l("Valid until (optional)"),
        validators=[Optional()],
        invalid_value_message=INVALID_DATE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = active_services()
        options = [
            SelectChoice(service.id, service.name, {"lang": service.name_language})
            for service in self.catalogue
        ]
        self.services.choices = options
        self.share_organisations.choices = options

    def validate_given_on(self, field):
        _not_in_future(field)

    def validate_keep_records(self, field):
        if not field.data:
            raise ValidationError(
                _l("A consent always includes keeping records here. If she does not agree "
                   "to that, record only anonymous encounters.")
            )

    def validate_services(self, field):
        if self.contact_services.data and not field.data:
            raise ValidationError(_l("Choose the services she agreed the pair may contact."))
        if field.data and not self.contact_services.data:
            raise ValidationError(
                _l("Tick that she agrees to contacting services, or clear the chosen services.")
            )

    def validate_expires_on(self, field):
        if field.data and self.given_on.data and field.data < self.given_on.data:
            raise ValidationError(_l("The consent cannot end before the day she gave it."))

    def chosen(self, field) -> list:
        wanted = set(field.data or [])
        return [service for service in self.catalogue if service.id in wanted]


class WithdrawalForm(FlaskForm):
    withdrawn_on = DayField(
        _l("Date she withdrew her consent"),
        validators=[DataRequired(_l("Enter the date she withdrew her consent."))],
        invalid_value_message=INVALID_DATE,
    )
    withdrawal_effect = RadioField(
        _l("What happens to what is already recorded"),
        choices=_choices(WITHDRAWAL_EFFECT_NAMES),
        validators=[InputRequired(_l("Choose what she wants done with what is recorded."))],
        invalid_choice_message=_l("Choose what she wants done with what is recorded."),
    )

    def __init__(self, *args, consent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent = consent

    def validate_withdrawn_on(self, field):
        _not_in_future(field)
        if self.consent is not None and field.data and field.data < self.consent.given_on:
            raise ValidationError(_l("The withdrawal cannot be before the day she gave it."))

    @property
    def effect(self) -> WithdrawalEffect:
        return WithdrawalEffect(self.withdrawal_effect.data)
