"""The fixed lists of field work: how a contact was made and who of the pair took part."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from outreach.auth.models import Role


class Channel(StrEnum):
    """How the pair was in touch with her."""

    STREET = "street"
    PHONE = "phone"
    TEXT_MESSAGE = "text_message"
    VIDEO = "video"
    SHELTER_VISIT = "shelter_visit"
    HOME_VISIT = "home_visit"
    OFFICE = "office"


CHANNEL_NAMES = {
    Channel.STREET: _l("Street outreach"),
    Channel.PHONE: _l("Phone"),
    Channel.TEXT_MESSAGE: _l("Text message"),
    Channel.VIDEO: _l("Video"),
    Channel.SHELTER_VISIT: _l("Shelter visit"),
    Channel.HOME_VISIT: _l("Home visit"),
    Channel.OFFICE: _l("Office"),
}

# Short names for the quick-log buttons on a phone.
CHANNEL_SHORT_NAMES = {
    Channel.STREET: _l("Street"),
    Channel.PHONE: _l("Phone"),
    Channel.TEXT_MESSAGE: _l("Text"),
    Channel.VIDEO: _l("Video"),
    Channel.SHELTER_VISIT: _l("Shelter"),
    Channel.HOME_VISIT: _l("At home"),
    Channel.OFFICE: _l("Office"),
}


class Participants(StrEnum):
    """Who of the pair took part (a contact) or went (an accompaniment)."""

    PROFESSIONAL = "professional"
    EXPERT = "expert"
    BOTH = "both"


PARTICIPANT_NAMES = {
    Participants.PROFESSIONAL: _l("The professional"),
    Participants.EXPERT: _l("The experience expert"),
    Participants.BOTH: _l("Both"),
}


def own_participants(role: Role | str) -> Participants:
    """"With me": the signed-in partner's own role."""
    return Participants.EXPERT if role == Role.EXPERT else Participants.PROFESSIONAL


def participants_of(role: Role | str) -> tuple[Participants, ...]:
    """The values that include this partner: the expert went alone, or both went."""
    return (own_participants(role), Participants.BOTH)


# Quick-log durations in minutes (the chips); any other number goes through the full form.
QUICK_DURATIONS = (5, 15, 30, 60)
DEFAULT_DURATION = 15


