from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField
from wtforms.validators import InputRequired, Optional

from outreach.accompaniments.forms import service_options
from outreach.core.editing import VersionField
from outreach.core.forms import (
    NOTE_MAX,
    MomentField,
    choice_field,
    not_in_future,
    now_to_the_minute,
    optional_int,
    short_text,
    text_field,
)
from outreach.network.models import NETWORK_CHANNEL_NAMES
from outreach.record_views import ListFilters, search_field
from outreach.tasks.forms import NextStepTaskFields


def _service_id(value):
    # None, a service's id, or -1: not any service (also a number too big for an id).
    return optional_int(value)


class NetworkContactForm(NextStepTaskFields):
    service_id = SelectField(
        _l("Organisation from the catalogue"),
        coerce=_service_id,
        validators=[Optional()],
        invalid_choice_message=_l("Choose a service from the catalogue."),
    )
    organisation = short_text(_l("Or another organisation"))
    person = short_text(_l("Person contacted (optional)"))
    channel = choice_field(_l("How"), NETWORK_CHANNEL_NAMES,
                           _l("Choose how you contacted them."))
    topic = text_field(_l("Topic"), _l("Write what it was about."), maximum=NOTE_MAX)
    outcome = text_field(_l("Outcome (optional)"), maximum=NOTE_MAX)
    contacted_at = MomentField(
        _l("When"), validators=[InputRequired(_l("Enter when you contacted them."))]
    )
    # Shown only when her consent does not cover the organisation.
    go_on = BooleanField(_l("I go on anyway"))
    reason = text_field(_l("Reason to go on"), maximum=NOTE_MAX)

    FIELDS = ("service_id", "organisation", "person", "channel", "topic", "outcome",
              "next_step", "contacted_at")

    def __init__(self, *args, services=(), current_service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_id.choices = service_options(
            services, current_service, empty_label=_l("Not in the catalogue (write it below)")
        )

    def fill_defaults(self, role) -> None:
        self.contacted_at.data = now_to_the_minute()
        self.default_follow_up(role)

    def validate_contacted_at(self, field):
        not_in_future(field)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.service_id.data is None and not self.organisation.data:
            self.organisation.errors = [*self.organisation.errors,
                                        _l("Choose the organisation from the catalogue, or "
                                           "write its name.")]
            ok = False
        return ok

    def values(self) -> dict:
        values = {name: self[name].data for name in self.FIELDS}
        if values["service_id"] is not None:
            values["organisation"] = None
        return values


class NetworkContactEditForm(NetworkContactForm):
    version = VersionField()


class NetworkFilterForm(ListFilters):
    q = search_field(_l("Search by organisation, person or topic"))
