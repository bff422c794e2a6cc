
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from outreach.clients.choices import LIFE_DOMAIN_NAMES, LifeDomain
from outreach.core.editing import VersionField
from outreach.core.forms import INVALID_CHOICE, TOO_LONG, DayField, enum_coerce, options, strip
from outreach.steps.choices import (
    ASSIGNEE_NAMES,
    CHALLENGE_STATUS_NAMES,
    DECISION_NAMES,
    PROPOSER_NAMES,
    STEP_STATE_NAMES,
)
from outreach.steps.models import (
    CLOSED_STATUSES,
    RECORDED_DECISIONS,
    Assignee,
    ChallengeStatus,
    Decision,
    Proposer,
    StepState,
)

TEXT_MAX = 5000
NOTE_MAX = 1000


def _choice(field, enum, label, names: dict, message, **kwargs):
    return field(
        label,
        choices=options(names),
        coerce=enum_coerce(enum),
        validators=[InputRequired(message)],
        validate_choice=True,
        invalid_choice_message=INVALID_CHOICE,
        **kwargs,
    )


def _text(label, message, rows=3, maximum=TEXT_MAX):
    return TextAreaField(
        label,
        validators=[DataRequired(message), Length(max=maximum, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": rows},
    )


class _Choices:
    """A refused choice gets one clear message instead of WTForms' generic one."""

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in self:
            if isinstance(field, SelectField) and field.data is None and len(field.errors) > 1:
                # Nothing chosen: the field's own "choose ..." message says it best.
                field.errors[:] = [e for e in field.errors if e is not INVALID_CHOICE]
        return ok


class ChallengeForm(_Choices, FlaskForm):
    domain = SelectField(
        _l("Life domain"),
        choices=[SelectChoice("", _l("Choose…")), *options(LIFE_DOMAIN_NAMES)],
        coerce=enum_coerce(LifeDomain),
        validators=[InputRequired(_l("Choose the life domain."))],
        invalid_choice_message=INVALID_CHOICE,
    )
    description = _text(_l("The challenge, in her words"),
                        _l("Describe the challenge as she puts it."), rows=4)


class _StepFields(_Choices, FlaskForm):
    proposal = _text(_l("Proposed step"), _l("Write down the proposed step."))
    proposed_by = _choice(RadioField, Proposer, _l("Who proposed it"), PROPOSER_NAMES,
                          _l("Choose who proposed the step."))
    assignee = _choice(RadioField, Assignee, _l("Who does it"), ASSIGNEE_NAMES,
                       _l("Choose who does the step."))
    due_on = DayField(_l("Due date"), validators=[Optional()])


class StepForm(_StepFields):
    """A new step; her decision may be recorded at once, or left for later."""

    decision = _choice(RadioField, Decision, _l("Her decision"), DECISION_NAMES,
                       _l("Choose her decision, or “No decision yet”."), default=Decision.PENDING)


class StepEditForm(_StepFields):
    version = VersionField()
    state = _choice(RadioField, StepState, _l("State"), STEP_STATE_NAMES, _l("Choose the state."))

    FIELDS = ("proposal", "proposed_by", "assignee", "due_on", "state")

    def values(self) -> dict:
        return {name: (self[name].data or None) for name in self.FIELDS}


class DecisionForm(_Choices, FlaskForm):
    """Her decision, from three big buttons (the pressed button's value is the decision)."""

    decision = SelectField(
        _l("Her decision"),
        choices=options(DECISION_NAMES, RECORDED_DECISIONS),
        coerce=enum_coerce(Decision),
        validators=[InputRequired(_l("Choose her decision."))],
        invalid_choice_message=INVALID_CHOICE,
    )
    note = StringField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=TOO_LONG)],
        filters=[strip],
    )


class CloseChallengeForm(_Choices, FlaskForm):
    status = RadioField(
        _l("How did it end?"),
        choices=options(CHALLENGE_STATUS_NAMES, CLOSED_STATUSES),
        coerce=enum_coerce(ChallengeStatus),
        validators=[InputRequired(_l("Choose whether it was resolved or is no longer relevant."))],
        invalid_choice_message=INVALID_CHOICE,
    )
