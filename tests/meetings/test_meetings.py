"""Recording, editing and deleting pair meetings, their notes and edit history, agreed
actions as tasks, the list, and the pages in each language."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.meetings.models import (
    MeetingKind,
    PairMeeting,
    PairMeetingRevision,
    meeting_action,
)
from outreach.tasks.models import Assignee, Task, TaskOrigin, TaskStatus
from tests.factories import make_meeting
from tests.helpers import htmx_headers, sign_in
from tests.helpers import t as translated


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _fresh(meeting_id: int) -> PairMeeting:
    db.session.expire_all()
    return db.session.get(PairMeeting, meeting_id)


def _new_data(**overrides) -> dict:
    data = {
        "kind": "debrief",
        "held_on": local_today().isoformat(),
        "starts_at": "14:00",
        "duration_minutes": "45",
        "external_supervisor": "",
        "professional_present": "y",
        "expert_present": "y",
        "others_present": "",
        "notes": "Kävimme viikon läpi.",
        "actions-0-title": "",
        "actions-0-assignee": "pair",
        "actions-0-due_on": "",
    }
    data.update(overrides)
    return data


# --- Recording a meeting -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["professional", "expert"])
def test_a_partner_records_a_meeting_with_agreed_actions_as_tasks(client, meetings, who):
    me = meetings.actor(who)
    sign_in(client, me)
    due = local_today() + timedelta(days=3)
    response = client.post(f"/pairs/{meetings.pair.id}/meetings/new", data=_new_data(**{
        "actions-0-title": "Soita asumisneuvontaan", "actions-0-assignee": "expert",
        "actions-0-due_on": due.isoformat(),
        "actions-1-title": "Päivitä kalenteri", "actions-1-assignee": "pair",
        "actions-2-title": "", "actions-2-assignee": "professional",
    }))
    assert response.status_code == 302
    meeting = db.session.scalar(sa.select(PairMeeting))
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert (meeting.kind, meeting.held_on, meeting.notes) == (
        MeetingKind.DEBRIEF, local_today(), "Kävimme viikon läpi.")
    assert meeting.duration_minutes == 45 and meeting.created_by_id == me.id
    tasks = db.session.scalars(sa.select(Task).order_by(Task.id)).all()
    assert [(t.title, t.assignee, t.due_on, t.origin, t.pair_id) for t in tasks] == [
        ("Soita asumisneuvontaan", Assignee.EXPERT, due, TaskOrigin.MEETING, meetings.pair.id),
        ("Päivitä kalenteri", Assignee.PAIR, None, TaskOrigin.MEETING, meetings.pair.id),
    ]
    linked = db.session.execute(sa.select(meeting_action.c.task_id)).scalars().all()
    assert sorted(linked) == [task.id for task in tasks]
    # The first revision is the meeting as recorded.
    revision = db.session.scalar(sa.select(PairMeetingRevision))
    assert revision.is_creation and revision.notes == "Kävimme viikon läpi."
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Soita asumisneuvontaan" in page and "Päivitä kalenteri" in page


def test_the_action_appears_in_my_tasks_of_its_assignee(client, meetings):
    sign_in(client, meetings.pair.professional)
    client.post(f"/pairs/{meetings.pair.id}/meetings/new", data=_new_data(**{
        "actions-0-title": "Kysy päiväkeskuksesta", "actions-0-assignee": "expert",
        "actions-0-due_on": local_today().isoformat(),
    }))
    sign_in(client, meetings.pair.expert)
    assert "Kysy päiväkeskuksesta" in client.get("/tasks/").get_data(as_text=True)


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"held_on": ""}, "held_on", "Give the date of the meeting."),
    ({"held_on": "31.2.2026"}, "held_on", "Enter a valid date."),
    ({"held_on": (local_today() + timedelta(days=1)).isoformat()}, "held_on",
     "the date cannot be in the future"),
    ({"kind": "party"}, "kind", "Choose one of the options."),
    ({"kind": ""}, "kind", "Choose the kind of meeting."),
    ({"kind": "supervision", "external_supervisor": " "}, "external_supervisor",
     "Give the name of the work supervisor."),
    ({"professional_present": "", "expert_present": ""}, "expert_present",
     "Mark who of the pair took part."),
    ({"duration_minutes": "2"}, "duration_minutes", "Between 5 and 600 minutes."),
    ({"notes": "x" * 20001}, "notes", "At most 20000 characters."),
    ({"actions-0-due_on": local_today().isoformat()}, "actions-0-title",
     "Write what needs doing, or leave the line empty."),
    ({"actions-0-title": "x", "actions-0-assignee": "client"}, "actions-0-assignee",
     "Choose one of the options."),
])
def test_an_invalid_meeting_is_refused_with_the_message_and_nothing_stored(
        client, meetings, overrides, field, message):
    sign_in(client, meetings.pair.expert)
    response = client.post(f"/pairs/{meetings.pair.id}/meetings/new?lang=en",
                           data=_new_data(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert message in page
    assert "Please correct the marked fields." in page
    assert _count(PairMeeting) == 0 and _count(Task) == 0


def test_a_supervision_keeps_the_supervisor_name_other_kinds_drop_it(client, meetings):
    sign_in(client, meetings.pair.professional)
    client.post(f"/pairs/{meetings.pair.id}/meetings/new",
                data=_new_data(kind="supervision", external_supervisor="Hanna Työnohjaaja"))
    client.post(f"/pairs/{meetings.pair.id}/meetings/new",
                data=_new_data(kind="planning", external_supervisor="Ei kuulu tähän"))
    rows = db.session.execute(
        sa.select(PairMeeting.kind, PairMeeting.external_supervisor).order_by(PairMeeting.id))
    assert rows.all() == [(MeetingKind.SUPERVISION, "Hanna Työnohjaaja"),
                          (MeetingKind.PLANNING, None)]


def test_the_new_form_offers_more_action_lines_without_javascript(client, meetings):
    sign_in(client, meetings.pair.professional)
    page = client.get(f"/pairs/{meetings.pair.id}/meetings/new?lines=6&kind=debrief")
    html = page.get_data(as_text=True)
    assert 'name="actions-5-title"' in html and 'name="actions-6-title"' not in html
    assert '<option selected value="debrief">' in html


# --- Editing the notes and the meeting ----------------------------------------------------------


def test_notes_edit_keeps_every_version_with_who_and_when(client, meetings):
    meeting = make_meeting(meetings.pair, notes="Ensimmäinen versio.")
    sign_in(client, meetings.pair.expert)
    response = client.post(f"/meetings/{meeting.id}/notes",
                           data={"notes": "Toinen versio.", "version": "1"})
    assert response.status_code == 302
    assert _fresh(meeting.id).notes == "Toinen versio."
    revisions = db.session.scalars(
        sa.select(PairMeetingRevision).order_by(PairMeetingRevision.id)).all()
    assert [(r.notes, r.edited_by_id, r.fields) for r in revisions] == [
        ("Ensimmäinen versio.", meetings.pair.professional_id, ["kind", "held_on", "notes"]),
        ("Toinen versio.", meetings.pair.expert_id, ["notes"]),
    ]
    page = client.get(f"/meetings/{meeting.id}?lang=en").get_data(as_text=True)
    assert "Edited by Eeva Expert on" in page
    assert "Recorded by Paula Pro on" in page
    assert "Ensimmäinen versio." in page  # the earlier wording is kept in the history


def test_a_stale_notes_edit_answers_409_and_loses_nothing(client, meetings):
    meeting = make_meeting(meetings.pair, notes="Alku.")
    sign_in(client, meetings.pair.professional)
    assert client.post(f"/meetings/{meeting.id}/notes",
                       data={"notes": "Paulan lisäys.", "version": "1"}).status_code == 302
    sign_in(client, meetings.pair.expert)
    response = client.post(f"/meetings/{meeting.id}/notes?lang=en",
                           data={"notes": "Eevan oma teksti.", "version": "1"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Paulan lisäys." in page  # the saved version
    assert "Eevan oma teksti." in page  # her input, kept in the form
    assert 'name="version" type="hidden" value="2"' in page
    assert _fresh(meeting.id).notes == "Paulan lisäys."
    # Saving again on purpose wins, and both texts stay in the history.
    assert client.post(f"/meetings/{meeting.id}/notes",
                       data={"notes": "Eevan oma teksti.", "version": "2"}).status_code == 302
    notes = db.session.scalars(sa.select(PairMeetingRevision.notes)
                               .order_by(PairMeetingRevision.id)).all()
    assert notes == ["Alku.", "Paulan lisäys.", "Eevan oma teksti."]


def test_notes_are_edited_in_place_with_htmx(client, meetings):
    meeting = make_meeting(meetings.pair, notes="Alku.")
    sign_in(client, meetings.pair.expert)
    form = client.get(f"/meetings/{meeting.id}/notes", headers=htmx_headers("meeting-notes"))
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "<html" not in html
    assert 'name="notes"' in html and 'data-hx-target="#meeting-notes"' in html
    saved = client.post(f"/meetings/{meeting.id}/notes?lang=en",
                        data={"notes": "Uusi.", "version": "1"},
                        headers=htmx_headers("meeting-notes"))
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "<html" not in html
    assert "Uusi." in html and "The notes were saved." in html
    stale = client.post(f"/meetings/{meeting.id}/notes",
                        data={"notes": "Vanhasta.", "version": "1"},
                        headers=htmx_headers("meeting-notes"))
    assert stale.status_code == 409 and "<html" not in stale.get_data(as_text=True)
    assert "Vanhasta." in stale.get_data(as_text=True)


def test_editing_the_meeting_records_the_changed_fields(client, meetings):
    meeting = make_meeting(meetings.pair, kind=MeetingKind.PLANNING, notes="N")
    sign_in(client, meetings.pair.expert)
    data = _new_data(kind="supervision", external_supervisor="Hanna", notes="N", version="1",
                     held_on=meeting.held_on.isoformat(), starts_at="", duration_minutes="")
    assert client.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 302
    meeting = _fresh(meeting.id)
    assert (meeting.kind, meeting.external_supervisor) == (MeetingKind.SUPERVISION, "Hanna")
    last = db.session.scalar(sa.select(PairMeetingRevision)
                             .order_by(PairMeetingRevision.id.desc()).limit(1))
    assert last.fields == ["kind", "external_supervisor"]
    page = client.get(f"/meetings/{meeting.id}?lang=en").get_data(as_text=True)
    assert "Kind of meeting, Work supervisor's name" in page


def test_a_stale_meeting_edit_answers_409_with_both_versions(client, meetings):
    meeting = make_meeting(meetings.pair, notes="N")
    meeting.duration_minutes = 30
    db.session.commit()  # version 2
    sign_in(client, meetings.pair.professional)
    data = _new_data(notes="Minun", version="1", held_on=meeting.held_on.isoformat(),
                     kind="planning", duration_minutes="60", starts_at="")
    response = client.post(f"/meetings/{meeting.id}/edit?lang=en", data=data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Saved version" in page and "Minun" in page and ">30<" in page
    assert _fresh(meeting.id).notes == "N"


def test_an_invalid_edit_is_422_and_changes_nothing(client, meetings):
    meeting = make_meeting(meetings.pair, notes="N")
    sign_in(client, meetings.pair.professional)
    data = _new_data(held_on="", version="1")
    assert client.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 422
    assert _fresh(meeting.id).held_on == local_today()
    assert _count(PairMeetingRevision) == 1


# --- Agreed actions on the meeting page -----------------------------------------------------------


def test_several_actions_become_tasks_in_one_submit(client, meetings):
    meeting = make_meeting(meetings.pair)
    sign_in(client, meetings.pair.expert)
    response = client.post(f"/meetings/{meeting.id}/actions", data={
        "actions-0-title": "Yksi", "actions-0-assignee": "professional",
        "actions-1-title": "", "actions-1-assignee": "pair",
        "actions-2-title": "Kaksi", "actions-2-assignee": "expert",
    })
    assert response.status_code == 302
    tasks = db.session.scalars(sa.select(Task).order_by(Task.id)).all()
    assert [(t.title, t.assignee, t.origin) for t in tasks] == [
        ("Yksi", Assignee.PROFESSIONAL, TaskOrigin.MEETING),
        ("Kaksi", Assignee.EXPERT, TaskOrigin.MEETING),
    ]
    tasks[0].status = TaskStatus.DONE
    db.session.commit()
    page = client.get(f"/meetings/{meeting.id}?lang=en").get_data(as_text=True)
    assert "Yksi" in page and "Done" in page and "Kaksi" in page and "Open" in page


def test_actions_with_htmx_answer_the_actions_block(client, meetings):
    meeting = make_meeting(meetings.pair)
    sign_in(client, meetings.pair.expert)
    response = client.post(f"/meetings/{meeting.id}/actions",
                           data={"actions-0-title": "Yksi", "actions-0-assignee": "pair"},
                           headers=htmx_headers("meeting-actions"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "Yksi" in html


def test_no_action_written_is_422_and_creates_nothing(client, meetings):
    meeting = make_meeting(meetings.pair)
    sign_in(client, meetings.pair.expert)
    response = client.post(f"/meetings/{meeting.id}/actions?lang=en",
                           data={"actions-0-title": "", "actions-0-assignee": "pair"},
                           headers=htmx_headers("meeting-actions"))
    assert response.status_code == 422
    assert "Write at least one action." in response.get_data(as_text=True)
    assert _count(Task) == 0


# --- Deleting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("author", "deleter", "status"), [
    ("professional", "professional", 302),  # the one who recorded it
    ("expert", "expert", 302),  # the one who recorded it
    ("expert", "professional", 302),  # the professional, who has the overall responsibility
    ("professional", "expert", 403),  # not the expert's to delete
])
def test_who_may_delete_a_meeting(client, meetings, author, deleter, status):
    meeting = make_meeting(meetings.pair, created_by=meetings.actor(author))
    meeting_id = meeting.id
    task_id = _action_task(meeting)
    sign_in(client, meetings.actor(deleter))
    page = client.get(f"/meetings/{meeting_id}?lang=en").get_data(as_text=True)
    assert ("Delete the meeting…" in page) == (status == 302)
    response = client.post(f"/meetings/{meeting_id}/delete")
    assert response.status_code == status
    db.session.expire_all()
    assert (db.session.get(PairMeeting, meeting_id) is None) == (status == 302)
    assert db.session.get(Task, task_id) is not None  # the task stays either way
    if status == 302:
        assert _count(PairMeetingRevision) == 0
        assert db.session.execute(sa.select(meeting_action)).first() is None


def _action_task(meeting) -> int:
    from outreach.meetings.queries import add_actions

    (task,) = add_actions(meeting, meeting.pair.professional,
                          [{"title": "Jää", "assignee": Assignee.PAIR}])
    db.session.commit()
    return task.id


# --- The list ---------------------------------------------------------------------------


def test_the_list_is_newest_first_filtered_by_kind_and_paged(client, app, meetings):
    today = local_today()
    for n in range(30):
        make_meeting(meetings.pair, kind=MeetingKind.PLANNING if n % 3 else MeetingKind.DEBRIEF,
                     held_on=today - timedelta(days=n), notes=f"Muistio {n:02d}")
    sign_in(client, meetings.pair.professional)
    page = client.get(f"/pairs/{meetings.pair.id}/meetings?lang=en").get_data(as_text=True)
    assert page.index("Muistio 00") < page.index("Muistio 01") < page.index("Muistio 24")
    assert "Muistio 25" not in page and "Page 1 of 2 (30 in all)" in page
    debriefs = client.get(f"/pairs/{meetings.pair.id}/meetings?kind=debrief",
                          headers=htmx_headers("meeting-list")).get_data(as_text=True)
    assert "<html" not in debriefs
    assert "Muistio 03" in debriefs and "Muistio 01" not in debriefs
    # An unknown kind shows all, no error.
    assert client.get(f"/pairs/{meetings.pair.id}/meetings?kind=x").status_code == 200


# --- Languages --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_pages_render_in_each_language(client, meetings, lang):
    meeting = make_meeting(meetings.pair, kind=MeetingKind.SUPERVISION,
                           external_supervisor="Hanna")
    sign_in(client, meetings.pair.expert)
    for url in (f"/pairs/{meetings.pair.id}/meetings", f"/pairs/{meetings.pair.id}/meetings/new",
                f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/notes",
                f"/meetings/{meeting.id}/edit", f"/pairs/{meetings.pair.id}"):
        response = client.get(f"{url}?lang={lang}")
        assert response.status_code == 200, url
        assert f'lang="{lang}"' in response.get_data(as_text=True)
    page = client.get(f"/pairs/{meetings.pair.id}/meetings?lang={lang}").get_data(as_text=True)
    # The catalogue's text (the English msgid until the lead merges the translations).
    for msgid in ("Pair meetings", "Work supervision", "Record a meeting"):
        assert translated(lang, msgid) in page
