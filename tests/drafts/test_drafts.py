"""Server-side drafts: what is typed into a long form is saved as the user types (204),
restored when the form is opened again, cleared on save, and never shown to anyone else."""

import pytest
import sqlalchemy as sa

from outreach.contacts.models import Contact
from outreach.drafts import queries as drafts_queries
from outreach.drafts.models import Draft
from outreach.extensions import db
from tests import factories
from tests.helpers import HTMX, count, rows, sign_in

NOTE = "Tapasimme asemalla. Hän kertoi, että ensisuojassa on ollut levotonta ja"


def key_new(client) -> str:
    return f"contact:new:client:{client.id}"


def typed(**fields) -> dict:
    data = {"csrf_token": "abc", "contacted_at": "2026-11-20T10:15", "duration_minutes": "25",
            "channel": "phone", "participants": "expert", "topics": ["housing", "daily_basics"],
            "note": NOTE, "task_title": "", "task_assignee": "expert", "task_due_on": ""}
    data.update(fields)
    return data


def save(client, key: str, data: dict, headers=HTMX):
    return client.post(f"/drafts/{key}", data=data, headers=headers)


def test_the_form_saves_its_draft_as_the_user_types(client, world):
    sign_in(client, world.expert)
    page = client.get(f"/clients/{world.client.id}/contacts/new?lang=en").get_data(as_text=True)
    assert f'data-hx-post="/drafts/{key_new(world.client)}"' in page
    assert "from:closest form" in page and 'data-hx-include="closest form"' in page
    assert "Not saved – offline." in page  # the text app.js shows without a connection
    response = save(client, key_new(world.client), typed())
    assert response.status_code == 204
    assert response.get_data() == b""
    [draft] = rows(Draft)
    assert (draft.user_id, draft.form_key) == (world.expert.id, key_new(world.client))
    assert draft.data["note"] == [NOTE]
    assert draft.data["topics"] == ["housing", "daily_basics"]
    assert "csrf_token" not in draft.data
    # Typing on updates the same draft.
    save(client, key_new(world.client), typed(note=NOTE + " meteliä."))
    [draft] = rows(Draft)
    assert draft.data["note"] == [NOTE + " meteliä."]


def test_reopening_the_form_restores_the_text_and_saving_clears_it(client, world):
    sign_in(client, world.expert)
    save(client, key_new(world.client), typed())
    page = client.get(f"/clients/{world.client.id}/contacts/new?lang=en").get_data(as_text=True)
    assert "Restored your unsaved text from" in page
    assert NOTE + "</textarea>" in page
    assert 'value="2026-11-20T10:15"' in page
    assert 'checked id="channel-1" name="channel" required type="radio" value="phone"' in page
    assert 'checked id="topics-7" name="topics" type="checkbox" value="daily_basics"' in page
    assert 'value="25"' in page
    assert f'action="/drafts/{key_new(world.client)}/discard"' in page
    data = typed(note=NOTE + " loppu.")
    data.pop("csrf_token")
    response = client.post(f"/clients/{world.client.id}/contacts/new", data=data)
    assert response.status_code == 302
    assert rows(Contact)[0].note == NOTE + " loppu."
    assert count(Draft) == 0
    page = client.get(f"/clients/{world.client.id}/contacts/new?lang=en").get_data(as_text=True)
    assert "Restored your unsaved text" not in page
    assert NOTE not in page


def test_a_refused_save_keeps_the_draft(client, world):
    sign_in(client, world.expert)
    save(client, key_new(world.client), typed())
    response = client.post(f"/clients/{world.client.id}/contacts/new", data=typed(channel=""))
    assert response.status_code == 422
    assert count(Draft) == 1


def test_a_draft_can_be_discarded(client, world):
    sign_in(client, world.expert)
    save(client, key_new(world.client), typed())
    back = f"/clients/{world.client.id}/contacts/new"
    response = client.post(f"/drafts/{key_new(world.client)}/discard", data={"next": back})
    assert response.status_code == 302 and response.headers["Location"] == back
    assert count(Draft) == 0
    response = client.post(f"/drafts/{key_new(world.client)}/discard",
                           data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_drafts_are_per_user(client, world):
    sign_in(client, world.expert)
    save(client, key_new(world.client), typed())
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}/contacts/new?lang=en").get_data(as_text=True)
    assert NOTE not in page and "Restored your unsaved text" not in page
    save(client, key_new(world.client), typed(note="Ammattilaisen oma luonnos"))
    assert sorted((d.user_id, d.data["note"][0]) for d in rows(Draft)) == sorted([
        (world.expert.id, NOTE), (world.professional.id, "Ammattilaisen oma luonnos")])
    # The professional discarding hers leaves the expert's alone.
    client.post(f"/drafts/{key_new(world.client)}/discard")
    assert [d.user_id for d in rows(Draft)] == [world.expert.id]


