"""Situation mappings, declared once as a kind of client record (outreach/core/records.py)."""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from outreach.auth.models import Role
from outreach.consents.queries import can_record
from outreach.core.records import (
    HerDataPart,
    LogPart,
    RecordKind,
    Scrub,
    Section,
    row_of,
    rows_of,
    rows_under,
    timeline_of,
)
from outreach.extensions import db
from outreach.mappings.chart import render_chart
from outreach.mappings.demo import load_mappings
from outreach.mappings.models import Mapping, MappingRating
from outreach.mappings.routes import bp


def mappings_by_client(client_ids: Sequence[int]) -> dict[int, list[Mapping]]:
    """Each client's mappings, oldest first, with ratings and authors: one query for all
    (a row per rating: ten domains a mapping)."""
    query = (
        sa.select(Mapping)
        .where(Mapping.client_id.in_(client_ids))
        .options(joinedload(Mapping.created_by), joinedload(Mapping.ratings))
        .order_by(Mapping.mapped_on, Mapping.id)
    )
    found: dict[int, list[Mapping]] = defaultdict(list)
    for mapping in db.session.scalars(query).unique():
        found[mapping.client_id].append(mapping)
    return found


def _section(client, user, mappings) -> dict:
    mappings = mappings or []
    return {
        "mappings": mappings,
        "latest_mapping": mappings[-1] if mappings else None,
        "mapping_chart": render_chart(mappings, id_prefix="section-mapping-chart"),
        "may_create_mapping": user.role == Role.PROFESSIONAL and can_record(client),
    }


def _her_data(ids: list[int]) -> list[dict]:
    mappings = rows_of(Mapping, ids, selectinload(Mapping.ratings),
                       order=[Mapping.mapped_on, Mapping.id])
    return [row_of(m, ratings=[row_of(r) for r in sorted(m.ratings, key=lambda r: r.id)])
            for m in mappings]


RECORD = RecordKind(
    name="mapping",
    models=(Mapping,),
    timeline=(
        timeline_of("mapping", _l("Situation mapping"), Mapping, Mapping.created_at,
                    Mapping.created_by_id, "mappings/_timeline.html"),
    ),
    sections=(Section("mappings", "mappings/_section.html", _section,
                      rows=mappings_by_client, order=40),),
    scrubs=(
        Scrub(Mapping, {"what_matters_most": None}),
        Scrub(MappingRating, {"notes": None}, rows_under(MappingRating.mapping_id, Mapping)),
    ),
    her_data=HerDataPart("mappings", _l("Situation mappings"), _her_data, order=20),
    log_parts=(LogPart("mapping", _l("Situation mappings"), "mappings"),),
    demo=load_mappings,
    blueprint=bp,
)
