"""Anonymous encounters, declared as a kind of record (outreach/core/records.py): they name
no client (no client_id), so they have no timeline, page section or her-data part, but the
demo and the rollup that counts field work need them."""

import sqlalchemy as sa

from outreach.core.records import RecordKind, Rollup
from outreach.encounters.demo import load_encounters
from outreach.encounters.models import AnonymousEncounter
from outreach.encounters.routes import bp

RECORD = RecordKind(
    name="encounter",
    models=(AnonymousEncounter,),
    # Nothing in it names her: an area, an age group, topics, a short note without names.
    # Counted on the day met (already a local day), by who met them; the people met.
    rollup=Rollup(
        "encounter", "met_on", True, ("pair_id", "met_on", "met_by", "people_count"),
        lambda: (AnonymousEncounter.met_by, sa.literal(""), sa.literal(""), sa.literal(0),
                 AnonymousEncounter.people_count),
    ),
    demo=load_encounters,
    blueprint=bp,
)
