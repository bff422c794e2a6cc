"""Contacts with her: the full form (with a follow-up task), her list, editing with stale
protection, deleting, her timeline, and keeping her last contact right."""

from datetime import timedelta

import pytest

from outreach.clients.models import Client
from outreach.contacts.choices import Channel, Participants
from outreach.contacts.models import Contact
from outreach.core.clock import utcnow
from outreach.core.time import aware, local_today
from outreach.extensions import db
from outreach.tasks.models import Assignee, Task, TaskOrigin
from tests import factories
from tests.helpers import (
    REFUSED,
    count,
    fresh,
    htmx_headers,
    last_contact,
    local_input,
    rows,
    sign_in,
)


def form_data(**fields) -> dict:
    data = {
        "contacted_at": local_input(utcnow() - timedelta(hours=2)),
        "duration_minutes": "40",
        "channel": "home_visit",
        "participants": "both",
        "topics": ["housing", "mental_health"],
        "note": "Puhuttiin asuntohakemuksesta. Haluaa miettiä rauhassa.",
        "task_title": "",
        "task_assignee": "expert",
        "task_due_on": "",
    }
    data.update(fields)
    return data


def edit_data(contact: Contact, version=None, **fields) -> dict:
    data = form_data(
        contacted_at=local_input(aware(contact.contacted_at)),
        duration_minutes=str(contact.duration_minutes), channel=contact.channel.value,
        participants=contact.participants.value, topics=list(contact.topics),
        note=contact.note or "",
    )
    data["version"] = str(contact.version if version is None else version)
    data.update(fields)
    return data


# --- The full form -------------------------------------------------------------------------


def test_the_form_opens_with_now_street_15_minutes_and_me(client, world):
    sign_in(client, world.expert)
    page = client.get(f"/clients/{world.client.id}/contacts/new?lang=en").get_data(as_text=True)
    assert 'type="datetime-local"' in page
    assert 'value="15"' in page
    assert '<input checked id="channel-0" name="channel" required type="radio" value="street">' \
        in page
    assert ('<input checked id="participants-1" name="participants" required type="radio" '
            'value="expert">') in page
    assert "Follow-up task (optional)" in page


def test_a_contact_is_logged_with_topics_a_note_and_a_follow_up_task(client, world):
    sign_in(client, world.professional)
    due = local_today() + timedelta(days=3)
    response = client.post(
        f"/clients/{world.client.id}/contacts/new",
        data=form_data(task_title="Soita asumisneuvontaan", task_assignee="expert",
                       task_due_on=due.isoformat()),
    )
    assert response.status_code == 302
    [contact] = rows(Contact)
    assert contact.channel == Channel.HOME_VISIT
    assert contact.participants == Participants.BOTH
    assert contact.duration_minutes == 40
    assert contact.topics == ["housing", "mental_health"]
    assert contact.note.startswith("Puhuttiin asuntohakemuksesta.")
    assert contact.created_by_id == world.professional.id
    [task] = rows(Task)
    assert contact.task_id == task.id
    assert (task.title, task.assignee, task.due_on, task.origin) == (
        "Soita asumisneuvontaan", Assignee.EXPERT, due, TaskOrigin.CONTACT)
    assert (task.pair_id, task.client_id, task.created_by_id) == (
        world.pair.id, world.client.id, world.professional.id)
    assert last_contact(world.client) == aware(contact.contacted_at)
    listing = client.get(f"/clients/{world.client.id}/contacts/?lang=en").get_data(as_text=True)
    assert "Home visit" in listing and "Soita asumisneuvontaan" in listing


def test_without_a_task_title_no_task_is_made(client, world):
    sign_in(client, world.expert)
    client.post(f"/clients/{world.client.id}/contacts/new", data=form_data())
    assert count(Contact) == 1
    assert count(Task) == 0


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"channel": ""}, "channel", "Choose how you were in touch."),
    ({"channel": "pigeon"}, "channel", "Choose one of the options."),
    ({"participants": ""}, "participants", "Choose who of you took part."),
    ({"duration_minutes": "lots"}, "duration_minutes", "Enter the duration in minutes"),
    ({"duration_minutes": "2000"}, "duration_minutes", "Enter the duration in minutes"),
    ({"contacted_at": ""}, "contacted_at", "Enter when you were in touch with her."),
    ({"contacted_at": "yesterday"}, "contacted_at", "You entered: yesterday"),
    ({"topics": ["moon"]}, "topics", "Choose topics from the list."),
    ({"note": "x" * 2001}, "note", "At most 2000 characters."),
    ({"task_due_on": "2030-01-01"}, "task_due_on", "Write the follow-up task, or clear"),
])
def test_an_invalid_contact_is_refused_with_422_and_the_input_kept(client, world, change, field,
                                                                  message):
    sign_in(client, world.expert)
    response = client.post(f"/clients/{world.client.id}/contacts/new?lang=en",
                           data=form_data(**change))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert f'id="{field}-error"' in page
    if field != "note":
        assert "Haluaa miettiä rauhassa.</textarea>" in page
    assert count(Contact) == 0
    assert last_contact(world.client) is None


