"""Peer-support groups and their sessions: create and edit the group, plan a session with
its parts and who leads them, record it after (participants, no names; the debrief), edit
with 409 on a stale save (nothing lost), delete with a confirm step."""

import re
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.groups.models import GroupSession, GroupSessionPart, Leader, PeerGroup
from tests.factories import make_group, make_session
from tests.helpers import fresh, sign_in


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- The group ---------------------------------------------------------------------------


GROUP = {"name": "Naisten ryhmä", "aim": "Vertaistuki", "place": "Kallio",
         "schedule": "Tiistaisin klo 13", "starts_on": "", "ends_on": ""}


@pytest.mark.parametrize("who", ["professional", "expert"])
def test_either_partner_starts_a_group_for_their_pair(client, world, who):
    sign_in(client, world.actor(who))
    response = client.post("/groups/new?lang=en", data=GROUP)
    # The expert is in one pair, the professional in two: she chooses.
    if who == "professional":
        assert response.status_code == 422
        assert "Choose the pair." in _text(response)
        response = client.post("/groups/new", data={**GROUP, "pair_id": world.pair.id})
    assert response.status_code == 302
    group = db.session.scalar(sa.select(PeerGroup))
    assert (group.pair_id, group.name, group.schedule) == (world.pair.id, "Naisten ryhmä",
                                                           "Tiistaisin klo 13")
    assert group.created_by_id == world.actor(who).id
    assert response.headers["Location"] == f"/groups/{group.id}"
    page = _text(client.get(f"/groups/{group.id}?lang=en"))
    assert "Naisten ryhmä" in page and "Kallio" in page and "Tiistaisin klo 13" in page


def test_the_new_group_form_preselects_the_pair_of_the_pair_page(client, world):
    sign_in(client, world.professional)
    page = _text(client.get(f"/groups/new?pair={world.pair.id}"))
    assert f'<option selected value="{world.pair.id}"' in page


@pytest.mark.parametrize(("change", "message"), [
    ({"name": "  "}, "Give the group a name."),
    ({"starts_on": "2026-02-30"}, "Enter a valid date. You entered: 2026-02-30"),
    ({"starts_on": "2026-05-10", "ends_on": "2026-05-01"},
     "The group cannot end before it starts."),
    ({"name": "x" * 201}, "At most 200 characters."),
])
def test_an_invalid_group_is_refused_with_422_and_not_stored(client, world, change, message):
    sign_in(client, world.expert)
    response = client.post("/groups/new?lang=en", data={**GROUP, **change})
    assert response.status_code == 422
    assert message in _text(response)
    assert _count(PeerGroup) == 0


def test_a_partner_edits_the_group(client, world, group):
    sign_in(client, world.expert)
    page = _text(client.get(f"/groups/{group.id}/edit"))
    assert 'value="Naisten ryhmä"' in page
    response = client.post(f"/groups/{group.id}/edit",
                           data={**GROUP, "schedule": "Keskiviikkoisin", "version": "1"})
    assert response.status_code == 302
    assert fresh(PeerGroup, group.id).schedule == "Keskiviikkoisin"


def test_a_stale_group_edit_answers_409_and_keeps_the_input(client, world, group):
    group.place = "Sörnäinen"  # the partner saved first
    db.session.commit()
    sign_in(client, world.expert)
    response = client.post(f"/groups/{group.id}/edit?lang=en",
                           data={**GROUP, "place": "Kontula", "version": "1"})
    assert response.status_code == 409
    page = _text(response)
    assert "Sörnäinen" in page and 'value="Kontula"' in page
    assert 'name="version" type="hidden" value="2"' in page
    assert fresh(PeerGroup, group.id).place == "Sörnäinen"


# --- Planning a session --------------------------------------------------------------------


def _plan(day, parts=(), notes="Teemana uni"):
    data = {"held_on": day.isoformat(), "starts_at": "13:00", "planning_notes": notes}
    for n, (description, leader) in enumerate(parts):
        data[f"parts-{n}-description"] = description
        data[f"parts-{n}-leader"] = leader
    return data


def test_the_new_session_form_offers_empty_part_rows_and_a_date(client, world, group):
    sign_in(client, world.expert)
    page = _text(client.get(f"/groups/{group.id}/sessions/new?lang=en"))
    for n in range(4):
        assert f'name="parts-{n}-description"' in page
        assert f'name="parts-{n}-leader"' in page
    assert "Part 4" in page and "Who leads it" in page
    assert f'value="{local_today().isoformat()}"' in page


