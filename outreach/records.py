"""THE list of the kinds of client record: each declared once, in its own package
(`record.py`, a `RecordKind`, see outreach/core/records.py). The app factory registers this
list; the timeline, her page, drafts, anonymising, her data, the access log and the demo
read it. The order is the demo's: a kind's demo loader runs after those above it.

Adding a kind of record: docs/adding-a-record.md."""

from outreach.accompaniments import record as accompaniments
from outreach.audit import record as audit
from outreach.clients import record as clients
from outreach.consents import record as consents
from outreach.consultations import record as consultations
from outreach.contacts import record as contacts
from outreach.core.records import RecordKind
from outreach.encounters import record as encounters
from outreach.mappings import record as mappings
from outreach.network import record as network
from outreach.steps import record as steps
from outreach.tasks import record as tasks

RECORDS: tuple[RecordKind, ...] = (
    clients.RECORD,  # her record itself (and merges)
    clients.LIVING_SITUATION,
    clients.STATUS_CHANGE,
    clients.TRANSFER,
    consents.RECORD,
    mappings.RECORD,
    steps.RECORD,  # challenges and their steps
    tasks.RECORD,
    encounters.RECORD,  # anonymous: no client_id
    contacts.RECORD,
    accompaniments.RECORD,
    network.RECORD,
    consultations.RECORD,
    audit.RECORD,  # the access log
)
