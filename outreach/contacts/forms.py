from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from outreach.auth.models import Role
from outreach.clients.choices import LIFE_DOMAIN_NAMES, LifeDomain
from outreach.consents.forms import CheckboxListField
from outreach.contacts.choices import (
    CHANNEL_NAMES,
    DEFAULT_DURATION,
    PARTICIPANT_NAMES,
    Channel,
    own_participants,
)
from outreach.core.editing import VersionField
from outreach.core.forms import (
    MAX_MINUTES,
    NOTE_MAX,
    MomentField,
    NumberField,
    choice_field,
    not_in_future,
    now_to_the_minute,
    options,
    short_text,
    text_field,
)
from outreach.record_views import ListFilters, search_field
from outreach.tasks.forms import FollowUpFields

MINUTES_MESSAGE = _l("Enter the duration in minutes, a whole number from 0 to 1440.")


def _minutes_field(label, required=True):
    return NumberField(
        label,
        validators=[InputRequired(MINUTES_MESSAGE) if required else Optional(),
                    NumberRange(min=0, max=MAX_MINUTES, message=MINUTES_MESSAGE)],
        invalid_value_message=MINUTES_MESSAGE,
        render_kw={"min": 0, "max": MAX_MINUTES, "inputmode": "numeric"},
    )


class ContactForm(FollowUpFields):
    contacted_at = MomentField(
        _l("When"), validators=[InputRequired(_l("Enter when you were in touch with her."))]
    )
    duration_minutes = _minutes_field(_l("Duration (minutes)"))
    channel = choice_field(_l("How"), CHANNEL_NAMES, _l("Choose how you were in touch."))
    participants = choice_field(_l("Who took part"), PARTICIPANT_NAMES,
                                _l("Choose who of you took part."))
    topics = CheckboxListField(
        _l("Topics"),
        choices=options(LIFE_DOMAIN_NAMES),
        invalid_choice_message=_l("Choose topics from the list."),
    )
    note = text_field(_l("Note (optional)"), maximum=NOTE_MAX, rows=4)
    task_title = short_text(_l("What needs doing"))

    FIELDS = ("contacted_at", "duration_minutes", "channel", "participants", "topics", "note")

    def fill_defaults(self, role: Role | str) -> None:
        """Now, 15 minutes, street outreach, with me."""
        self.contacted_at.data = now_to_the_minute()
        self.duration_minutes.data = DEFAULT_DURATION
        self.channel.data = Channel.STREET
        self.participants.data = own_participants(role)
        self.default_follow_up(role)

    def validate_contacted_at(self, field):
        not_in_future(field)

    def validate_task_due_on(self, field):
        if field.data and not self.task_title.data:
            raise ValidationError(_l("Write the follow-up task, or clear its due date."))

    def topic_values(self) -> list[str]:
        chosen = set(self.topics.data or [])
        return [domain.value for domain in LifeDomain if domain.value in chosen]

    def values(self) -> dict:
        return {
            "contacted_at": self.contacted_at.data,
            "duration_minutes": self.duration_minutes.data,
            "channel": self.channel.data,
            "participants": self.participants.data,
            "topics": self.topic_values(),
            "note": self.note.data,
        }


class ContactEditForm(ContactForm):
    version = VersionField()


class QuickLogForm(FlaskForm):
    """One tap: the channel button submits; the duration and who took part are preset
    (15 minutes, with me) and can be changed with a tap before."""

    channel = choice_field(_l("How"), CHANNEL_NAMES, _l("Choose how you were in touch."),
                           field=SelectField)
    duration_minutes = _minutes_field(_l("Duration"), required=False)
    participants = choice_field(_l("Who took part"), PARTICIPANT_NAMES)


class ContactFilterForm(ListFilters):
    q = search_field(_l("Search the notes"))
    channel = SelectField(_l("How"), validators=[Optional()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choose(self.channel, options(CHANNEL_NAMES), _l("Any way"))
