"""The start-up agreement's questions and labels (*Voimaa ja valoa elämään* pair model,
"Yhteistyön käynnistäminen": shared/seeds/pair-work-model-and-evaluation-forms.md).

The msgids are English translations; the Finnish catalogue carries the seed's text word
for word, and the Swedish one its translation.
"""

from datetime import date

from flask_babel import lazy_gettext as _l

from outreach.core.formatting import format_day
from outreach.pairs.models import AgreementState, MeetingRhythm

# Työparin kanssa yhdessä keskustellen: five questions on shared values.
VALUES_HEADING = _l("Discussing together with your pair")
VALUES_QUESTIONS = [
    ("values_1", _l("What is your view of human nature? How does it affect how you lead "
                    "the group?")),
    ("values_2", _l("What values guide what you do?")),
    ("values_3", _l("What kind of group leader are you? What kind of leader do you hope to "
                    "be in this particular group?")),
    ("values_4", _l("What do you consider important in leading a group?")),
    ("values_5", _l("What is important for us to take into account with this group?")),
]

# Ryhmän ohjauksessa huomioitavia asioita keskustellen: seven questions on roles.
ROLES_HEADING = _l("Discussing what to take into account in leading the group")
ROLES_QUESTIONS = [
    ("roles_1", _l("What thoughts do you have about our roles? (The roles of the "
                   "professional and the experience expert are different, so it is good "
                   "to discuss what that means in practice.)")),
    ("roles_2", _l("How would you like to divide the work in the group meetings? For "
                   "example, leading the exercises or the like. The experience expert may "
                   "also be a peer.")),
    ("roles_3", _l("How would you like our different roles to be explained to the group "
                   "members?")),
    ("roles_4", _l("If people you know come to the group, how would you like the situation "
                   "to be handled? What thoughts does this raise in you?")),
    ("roles_5", _l("What thoughts and feelings does being an experience expert in a peer "
                   "group raise in you?")),
    ("roles_6", _l("How do you communicate if you need help/support/encouragement or the "
                   "like?")),
    ("roles_7", _l("Is there something that I (the professional) should know?")),
]

# Muita huomioitavia asioita: the checklist.
CHECKLIST_HEADING = _l("Other things to take into account")

CHECKLIST_LABELS = {
    "meeting_date": _l("Date of the start-up meeting"),
    "volunteer_signed_on": _l("Volunteer agreement signed on"),
    "confidentiality_signed_on": _l("Confidentiality agreement signed on"),
    "challenging_situations_plan": _l("Joint plan for challenging situations"),
    "planning_rhythm": _l("Planning meetings"),
    "debrief_rhythm": _l("Debrief meetings"),
    "practical_matters": _l("Practical matters (arrival, absences)"),
    "professional_asks_help": _l("How the professional asks for help"),
    "expert_asks_help": _l("How the experience expert asks for help, support or encouragement"),
    "outing_partner_grace": _l("Minutes past the expected return before the partner is alerted"),
    "outing_supervisor_grace": _l(
        "Minutes after the partner's alert before the supervisor is alerted"),
    "outing_who_to_call": _l("Who to call when a partner has not come back"),
}

RHYTHM_NAMES = {
    MeetingRhythm.WEEKLY: _l("Every week"),
    MeetingRhythm.EVERY_2_WEEKS: _l("Every two weeks"),
    MeetingRhythm.EVERY_3_WEEKS: _l("Every three weeks"),
    MeetingRhythm.EVERY_4_WEEKS: _l("Every four weeks"),
    MeetingRhythm.MONTHLY: _l("Once a month"),
}

STATE_NAMES = {
    AgreementState.MISSING: _l("Not started"),
    AgreementState.IN_PROGRESS: _l("In progress"),
    AgreementState.COMPLETE: _l("Complete"),
}

QUESTIONS = dict(VALUES_QUESTIONS + ROLES_QUESTIONS)


def field_label(name: str):
    """The full label of an agreement field: the question itself, or the checklist label."""
    return QUESTIONS.get(name) or CHECKLIST_LABELS[name]


def short_label(name: str) -> str:
    """A short name for the edit history: "Shared values, question 3"."""
    if name.startswith("values_"):
        return _l("Shared values, question %(n)s", n=name.removeprefix("values_"))
    if name.startswith("roles_"):
        return _l("Roles, question %(n)s", n=name.removeprefix("roles_"))
    return CHECKLIST_LABELS.get(name, name)


def rhythm_name(rhythm: MeetingRhythm | str | None) -> str:
    if not rhythm:
        return ""
    try:
        return str(RHYTHM_NAMES[MeetingRhythm(rhythm)])
    except ValueError:
        return str(rhythm)


def state_name(state: AgreementState) -> str:
    return str(STATE_NAMES[state])


def display_value(name: str, value) -> str:
    """A saved or submitted value as the reader sees it: dates in the user's conventions,
    the meeting rhythm by name, text as it is; empty as ""."""
    if value is None or value == "":
        return ""
    if name.endswith("_rhythm"):
        return rhythm_name(value)
    if isinstance(value, date):
        return format_day(value)
    return str(value)
