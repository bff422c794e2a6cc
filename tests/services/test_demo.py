"""The demo's Helsinki service catalogue is loaded once."""

import sqlalchemy as sa

from outreach import demo
from outreach.extensions import db
from outreach.services.demo import DEMO_SERVICES, load_services
from outreach.services.models import Service, ServiceKind


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Service.id)))


def test_demo_loads_a_helsinki_catalogue_once(app):
    assert load_services() is True
    db.session.commit()
    assert count() == len(DEMO_SERVICES) >= 15
    assert load_services() is False
    db.session.commit()
    assert count() == len(DEMO_SERVICES)
    services = list(db.session.scalars(sa.select(Service)))
    # Every kind the pairs commonly need is there, named in all three languages.
    kinds = {s.kind for s in services}
    assert kinds >= set(ServiceKind) - {ServiceKind.OTHER}
    assert all(s.name_fi and s.name_sv and s.name_en for s in services)
    assert any(s.name_fi.startswith("Kela") and s.name_sv.startswith("FPA") for s in services)
    assert all(s.opening_hours for s in services)
    assert any(not s.active for s in services)


def test_demo_adds_nothing_when_the_catalogue_has_services(app, make_service):
    make_service(ServiceKind.KELA, name_fi="Oma Kela")
    assert load_services() is False
    assert count() == 1


def test_demo_load_includes_the_services(app):
    assert load_services in demo.demo_parts()
    assert demo.load() is True
    assert count() == len(DEMO_SERVICES)
    assert demo.load() is False
    assert count() == len(DEMO_SERVICES)
