"""Forms of the peer-support groups: the group, a session's plan (date, parts and who
leads them, planning notes), and its record after it was held (participants, debrief)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from outreach.core.editing import VersionField
from outreach.core.forms import TOO_LONG, ClockField, DayField, enum_coerce, optional_int, strip
from outreach.core.time import local_today
from outreach.groups.models import LEADER_NAMES, MAX_PARTICIPANTS, GroupSession, Leader

NOTES_MAX = 10_000
MAX_PARTS = 12
BLANK_PARTS = 2  # empty rows offered after the filled ones (no JavaScript needed to add one)
NEW_SESSION_PARTS = 4
PARTICIPANTS_MESSAGE = _l("Enter the number of participants as a whole number from 0 to "
                          "%(max)d.", max=MAX_PARTICIPANTS)


def _none_if_empty(value):
    return value or None


class ParticipantsField(IntegerField):
    """A count of people: an impossible value is quoted in the error and never written back
    into <input type="number"> (that would be invalid HTML)."""

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0].strip() == "":
            self.data = None
            return
        typed = valuelist[0].strip()
        try:
            self.data = int(typed)
        except ValueError:
            self.data = None
            raise ValueError(
                str(PARTICIPANTS_MESSAGE) + " " + _("You entered: %(value)s", value=typed)
            ) from None

    def _value(self):
        if self.process_errors:
            return ""
        return "" if self.data is None else str(self.data)


def _check_participants(form, field):
    if field.errors or field.data is None:
        return
    if not 0 <= field.data <= MAX_PARTICIPANTS:
        raise ValidationError(
            str(PARTICIPANTS_MESSAGE) + " " + _("You entered: %(value)s", value=field.data)
        )


class PartForm(Form):
    """One part of the session's programme and who leads it."""

    description = StringField(
        _l("Description"),
        filters=[strip],
        validators=[Length(max=300, message=TOO_LONG)],
    )
    leader = SelectField(
        _l("Who leads it"),
        choices=[SelectChoice("", _l("Choose"))]
        + [SelectChoice(member.value, name) for member, name in LEADER_NAMES.items()],
        coerce=enum_coerce(Leader),
        validate_choice=False,
    )

    def validate_leader(self, field):
        if field.data is not None and field.data not in set(Leader):
            raise ValidationError(_l("Choose one of the options."))
        if self.description.data and field.data is None:
            raise ValidationError(_l("Choose who leads this part."))
        if field.data is not None and not self.description.data:
            raise ValidationError(_l("Describe the part, or leave the row empty."))


# --- The group -----------------------------------------------------------------------------


class GroupForm(FlaskForm):
    name = StringField(
        _l("Name of the group"),
        filters=[strip],
        validators=[DataRequired(_l("Give the group a name.")),
                    Length(max=200, message=TOO_LONG)],
    )
    aim = TextAreaField(
        _l("Aim (optional)"),
        filters=[strip, _none_if_empty],
        validators=[Optional(), Length(max=NOTES_MAX, message=TOO_LONG)],
        render_kw={"rows": 3},
    )
    place = StringField(
        _l("Place (optional)"),
        filters=[strip, _none_if_empty],
        validators=[Optional(), Length(max=300, message=TOO_LONG)],
    )
    schedule = StringField(
        _l("Schedule (optional)"),
        filters=[strip, _none_if_empty],
        validators=[Optional(), Length(max=300, message=TOO_LONG)],
    )
    starts_on = DayField(_l("Starts (optional)"), validators=[Optional()])
    ends_on = DayField(_l("Ends (optional)"), validators=[Optional()])

    FIELDS = ("name", "aim", "place", "schedule", "starts_on", "ends_on")

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The group cannot end before it starts."))

    def values(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}