def test_a_contact_cannot_be_in_the_future(client, world):
    sign_in(client, world.expert)
    response = client.post(f"/clients/{world.client.id}/contacts/new?lang=en",
                           data=form_data(contacted_at=local_input(utcnow() + timedelta(hours=2))))
    assert response.status_code == 422
    assert "The time cannot be in the future." in response.get_data(as_text=True)


def test_without_her_consent_nothing_new_is_logged(client, world):
    her = factories.make_client(world.pair, name="Ei suostumusta")
    contact = factories.make_contact(world.client)
    sign_in(client, world.professional)
    for method, url in [("get", f"/clients/{her.id}/contacts/new"),
                        ("post", f"/clients/{her.id}/contacts/new")]:
        response = getattr(client, method)(url + "?lang=en", data=form_data())
        assert response.status_code == 403
        assert "Her consent is needed first" in response.get_data(as_text=True)
    # Her list stays readable (nothing logged) and says why nothing can be added.
    page = client.get(f"/clients/{her.id}/contacts/?lang=en").get_data(as_text=True)
    assert "Contacts can be logged once her valid consent is recorded." in page
    assert count(Contact) == 1
    assert contact.client_id == world.client.id


# --- Editing, deleting, her last contact -----------------------------------------------------


def test_editing_moves_her_last_contact_with_the_contact(client, world):
    older = factories.make_contact(world.client, contacted_at=utcnow() - timedelta(days=9))
    newest = factories.make_contact(world.client, contacted_at=utcnow() - timedelta(days=1))
    assert last_contact(world.client) == aware(newest.contacted_at)
    sign_in(client, world.expert)
    url = f"/clients/{world.client.id}/contacts/{newest.id}/edit"
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in page
    moved = utcnow().replace(second=0, microsecond=0) - timedelta(days=20)
    response = client.post(url, data=edit_data(newest, contacted_at=local_input(moved),
                                               note="Korjattu päivä."))
    assert response.status_code == 302
    saved = fresh(Contact, newest.id)
    assert aware(saved.contacted_at) == moved
    assert saved.note == "Korjattu päivä."
    assert saved.version == 2
    assert last_contact(world.client) == aware(older.contacted_at)


def test_a_stale_edit_shows_both_versions_and_keeps_the_input(client, world):
    contact = factories.make_contact(world.client, note="Alkuperäinen")
    sign_in(client, world.expert)
    url = f"/clients/{world.client.id}/contacts/{contact.id}/edit"
    contact.note = "Kumppanin muutos"
    db.session.commit()
    response = client.post(url + "?lang=en", data=edit_data(contact, version=1,
                                                             note="Minun muutokseni"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Kumppanin muutos" in page and "Minun muutokseni</textarea>" in page
    assert 'class="stale"' in page
    assert 'name="version" type="hidden" value="2"' in page
    assert fresh(Contact, contact.id).note == "Kumppanin muutos"


def test_deleting_asks_first_and_counts_her_last_contact_again(client, world):
    only = factories.make_contact(world.client, contacted_at=utcnow() - timedelta(days=2))
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}/contacts/{only.id}/edit?lang=en")
    assert "Delete this contact?" in page.get_data(as_text=True)
    response = client.post(f"/clients/{world.client.id}/contacts/{only.id}/delete")
    assert response.status_code == 302
    assert count(Contact) == 0
    assert last_contact(world.client) is None


def test_the_expert_deletes_only_what_she_logged(client, world):
    hers = factories.make_contact(world.client, by=world.expert)
    theirs = factories.make_contact(world.client, by=world.professional)
    sign_in(client, world.expert)
    assert client.post(f"/clients/{world.client.id}/contacts/{theirs.id}/delete").status_code \
        == 403
    assert client.post(f"/clients/{world.client.id}/contacts/{hers.id}/delete").status_code \
        == 302
    assert [c.id for c in rows(Contact)] == [theirs.id]


def test_logging_does_not_conflict_with_a_partner_editing_her_record(client, world):
    """Her last contact is kept on her row without bumping her record's version."""
    version = fresh(Client, world.client.id).version
    sign_in(client, world.expert)
    client.post(f"/clients/{world.client.id}/contacts/quick", data={"channel": "street"})
    assert fresh(Client, world.client.id).version == version


# --- Her list, her timeline ---------------------------------------------------------------------


def test_the_list_searches_the_notes_and_filters_by_channel(client, world):
    factories.make_contact(world.client, note="Puhuttiin Kelasta", channel=Channel.PHONE)
    factories.make_contact(world.client, note="Kävelylenkki", channel=Channel.STREET)
    sign_in(client, world.expert)
    url = f"/clients/{world.client.id}/contacts/?lang=en"
    page = client.get(url + "&q=kelasta").get_data(as_text=True)
    assert "Puhuttiin Kelasta" in page and "Kävelylenkki" not in page
    page = client.get(url + "&channel=street", headers=htmx_headers("contact-list"))
    html = page.get_data(as_text=True)
    assert "<html" not in html
    assert "Kävelylenkki" in html and "Puhuttiin Kelasta" not in html


def test_the_list_runs_the_same_number_of_queries_for_3_and_20_contacts(
        client, world, count_queries):
    sign_in(client, world.expert)
    url = f"/clients/{world.client.id}/contacts/"

    def measure(n):
        for _ in range(n):
            factories.make_contact(world.client, by=world.professional, note="x")
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    assert measure(3) == measure(17)


def test_contacts_appear_on_her_timeline_with_who_logged_them(client, world):
    factories.make_contact(world.client, by=world.expert, note="Tavattiin asemalla",
                           topics=["housing"])
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}/timeline?lang=en").get_data(as_text=True)
    assert "Street outreach" in page
    assert "Tavattiin asemalla" in page
    assert f"logged by {world.expert.name}" in page
    assert "Housing" in page


