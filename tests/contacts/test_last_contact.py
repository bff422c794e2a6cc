"""Her last contact (client.last_contact_at) stays the newest of her contacts and of the
accompaniments in which the pair met her, whatever is added, edited or deleted; and her
page shows the field work in a fixed number of queries."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from outreach.accompaniments.models import Outcome
from outreach.contacts.models import Contact
from outreach.contacts.queries import note_contact, refresh_last_contact
from outreach.core.clock import utcnow
from outreach.core.time import aware, local_today
from outreach.extensions import db
from tests import factories
from tests.helpers import last_contact, local_input, sign_in


def test_note_contact_only_moves_her_last_contact_forward(world):
    newer = utcnow() - timedelta(days=1)
    older = utcnow() - timedelta(days=5)
    note_contact(world.client.id, newer)
    db.session.commit()
    note_contact(world.client.id, older)
    db.session.commit()
    assert last_contact(world.client) == newer


def test_refresh_counts_contacts_and_accompaniments_she_came_to(world):
    contact = factories.make_contact(world.client, contacted_at=utcnow() - timedelta(days=6))
    came = factories.make_accompaniment(world.client, outcome=Outcome.NOT_DONE,
                                        took_place_at=utcnow() - timedelta(days=2))
    factories.make_accompaniment(world.client, outcome=Outcome.DID_NOT_COME,
                                 took_place_at=utcnow() - timedelta(hours=3))
    factories.make_accompaniment(world.client)  # planned for tomorrow
    refresh_last_contact(world.client.id)
    db.session.commit()
    assert last_contact(world.client) == aware(came.took_place_at)
    db.session.delete(came)
    refresh_last_contact(world.client.id)
    db.session.commit()
    assert last_contact(world.client) == aware(contact.contacted_at)
    # Another woman's records never count.
    factories.make_contact(world.other_client, contacted_at=utcnow())
    refresh_last_contact(world.client.id)
    db.session.commit()
    assert last_contact(world.client) == aware(contact.contacted_at)


def test_a_contact_deleted_falls_back_to_the_accompaniment(client, world):
    took_place = (utcnow() - timedelta(days=3)).replace(microsecond=0)
    factories.make_accompaniment(world.client, outcome=Outcome.DONE, took_place_at=took_place)
    sign_in(client, world.expert)
    client.post(f"/clients/{world.client.id}/contacts/quick", data={"channel": "phone"})
    assert last_contact(world.client) > took_place
    contact = db.session.scalar(sa.select(Contact))
    client.post(f"/clients/{world.client.id}/contacts/{contact.id}/delete")
    assert last_contact(world.client) == took_place


def test_an_earlier_contact_logged_afterwards_leaves_her_last_contact(client, world):
    recent = factories.make_contact(world.client, contacted_at=utcnow() - timedelta(hours=1))
    sign_in(client, world.professional)
    client.post(f"/clients/{world.client.id}/contacts/new", data={
        "contacted_at": local_input(utcnow() - timedelta(days=8)), "duration_minutes": "20",
        "channel": "office", "participants": "professional", "task_assignee": "professional",
    })
    assert last_contact(world.client) == aware(recent.contacted_at)


def test_her_page_runs_the_same_number_of_queries_however_much_field_work(
        client, world, count_queries):
    sign_in(client, world.expert)
    url = f"/clients/{world.client.id}"
    service = factories.make_service()

    def measure(n):
        for i in range(n):
            factories.make_contact(world.client, note=f"Muistiinpano {i}")
            factories.make_accompaniment(world.client, service=service)
            factories.make_accompaniment(world.client, service=service, outcome=Outcome.DONE,
                                         took_place_at=utcnow() - timedelta(days=i + 1))
            factories.make_network_contact(world.client)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    assert measure(3) == measure(17)


def test_planned_accompaniments_are_on_the_week_plan(client, world):
    # Noon of the users' today: the week plan's week is Helsinki's, not the server's.
    today_noon = datetime.combine(local_today(), time(12, 0), tzinfo=ZoneInfo("Europe/Helsinki"))
    factories.make_accompaniment(world.client, planned_at=today_noon,
                                 purpose="Kelan toimistolle yhdessä hakemuksen kanssa")
    sign_in(client, world.professional)
    page = client.get(f"/tasks/week?pair={world.pair.id}&lang=en").get_data(as_text=True)
    assert "Kelan toimistolle yhdessä hakemuksen kanssa" in page
    assert world.client.name in page
