"""Consultations (her record opened to the supervisor), declared once as a kind of client
record (outreach/core/records.py)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from outreach.audit.labels import part_name
from outreach.auth.models import Role
from outreach.consultations import queries
from outreach.consultations.models import Consultation
from outreach.consultations.routes import bp
from outreach.core.clock import utcnow
from outreach.core.records import (
    REMOVED,
    RecordKind,
    Scrub,
    Section,
    timeline_of,
)
from outreach.scope import reads_only


def _section(client, user, _rows) -> dict:
    """Her consultations; for the pair also who read her record through them (two queries,
    one when she has none).
    The supervisor sees the consultation she reads through, not the log."""
    consultations = queries.consultations_of(client)
    active = queries.active_of(consultations, utcnow())
    if reads_only(user):
        return {"reader": True, "active": active, "consultations": [], "reads": []}
    return {
        "reader": False,
        "active": active,
        "consultations": consultations,
        # Shown under her consultations: none, none read through them.
        "reads": queries.consultation_reads(client) if consultations else [],
        "reads_shown": queries.READS_SHOWN,
        "may_open": user.role == Role.PROFESSIONAL,
        "has_supervisor": client.pair.supervisor_id is not None,
        "part_name": part_name,
    }


RECORD = RecordKind(
    name="consultation",
    models=(Consultation,),
    timeline=(
        timeline_of("consultation", _l("Consultation"), Consultation, Consultation.opened_at,
                    Consultation.opened_by_id, "consultations/_timeline.html",
                    joinedload(Consultation.supervisor), joinedload(Consultation.ended_by)),
    ),
    sections=(Section("consultation", "consultations/_section.html", _section, order=85),),
    # Why the professional opened her record to the supervisor: written about her.
    scrubs=(Scrub(Consultation, {"reason": REMOVED}),),
    # Her data includes them as the table stands (the export's catch-all).
    blueprint=bp,
)
