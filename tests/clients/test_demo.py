"""The demo's women: about ten per current demo pair, in varied situations, loaded once;
and one long-closed woman of a pair that ended years ago."""

from datetime import timedelta

import sqlalchemy as sa

from outreach import demo
from outreach.clients.choices import ClientStatus, LivingSituation
from outreach.clients.demo import load_clients
from outreach.clients.models import Client
from outreach.core.clock import utcnow
from outreach.core.time import aware, local_today
from outreach.extensions import db
from outreach.pairs.models import Pair


def test_demo_clients_are_loaded_once_after_the_pairs(app):
    parts = demo.demo_parts()
    assert parts.index(load_clients) > parts.index(demo.load_people)
    assert demo.load() is True
    # The current pairs' women; the one woman of the pair that ended years ago is checked
    # below (and in tests/retention/test_demo_retention.py).
    current = sa.select(Pair.id).where(Pair.ends_on.is_(None))
    clients = list(db.session.scalars(sa.select(Client).where(Client.pair_id.in_(current))))
    per_pair = {}
    for c in clients:
        per_pair.setdefault(c.pair_id, []).append(c)
    assert len(per_pair) == 2 and all(9 <= len(women) <= 12 for women in per_pair.values())
    assert {c.living_situation for c in clients} == set(LivingSituation)
    assert sum(1 for c in clients if c.safety_notes) >= 2
    assert [c.status for c in clients].count(ClientStatus.CLOSED) == 1
    assert any(c.birth_year for c in clients) and any(c.birth_year is None for c in clients)
    assert {"Kampin kauppakeskus", "Hakaniemen tori", "Rautatieasema"} <= {
        c.usual_place for c in clients}
    now = utcnow()
    created = [aware(c.created_at) for c in clients]
    assert min(created) >= now - timedelta(days=245)
    assert max(created) - min(created) > timedelta(days=120)  # spread over months
    assert all(aware(c.created_at) <= aware(c.last_record_at) <= now for c in clients)
    assert len({c.code for c in clients}) == len(clients)
    [former] = db.session.scalars(sa.select(Client).where(Client.pair_id.not_in(current)))
    assert former.status == ClientStatus.CLOSED and former.code not in {c.code for c in clients}
    assert former.closed_on <= local_today() - timedelta(days=365 * 5 + 2)
    assert load_clients() is False
    assert db.session.scalar(sa.select(sa.func.count(Client.id))) == len(clients) + 1


def test_demo_professional_sees_her_pairs_women(app, client):
    demo.load()
    response = client.post("/login", data={"email": "pro1@demo.test",
                                           "password": demo.PASSWORD})
    assert response.status_code == 302
    page = client.get("/clients/?lang=en").get_data(as_text=True)
    assert "Tiina" in page and "Satu" not in page  # Satu is pair 2's
