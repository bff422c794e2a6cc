"""Contacts, declared once as a kind of client record (outreach/core/records.py)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from outreach.accompaniments.queries import accompaniment_summary
from outreach.contacts import queries
from outreach.contacts.demo import load_contacts
from outreach.contacts.models import Contact
from outreach.contacts.quick_log import quick_context
from outreach.contacts.routes import bp
from outreach.core.records import (
    DraftForm,
    HerDataPart,
    LogPart,
    RecordKind,
    Rollup,
    Scrub,
    Section,
    plain_rows,
    timeline_of,
)
from outreach.drafts.queries import scoped_check
from outreach.network.queries import network_count_of


def _field_work(client, user, rows) -> dict:
    """Her field work: recent contacts, and the accompaniments and network contacts counted
    (the count is one of her page's figures, loaded with her)."""
    return {
        "recent_contacts": queries.latest_and_just_logged(client, user)[0],
        **accompaniment_summary(client),
        "network_count": rows["network_count"],
    }


RECORD = RecordKind(
    name="contact",
    models=(Contact,),
    timeline=(
        timeline_of("contact", _l("Contact"), Contact, Contact.contacted_at,
                    Contact.created_by_id, "contacts/_timeline.html",
                    joinedload(Contact.created_by)),
    ),
    sections=(
        # Only for recording: a supervisor reading through a consultation does not see it.
        Section("quick-log", "contacts/_quick_log.html",
                lambda client, user, _rows: quick_context(client, user), order=5,
                for_readers=False),
        Section("field-work", "contacts/_section.html", _field_work, order=45,
                figures=lambda client_id: {"network_count": network_count_of(client_id)}),
    ),
    draft=DraftForm("contact", Contact, scoped_check(Contact)),
    scrubs=(Scrub(Contact, {"note": None}),),
    kept_text={("contact", "topics"): "life domains: a category list, counted in reports"},
    her_data=HerDataPart(
        "contacts", _l("Contacts"),
        plain_rows(Contact, Contact.contacted_at, Contact.id),
        order=40,
    ),
    log_parts=(LogPart("contacts", _l("Contacts"), "contacts"),),
    # Every contact, on the local day it took place; by who took part, per channel.
    rollup=Rollup(
        "contact", "contacted_at", False,
        ("pair_id", "contacted_at", "participants", "channel", "duration_minutes"),
        lambda: (Contact.participants, Contact.channel, sa.literal(""),
                 Contact.duration_minutes, sa.literal(0)),
    ),
    demo=load_contacts,
    blueprint=bp,
)
