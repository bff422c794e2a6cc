"""The access log, declared as a kind of client record (outreach/core/records.py): it holds
her client_id, and her page has its section (her data and her log, for the pair)."""

from outreach.audit.models import AccessLog
from outreach.auth.models import Role
from outreach.core.records import RecordKind, Section

RECORD = RecordKind(
    name="access_log",
    models=(AccessLog,),
    sections=(
        Section("her-data", "audit/_section.html",
                lambda _client, user, _rows: {"may_export": user.role == Role.PROFESSIONAL},
                order=90),
    ),
    # Not part of her data export (she gets her log as its own export) and never scrubbed:
    # the log outlives the records it names; it holds no text about her.
)
