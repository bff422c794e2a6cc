"""What the quick log on her page shows (the contacts section for the pair, and the
fragment the quick-log routes answer with)."""

from outreach.auth.models import User
from outreach.clients.models import Client
from outreach.consents.queries import can_record
from outreach.contacts import queries
from outreach.contacts.choices import (
    CHANNEL_SHORT_NAMES,
    DEFAULT_DURATION,
    PARTICIPANT_NAMES,
    QUICK_DURATIONS,
    Channel,
    Participants,
    own_participants,
)
from outreach.contacts.forms import QuickLogForm

# `just` not given: look up the contact the user logged a moment ago.
LOOK_UP = object()


def quick_context(client: Client, user: User, *, just=LOOK_UP, may_record: bool | None = None,
                  form: QuickLogForm | None = None, message: str | None = None,
                  message_kind: str = "success") -> dict:
    """What the quick-log section shows: two queries at most (her consent, and the contact
    the user logged a moment ago, with her latest: her page shows both)."""
    return {
        "may_record": can_record(client) if may_record is None else may_record,
        "just": queries.latest_and_just_logged(client, user)[1] if just is LOOK_UP else just,
        "own": own_participants(user.role),
        "durations": QUICK_DURATIONS,
        "default_duration": DEFAULT_DURATION,
        "channels": list(Channel),
        "channel_short_names": CHANNEL_SHORT_NAMES,
        "participant_names": PARTICIPANT_NAMES,
        "participants_values": list(Participants),
        "quick_form": form,
        "message": message,
        "message_kind": message_kind,
    }
