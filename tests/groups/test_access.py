"""Who may use the group pages: the partners of the pair's active pair read and write;
supervisors and administrators see counts only (the list, the pair page's panel) and get
404 on every page with notes and 403 on every form; another pair's partners get 404."""

from datetime import timedelta
from html import unescape

import pytest

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.groups.models import GroupSession, PeerGroup
from tests.factories import make_group, make_session
from tests.helpers import fresh, htmx_headers, sign_in

SECRETS = ("SECRET-PLAN", "SECRET-DEBRIEF", "Avauskierros")


@pytest.fixture
def things(group, session):
    return {"group": group.id, "session": session.id}


VALID_GROUP = {"name": "Uusi nimi", "version": "1"}
VALID_RECORD = {"participants": "9", "debrief_notes": "muutettu", "version": "1"}
VALID_SESSION = {"held_on": "2026-01-01", "participants": "9", "version": "1"}

# (method, url, data, kind): "read" pages show notes (404 for supervisors and admins),
# "write" routes are the partners' (403 for supervisors and admins).
ROUTES = [
    ("get", "/groups/{group}", None, "read"),
    ("get", "/groups/{group}/sessions/{session}", None, "read"),
    ("get", "/groups/{group}/edit", None, "write"),
    ("post", "/groups/{group}/edit", VALID_GROUP, "write"),
    ("get", "/groups/{group}/sessions/new", None, "write"),
    ("post", "/groups/{group}/sessions/new", {"held_on": "2026-01-01"}, "write"),
    ("get", "/groups/{group}/sessions/{session}/record", None, "write"),
    ("post", "/groups/{group}/sessions/{session}/record", VALID_RECORD, "write"),
    ("get", "/groups/{group}/sessions/{session}/edit", None, "write"),
    ("post", "/groups/{group}/sessions/{session}/edit", VALID_SESSION, "write"),
    ("post", "/groups/{group}/sessions/{session}/delete", {}, "write"),
]


def _call(client, method, url, data, things, **kwargs):
    return getattr(client, method)(url.format(**things), data=data, **kwargs)


def _unchanged(things):
    group = fresh(PeerGroup, things["group"])
    session = db.session.get(GroupSession, things["session"])
    assert group.name == "Naisten ryhmä"
    assert session is not None
    assert (session.participants, session.debrief_notes) == (6, "SECRET-DEBRIEF purku")
    assert db.session.query(GroupSession).count() == 1


@pytest.mark.parametrize("who", ["professional", "expert"])
@pytest.mark.parametrize(("method", "url", "data", "kind"),
                         [r for r in ROUTES if r[0] == "get"])
def test_the_partners_open_every_page(client, world, things, who, method, url, data, kind):
    sign_in(client, world.actor(who))
    response = _call(client, method, url, data, things)
    assert response.status_code == 200
    if kind == "read":
        page = response.get_data(as_text=True)
        assert any(secret in page for secret in SECRETS)


@pytest.mark.parametrize("who", ["supervisor", "admin"])
@pytest.mark.parametrize(("method", "url", "data", "kind"), ROUTES)
def test_supervisors_and_administrators_never_reach_the_notes(client, world, things, who,
                                                             method, url, data, kind):
    sign_in(client, world.actor(who))
    response = _call(client, method, url, data, things)
    assert response.status_code == (404 if kind == "read" else 403), url
    assert not any(secret in response.get_data(as_text=True) for secret in SECRETS)
    response = _call(client, method, url, data, things, headers=htmx_headers("group-sessions"))
    assert response.status_code == (404 if kind == "read" else 403), url
    _unchanged(things)


@pytest.mark.parametrize("who", ["other_professional", "other_expert"])
@pytest.mark.parametrize(("method", "url", "data", "kind"), ROUTES)
def test_another_pairs_partners_get_404(client, world, things, who, method, url, data, kind):
    sign_in(client, world.actor(who))
    response = _call(client, method, url, data, things)
    assert response.status_code == 404, url
    assert not any(secret in response.get_data(as_text=True) for secret in SECRETS)
    _unchanged(things)


@pytest.mark.parametrize(("method", "url", "data", "kind"), ROUTES)
def test_signed_out_users_are_sent_to_sign_in(client, world, things, method, url, data, kind):
    response = _call(client, method, url, data, things)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    _unchanged(things)


def test_a_session_is_reached_only_through_its_own_group(client, world, things):
    other = make_group(world.pair, name="Toinen")
    sign_in(client, world.expert)
    url = f"/groups/{other.id}/sessions/{things['session']}"
    assert client.get(url).status_code == 404
    assert client.post(url + "/delete").status_code == 404
    _unchanged(things)


