"""The kinds of record this domain declares (see outreach/core/records.py): her record
itself, its status changes, its hand-overs and her living situation's history."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from outreach.clients import queries
from outreach.clients.demo import load_clients
from outreach.clients.demo_living import load_living_situations
from outreach.clients.models import (
    Client,
    ClientMerge,
    ClientStatusChange,
    ClientTransfer,
    LivingSituationChange,
)
from outreach.clients.routes import bp
from outreach.core.records import (
    HerDataPart,
    LogPart,
    RecordKind,
    Scrub,
    TimelineKind,
    plain_rows,
    row_of,
    source_columns,
    timeline_of,
)
from outreach.extensions import db


def _merge_source():
    # A merge is about two women's records: one row for each, made one entry by the page.
    side = aliased(Client)
    return (
        source_columns("merge", ClientMerge, ClientMerge.at, ClientMerge.by_id, side.id)
        .select_from(ClientMerge)
        .join(side, sa.or_(side.id == ClientMerge.keep_id, side.id == ClientMerge.merged_id))
    )


def _her_records(ids: list[int]) -> list[dict]:
    query = sa.select(Client).where(Client.id.in_(ids)).order_by(Client.id)
    return [row_of(client) for client in db.session.scalars(query)]


RECORD = RecordKind(
    name="client",
    models=(Client,),
    timeline=(
        timeline_of("client", _l("Client record"), Client, Client.created_at,
                    Client.created_by_id, "clients/timeline/_client.html", client=Client.id),
        TimelineKind("merge", _l("Records merged"), _merge_source, queries.load_merges,
                     "clients/timeline/_merge.html"),
    ),
    # Her record's own columns are emptied by outreach/retention/service.py itself.
    kept_text={
        ("client", "code"): "the code reports use instead of her name",
        ("client", "name"): "replaced with her code",
        ("client", "phone"): "emptied with the record itself",
        ("client", "phone_digits"): "emptied with the record itself",
        ("client", "usual_place"): "emptied with the record itself",
        ("client", "safety_notes"): "emptied with the record itself",
        ("client", "closed_reason"): "emptied with the record itself",
    },
    her_data=HerDataPart("record", _l("Her record"), _her_records, order=0),
    log_parts=(LogPart("record", _l("Her record"), "clients"),),
    demo=load_clients,
    blueprint=bp,
)

STATUS_CHANGE = RecordKind(
    name="status_change",
    models=(ClientStatusChange,),
    timeline=(
        timeline_of("status", _l("Closed or reopened"), ClientStatusChange,
                    ClientStatusChange.created_at, ClientStatusChange.created_by_id,
                    "clients/timeline/_status.html"),
    ),
    scrubs=(Scrub(ClientStatusChange, {"reason": None}),),
    her_data=HerDataPart(
        "status_changes", _l("Closed or reopened"),
        plain_rows(ClientStatusChange, ClientStatusChange.created_at, ClientStatusChange.id),
        order=90,
    ),
)

TRANSFER = RecordKind(
    name="transfer",
    models=(ClientTransfer,),
    timeline=(
        TimelineKind(
            "transfer", _l("Hand-over"),
            lambda: source_columns("transfer", ClientTransfer, ClientTransfer.at,
                                   ClientTransfer.by_id, ClientTransfer.client_id),
            queries.load_transfers, "clients/timeline/_transfer.html",
        ),
    ),
    scrubs=(Scrub(ClientTransfer, {"note": None}),),
    her_data=HerDataPart(
        "transfers", _l("Hand-over"),
        plain_rows(ClientTransfer, ClientTransfer.at, ClientTransfer.id),
        order=91,
    ),
)

# Her living situation over time (the funder report counts it); no free text. Her data
# includes it as the table stands (the export's catch-all for undeclared parts).
LIVING_SITUATION = RecordKind(
    name="living_situation",
    models=(LivingSituationChange,),
    demo=load_living_situations,
)
