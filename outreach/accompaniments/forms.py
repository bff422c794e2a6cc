from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from outreach.accompaniments.models import OUTCOME_NAMES, Outcome
from outreach.auth.models import Role
from outreach.contacts.choices import PARTICIPANT_NAMES, Participants, own_participants
from outreach.core.editing import VersionField
from outreach.core.forms import (
    INVALID_CHOICE,
    MAX_MINUTES,
    NOTE_MAX,
    MomentField,
    NumberField,
    choice_field,
    is_future,
    now_to_the_minute,
    optional_int,
    options,
    text_field,
)
from outreach.record_views import ListFilters, search_field
from outreach.services.models import Service
from outreach.tasks.forms import NextStepTaskFields

PLANNED = "planned"
MINUTES_MESSAGE = _l("Enter the time spent in minutes, a whole number from 0 to 1440.")
# Quick choices of the time spent, travel included.
QUICK_MINUTES = (30, 60, 90, 120, 180, 240)


def _service_id(value):
    # None, a service's id, or -1: not any service (also a number too big for an id).
    return optional_int(value)


def service_options(services: list[Service], current: Service | None = None,
                    empty_label=None) -> list[SelectChoice]:
    """The catalogue grouped by kind; a service no longer offered stays when it is the
    record's own."""
    listed = list(services)
    if current is not None and all(s.id != current.id for s in listed):
        listed.append(current)
    choices = [SelectChoice("", empty_label)] if empty_label is not None else []
    choices += [
        SelectChoice(service.id, service.name, {"lang": service.name_language},
                     optgroup=service.kind_label)
        for service in listed
    ]
    return choices


def _minutes(label):
    return NumberField(
        label,
        validators=[Optional(), NumberRange(min=0, max=MAX_MINUTES, message=MINUTES_MESSAGE)],
        invalid_value_message=MINUTES_MESSAGE,
        render_kw={"min": 0, "max": MAX_MINUTES, "inputmode": "numeric"},
    )


class AccompanimentForm(NextStepTaskFields):
    service_id = SelectField(
        _l("Service"),
        coerce=_service_id,
        validators=[InputRequired(_l("Choose the service from the catalogue."))],
        invalid_choice_message=_l("Choose a service from the catalogue."),
    )
    purpose = text_field(_l("Purpose"), _l("Write what she wants to get done there."),
                         maximum=NOTE_MAX)
    when = MomentField(
        _l("When"), validators=[InputRequired(_l("Enter when it is planned or took place."))]
    )
    who_went = choice_field(_l("Who goes with her"), PARTICIPANT_NAMES,
                            _l("Choose who of you goes with her."))
    state = RadioField(
        _l("Outcome"),
        choices=[SelectChoice(PLANNED, _l("Not yet: it is planned")), *options(OUTCOME_NAMES)],
        validators=[InputRequired(_l("Choose the outcome, or “Not yet: it is planned”."))],
        invalid_choice_message=INVALID_CHOICE,
    )
    minutes_spent = _minutes(_l("Time spent, travel included (minutes)"))
    expert_supported_interaction = BooleanField(
        _l("The experience expert supported her talk with the staff")
    )

    FIELDS = ("service_id", "purpose", "when", "who_went", "state", "minutes_spent",
              "expert_supported_interaction", "next_step")

    def __init__(self, *args, services=(), current_service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_id.choices = service_options(services, current_service,
                                                  empty_label=_l("Choose…"))

    def fill_defaults(self, role: Role | str) -> None:
        self.when.data = now_to_the_minute()
        self.who_went.data = own_participants(role)
        self.state.data = PLANNED
        self.default_follow_up(role)

    @property
    def outcome(self) -> Outcome | None:
        value = self.state.data
        return None if value in (None, "", PLANNED) else Outcome(value)

    def validate_when(self, field):
        if self.state.data not in (None, "", PLANNED) and is_future(field.data):
            raise ValidationError(_l("It cannot have taken place in the future. Choose “Not "
                                     "yet: it is planned” for a planned one."))

    def validate_expert_supported_interaction(self, field):
        if field.data and self.who_went.data == Participants.PROFESSIONAL:
            raise ValidationError(_l("Only when the experience expert went along."))


class AccompanimentEditForm(AccompanimentForm):
    version = VersionField()


class OutcomeForm(FlaskForm):
    """The quick outcome: the time spent with a tap, then the outcome's button."""

    outcome = choice_field(_l("Outcome"), OUTCOME_NAMES, _l("Choose the outcome."),
                           field=SelectField)
    minutes_spent = _minutes(_l("Time spent, travel included"))
    expert_supported_interaction = BooleanField(
        _l("The experience expert supported her talk with the staff")
    )


class AccompanimentFilterForm(ListFilters):
    q = search_field(_l("Search the purpose"))
    state = SelectField(_l("Outcome"), validators=[Optional()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choose(self.state, [SelectChoice(PLANNED, _l("Planned")), *options(OUTCOME_NAMES)],
                    _l("Any"))
