"""Our pair (with its supervisor), another pair, an ended pair of our professional, the
administrator; a peer-support group of our pair with factories for groups and sessions."""

from datetime import date, time, timedelta

import pytest

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.groups.models import GroupSession, GroupSessionPart, Leader, PeerGroup
from tests.mappings.helpers import make_world


def make_group(pair, **fields) -> PeerGroup:
    fields.setdefault("name", "Naisten ryhmä")
    fields.setdefault("schedule", "Tiistaisin klo 13")
    fields.setdefault("created_by_id", pair.professional_id)
    group = PeerGroup(pair_id=pair.id, **fields)
    db.session.add(group)
    db.session.commit()
    return group


def make_session(group, *, held_on: date | None = None, parts=(), **fields) -> GroupSession:
    fields.setdefault("created_by_id", group.pair.professional_id)
    fields.setdefault("starts_at", time(13, 0))
    session = GroupSession(group_id=group.id,
                           held_on=held_on or local_today() - timedelta(days=7), **fields)
    session.parts = [
        GroupSessionPart(position=n, description=description, leader=Leader(leader))
        for n, (description, leader) in enumerate(parts)
    ]
    db.session.add(session)
    db.session.commit()
    return session


def fresh(model, record_id):
    db.session.expire_all()
    return db.session.get(model, record_id)


@pytest.fixture
def world(app):
    return make_world()


@pytest.fixture
def group(world):
    return make_group(world.pair, aim="Vertaistuki", place="Kallio")


@pytest.fixture
def session(group):
    return make_session(
        group,
        parts=[("Avauskierros", "expert"), ("Teema", "professional")],
        planning_notes="SECRET-PLAN muistiinpanot",
        participants=6,
        debrief_notes="SECRET-DEBRIEF purku",
    )
