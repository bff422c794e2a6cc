"""Network contacts, declared once as a kind of client record (outreach/core/records.py)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from outreach.auth.models import Role
from outreach.core.records import (
    REMOVED,
    DraftForm,
    HerDataPart,
    LogPart,
    RecordKind,
    Rollup,
    Scrub,
    plain_rows,
    timeline_of,
)
from outreach.drafts.queries import scoped_check
from outreach.network.demo import load_network_contacts
from outreach.network.models import NetworkContact
from outreach.network.routes import bp

RECORD = RecordKind(
    name="network_contact",
    models=(NetworkContact,),
    timeline=(
        timeline_of("network_contact", _l("Network contact"), NetworkContact,
                    NetworkContact.contacted_at, NetworkContact.created_by_id,
                    "network/_timeline.html", joinedload(NetworkContact.service),
                    joinedload(NetworkContact.created_by)),
    ),
    # On her page within the contacts' field-work section (outreach/contacts/record.py).
    draft=DraftForm("network", NetworkContact, scoped_check(NetworkContact, Role.PROFESSIONAL)),
    scrubs=(
        Scrub(NetworkContact, {
            "person": None,
            "topic": REMOVED,
            "outcome": None,
            "next_step": None,
            "consent_warning_overridden_reason": None,
        }),
    ),
    kept_text={("network_contact", "organisation"): "names the service contacted, not her"},
    her_data=HerDataPart("network", _l("Network contacts"),
                         plain_rows(NetworkContact, NetworkContact.contacted_at, NetworkContact.id,
                                    named={"service": "name_fi"}),
                         order=60),
    log_parts=(LogPart("network", _l("Network contacts"), "network"),),
    # The professional's work (only professionals record them), per channel; no minutes.
    rollup=Rollup(
        "network", "contacted_at", False, ("pair_id", "contacted_at", "channel"),
        lambda: (sa.literal("professional"), NetworkContact.channel, sa.literal(""),
                 sa.literal(0), sa.literal(0)),
    ),
    demo=load_network_contacts,
    blueprint=bp,
)