def test_a_partner_plans_a_session_with_parts_and_leaders(client, world, group):
    sign_in(client, world.expert)
    day = local_today() + timedelta(days=3)
    data = _plan(day, [("Avauskierros", "expert"), ("", ""), ("Teema", "professional"),
                       ("Loppukierros", "both")])
    response = client.post(f"/groups/{group.id}/sessions/new", data=data)
    assert response.status_code == 302
    session = db.session.scalar(sa.select(GroupSession))
    assert (session.held_on, session.planning_notes, session.participants) == (
        day, "Teemana uni", None)
    assert session.created_by_id == world.expert.id
    assert [(p.description, p.leader) for p in session.parts] == [
        ("Avauskierros", Leader.EXPERT), ("Teema", Leader.PROFESSIONAL),
        ("Loppukierros", Leader.BOTH)]
    page = _text(client.get(response.headers["Location"] + "?lang=en"))
    assert "Avauskierros – Experience expert" in re.sub(r"<[^>]+>", "", page)
    assert "Teemana uni" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"held_on": ""}, "Enter the date of the session."),
    ({"held_on": "2026-02-30"}, "Enter a valid date. You entered: 2026-02-30"),
    ({"held_on": "30.2.2026"}, "Enter a valid date. You entered: 30.2.2026"),
    ({"starts_at": "25:61"}, "Enter a valid time"),
    ({"parts-0-description": "Teema", "parts-0-leader": ""}, "Choose who leads this part."),
    ({"parts-0-description": "", "parts-0-leader": "expert"},
     "Describe the part, or leave the row empty."),
    ({"parts-0-description": "Teema", "parts-0-leader": "boss"}, "Choose one of the options."),
])
def test_an_invalid_plan_is_refused_with_422_and_not_stored(client, world, group, data,
                                                            message):
    sign_in(client, world.professional)
    response = client.post(f"/groups/{group.id}/sessions/new?lang=en",
                           data={**_plan(local_today()), **data})
    assert response.status_code == 422
    assert message in _text(response)
    assert _count(GroupSession) == 0 and _count(GroupSessionPart) == 0


# --- Recording the session -------------------------------------------------------------------


def test_the_record_form_says_no_names(client, world, session):
    sign_in(client, world.expert)
    page = _text(client.get(f"/groups/{session.group_id}/sessions/{session.id}/record?lang=en"))
    assert "no names" in page
    assert 'type="number"' in page and 'min="0"' in page


def test_a_partner_records_participants_and_the_debrief(client, world, group):
    session = make_session(group, held_on=local_today())
    sign_in(client, world.expert)
    response = client.post(f"/groups/{group.id}/sessions/{session.id}/record",
                           data={"participants": "7", "debrief_notes": "Hyvä ryhmä",
                                 "version": "1"})
    assert response.status_code == 302
    saved = fresh(GroupSession, session.id)
    assert (saved.participants, saved.debrief_notes, saved.updated_by_id) == (
        7, "Hyvä ryhmä", world.expert.id)
    assert saved.version == 2
    page = _text(client.get(f"/groups/{group.id}?lang=en"))
    assert "Participants: 7" in page


def test_zero_participants_is_a_valid_record(client, world, group):
    session = make_session(group)
    sign_in(client, world.professional)
    response = client.post(f"/groups/{group.id}/sessions/{session.id}/record",
                           data={"participants": "0", "debrief_notes": "", "version": "1"})
    assert response.status_code == 302
    assert fresh(GroupSession, session.id).participants == 0


@pytest.mark.parametrize(("participants", "message"), [
    ("-1", "whole number from 0 to 500"),
    ("100000", "whole number from 0 to 500"),
    ("kuusi", "You entered: kuusi"),
    ("6.5", "You entered: 6.5"),
    ("", "Enter how many took part"),
])
def test_an_impossible_number_of_participants_is_refused(client, world, group, participants,
                                                          message):
    session = make_session(group)
    sign_in(client, world.expert)
    response = client.post(f"/groups/{group.id}/sessions/{session.id}/record?lang=en",
                           data={"participants": participants, "debrief_notes": "Purku",
                                 "version": "1"})
    assert response.status_code == 422
    page = _text(response)
    assert message in page
    assert "Purku" in page  # what she wrote is kept
    assert 'value="kuusi"' not in page  # never written back into a number input
    saved = fresh(GroupSession, session.id)
    assert (saved.participants, saved.debrief_notes, saved.version) == (None, None, 1)


