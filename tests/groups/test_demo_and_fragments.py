"""The demo group the browser journey relies on, and the list's htmx fragment."""

from datetime import timedelta

import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.groups.demo import GROUP_NAME, load_groups
from outreach.groups.models import GroupSession, PeerGroup
from tests.factories import make_group
from tests.helpers import htmx_headers, sign_in


def test_the_demo_group_is_loaded_once_for_the_first_pair(world):
    assert load_groups() is True
    db.session.commit()
    assert load_groups() is False
    group = db.session.scalar(sa.select(PeerGroup))
    assert (group.name, group.pair_id) == (GROUP_NAME, world.pair.id)
    assert group.schedule
    sessions = list(db.session.scalars(
        sa.select(GroupSession).order_by(GroupSession.held_on)))
    today = local_today()
    recorded = [s for s in sessions if s.participants is not None]
    assert len(recorded) == 6 and all(s.held_on < today for s in recorded)
    assert all(s.parts and s.planning_notes and s.debrief_notes for s in recorded)
    assert {part.leader.value for s in recorded for part in s.parts} == {
        "professional", "expert", "both"}
    # Today's session waits for its record; next week's is planned.
    waiting = [s for s in sessions if s.participants is None]
    assert [s.held_on for s in waiting] == [today, today + timedelta(weeks=1)]
    # Weekly: seven days between sessions.
    days = [s.held_on for s in sessions]
    assert {(b - a).days for a, b in zip(days, days[1:], strict=False)} == {7}


def test_the_list_search_answers_with_the_list_fragment(client, world):
    make_group(world.pair, name="Naisten ryhmä")
    make_group(world.pair, name="Nuorten ryhmä")
    sign_in(client, world.expert)
    response = client.get("/groups/?q=naisten&lang=en", headers=htmx_headers("group-list"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<h1" not in html
    assert "Naisten ryhmä" in html and "Nuorten ryhmä" not in html
    assert "HX-Request" in response.headers.get("Vary", "")


def test_the_group_page_answers_with_the_sessions_fragment(client, world):
    group = make_group(world.pair)
    sign_in(client, world.expert)
    response = client.get(f"/groups/{group.id}?page=1", headers=htmx_headers("group-sessions"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="sessions-heading"' in html
