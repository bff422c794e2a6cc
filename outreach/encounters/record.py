"""Anonymous encounters, declared as a kind of record (outreach/core/records.py): they name
no client (no client_id), so they have no timeline, page section or her-data part, but the
demo and the readers that count field work need them."""

from outreach.core.records import RecordKind
from outreach.encounters.demo import load_encounters
from outreach.encounters.models import AnonymousEncounter
from outreach.encounters.routes import bp

RECORD = RecordKind(
    name="encounter",
    models=(AnonymousEncounter,),
    # Nothing in it names her: an area, an age group, topics, a short note without names.
    demo=load_encounters,
    blueprint=bp,
)
