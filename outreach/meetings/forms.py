from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from outreach.core.editing import VersionField
from outreach.core.forms import TOO_LONG, Chosen, ClockField, DayField, enum_coerce, strip
from outreach.core.time import local_today
from outreach.meetings.models import MEETING_KIND_NAMES, MeetingKind
from outreach.meetings.queries import ACTION_ASSIGNEES
from outreach.tasks.models import ASSIGNEE_NAMES, Assignee

NOTES_MAX = 20000
TITLE_MAX = 200
ACTION_LINES = 3
MAX_ACTION_LINES = 12


class ActionLine(Form):
    """One agreed action: an empty line is left out; a line with a title becomes a task."""

    title = StringField(
        _l("What needs doing"),
        validators=[Length(max=TITLE_MAX, message=TOO_LONG)],
        filters=[strip],
    )
    assignee = SelectField(
        _l("Who does it"),
        choices=[SelectChoice(a.value, ASSIGNEE_NAMES[a]) for a in ACTION_ASSIGNEES],
        coerce=enum_coerce(Assignee),
        default=Assignee.PAIR.value,
        validators=[Optional()],
        invalid_choice_message=_l("Choose one of the options."),
    )
    due_on = DayField(_l("Due date (optional)"), validators=[Optional()])

    def validate_title(self, field):
        if not field.data and self.due_on.data is not None:
            raise ValidationError(_l("Write what needs doing, or leave the line empty."))

    @property
    def is_empty(self) -> bool:
        return not self.title.data

    def values(self) -> dict:
        return {"title": self.title.data, "assignee": self.assignee.data or Assignee.PAIR,
                "due_on": self.due_on.data}


def action_lines():
    return FieldList(FormField(ActionLine), label=_l("Agreed actions"), min_entries=ACTION_LINES,
                     max_entries=MAX_ACTION_LINES)


def filled_lines(field_list) -> list[dict]:
    return [entry.form.values() for entry in field_list if not entry.form.is_empty]


class MeetingFields(FlaskForm):
    kind = SelectField(
        _l("Kind of meeting"),
        choices=[SelectChoice(kind.value, name) for kind, name in MEETING_KIND_NAMES.items()],
        coerce=enum_coerce(MeetingKind),
        validators=[Chosen(_l("Choose the kind of meeting."))],
        invalid_choice_message=_l("Choose one of the options."),
    )
    held_on = DayField(_l("Date"), validators=[InputRequired(_l("Give the date of the meeting."))])
    starts_at = ClockField(_l("Time (optional)"), validators=[Optional()])
    duration_minutes = IntegerField(
        _l("Duration in minutes (optional)"),
        validators=[Optional(), NumberRange(min=5, max=600,
                                            message=_l("Between 5 and 600 minutes."))],
    )
    external_supervisor = StringField(
        _l("Work supervisor's name"),
        validators=[Length(max=200, message=TOO_LONG)],
        filters=[strip],
    )
    professional_present = BooleanField(_l("The professional took part"))
    expert_present = BooleanField(_l("The experience expert took part"))
    others_present = StringField(
        _l("Others present (optional)"),
        validators=[Optional(), Length(max=300, message=TOO_LONG)],
        filters=[strip],
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=NOTES_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 8},
    )

    FIELDS = ("kind", "held_on", "starts_at", "duration_minutes", "external_supervisor",
              "professional_present", "expert_present", "others_present", "notes")

    def validate_held_on(self, field):
        if field.data is not None and field.data > local_today():
            raise ValidationError(_l("Record a meeting once it has been held: the date cannot "
                                     "be in the future."))

    def validate_external_supervisor(self, field):
        if self.kind.data == MeetingKind.SUPERVISION and not field.data:
            raise ValidationError(_l("Give the name of the work supervisor."))

    def validate_expert_present(self, field):
        if not field.data and not self.professional_present.data:
            raise ValidationError(_l("Mark who of the pair took part."))

    def values(self) -> dict:
        values = {name: self[name].data for name in self.FIELDS}
        for name in ("external_supervisor", "others_present", "notes"):
            values[name] = values[name] or None
        if values["kind"] != MeetingKind.SUPERVISION:
            values["external_supervisor"] = None
        return values


class NewMeetingForm(MeetingFields):
    actions = action_lines()


class EditMeetingForm(MeetingFields):
    version = VersionField()


class NotesForm(FlaskForm):
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=NOTES_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 10},
    )
    version = VersionField()


class ActionsForm(FlaskForm):
    actions = action_lines()
    no_actions = None  # the message when every line was left empty

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not filled_lines(self.actions):
            self.no_actions = _l("Write at least one action.")
            return False
        return valid


def add_lines(field_list, wanted: int | None) -> None:
    """More empty action lines on request (?lines=6), without JavaScript."""
    wanted = min(wanted or 0, MAX_ACTION_LINES)
    while len(field_list) < wanted:
        field_list.append_entry()
