"""Who may use the meeting pages: the two partners of the pair only. Supervisors,
administrators and other pairs get 404 on every meeting URL, plain or as an htmx
fragment, and never see the notes; an ended pair's partners read but do not write."""

import pytest
import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.meetings.models import MeetingKind, PairMeeting, PairMeetingRevision
from outreach.tasks.models import Task
from tests.factories import make_meeting
from tests.helpers import htmx_headers, sign_in

SECRET = "Salainen muistio purkukeskustelusta"

_DAY = local_today().isoformat()
_MEETING = {"kind": "debrief", "held_on": _DAY, "professional_present": "y",
            "expert_present": "y", "notes": "Muutettu", "version": "1"}
# (method, url, data, htmx target): every meeting route, about our pair's meeting.
ROUTES = [
    ("get", "/pairs/{pair}/meetings", None, "meeting-list"),
    ("get", "/pairs/{pair}/meetings/new", None, None),
    ("post", "/pairs/{pair}/meetings/new", {**_MEETING, "actions-0-title": "x"}, None),
    ("get", "/meetings/{meeting}", None, "meeting-notes"),
    ("get", "/meetings/{meeting}", None, "meeting-actions"),
    ("get", "/meetings/{meeting}/notes", None, "meeting-notes"),
    ("post", "/meetings/{meeting}/notes", {"notes": "Muutettu", "version": "1"},
     "meeting-notes"),
    ("get", "/meetings/{meeting}/edit", None, None),
    ("post", "/meetings/{meeting}/edit", _MEETING, None),
    ("post", "/meetings/{meeting}/actions",
     {"actions-0-title": "x", "actions-0-assignee": "pair"}, "meeting-actions"),
    ("post", "/meetings/{meeting}/delete", {}, None),
]
READ_ROUTES = [r for r in ROUTES if r[0] == "get" and not r[1].endswith(("/new", "/notes",
                                                                       "/edit"))]
WRITE_ROUTES = [r for r in ROUTES if r not in READ_ROUTES]
OUTSIDERS = ["supervisor", "other_supervisor", "admin", "other_professional", "other_expert",
             "ended_expert"]


@pytest.fixture
def things(meetings):
    meeting = make_meeting(meetings.pair, kind=MeetingKind.DEBRIEF, notes=SECRET)
    return {"pair": meetings.pair.id, "meeting": meeting.id}


def _call(client, method, url, data, things, headers=None):
    url = url.format(**things)
    return getattr(client, method)(url, data=data, headers=headers or {})


def _unchanged(things):
    db.session.expire_all()
    meeting = db.session.get(PairMeeting, things["meeting"])
    assert meeting is not None and meeting.notes == SECRET and meeting.version == 1
    assert db.session.scalar(sa.select(sa.func.count(PairMeeting.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(PairMeetingRevision.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Task.id))) == 0


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("method", "url", "data", "target"), ROUTES)
def test_no_one_but_the_partners_reaches_a_meeting(client, meetings, things, who, method,
                                                   url, data, target):
    sign_in(client, meetings.actor(who))
    for headers in (None, htmx_headers(target or "main")):
        response = _call(client, method, url, data, things, headers)
        assert response.status_code == 404, (who, url)
        assert SECRET not in response.get_data(as_text=True)
    _unchanged(things)


@pytest.mark.parametrize(("method", "url", "data", "target"), ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client, meetings, things, method, url, data,
                                                target):
    response = _call(client, method, url, data, things)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    _unchanged(things)


@pytest.mark.parametrize("who", ["professional", "expert"])
@pytest.mark.parametrize(("method", "url", "data", "target"), READ_ROUTES)
def test_the_partners_read_their_meetings(client, meetings, things, who, method, url, data,
                                         target):
    sign_in(client, meetings.actor(who))
    response = _call(client, method, url, data, things)
    assert response.status_code == 200
    if "{meeting}" in url:
        assert SECRET in response.get_data(as_text=True)
    fragment = _call(client, method, url, data, things, htmx_headers(target))
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)


@pytest.mark.parametrize("who", ["professional", "expert"])
def test_the_partners_write_their_meetings(client, meetings, things, who):
    sign_in(client, meetings.actor(who))
    expected = {"/pairs/{pair}/meetings/new": (200, 302),
                "/meetings/{meeting}/notes": (200, 302),
                "/meetings/{meeting}/edit": (200, 302), "/meetings/{meeting}/actions": (302,)}
    for method, url, data, _target in WRITE_ROUTES:
        if url.endswith("/delete"):
            continue
        if data and "version" in data:
            db.session.expire_all()
            version = db.session.get(PairMeeting, things["meeting"]).version
            data = {**data, "version": str(version)}
        response = _call(client, method, url, data, things)
        assert response.status_code in expected[url], (method, url)


def test_an_ended_pair_is_read_only_for_its_partners(client, meetings):
    ended = make_meeting(meetings.ended_pair, notes="Vanha muistio",
                         held_on=meetings.ended_pair.starts_on)
    things = {"pair": meetings.ended_pair.id, "meeting": ended.id}
    sign_in(client, meetings.ended_pair.expert)
    for method, url, data, _target in READ_ROUTES:
        response = _call(client, method, url, data, things)
        assert response.status_code == 200
    page = _call(client, "get", "/meetings/{meeting}?lang=en", None, things)
    html = page.get_data(as_text=True)
    assert "Vanha muistio" in html and "can be read but no longer changed" in html
    assert "Edit the notes" not in html and "Add as tasks" not in html
    for method, url, data, _target in WRITE_ROUTES:
        assert _call(client, method, url, data, things).status_code == 404, url
    db.session.expire_all()
    assert db.session.get(PairMeeting, ended.id).notes == "Vanha muistio"


def test_another_pairs_meeting_is_404_for_our_partners(client, meetings):
    theirs = make_meeting(meetings.other_pair, notes="Toisen parin muistio")
    things = {"pair": meetings.other_pair.id, "meeting": theirs.id}
    sign_in(client, meetings.pair.professional)
    for method, url, data, target in ROUTES:
        response = _call(client, method, url, data, things, htmx_headers(target or "main"))
        assert response.status_code == 404
        assert "Toisen parin muistio" not in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_the_pair_page_never_shows_notes_to_supervisors_or_admins(client, meetings, things,
                                                                  who):
    sign_in(client, meetings.actor(who))
    for target in (None, "meetings-panel"):
        headers = htmx_headers(target) if target else None
        page = client.get(f"/pairs/{meetings.pair.id}", headers=headers or {})
        assert page.status_code == 200
        assert SECRET not in page.get_data(as_text=True)
        assert f'href="/meetings/{things["meeting"]}"' not in page.get_data(as_text=True)
