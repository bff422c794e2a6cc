from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from outreach.core.forms import search_text, strip
from outreach.services.models import KIND_NAMES, ServiceKind
from outreach.services.queries import STATUS_ACTIVE, STATUS_ALL, STATUS_INACTIVE

NAME_MAX = 200
ADDRESS_MAX = 200
OPENING_HOURS_MAX = 2000


def _kind_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, label) for kind, label in KIND_NAMES.items()]


class ServiceForm(FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice("", _l("Choose a kind")), *_kind_choices()],
        validators=[DataRequired(_l("Choose the kind of service."))],
    )
    name_fi = StringField(
        _l("Name in Finnish"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the name in Finnish.")),
            Length(max=NAME_MAX, message=_l("At most %(max)d characters.")),
        ],
    )
    name_sv = StringField(
        _l("Name in Swedish"),
        filters=[strip],
        validators=[Optional(), Length(max=NAME_MAX, message=_l("At most %(max)d characters."))],
    )
    name_en = StringField(
        _l("Name in English"),
        filters=[strip],
        validators=[Optional(), Length(max=NAME_MAX, message=_l("At most %(max)d characters."))],
    )
    address = StringField(
        _l("Address"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=ADDRESS_MAX, message=_l("At most %(max)d characters.")),
        ],
    )
    opening_hours = TextAreaField(
        _l("Opening hours"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=OPENING_HOURS_MAX, message=_l("At most %(max)d characters.")),
        ],
    )

    def save_to(self, service) -> None:
        """Copy the input to the service; empty optional fields are stored as nothing."""
        service.kind = ServiceKind(self.kind.data)
        service.name_fi = self.name_fi.data
        for name in ("name_sv", "name_en", "address", "opening_hours"):
            setattr(service, name, getattr(self, name).data or None)


class ServiceFilterForm(FlaskForm):
    """The list's search and filters: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), filters=[search_text])
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice("", _l("All kinds")), *_kind_choices()], default=""
    )
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice(STATUS_ACTIVE, _l("Active")),
            SelectChoice(STATUS_INACTIVE, _l("Inactive")),
            SelectChoice(STATUS_ALL, _l("Active and inactive")),
        ],
        default=STATUS_ACTIVE,
    )

    def filters(self) -> dict:
        """The search and the filters; a value that is not a valid choice is ignored."""
        self.validate()
        if self.kind.errors:
            self.kind.data, self.kind.errors = "", []
        if self.status.errors:
            self.status.data, self.status.errors = STATUS_ACTIVE, []
        return {"q": self.q.data or None, "kind": self.kind.data or None,
                "status": self.status.data}
