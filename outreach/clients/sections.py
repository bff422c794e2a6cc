"""The sections of her page: each registered kind of record declares its own
(RecordKind.sections, see outreach/core/records.py); the client page renders each one's
template with what it loads. Loaders must run a fixed number of queries (the client page's
query count is tested)."""

from outreach.auth.models import User
from outreach.core.records import Section, sections
from outreach.scope import reads_only

__all__ = ["Section", "sections_for"]


def sections_for(client, user: User) -> list[tuple[Section, dict]]:
    reader = reads_only(user)
    return [
        (section, section.load(client, user))
        for section in sections()
        if section.for_readers or not reader
    ]
