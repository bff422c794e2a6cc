from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from outreach.auth.models import Role
from outreach.core.editing import VersionField
from outreach.core.forms import (
    INVALID_CHOICE,
    TOO_LONG,
    Chosen,
    ClockField,
    DayField,
    enum_coerce,
    offer_pairs,
    optional_int,
    options,
    pair_field,
    strip,
    text_field,
)
from outreach.core.forms import NOTE_MAX as RECORD_NOTE_MAX
from outreach.tasks.models import ASSIGNEE_NAMES, Assignee

TITLE_MAX = 200
NOTE_MAX = 1000


def assignee_choices(blank=None) -> list[SelectChoice]:
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [SelectChoice(member.value, name) for member, name in ASSIGNEE_NAMES.items()]


def _assignee_field() -> SelectField:
    return SelectField(
        _l("Who does it"),
        choices=assignee_choices(),
        coerce=enum_coerce(Assignee),
        validators=[Chosen(_l("Choose who does it."))],
        invalid_choice_message=_l("Choose one of the options."),
    )


class TaskFields(FlaskForm):
    title = StringField(
        _l("What needs doing"),
        validators=[DataRequired(_l("Write what needs doing.")),
                    Length(max=TITLE_MAX, message=TOO_LONG)],
        filters=[strip],
    )
    client_id = SelectField(
        _l("About which woman (optional)"),
        coerce=optional_int,
        validators=[Optional()],
        validate_choice=True,
        invalid_choice_message=_l("Choose one of your clients from the list, or none."),
    )
    assignee = _assignee_field()
    due_on = DayField(_l("Due date (optional)"), validators=[Optional()])
    due_time = ClockField(_l("Time (optional)"), validators=[Optional()])

    FIELDS = ("title", "client_id", "assignee", "due_on", "due_time")

    def set_clients(self, clients) -> None:
        self.client_id.choices = [SelectChoice("", _l("No particular woman"))] + [
            SelectChoice(client.id, f"{client.name} ({client.code})") for client in clients
        ]

    def validate_due_time(self, field):
        if field.data is not None and self.due_on.data is None and not self.due_on.errors:
            raise ValidationError(_l("Give the date too, or leave the time empty."))

    def values(self) -> dict:
        """The submitted values as they would be saved (only the fields the form has)."""
        values = {"title": self.title.data, "client_id": self.client_id.data}
        if "assignee" in self:
            values["assignee"] = self.assignee.data
        if "due_on" in self:
            values["due_on"] = self.due_on.data
            values["due_time"] = self.due_time.data if self.due_on.data else None
        return values


class NewTaskForm(TaskFields):
    pair_id = pair_field()

    def __init__(self, *args, pairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_pairs(self.pair_id, pairs)


class EditTaskForm(TaskFields):
    version = VersionField()

    PLANNING = ("assignee", "due_on", "due_time")

    def lock_planning(self) -> None:
        """Who does it and when is the professional's to decide (the expert proposes a
        change instead), except on tasks the expert added herself."""
        for name in self.PLANNING:
            delattr(self, name)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for name in self.FIELDS if name in self)


class DropForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it dropped?"),
        validators=[DataRequired(_l("Write why the task is dropped.")),
                    Length(max=NOTE_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 2},
    )
    next = HiddenField()


class PlanForm(FlaskForm):
    """The professional moves or re-assigns a task on the week plan."""

    assignee = _assignee_field()
    due_on = DayField(_l("Day"), validators=[Optional()])
    week = HiddenField()


class ProposalForm(FlaskForm):
    """The expert proposes a new day and/or assignee; the professional decides."""

    new_due_on = DayField(_l("New day (optional)"), validators=[Optional()])
    new_assignee = SelectField(
        _l("New assignee (optional)"),
        choices=assignee_choices(blank=_l("No change")),
        coerce=enum_coerce(Assignee),
        validators=[Optional()],
        invalid_choice_message=_l("Choose one of the options."),
    )
    note = TextAreaField(
        _l("Why (optional)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=TOO_LONG)],
        filters=[strip],
        render_kw={"rows": 2},
    )
    next = HiddenField()

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        task = self.task
        new_day = self.new_due_on.data
        new_assignee = self.new_assignee.data
        if task is not None:
            if new_day == task.due_on:
                new_day = None
            if new_assignee == task.assignee:
                new_assignee = None
        if new_day is None and new_assignee is None:
            self.new_due_on.errors.append(
                _l("Propose a new day or a new assignee that differs from the task's now.")
            )
            return False
        self.new_due_on.data, self.new_assignee.data = new_day, new_assignee
        return True


# --- The follow-up task a field-work record makes together with it ----------------------


def own_assignee(role: Role | str) -> Assignee:
    return Assignee.EXPERT if role == Role.EXPERT else Assignee.PROFESSIONAL


class FollowUpFields(FlaskForm):
    """The follow-up task made together with the record (optional): who does it and by
    when. The task's title comes from the form (a title field, or the next step)."""

    task_assignee = RadioField(
        _l("Who does it"),
        choices=options(ASSIGNEE_NAMES),
        coerce=enum_coerce(Assignee),
        validators=[Optional()],
        validate_choice=True,
        invalid_choice_message=INVALID_CHOICE,
    )
    task_due_on = DayField(_l("Due date (optional)"), validators=[Optional()])

    def default_follow_up(self, role: Role | str) -> None:
        if not self.task_assignee.data:
            self.task_assignee.data = own_assignee(role)

    def chosen_assignee(self, role: Role | str) -> Assignee:
        value = self.task_assignee.data
        return value if isinstance(value, Assignee) else own_assignee(role)


class NextStepTaskFields(FollowUpFields):
    """A record's next step, which can become its follow-up task ("Make the next step a
    task"): the accompaniment's and the network contact's forms."""

    next_step = text_field(_l("Next step (optional)"), maximum=RECORD_NOTE_MAX)
    make_task = BooleanField(_l("Make the next step a task"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # Here, not in validate_next_step: an empty optional field skips its validators.
        if self.make_task.data and not self.next_step.data:
            self.next_step.errors = [*self.next_step.errors,
                                     _l("Write the next step to make it a task.")]
            ok = False
        return ok

    def validate_task_due_on(self, field):
        if field.data and not self.make_task.data:
            raise ValidationError(_l("Tick “Make the next step a task”, or clear the due date."))

    def values(self) -> dict:
        """The record's fields (FIELDS) as they would be saved."""
        return {name: self[name].data for name in self.FIELDS}
