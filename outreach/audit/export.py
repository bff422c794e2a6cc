"""Everything kept about one woman (GDPR article 15), loaded with a fixed number of queries.

The known domains are loaded with their children (selectinload); any other table with a
client_id column that a later domain adds is included as it is, so nothing recorded about
her is left out of the export."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import Enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from outreach.accompaniments.models import Accompaniment
from outreach.clients import timeline
from outreach.clients.models import Client, ClientStatusChange, ClientTransfer
from outreach.clients.queries import client_id_tables, merged_ids
from outreach.consents.models import Consent
from outreach.contacts.models import Contact
from outreach.core.time import aware
from outreach.extensions import db
from outreach.mappings.models import Mapping
from outreach.network.models import NetworkContact
from outreach.steps.models import Challenge, Step
from outreach.tasks.models import Task

# Internal bookkeeping that says nothing about her.
SKIP = {"version", "phone_digits", "merged_into_id", "proposed_by_user_id"}

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


def plain(value):
    """A value as JSON keeps it: dates ISO, enums their value."""
    if isinstance(value, datetime):
        return aware(value).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def row_of(record, **children) -> dict:
    columns = sa.inspect(record).mapper.column_attrs
    row = {
        attr.key: plain(getattr(record, attr.key))
        for attr in columns
        if attr.key not in SKIP and not attr.key.endswith("_by_id") and attr.key != "by_id"
    }
    row.update(children)
    return row


def _service(service) -> str | None:
    return service.name_fi if service is not None else None


def her_data(client: Client) -> list[Part]:
    """Every part of her data, in the order of her page. Fixed number of queries."""
    ids = [client.id, *merged_ids(client)]

    def of(model, *options, order=None):
        query = sa.select(model).where(model.client_id.in_(ids))
        if options:
            query = query.options(*options)
        return list(db.session.scalars(query.order_by(*(order or [model.id]))))

    clients = list(db.session.scalars(sa.select(Client).where(Client.id.in_(ids))
                                      .order_by(Client.id)))
    consents = of(Consent, selectinload(Consent.services),
                  selectinload(Consent.share_organisations), order=[Consent.given_on, Consent.id])
    mappings = of(Mapping, selectinload(Mapping.ratings), order=[Mapping.mapped_on, Mapping.id])
    challenges = of(Challenge, selectinload(Challenge.steps).selectinload(Step.decisions),
                    order=[Challenge.created_at, Challenge.id])
    contacts = of(Contact, order=[Contact.contacted_at, Contact.id])
    accompaniments = of(Accompaniment, selectinload(Accompaniment.service),
                        order=[Accompaniment.planned_at, Accompaniment.id])
    network = of(NetworkContact, selectinload(NetworkContact.service),
                 order=[NetworkContact.contacted_at, NetworkContact.id])
    tasks = of(Task, order=[Task.created_at, Task.id])
    status_changes = of(ClientStatusChange, order=[ClientStatusChange.created_at,
                                                   ClientStatusChange.id])
    transfers = of(ClientTransfer, order=[ClientTransfer.at, ClientTransfer.id])

    parts = [
        Part("record", _l("Her record"), [row_of(c) for c in clients]),
        Part("consents", _l("Consents"), [
            row_of(c, services=[_service(s) for s in c.services],
                   share_organisations=[_service(s) for s in c.share_organisations])
            for c in consents
        ]),
        Part("mappings", _l("Situation mappings"), [
            row_of(m, ratings=[row_of(r) for r in sorted(m.ratings, key=lambda r: r.id)])
            for m in mappings
        ]),
        Part("challenges", _l("Challenges and steps"), [
            row_of(ch, steps=[
                row_of(st, decisions=[row_of(d) for d in sorted(st.decisions, key=lambda d: d.id)])
                for st in sorted(ch.steps, key=lambda s: s.id)
            ])
            for ch in challenges
        ]),
        Part("contacts", _l("Contacts"), [row_of(c) for c in contacts]),
        Part("accompaniments", _l("Accompaniments"), [
            row_of(a, service=_service(a.service)) for a in accompaniments
        ]),
        Part("network", _l("Network contacts"), [
            row_of(n, service=_service(n.service)) for n in network
        ]),
        Part("tasks", _l("Tasks"), [row_of(t) for t in tasks]),
        Part("status_changes", _l("Closed or reopened"), [row_of(s) for s in status_changes]),
        Part("transfers", _l("Hand-over"), [row_of(t) for t in transfers]),
    ]
    parts.extend(_other_tables(ids, {
        "client", "consent", "mapping", "challenge", "step", "contact", "accompaniment",
        "network_contact", "task", "client_status_change", "client_transfer", "access_log",
    }))
    parts.append(Part("timeline", _l("Timeline"), _timeline_rows(ids)))
    return parts


def _other_tables(ids: list[int], known: set[str]) -> list[Part]:
    """Tables a later domain added with a client_id column: included as they are."""
    parts = []
    for table in client_id_tables():
        if table.name in known:
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
    if not timeline.KINDS:
        return []
    union = sa.union_all(*(kind.source() for kind in timeline.KINDS.values())).subquery()
    query = (
        sa.select(union.c.kind, union.c.record_id, union.c.at)
        .where(union.c.client_id.in_(ids))
        .distinct()
        .order_by(union.c.at, union.c.kind, union.c.record_id)
    )
    rows = []
    for row in db.session.execute(query):
        at = row.at if not isinstance(row.at, str) else datetime.fromisoformat(row.at)
        kind = timeline.KINDS.get(row.kind)
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
