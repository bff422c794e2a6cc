
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from outreach.auth.models import User
from outreach.clients.choices import LIFE_DOMAIN_NAMES, LifeDomain
from outreach.consents.forms import CheckboxListField
from outreach.contacts.choices import own_participants
from outreach.core.editing import VersionField
from outreach.core.forms import Chosen, DayField, empty_to_none, strip
from outreach.core.time import local_today
from outreach.encounters.models import AGE_GROUP_NAMES, MET_BY_NAMES, AgeGroup, MetBy
from outreach.outings.queries import active_areas

MAX_PEOPLE = 99
PEOPLE_MESSAGE = _l("Enter the number of people as a whole number from 1 to 99.")


def _choices(names: dict) -> list[SelectChoice]:
    return [SelectChoice(member.value, label) for member, label in names.items()]


def _pair_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not any pair: refused as not a valid choice


class EncounterForm(FlaskForm):
    pair_id = SelectField(
        _l("Pair"),
        coerce=_pair_id,
        invalid_choice_message=_l("Choose one of your pairs."),
    )
    met_on = DayField(
        _l("Date"),
        validators=[DataRequired(_l("Enter the date of the encounter."))],
        invalid_value_message=_l("Enter a valid date."),
    )
    # An area of the list the administrator keeps (outreach.outings), by name; a place
    # recorded before the list ("other: ...") stays a choice of its own record.
    area = SelectField(
        _l("Area"),
        filters=[strip],
        validators=[Chosen(_l("Choose an area from the list."))],
        invalid_choice_message=_l("Choose an area from the list."),
    )
    people_count = IntegerField(
        _l("Number of people"),
        invalid_value_message=PEOPLE_MESSAGE,
        render_kw={"min": 1, "max": MAX_PEOPLE, "inputmode": "numeric"},
    )
    age_group = RadioField(
        _l("Approximate age"),
        choices=_choices(AGE_GROUP_NAMES),
        validators=[InputRequired(_l("Choose an age group, or Not known."))],
        invalid_choice_message=_l("Choose an age group, or Not known."),
    )
    topics = CheckboxListField(
        _l("Topics"),
        choices=_choices(LIFE_DOMAIN_NAMES),
        invalid_choice_message=_l("Choose topics from the list."),
    )
    met_by = RadioField(
        _l("Who met them"),
        choices=_choices(MET_BY_NAMES),
        validators=[InputRequired(_l("Choose who met them."))],
        invalid_choice_message=_l("Choose who met them."),
    )
    note = StringField(
        _l("Note (optional)"),
        filters=[strip, empty_to_none],
        validators=[Length(max=200, message=_l("Keep the note short: at most 200 characters."))],
    )

    FIELDS = ("pair_id", "met_on", "area", "people_count", "age_group", "topics", "met_by",
              "note")

    def __init__(self, *args, pairs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.area_ids = {area.name: area.id for area in active_areas()}
        kept = kwargs.get("obj")
        if kept is not None and kept.area and kept.area not in self.area_ids:
            self.area_ids[kept.area] = kept.area_id  # its own earlier place, kept
        self.area.choices = [SelectChoice(name, name) for name in self.area_ids]
        self.pairs = list(pairs)
        self.pair_id.choices = [SelectChoice(pair.id, pair.label) for pair in self.pairs]
        if len(self.pairs) == 1:
            self.pair_id.data = self.pairs[0].id  # not asked: their only pair

    @property
    def chooses_pair(self) -> bool:
        """Only someone in several active pairs picks one; otherwise it is theirs."""
        return len(self.pairs) > 1

    def fill_defaults(self, user: User) -> None:
        """The quick form: today, one person, met by the user's own role, age not known."""
        self.met_on.data = local_today()
        self.people_count.data = 1
        self.age_group.data = AgeGroup.UNKNOWN.value
        self.met_by.data = own_participants(user.role).value
        if self.pairs:
            self.pair_id.data = self.pairs[0].id

    def validate_met_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("The date cannot be in the future."))

    def validate_people_count(self, field):
        if field.errors:
            return  # not a number: already said so
        if field.data is None or not 1 <= field.data <= MAX_PEOPLE:
            raise ValidationError(PEOPLE_MESSAGE)

    def values(self) -> dict:
        """The input by field name, as the stale check compares it with the saved record."""
        return {name: (self.topic_values() if name == "topics" else self[name].data)
                for name in self.FIELDS}

    def topic_values(self) -> list[str]:
        chosen = set(self.topics.data or [])
        return [domain.value for domain in LifeDomain if domain.value in chosen]

    def save_to(self, encounter) -> None:
        encounter.pair_id = self.pair_id.data
        encounter.met_on = self.met_on.data
        encounter.area = self.area.data
        encounter.area_id = self.area_ids.get(self.area.data)
        encounter.age_group = AgeGroup(self.age_group.data)
        encounter.topics = self.topic_values()
        encounter.people_count = self.people_count.data
        encounter.met_by = MetBy(self.met_by.data)
        encounter.note = self.note.data


class EncounterEditForm(EncounterForm):
    version = VersionField()
