"""Accompaniments, declared once as a kind of client record (outreach/core/records.py)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from outreach.accompaniments.demo import load_accompaniments
from outreach.accompaniments.models import Accompaniment
from outreach.accompaniments.routes import bp
from outreach.core.records import (
    REMOVED,
    DraftForm,
    HerDataPart,
    LogPart,
    RecordKind,
    Rollup,
    RollupSource,
    Scrub,
    TimelineKind,
    loader_for,
    plain_rows,
    source_columns,
)
from outreach.drafts.queries import scoped_check
from outreach.services.models import Service


def _source():
    # When it took place; a planned one when it was planned (not at its future time).
    at = sa.func.coalesce(Accompaniment.took_place_at, Accompaniment.created_at)
    actor = sa.func.coalesce(Accompaniment.outcome_recorded_by_id, Accompaniment.created_by_id)
    return source_columns("accompaniment", Accompaniment, at, actor, Accompaniment.client_id)


RECORD = RecordKind(
    name="accompaniment",
    models=(Accompaniment,),
    timeline=(
        TimelineKind(
            "accompaniment", _l("Accompaniment"), _source,
            loader_for(Accompaniment, joinedload(Accompaniment.service),
                       joinedload(Accompaniment.created_by),
                       joinedload(Accompaniment.outcome_recorded_by)),
            "accompaniments/_timeline.html",
        ),
    ),
    # On her page within the contacts' field-work section (outreach/contacts/record.py).
    draft=DraftForm("accompaniment", Accompaniment, scoped_check(Accompaniment)),
    scrubs=(Scrub(Accompaniment, {"purpose": REMOVED, "next_step": None}),),
    her_data=HerDataPart("accompaniments", _l("Accompaniments"),
                         plain_rows(Accompaniment, Accompaniment.planned_at, Accompaniment.id,
                                    named={"service": "name_fi"}),
                         order=50),
    log_parts=(LogPart("accompaniments", _l("Accompaniments"), "accompaniments"),),
    # Those that took place (an outcome is recorded), on that local day; planned ones are
    # not work done yet. By who went, per the service's kind and the outcome.
    rollup=Rollup(
        "accompaniment", "took_place_at", False,
        ("pair_id", "took_place_at", "who_went", "service_id", "outcome", "minutes_spent"),
        lambda: (Accompaniment.who_went, Service.kind, Accompaniment.outcome,
                 sa.func.coalesce(Accompaniment.minutes_spent, 0), sa.literal(0)),
        counted=lambda: sa.and_(Accompaniment.outcome.is_not(None),
                                Accompaniment.took_place_at.is_not(None)),
        join=lambda query: query.join(Service, Service.id == Accompaniment.service_id),
        sources=(RollupSource(
            Service, "kind",
            lambda ids: sa.select(Accompaniment.pair_id).distinct()
            .where(Accompaniment.service_id.in_(ids)),
        ),),
    ),
    demo=load_accompaniments,
    blueprint=bp,
)