def test_her_page_lists_the_latest_contacts(client, world):
    factories.make_contact(world.client, note="Viimeisin tapaaminen")
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    assert 'id="field-work"' in page
    assert "Viimeisin tapaaminen" in page


# --- Who may -----------------------------------------------------------------------------------


def _urls(world, contact):
    base = f"/clients/{world.client.id}/contacts"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/new"),
        ("post", f"{base}/new"),
        ("post", f"{base}/quick"),
        ("get", f"{base}/{contact.id}/edit"),
        ("post", f"{base}/{contact.id}/edit"),
        ("post", f"{base}/{contact.id}/delete"),
        ("post", f"{base}/{contact.id}/undo"),
    ]


@pytest.mark.parametrize(("who", "statuses"), REFUSED)
def test_others_are_refused_everywhere(client, world, who, statuses):
    contact = factories.make_contact(world.client, by=world.expert)
    sign_in(client, world.actor(who))
    for method, url in _urls(world, contact):
        data = {"channel": "street"} if method == "post" else None
        response = getattr(client, method)(url, data=data)
        assert response.status_code in statuses, (method, url, response.status_code)
        response = getattr(client, method)(url, data=data, headers=htmx_headers("quick-log"))
        assert response.status_code in statuses, (method, url, "htmx")
    assert count(Contact) == 1


def test_another_pairs_contact_is_not_found_through_our_client(client, world):
    theirs = factories.make_contact(world.other_client)
    sign_in(client, world.professional)
    for url in (f"/clients/{world.client.id}/contacts/{theirs.id}/edit",
                f"/clients/{world.other_client.id}/contacts/{theirs.id}/edit"):
        assert client.get(url).status_code == 404
    assert client.post(f"/clients/{world.client.id}/contacts/{theirs.id}/delete").status_code \
        == 404
    assert count(Contact) == 1


def test_an_expert_before_the_confidentiality_agreement_gets_404(client, world):
    contact = factories.make_contact(world.unconfirmed_client, by=world.professional)
    sign_in(client, world.unconfirmed_pair.expert)
    for method, url in [("get", f"/clients/{world.unconfirmed_client.id}/contacts/"),
                        ("post", f"/clients/{world.unconfirmed_client.id}/contacts/quick"),
                        ("get", f"/clients/{world.unconfirmed_client.id}/contacts/{contact.id}"
                                "/edit")]:
        assert getattr(client, method)(url, data={"channel": "street"}).status_code == 404


def test_signed_out_is_sent_to_sign_in(client, world):
    sign_in(client, None)
    response = client.get(f"/clients/{world.client.id}/contacts/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    response = client.post(f"/clients/{world.client.id}/contacts/quick",
                           data={"channel": "street"}, headers=htmx_headers("quick-log"))
    assert "/login" in response.headers["HX-Redirect"]
    assert count(Contact) == 0