def test_an_ended_pairs_partners_no_longer_reach_the_group(client, world, things):
    world.pair.ends_on = local_today()
    db.session.commit()
    sign_in(client, world.expert)
    assert client.get(f"/groups/{things['group']}").status_code == 404
    assert "Naisten ryhmä" not in client.get("/groups/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_new_group_is_the_partners(client, world, who):
    sign_in(client, world.actor(who))
    assert client.get("/groups/new").status_code == 403
    assert client.post("/groups/new", data={"name": "x", "pair_id": world.pair.id}
                       ).status_code == 403
    assert db.session.query(PeerGroup).count() == 0


def test_a_partner_cannot_start_a_group_for_another_pair(client, world):
    sign_in(client, world.expert)
    response = client.post("/groups/new?lang=en",
                           data={"name": "x", "pair_id": world.other_pair.id})
    assert response.status_code == 422
    assert db.session.query(PeerGroup).count() == 0


# --- The list: who sees which groups, and what of them ------------------------------------


def _list(client, user):
    sign_in(client, user)
    response = client.get("/groups/?lang=en")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def other_group(world):
    group = make_group(world.other_pair, name="Toisen parin ryhmä")
    make_session(group, participants=3, debrief_notes="OTHER-DEBRIEF")
    return group


@pytest.mark.parametrize(("who", "ours", "theirs"), [
    ("professional", True, False),
    ("expert", True, False),
    ("other_professional", False, True),
    ("other_expert", False, True),
    ("supervisor", True, False),  # supervises our pair only
    ("admin", True, True),
])
def test_the_list_shows_the_groups_of_the_users_pairs(client, world, things, other_group, who,
                                                      ours, theirs):
    page = _list(client, world.actor(who))
    assert ("Naisten ryhmä" in page) is ours
    assert ("Toisen parin ryhmä" in page) is theirs
    assert "OTHER-DEBRIEF" not in page
    assert not any(secret in page for secret in SECRETS)


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_supervisors_see_the_counts_and_no_way_into_the_notes(client, world, things, who):
    make_session(fresh(PeerGroup, things["group"]), held_on=local_today() - timedelta(days=1),
                 participants=4, debrief_notes="SECRET-DEBRIEF 2")
    page = _list(client, world.actor(who))
    assert "Naisten ryhmä" in page and "Tiistaisin klo 13" in page
    assert "<dt>Sessions held</dt><dd>2</dd>" in page
    assert "<dt>Participants in all</dt><dd>10</dd>" in page
    assert f'href="/groups/{things["group"]}"' not in page
    assert "Start a new group" not in page
    assert "Kallio" not in page and "Vertaistuki" not in page  # nor the place or aim


# --- The pair page's panel --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["professional", "expert", "supervisor", "admin"])
def test_the_pair_page_shows_the_groups_with_counts_only(client, world, things, who):
    make_session(fresh(PeerGroup, things["group"]), held_on=local_today() + timedelta(days=2))
    sign_in(client, world.actor(who))
    page = unescape(client.get(f"/pairs/{world.pair.id}?lang=en").get_data(as_text=True))
    assert 'id="groups-panel-heading"' in page
    assert "Naisten ryhmä" in page
    assert "<dt>Sessions held</dt><dd>1</dd>" in page
    assert "<dt>Participants in all</dt><dd>6</dd>" in page
    assert "<dt>Next session</dt>" in page and "<dt>Last session</dt>" in page
    assert not any(secret in page for secret in SECRETS)
    partner = who in ("professional", "expert")
    assert (f'href="/groups/{things["group"]}"' in page) is partner
    assert (f'href="/groups/new?pair={world.pair.id}"' in page) is partner


def test_the_panel_is_not_shown_to_a_supervisor_when_there_are_no_groups(client, world):
    sign_in(client, world.supervisor)
    page = client.get(f"/pairs/{world.pair.id}").get_data(as_text=True)
    assert 'id="groups-panel-heading"' not in page


def test_the_panel_invites_the_partners_to_start_a_group(client, world):
    sign_in(client, world.expert)
    page = client.get(f"/pairs/{world.pair.id}?lang=en").get_data(as_text=True)
    assert 'id="groups-panel-heading"' in page
    assert "No peer-support groups yet." in page


def test_the_main_navigation_has_groups_after_anonymous_encounters(client, world):
    for who in ("expert", "supervisor", "admin"):
        sign_in(client, world.actor(who))
        page = client.get("/?lang=en").get_data(as_text=True)
        assert 'href="/groups/"' in page, who
    sign_in(client, world.expert)
    page = client.get("/?lang=en").get_data(as_text=True)
    assert page.index('href="/encounters/"') < page.index('href="/groups/"')