def test_a_future_session_cannot_have_participants_yet(client, world, group):
    session = make_session(group, held_on=local_today() + timedelta(days=2))
    sign_in(client, world.expert)
    response = client.post(f"/groups/{group.id}/sessions/{session.id}/record?lang=en",
                           data={"participants": "4", "version": "1"})
    assert response.status_code == 422
    assert "has not been held yet" in _text(response)
    assert fresh(GroupSession, session.id).participants is None


def test_a_stale_record_answers_409_with_both_versions_and_nothing_lost(client, world, group):
    session = make_session(group, held_on=local_today())
    # The professional records first...
    sign_in(client, world.professional)
    assert client.post(f"/groups/{group.id}/sessions/{session.id}/record",
                       data={"participants": "5", "debrief_notes": "Ammattilaisen purku",
                             "version": "1"}).status_code == 302
    # ...the expert, who opened the form on version 1, saves hers.
    sign_in(client, world.expert)
    response = client.post(f"/groups/{group.id}/sessions/{session.id}/record?lang=en",
                           data={"participants": "6", "debrief_notes": "Kokemusasiantuntijan purku",
                                 "version": "1"})
    assert response.status_code == 409
    page = _text(response)
    assert "Ammattilaisen purku" in page  # the saved version
    assert "Kokemusasiantuntijan purku" in page  # hers, still in the form
    assert 'value="6"' in page
    assert world.professional.name in page
    assert 'name="version" type="hidden" value="2"' in page
    saved = fresh(GroupSession, session.id)
    assert (saved.participants, saved.debrief_notes) == (5, "Ammattilaisen purku")
    # Saving again on the version she has now seen is deliberate, and wins.
    response = client.post(f"/groups/{group.id}/sessions/{session.id}/record",
                           data={"participants": "6", "debrief_notes": "Yhdistetty purku",
                                 "version": "2"})
    assert response.status_code == 302
    saved = fresh(GroupSession, session.id)
    assert (saved.participants, saved.debrief_notes) == (6, "Yhdistetty purku")


# --- Editing and deleting a session ----------------------------------------------------------


def _edit_data(session, **changes):
    data = _plan(session.held_on, [(p.description, p.leader.value) for p in session.parts],
                 notes=session.planning_notes or "")
    data.update(participants="" if session.participants is None else str(session.participants),
                debrief_notes=session.debrief_notes or "", version=str(session.version))
    data.update(changes)
    return data


def test_the_edit_form_shows_the_parts_and_empty_rows(client, world, session):
    sign_in(client, world.expert)
    page = _text(client.get(f"/groups/{session.group_id}/sessions/{session.id}/edit"))
    assert 'value="Avauskierros"' in page and 'value="Teema"' in page
    assert 'name="parts-3-description"' in page  # two saved + two empty
    assert 'name="parts-4-description"' not in page
    assert "SECRET-DEBRIEF purku" in page


def test_a_partner_edits_the_session_parts_and_notes(client, world, session):
    sign_in(client, world.expert)
    data = _edit_data(session, **{"parts-1-leader": "both", "parts-2-description": "Kahvit",
                                  "parts-2-leader": "expert", "planning_notes": "Uusi"})
    response = client.post(f"/groups/{session.group_id}/sessions/{session.id}/edit", data=data)
    assert response.status_code == 302
    saved = fresh(GroupSession, session.id)
    assert saved.planning_notes == "Uusi"
    assert [(p.description, p.leader) for p in saved.parts] == [
        ("Avauskierros", Leader.EXPERT), ("Teema", Leader.BOTH), ("Kahvit", Leader.EXPERT)]
    assert _count(GroupSessionPart) == 3


def test_changing_only_the_parts_moves_the_version(client, world, session):
    sign_in(client, world.expert)
    data = _edit_data(session, **{"parts-1-leader": "both"})
    assert client.post(f"/groups/{session.group_id}/sessions/{session.id}/edit",
                       data=data).status_code == 302
    assert fresh(GroupSession, session.id).version == 2