class NewGroupForm(GroupForm):
    pair_id = SelectField(_l("Pair"), coerce=optional_int, validate_choice=False)

    def __init__(self, *args, pairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs = list(pairs)
        self.pair_id.choices = [SelectChoice(pair.id, pair.label) for pair in self.pairs]
        if len(self.pairs) == 1 and not self.pair_id.data:
            self.pair_id.data = self.pairs[0].id

    @property
    def chooses_pair(self) -> bool:
        return len(self.pairs) > 1

    def validate_pair_id(self, field):
        if field.data is None and len(self.pairs) == 1:
            field.data = self.pairs[0].id  # not asked: their only pair
        if field.data is None:
            raise ValidationError(_l("Choose the pair."))
        if field.data not in {pair.id for pair in self.pairs}:
            raise ValidationError(_l("Choose one of your pairs."))


class EditGroupForm(GroupForm):
    version = VersionField()


# --- A session ------------------------------------------------------------------------------


class PlanFields(FlaskForm):
    held_on = DayField(_l("Date"),
                       validators=[InputRequired(_l("Enter the date of the session."))])
    starts_at = ClockField(_l("Start time (optional)"), validators=[Optional()])
    parts = FieldList(FormField(PartForm), min_entries=0, max_entries=MAX_PARTS)
    planning_notes = TextAreaField(
        _l("Planning notes (optional)"),
        filters=[strip, _none_if_empty],
        validators=[Optional(), Length(max=NOTES_MAX, message=TOO_LONG)],
        render_kw={"rows": 5},
    )

    def fill_parts(self, parts=(), blank: int = BLANK_PARTS) -> None:
        """Rows for the parts saved, then a few empty ones (the form works without JS)."""
        while len(self.parts.entries):
            self.parts.pop_entry()
        for part in parts:
            self.parts.append_entry({"description": part.description, "leader": part.leader})
        for _i in range(min(blank, MAX_PARTS - len(self.parts.entries))):
            self.parts.append_entry()

    def part_values(self) -> list[tuple[str, Leader]]:
        """The filled rows, in order, as (description, leader); a row whose leader is none
        of the choices (typed input, refused by validation) is left out."""
        return [
            (entry.form.description.data, entry.form.leader.data)
            for entry in self.parts.entries
            if entry.form.description.data and isinstance(entry.form.leader.data, Leader)
        ]

    @property
    def part_errors(self) -> bool:
        return any(entry.errors for entry in self.parts.entries)


def _participants_field(label):
    return ParticipantsField(
        label,
        validators=[_check_participants],
        render_kw={"min": 0, "max": MAX_PARTICIPANTS, "inputmode": "numeric"},
    )


class RecordFields(FlaskForm):
    participants = _participants_field(_l("Number of participants"))
    debrief_notes = TextAreaField(
        _l("Debrief notes"),
        filters=[strip, _none_if_empty],
        validators=[Optional(), Length(max=NOTES_MAX, message=TOO_LONG)],
        render_kw={"rows": 8},
    )

    session: GroupSession | None = None

    def held_on_value(self):
        return self.session.held_on if self.session is not None else None

    def validate_participants(self, field):
        if field.errors or field.data is None:
            return
        held_on = self.held_on_value()
        if held_on is not None and held_on > local_today():
            raise ValidationError(
                _l("The session has not been held yet: record the participants after it."))


class NewSessionForm(PlanFields):
    """Planning a session."""


class RecordForm(RecordFields):
    """After the session: how many came and the debrief. Both partners edit it."""

    version = VersionField()

    def __init__(self, *args, session: GroupSession | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session

    def validate_participants(self, field):
        if field.data is None and not field.errors:
            raise ValidationError(_l("Enter how many took part (0 if nobody came)."))
        super().validate_participants(field)


class EditSessionForm(PlanFields, RecordFields):
    """Everything about the session, for either partner: a stale save answers 409."""

    version = VersionField()
    participants = _participants_field(_l("Number of participants (after the session)"))

    def held_on_value(self):
        return self.held_on.data

    def values(self) -> dict:
        return {
            "held_on": self.held_on.data,
            "starts_at": self.starts_at.data,
            "parts": self.part_values(),
            "planning_notes": self.planning_notes.data,
            "participants": self.participants.data,
            "debrief_notes": self.debrief_notes.data,
        }
