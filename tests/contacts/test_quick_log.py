"""The quick log on her page: one POST with the chosen channel logs "now, street,
15 min, with me"; with htmx the section is swapped with a confirmation, "Add a note" and
"Undo"; without JavaScript it redirects back with a flash."""

from datetime import timedelta

import pytest

from outreach.clients.models import Client
from outreach.contacts.choices import Channel, Participants
from outreach.contacts.models import Contact
from outreach.core.clock import utcnow
from outreach.core.time import aware
from tests import factories
from tests.helpers import count, fresh, htmx_headers, last_contact, rows, sign_in


def quick_url(client) -> str:
    return f"/clients/{client.id}/contacts/quick"


@pytest.mark.parametrize(("role", "participants"), [
    ("expert", Participants.EXPERT), ("professional", Participants.PROFESSIONAL),
])
def test_one_post_with_only_the_channel_logs_now_15_minutes_with_me(
        client, world, role, participants):
    user = world.actor(role)
    sign_in(client, user)
    before = utcnow()
    response = client.post(quick_url(world.client), data={"channel": "street"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/clients/{world.client.id}#quick-log"
    [contact] = rows(Contact)
    assert contact.client_id == world.client.id
    assert contact.pair_id == world.pair.id
    assert contact.channel == Channel.STREET
    assert contact.duration_minutes == 15
    assert contact.participants == participants
    assert contact.topics == []
    assert contact.note is None
    assert contact.created_by_id == user.id
    assert before - timedelta(seconds=1) <= aware(contact.contacted_at) <= utcnow()
    assert last_contact(world.client) == aware(contact.contacted_at)
    assert aware(fresh(Client, world.client.id).last_record_at) >= before


def test_the_chips_change_the_duration_and_who_took_part(client, world):
    sign_in(client, world.expert)
    client.post(quick_url(world.client),
                data={"channel": "phone", "duration_minutes": "30", "participants": "both"})
    [contact] = rows(Contact)
    assert (contact.channel, contact.duration_minutes, contact.participants) == (
        Channel.PHONE, 30, Participants.BOTH)


def test_her_page_offers_the_channel_buttons_and_after_logging_a_note_and_undo(client, world):
    sign_in(client, world.expert)
    page = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    assert 'id="quick-log"' in page
    assert f'action="/clients/{world.client.id}/contacts/quick"' in page
    assert 'name="channel" value="street"' in page
    assert 'name="duration_minutes" value="15" checked' in page
    assert 'name="participants" value="expert" checked' in page
    # (The flash is written in the language of the POST.)
    client.post(quick_url(world.client) + "?lang=en", data={"channel": "street"})
    contact = rows(Contact)[0]
    page = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    assert "Logged: Street outreach, 15 min, the experience expert." in page
    assert f"/contacts/{contact.id}/edit#note" in page
    assert f"/contacts/{contact.id}/undo" in page


def test_with_htmx_the_section_is_swapped_with_a_confirmation(client, world):
    sign_in(client, world.expert)
    response = client.post(quick_url(world.client) + "?lang=en", data={"channel": "shelter_visit"},
                           headers=htmx_headers("quick-log"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert '<h2 id="quick-log-heading">' in html
    assert "Logged: Shelter visit, 15 min, the experience expert." in html
    contact = rows(Contact)[0]
    assert f"/contacts/{contact.id}/edit#note" in html
    assert f'data-hx-post="/clients/{world.client.id}/contacts/{contact.id}/undo"' in html


@pytest.mark.parametrize("data", [{}, {"channel": "teleport"},
                                  {"channel": "street", "duration_minutes": "-5"},
                                  {"channel": "street", "participants": "neighbour"}])
def test_an_invalid_quick_log_logs_nothing(client, world, data):
    sign_in(client, world.expert)
    response = client.post(quick_url(world.client) + "?lang=en", data=data,
                           headers=htmx_headers("quick-log"))
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert count(Contact) == 0
    response = client.post(quick_url(world.client), data=data)
    assert response.status_code == 302
    assert count(Contact) == 0


def test_undo_takes_the_contact_back_and_her_last_contact_with_it(client, world):
    earlier = factories.make_contact(world.client, contacted_at=utcnow() - timedelta(days=3))
    sign_in(client, world.expert)
    client.post(quick_url(world.client), data={"channel": "street"})
    new = rows(Contact)[-1]
    assert last_contact(world.client) == aware(new.contacted_at)
    response = client.post(f"/clients/{world.client.id}/contacts/{new.id}/undo?lang=en",
                           headers=htmx_headers("quick-log"))
    assert response.status_code == 200
    assert "The contact was removed." in response.get_data(as_text=True)
    assert [c.id for c in rows(Contact)] == [earlier.id]
    assert last_contact(world.client) == aware(earlier.contacted_at)


def test_only_the_logger_undoes_and_only_for_a_few_minutes(client, world):
    theirs = factories.make_contact(world.client, by=world.professional)
    old = factories.make_contact(world.client, by=world.expert)
    old.created_at = utcnow() - timedelta(hours=1)
    from outreach.extensions import db

    db.session.commit()
    sign_in(client, world.expert)
    for contact in (theirs, old):
        response = client.post(f"/clients/{world.client.id}/contacts/{contact.id}/undo",
                               headers=htmx_headers("quick-log"))
        assert response.status_code == 409
        response = client.post(f"/clients/{world.client.id}/contacts/{contact.id}/undo")
        assert response.status_code == 302
    assert count(Contact) == 2


def test_without_her_consent_there_is_no_quick_log(client, world):
    her = factories.make_client(world.pair, name="Ilman suostumusta")
    sign_in(client, world.expert)
    page = client.get(f"/clients/{her.id}?lang=en").get_data(as_text=True)
    assert 'name="channel"' not in page
    assert "Contacts can be logged once her valid consent is recorded." in page
    response = client.post(quick_url(her) + "?lang=en", data={"channel": "street"})
    assert response.status_code == 403
    assert "Her consent is needed first" in response.get_data(as_text=True)
    assert count(Contact) == 0