def test_a_stale_session_edit_answers_409_and_nothing_is_lost(client, world, session):
    data = _edit_data(session, planning_notes="Minun suunnitelmani",
                      **{"parts-0-description": "Minun avaus"})
    session.planning_notes = "Kumppanin suunnitelma"
    session.parts[0].leader = Leader.BOTH
    db.session.commit()
    session.debrief_notes = "Kumppanin purku"  # a second save: version 3 now
    db.session.commit()
    sign_in(client, world.professional)
    response = client.post(f"/groups/{session.group_id}/sessions/{session.id}/edit?lang=en",
                           data=data)
    assert response.status_code == 409
    page = _text(response)
    assert "Kumppanin suunnitelma" in page and "Minun suunnitelmani" in page
    assert 'value="Minun avaus"' in page
    assert "Kumppanin purku" in page
    saved = fresh(GroupSession, session.id)
    assert saved.planning_notes == "Kumppanin suunnitelma"
    assert saved.parts[0].description == "Avauskierros"


def test_an_invalid_session_edit_is_422_and_not_stored(client, world, session):
    sign_in(client, world.expert)
    data = _edit_data(session, participants="-3", held_on="2026-13-01")
    response = client.post(f"/groups/{session.group_id}/sessions/{session.id}/edit?lang=en",
                           data=data)
    assert response.status_code == 422
    page = _text(response)
    assert "You entered: 2026-13-01" in page and "You entered: -3" in page
    assert fresh(GroupSession, session.id).participants == 6


def test_deleting_a_session_asks_first_and_removes_its_parts(client, world, session):
    sign_in(client, world.expert)
    page = _text(client.get(f"/groups/{session.group_id}/sessions/{session.id}?lang=en"))
    assert "Delete this session with its plan and notes?" in page
    assert f'action="/groups/{session.group_id}/sessions/{session.id}/delete"' in page
    response = client.post(f"/groups/{session.group_id}/sessions/{session.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/groups/{session.group_id}"
    assert _count(GroupSession) == 0 and _count(GroupSessionPart) == 0


# --- The group page ------------------------------------------------------------------------


@pytest.fixture
def app_config():
    return {"PAGE_SIZE": 3}


def test_the_group_page_lists_sessions_newest_first_in_pages(client, world, group):
    today = local_today()
    for weeks in range(5):
        make_session(group, held_on=today - timedelta(weeks=weeks), planning_notes=f"W{weeks}")
    sign_in(client, world.expert)
    page = _text(client.get(f"/groups/{group.id}?lang=en"))
    days = [today - timedelta(weeks=w) for w in range(5)]
    ids = [db.session.scalar(sa.select(GroupSession.id).where(GroupSession.held_on == d))
           for d in days]
    positions = [page.find(f'id="session-{i}"') for i in ids[:3]]
    assert -1 not in positions and positions == sorted(positions)
    assert f'id="session-{ids[3]}"' not in page
    assert "Page 1 of 2 (5 in all)" in page
    page2 = _text(client.get(f"/groups/{group.id}?page=2&lang=en"))
    assert f'id="session-{ids[3]}"' in page2 and f'id="session-{ids[4]}"' in page2


def test_the_group_page_counts_held_sessions_and_participants(client, world, group):
    today = local_today()
    make_session(group, held_on=today - timedelta(days=14), participants=4)
    make_session(group, held_on=today - timedelta(days=7), participants=6)
    make_session(group, held_on=today - timedelta(days=1))  # not recorded yet
    make_session(group, held_on=today + timedelta(days=6))  # planned
    sign_in(client, world.expert)
    page = _text(client.get(f"/groups/{group.id}?lang=en"))
    assert "<dt>Sessions held</dt><dd>2</dd>" in page
    assert "<dt>Participants in all</dt><dd>10</dd>" in page
    assert "Not recorded yet" in page and "Planned" in page
    listing = _text(client.get("/groups/?lang=en"))
    assert "<dt>Sessions held</dt><dd>2</dd>" in listing
    assert "<dt>Participants in all</dt><dd>10</dd>" in listing


def test_the_professional_finds_the_evaluation_link_of_the_group(client, world, group):
    sign_in(client, world.professional)
    page = _text(client.get(f"/groups/{group.id}?lang=en"))
    assert "Evaluate the group" in page
    assert f"/pairs/{world.pair.id}/evaluations/new" in page
    assert f"group_id={group.id}" in page
    link = re.search(r'href="(/pairs/\d+/evaluations/new\?group_id=\d+)"', page).group(1)
    assert client.get(link).status_code == 200


def test_the_list_searches_by_name(client, world, group):
    make_group(world.pair, name="Nuorten ryhmä")
    sign_in(client, world.expert)
    page = _text(client.get("/groups/?q=nuort"))
    assert "Nuorten ryhmä" in page and "Naisten ryhmä" not in page
