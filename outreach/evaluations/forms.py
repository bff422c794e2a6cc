from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from outreach.core.editing import VersionField
from outreach.core.forms import TOO_LONG, DayField, enum_coerce, optional_int, strip
from outreach.evaluations import items as form_items
from outreach.evaluations.models import ACTIVITY_NAMES, Activity

DETAIL_MAX = 200
DURATION_MAX = 100
ANSWER_MAX = 5000
NOTES_MAX = 20000


class RoundForm(FlaskForm):
    """A new evaluation round: what was evaluated and for how long the pair worked."""

    activity = RadioField(
        form_items.ACTIVITY_LABEL,
        choices=[SelectChoice(member.value, name) for member, name in ACTIVITY_NAMES.items()],
        coerce=enum_coerce(Activity),
        validators=[DataRequired(_l("Choose the form of activity."))],
        validate_choice=True,
        invalid_choice_message=_l("Choose one of the options."),
    )
    activity_detail = StringField(
        _l("More about the activity (optional)"),
        validators=[Optional(), Length(max=DETAIL_MAX, message=TOO_LONG)],
        filters=[strip],
    )
    group_id = SelectField(
        _l("Peer-support group (optional)"),
        coerce=optional_int,
        validators=[Optional()],
        validate_choice=True,
        invalid_choice_message=_l("Choose one of the pair's groups, or none."),
    )
    duration = StringField(
        form_items.DURATION_LABEL,
        validators=[DataRequired(_l("Write how long the cooperation has lasted.")),
                    Length(max=DURATION_MAX, message=TOO_LONG)],
        filters=[strip],
    )

    def set_groups(self, groups) -> None:
        self.group_id.choices = [SelectChoice("", _l("No group"))] + [
            SelectChoice(g.id, g.name) for g in groups]


class AnswersForm(FlaskForm):
    """One partner's own form; the fields are added per role by `answers_form`."""

    role: form_items.FormRole

    def statement_fields(self):
        return [(item, self[item.key]) for item in form_items.statements(self.role)]

    def open_fields(self):
        return [(item, self[item.key], self[item.quote_field])
                for item in form_items.open_questions(self.role)]

    def require_every_statement(self) -> bool:
        """Submitting needs every statement answered; a draft does not."""
        ok = True
        for _item, field in self.statement_fields():
            if field.data is None and not field.errors:
                field.errors = [*field.errors, _l("Choose a number from 1 to 5.")]
                ok = False
        return ok and not self.errors


def _scale(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # no such choice: refused


_CLASSES: dict[str, type[AnswersForm]] = {}


def answers_form(role: form_items.FormRole | str, **kwargs) -> AnswersForm:
    role = form_items.FormRole(role)
    if role.value not in _CLASSES:
        fields = {"role": role}
        for item in form_items.statements(role):
            fields[item.key] = RadioField(
                item.text,
                choices=[SelectChoice(n, str(n)) for n in form_items.SCALE],
                coerce=_scale,
                validators=[Optional()],
                validate_choice=True,
                invalid_choice_message=_l("Choose a number from 1 to 5."),
            )
        for item in form_items.open_questions(role):
            fields[item.key] = TextAreaField(
                item.text,
                validators=[Optional(), Length(max=ANSWER_MAX, message=TOO_LONG)],
                filters=[strip],
            )
            fields[item.quote_field] = BooleanField(_l("May be quoted in reports"))
        _CLASSES[role.value] = type(f"{role.value.title()}AnswersForm", (AnswersForm,), fields)
    return _CLASSES[role.value](**kwargs)


class NotesForm(FlaskForm):
    """The notes of the joint discussion, edited by both partners."""

    discussed_on = DayField(_l("Discussed on (optional)"), validators=[Optional()])
    discussion_notes = TextAreaField(
        _l("Notes of the joint discussion"),
        validators=[Optional(), Length(max=NOTES_MAX, message=TOO_LONG)],
        filters=[strip],
    )
    version = VersionField()

    fields = ("discussed_on", "discussion_notes")

    def values(self) -> dict:
        return {"discussed_on": self.discussed_on.data,
                "discussion_notes": self.discussion_notes.data or None}
