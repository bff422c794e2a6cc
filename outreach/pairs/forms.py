
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from outreach.auth.models import Role
from outreach.core.editing import VersionField
from outreach.core.formatting import format_day
from outreach.core.forms import DayField
from outreach.core.time import local_today
from outreach.pairs import agreement as texts
from outreach.pairs.models import MeetingRhythm
from outreach.pairs.queries import active_user, active_users, open_pair_of

NOTE_MAX = 5000
INVALID_DATE = _l("Enter a valid date.")


def _optional_id(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not any account: refused as "not a valid choice"


def _optional_rhythm(value):
    if not value:
        return None
    try:
        return MeetingRhythm(value)
    except ValueError:
        return value  # not in the choices: refused as "not a valid choice"


def _person_field(label, message):
    return SelectField(
        label,
        coerce=_optional_id,
        validators=[DataRequired(message)],
        invalid_choice_message=_l("Choose an active person from the list."),
    )


class PairForm(FlaskForm):
    professional_id = _person_field(_l("Professional"), _l("Choose the professional."))
    expert_id = _person_field(_l("Experience expert"), _l("Choose the experience expert."))
    supervisor_id = _person_field(_l("Supervisor"), _l("Choose the supervisor."))
    starts_on = DayField(
        _l("Start date"),
        validators=[InputRequired(_l("Enter the start date."))],
        invalid_value_message=INVALID_DATE,
    )

    ROLES = {"professional_id": Role.PROFESSIONAL, "expert_id": Role.EXPERT,
             "supervisor_id": Role.SUPERVISOR}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, role in self.ROLES.items():
            self[name].choices = [SelectChoice("", _l("Choose…"))] + [
                SelectChoice(str(user.id), user.name) for user in active_users(role)
            ]

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        # Checked against the database again: the lists may be stale or tampered with.
        ok = True
        for name, role in self.ROLES.items():
            if active_user(self[name].data, role) is None:
                self[name].errors.append(_l("Choose an active person from the list."))
                ok = False
        if ok and (pair := open_pair_of(self.professional_id.data, self.expert_id.data)):
            self.expert_id.errors.append(
                _("These two already work as a pair (since %(day)s).",
                  day=format_day(pair.starts_on))
            )
            ok = False
        return ok


class EndPairForm(FlaskForm):
    ends_on = DayField(
        _l("End date"),
        validators=[InputRequired(_l("Enter the end date."))],
        invalid_value_message=INVALID_DATE,
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Write the reason for ending the pair.")),
                    Length(max=2000)],
        render_kw={"rows": 3},
    )

    def __init__(self, *args, pair=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = pair

    def validate_ends_on(self, field):
        if self.pair is not None and field.data and field.data < self.pair.starts_on:
            raise ValidationError(_l("The pair cannot end before it started."))


def _note(label):
    return TextAreaField(
        label,
        validators=[Optional(), Length(max=NOTE_MAX)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        render_kw={"rows": 4},
    )


def _signed_on(label):
    return DayField(label, validators=[Optional()], invalid_value_message=INVALID_DATE)


def _rhythm(label):
    return SelectField(
        label,
        coerce=_optional_rhythm,
        choices=[SelectChoice("", _l("Not agreed yet"))] + [
            SelectChoice(rhythm.value, name) for rhythm, name in texts.RHYTHM_NAMES.items()
        ],
        validators=[Optional()],
    )


def _grace(label):
    """Minutes, 5 to 240; empty means the default of 30."""
    return IntegerField(label, validators=[
        Optional(), NumberRange(min=5, max=240, message=_l("Enter a number from 5 to 240.")),
    ])


class AgreementForm(FlaskForm):
    version = VersionField()
    meeting_date = _signed_on(texts.CHECKLIST_LABELS["meeting_date"])
    values_1 = _note(texts.QUESTIONS["values_1"])
    values_2 = _note(texts.QUESTIONS["values_2"])
    values_3 = _note(texts.QUESTIONS["values_3"])
    values_4 = _note(texts.QUESTIONS["values_4"])
    values_5 = _note(texts.QUESTIONS["values_5"])
    roles_1 = _note(texts.QUESTIONS["roles_1"])
    roles_2 = _note(texts.QUESTIONS["roles_2"])
    roles_3 = _note(texts.QUESTIONS["roles_3"])
    roles_4 = _note(texts.QUESTIONS["roles_4"])
    roles_5 = _note(texts.QUESTIONS["roles_5"])
    roles_6 = _note(texts.QUESTIONS["roles_6"])
    roles_7 = _note(texts.QUESTIONS["roles_7"])
    volunteer_signed_on = _signed_on(texts.CHECKLIST_LABELS["volunteer_signed_on"])
    confidentiality_signed_on = _signed_on(texts.CHECKLIST_LABELS["confidentiality_signed_on"])
    challenging_situations_plan = _note(texts.CHECKLIST_LABELS["challenging_situations_plan"])
    planning_rhythm = _rhythm(texts.CHECKLIST_LABELS["planning_rhythm"])
    debrief_rhythm = _rhythm(texts.CHECKLIST_LABELS["debrief_rhythm"])
    practical_matters = _note(texts.CHECKLIST_LABELS["practical_matters"])
    professional_asks_help = _note(texts.CHECKLIST_LABELS["professional_asks_help"])
    expert_asks_help = _note(texts.CHECKLIST_LABELS["expert_asks_help"])
    outing_partner_grace = _grace(texts.CHECKLIST_LABELS["outing_partner_grace"])
    outing_supervisor_grace = _grace(texts.CHECKLIST_LABELS["outing_supervisor_grace"])
    outing_who_to_call = _note(texts.CHECKLIST_LABELS["outing_who_to_call"])

    def _not_in_future(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("The date cannot be in the future."))

    def validate_volunteer_signed_on(self, field):
        self._not_in_future(field)

    def validate_confidentiality_signed_on(self, field):
        self._not_in_future(field)

    def values(self, names) -> dict:
        """The submitted values, empty text as None, as they would be saved."""
        return {name: (self[name].data or None) for name in names}


class NoContactDaysForm(FlaskForm):
    """The pair's own "no contact in N days": women not reached for this long are flagged."""

    no_contact_days = IntegerField(
        _l("Flag a woman when she has not been reached in this many days"),
        validators=[
            InputRequired(_l("Enter a number of days.")),
            NumberRange(min=1, max=365, message=_l("Enter a number from 1 to 365.")),
        ],
    )
