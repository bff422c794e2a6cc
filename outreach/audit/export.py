"""Everything kept about one woman (GDPR article 15), loaded with a fixed number of queries.

Each registered kind of record gives its part (RecordKind.her_data, loaded with its
children); any other table with a client_id column is included as it is, so nothing
recorded about her is left out of the export."""

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from outreach.audit.models import AccessLog
from outreach.clients import timeline
from outreach.clients.models import Client
from outreach.clients.queries import merged_ids
from outreach.core.records import SKIP, her_data_parts, plain, registered
from outreach.core.time import aware
from outreach.extensions import db

FIELD_LABELS = {
    "id": _l("Number"),
    "code": _l("Code"),
    "name": _l("Name"),
    "birth_year": _l("Birth year"),
    "phone": _l("Phone"),
    "usual_place": _l("Usually met"),
    "living_situation": _l("Living situation"),
    "safety_notes": _l("Safety notes"),
    "status": _l("Status"),
    "closed_on": _l("Closed on"),
    "closed_reason": _l("Reason for closing"),
    "created_at": _l("Recorded"),
    "last_contact_at": _l("Last contact"),
    "last_record_at": _l("Last record"),
    "given_on": _l("Given on"),
    "form": _l("Form"),
    "keep_records": _l("Records may be kept"),
    "contact_services": _l("Services may be contacted"),
    "expires_on": _l("Expires on"),
    "withdrawn_on": _l("Withdrawn on"),
    "withdrawal_effect": _l("Effect of the withdrawal"),
    "mapped_on": _l("Mapped on"),
    "what_matters_most": _l("What matters most to her"),
    "domain": _l("Life area"),
    "rating": _l("Rating"),
    "notes": _l("Notes"),
    "description": _l("Description"),
    "proposal": _l("Proposal"),
    "proposed_by": _l("Proposed by"),
    "decision": _l("Decision"),
    "decision_recorded_at": _l("Decision recorded"),
    "recorded_at": _l("Recorded"),
    "note": _l("Note"),
    "assignee": _l("Who does it"),
    "due_on": _l("Due"),
    "due_time": _l("Time"),
    "state": _l("State"),
    "contacted_at": _l("When"),
    "duration_minutes": _l("Minutes"),
    "channel": _l("Channel"),
    "participants": _l("Participants"),
    "topics": _l("Topics"),
    "topic": _l("Topic"),
    "purpose": _l("Purpose"),
    "planned_at": _l("Planned for"),
    "took_place_at": _l("Took place"),
    "minutes_spent": _l("Minutes"),
    "who_went": _l("Who went"),
    "expert_supported_interaction": _l("The experience expert supported the interaction"),
    "outcome": _l("Outcome"),
    "outcome_recorded_at": _l("Outcome recorded"),
    "next_step": _l("Next step"),
    "organisation": _l("Organisation"),
    "person": _l("Person"),
    "service": _l("Service"),
    "services": _l("Services"),
    "share_organisations": _l("Information may be shared with"),
    "consent_warning_overridden_reason": _l("Why contacted without consent"),
    "origin": _l("Origin"),
    "title": _l("Task"),
    "drop_reason": _l("Why dropped"),
    "done_at": _l("Done"),
    "day": _l("Day"),
    "reason": _l("Reason"),
    "at": _l("When"),
    "kind": _l("Kind"),
    "ratings": _l("Ratings"),
    "steps": _l("Steps"),
    "decisions": _l("Decisions"),
}

# Ids of rows and of staff are kept in the JSON; the printed document leaves them out.
HIDDEN_IN_DOCUMENT = ("id", "client_id", "pair_id", "service_id", "task_id", "step_id",
                      "challenge_id", "mapping_id", "consent_id", "from_pair_id", "to_pair_id")


def label_for(key: str) -> str:
    return str(FIELD_LABELS.get(key, key.replace("_", " ").capitalize()))


@dataclass
class Part:
    key: str
    title: object  # lazy_gettext string
    rows: list[dict] = field(default_factory=list)


def her_data(client: Client) -> list[Part]:
    """Every part of her data, in the order of her page. Fixed number of queries."""
    ids = [client.id, *merged_ids(client)]
    parts = [Part(part.key, part.title, part.rows(ids)) for part in her_data_parts()]
    known = {table for kind in registered() if kind.her_data is not None
             for table in kind.tables}
    parts.extend(_other_tables(ids, {*known, Client.__tablename__, AccessLog.__tablename__}))
    parts.append(Part("timeline", _l("Timeline"), _timeline_rows(ids)))
    return parts


def _other_tables(ids: list[int], known: set[str]) -> list[Part]:
    """Tables a later domain added with a client_id column: included as they are."""
    parts = []
    for table in db.metadata.sorted_tables:
        if "client_id" not in table.c or table.name in known:
            continue
        rows = db.session.execute(
            sa.select(table).where(table.c.client_id.in_(ids)).order_by(*table.primary_key)
        ).mappings()
        parts.append(Part(table.name, table.name.replace("_", " ").capitalize(), [
            {key: plain(value) for key, value in row.items()
             if key not in SKIP and not key.endswith("_by_id")}
            for row in rows
        ]))
    return parts


def _timeline_rows(ids: list[int]) -> list[dict]:
    """Her timeline as an index, oldest first: what was recorded when (one query)."""
    kinds = timeline.all_kinds()
    if not kinds:
        return []
    union = sa.union_all(*(kind.source() for kind in kinds.values())).subquery()
    query = (
        sa.select(union.c.kind, union.c.record_id, union.c.at)
        .where(union.c.client_id.in_(ids))
        .distinct()
        .order_by(union.c.at, union.c.kind, union.c.record_id)
    )
    rows = []
    for row in db.session.execute(query):
        at = row.at if not isinstance(row.at, str) else datetime.fromisoformat(row.at)
        kind = kinds.get(row.kind)
        rows.append({"at": plain(aware(at)), "kind": row.kind,
                     "label": str(kind.label) if kind else row.kind,
                     "record_id": row.record_id})
    return rows


def as_json(client: Client, parts: list[Part]) -> dict:
    return {
        "client": {"id": client.id, "code": client.code},
        "parts": {part.key: part.rows for part in parts},
    }


def split(row: dict) -> tuple[list[tuple[str, object]], list[tuple[str, list[dict]]]]:
    """A record for the printed document: its own fields (ids left out) and its children."""
    fields, children = [], []
    for key, value in row.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            children.append((key, value))
        elif key not in HIDDEN_IN_DOCUMENT:
            fields.append((key, value))
    return fields, children


def from_iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


def from_iso_day(value: str) -> date:
    return date.fromisoformat(value[:10])
