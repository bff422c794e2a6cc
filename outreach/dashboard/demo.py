"""The demo's rollup: the demo records are saved through the session, so the rollup follows
them on write; a demo database whose records came first (loaded before the rollup table
existed, or before the monthly or yearly rollup existed) is rebuilt once here."""

import sqlalchemy as sa

from outreach.contacts.models import Contact
from outreach.dashboard import rollup
from outreach.dashboard.models import WorkRollup
from outreach.extensions import db


def load_rollup() -> bool:
    db.session.flush()
    if not rollup.table_exists(db.session()):
        return False
    has_rollup = db.session.scalar(sa.select(WorkRollup.id).limit(1)) is not None
    has_records = db.session.scalar(sa.select(Contact.id).limit(1)) is not None
    # A database whose daily rollup came before the monthly or yearly one: those are filled.
    has_levels = all(db.session.scalar(sa.select(level.model.id).limit(1)) is not None
                     for level in rollup.levels(db.session()))
    if (has_rollup and has_levels) or not has_records:
        return False
    rollup.rebuild()
    return True
