"""The demo's field work: months of contacts, accompaniments with every outcome (the expert
going on most), planned ones on this week's plan, one past due for expert1, network contacts
(one with an overridden consent warning), and each woman's last contact consistent."""

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from outreach import demo
from outreach.accompaniments.demo import load_accompaniments
from outreach.accompaniments.models import MET_OUTCOMES, Accompaniment, Outcome
from outreach.accompaniments.queries import outcomes_due, planned_in_week
from outreach.auth.queries import user_by_email
from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client
from outreach.clients.queries import not_reached_clients
from outreach.contacts.choices import Participants
from outreach.contacts.demo import load_contacts
from outreach.contacts.models import Contact
from outreach.core.clock import utcnow
from outreach.core.time import aware, local_today
from outreach.extensions import db
from outreach.network.demo import load_network_contacts
from outreach.network.models import NetworkContact
from outreach.pairs.models import Pair


def _all(model):
    return list(db.session.scalars(sa.select(model).order_by(model.id)))


def test_demo_field_work(app):
    parts = demo.demo_parts()
    for loader in (load_contacts, load_accompaniments, load_network_contacts):
        assert loader in parts
        assert parts.index(loader) > parts.index(demo.load_consents)
    assert demo.load() is True
    pairs = [p for p in _all(Pair) if p.ends_on is None]
    assert len(pairs) == 2
    every_contact = _all(Contact)
    accompaniments = _all(Accompaniment)
    network = _all(NetworkContact)
    now = utcnow()

    # The pair that ended years ago (outreach.retention.demo): contacts in its time only.
    ended = {p.id: p for p in _all(Pair) if p.ends_on is not None}
    for c in every_contact:
        if c.pair_id in ended:
            assert ended[c.pair_id].starts_on <= aware(c.contacted_at).date() \
                < ended[c.pair_id].ends_on
    contacts = [c for c in every_contact if c.pair_id not in ended]

    # Several months of contacts, for both current pairs, never in the future.
    assert {c.pair_id for c in contacts} == {p.id for p in pairs}
    oldest = min(aware(c.contacted_at) for c in contacts)
    assert oldest < now - timedelta(days=120)
    assert all(aware(c.contacted_at) <= now for c in every_contact)
    # The expert keeps contact: she logs most of them.
    experts = {p.expert_id for p in pairs}
    assert sum(c.created_by_id in experts for c in contacts) > len(contacts) / 2

    done = [a for a in accompaniments if a.outcome is not None]
    assert {a.outcome for a in done} == set(Outcome)
    assert sum(a.who_went != Participants.PROFESSIONAL for a in done) > len(done) / 2
    assert any(a.expert_supported_interaction for a in done)
    # Planned ones this week (or early next week at its very end), for both pairs.
    monday = local_today() - timedelta(days=local_today().weekday())
    for pair in pairs:
        upcoming = planned_in_week([pair.id], monday) + planned_in_week(
            [pair.id], monday + timedelta(days=7))
        assert [a for a, _ in upcoming if a.outcome is None]
    # One past due for expert1: her home page asks for it.
    expert1 = user_by_email("expert1@demo.test")
    assert len(outcomes_due(expert1)) == 1

    # Network contacts by the professionals, one with the consent warning overridden.
    assert {n.created_by_id for n in network} <= {p.professional_id for p in pairs}
    assert {n.pair_id for n in network} == {p.id for p in pairs}
    overridden = [n for n in network if n.consent_warning_overridden_reason]
    assert len(overridden) == 1

    # Her last contact is the newest of her contacts and the accompaniments she came to.
    db.session.expire_all()
    latest: dict[int, object] = {}
    for c in every_contact:
        latest[c.client_id] = max(latest.get(c.client_id, aware(c.contacted_at)),
                                  aware(c.contacted_at))
    for a in accompaniments:
        if a.outcome in MET_OUTCOMES:
            latest[a.client_id] = max(latest.get(a.client_id, aware(a.took_place_at)),
                                      aware(a.took_place_at))
    for client in _all(Client):
        assert aware(client.last_contact_at) == latest.get(client.id), client.name
        if client.last_contact_at is not None:
            assert aware(client.last_record_at) >= aware(client.last_contact_at)

    # Two or three women of each pair not reached in over 14 days.
    for email in ("pro1@demo.test", "pro2@demo.test"):
        quiet = not_reached_clients(user_by_email(email))
        assert 2 <= len(quiet) <= 3, [c.name for c in quiet]
    active = [c for c in _all(Client) if c.status == ClientStatus.ACTIVE]
    assert Counter(c.last_contact_at is not None for c in active)[True] >= 12
    # Loading again adds nothing.
    assert load_contacts() is False
    assert load_accompaniments() is False
    assert load_network_contacts() is False