def test_an_edit_form_restores_its_draft_over_the_saved_record(client, world):
    contact = factories.make_contact(world.client, note="Tallennettu muistiinpano")
    key = f"contact:edit:{contact.id}"
    sign_in(client, world.expert)
    assert save(client, key, typed(note="Keskeneräinen muokkaus", version="1")).status_code == 204
    page = client.get(f"/clients/{world.client.id}/contacts/{contact.id}/edit?lang=en")
    html = page.get_data(as_text=True)
    assert "Keskeneräinen muokkaus</textarea>" in html
    assert "Restored your unsaved text" in html


@pytest.mark.parametrize("key", [
    "contact:new:client:{other}",        # another pair's client
    "contact:edit:{other_contact}",      # another pair's contact
    "accompaniment:new:client:{other}",
    "contact:new:client:999999",         # no such client
    "contact:new:{mine}",                # malformed: "new" needs "client:"
    "contact:edit:client:{mine}",        # malformed: "edit" takes the record's id
    "recipe:new:client:{mine}",          # no such form
    "contact:new:client:{unconfirmed}",  # our professional's other pair: not the expert's
])
def test_a_form_key_outside_the_scope_is_404(client, world, key):
    other_contact = factories.make_contact(world.other_client)
    key = key.format(other=world.other_client.id, mine=world.client.id,
                     other_contact=other_contact.id, unconfirmed=world.unconfirmed_client.id)
    sign_in(client, world.expert)
    assert save(client, key, typed()).status_code == 404
    assert client.post(f"/drafts/{key}/discard").status_code == 404
    assert count(Draft) == 0


def test_an_expert_before_the_confidentiality_agreement_gets_404(client, world):
    sign_in(client, world.unconfirmed_pair.expert)
    assert save(client, key_new(world.unconfirmed_client), typed()).status_code == 404
    assert count(Draft) == 0


def test_the_expert_has_no_network_contact_drafts(client, world):
    sign_in(client, world.expert)
    assert save(client, f"network:new:client:{world.client.id}", typed()).status_code == 403
    sign_in(client, world.professional)
    assert save(client, f"network:new:client:{world.client.id}", typed()).status_code == 204
    assert save(client, f"network:new:client:{world.other_client.id}", typed()).status_code \
        == 404


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisors_and_administrators_are_refused(client, world, role):
    sign_in(client, world.actor(role))
    assert save(client, key_new(world.client), typed()).status_code == 403
    assert count(Draft) == 0


def test_signed_out_is_sent_to_sign_in(client, world):
    sign_in(client, None)
    response = save(client, key_new(world.client), typed())
    assert "/login" in response.headers["HX-Redirect"]
    assert count(Draft) == 0


def test_too_much_text_is_refused(client, world):
    sign_in(client, world.expert)
    assert save(client, key_new(world.client), typed(note="x" * 100_001)).status_code == 413
    assert count(Draft) == 0


@pytest.mark.parametrize("path", ["contacts/new", "accompaniments/new", "network/new"])
def test_every_long_form_keeps_a_draft(client, world, path):
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}/{path}").get_data(as_text=True)
    kind = {"contacts": "contact", "accompaniments": "accompaniment", "network": "network"}[
        path.split("/")[0]]
    assert f'data-hx-post="/drafts/{kind}:new:client:{world.client.id}"' in page


def test_a_draft_saved_as_the_form_is_saved_is_not_a_500(client, world, monkeypatch):
    """She taps Save while the last autosave is on its way: the save deletes the draft
    between the autosave's read and its write. The autosave's UPDATE then matched no row
    (StaleDataError: 500); now it keeps nothing, as the saved form needs no draft."""
    sign_in(client, world.expert)
    key = key_new(world.client)
    assert save(client, key, typed()).status_code == 204
    read_draft = drafts_queries.draft_for

    def read_then_saved_elsewhere(user, form_key):
        draft = read_draft(user, form_key)
        with db.engine.begin() as other_request:  # its own connection, committed
            other_request.execute(sa.delete(Draft.__table__).where(Draft.id == draft.id))
        return draft

    monkeypatch.setattr(drafts_queries, "draft_for", read_then_saved_elsewhere)
    assert save(client, key, typed(note=NOTE + " meteliä.")).status_code == 204
    monkeypatch.undo()
    assert rows(Draft) == []
