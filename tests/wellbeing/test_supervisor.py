"""The supervisor sees, per pair, only how many check-ins wait unacknowledged and how long
the oldest has waited; never the strain, the wish to talk or the note. The aggregate is one
GROUP BY query, and the panels run a fixed number of queries."""

import re
from datetime import timedelta

import pytest

from outreach.core.time import aware, local_today
from outreach.wellbeing.queries import waiting_checkins
from tests import factories
from tests.factories import make_checkin
from tests.helpers import days_ago, local_noon, sign_in
from tests.wellbeing.helpers import NOTE

CONTENT = [NOTE, "Strain", "Very heavy", "Fairly heavy", "Would like to talk", "5 of 5",
           "Acknowledge"]


def _row(html: str, pair) -> str:
    match = re.search(rf'<tr data-pair="{pair.id}">(.*?)</tr>', html, re.S)
    assert match, f"no row for pair {pair.id}"
    return match.group(1)


def _cells(row: str) -> tuple[str, str]:
    count = re.search(r'class="waiting-count">([^<]*)<', row).group(1)
    days = re.search(r'class="waiting-days">(.*?)</td>', row, re.S).group(1)
    return count, days


def test_waiting_checkins_is_one_group_by_query(world, count_queries):
    make_checkin(world.pair, created_at=days_ago(5))
    oldest = make_checkin(world.pair, created_at=days_ago(9))
    make_checkin(world.pair, created_at=days_ago(20), acknowledged=True)
    make_checkin(world.other_pair, created_at=days_ago(2))
    ids = [world.pair.id, world.other_pair.id, factories.make_pair().id]
    oldest_at = oldest.created_at
    with count_queries() as statements:
        waiting = waiting_checkins(ids)
    assert len(statements) == 1
    assert "GROUP BY" in statements[0].upper()
    assert set(waiting) == {world.pair.id, world.other_pair.id}
    count, since = waiting[world.pair.id]
    assert count == 2
    assert aware(since) == aware(oldest_at)
    assert waiting[world.other_pair.id][0] == 1
    with count_queries() as statements:
        assert waiting_checkins([]) == {}
    assert statements == []


def test_the_supervisor_home_lists_counts_and_days_only(client, world):
    make_checkin(world.pair, strain=5, wants_to_talk=True, note=NOTE, created_at=local_noon(3))
    make_checkin(world.pair, strain=4, created_at=days_ago(1))
    make_checkin(world.pair, strain=1, acknowledged=True)
    make_checkin(world.other_pair, strain=5, note="Toisen parin asia")
    sign_in(client, world.supervisor)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "Well-being check-ins waiting" in html
    count, days = _cells(_row(html, world.pair))
    assert (count, days.strip()) == ("2", "3")
    assert f'<tr data-pair="{world.other_pair.id}">' not in html  # not theirs
    for text in CONTENT + ["Toisen parin asia"]:
        assert text not in html, text


def test_the_supervisor_pair_page_shows_the_count_and_no_content(client, world):
    make_checkin(world.pair, strain=5, wants_to_talk=True, note=NOTE, created_at=local_noon(6))
    sign_in(client, world.supervisor)
    html = client.get(f"/pairs/{world.pair.id}?lang=en").get_data(as_text=True)
    panel = re.search(r'<section id="wellbeing".*?</section>', html, re.S).group(0)
    assert re.search(r'class="waiting-count">1<', panel)
    assert re.search(r'class="waiting-days">6<', panel)
    assert "/checkins" not in panel  # no link to content
    for text in CONTENT:
        assert text not in html, text


def test_the_count_goes_up_and_down_for_the_supervisor(client, world):
    sign_in(client, world.expert)
    client.post("/checkins/new", data={"strain": "5", "wants_to_talk": "y", "note": NOTE})
    sign_in(client, world.supervisor)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert _cells(_row(html, world.pair)) == ("1", "0")
    sign_in(client, world.professional)
    checkin_id = re.search(r'id="checkin-(\d+)"', client.get("/").get_data(as_text=True)).group(1)
    response = client.post(f"/checkins/{checkin_id}/acknowledge", data={
        f"c{checkin_id}-talked_on": local_today().isoformat()})
    assert response.status_code == 302
    sign_in(client, world.supervisor)
    html = client.get("/?lang=en").get_data(as_text=True)
    count, days = _cells(_row(html, world.pair))
    assert count == "0" and "none waiting" in days


def test_an_administrator_sees_no_check_in_panel(client, world):
    make_checkin(world.pair, note=NOTE)
    sign_in(client, world.admin)
    html = client.get(f"/pairs/{world.pair.id}?lang=en").get_data(as_text=True)
    assert 'id="wellbeing"' not in html
    assert NOTE not in client.get("/?lang=en").get_data(as_text=True)


def test_the_partners_pair_panel_counts_and_links(client, world):
    make_checkin(world.pair, created_at=local_noon(4))
    sign_in(client, world.professional)
    html = client.get(f"/pairs/{world.pair.id}?lang=en").get_data(as_text=True)
    panel = re.search(r'<section id="wellbeing".*?</section>', html, re.S).group(0)
    assert "Well-being and feedback" in panel
    assert re.search(r'class="waiting-count">1<', panel)
    assert re.search(r'class="waiting-days">4<', panel)
    assert f'href="/pairs/{world.pair.id}/checkins"' in panel
    assert f'href="/pairs/{world.pair.id}/feedback"' in panel


@pytest.mark.parametrize("who", ["professional", "supervisor"])
def test_home_panels_run_a_fixed_number_of_queries(client, world, count_queries, who):
    sign_in(client, world.actor(who))
    more_pairs = []

    def add(n):
        for i in range(n):
            make_checkin(world.pair, strain=1 + i % 5, note=f"Muistiinpano {i}",
                         created_at=days_ago(i + 1))
            pair = factories.make_pair(professional=world.professional,
                                       supervisor=world.supervisor,
                                       starts_on=local_today() - timedelta(days=60))
            more_pairs.append(pair)
            make_checkin(pair, created_at=days_ago(i + 1))

    add(2)
    with count_queries() as few:
        assert client.get("/").status_code == 200
    add(10)
    with count_queries() as many:
        html = client.get("/?lang=en").get_data(as_text=True)
    if who == "professional":
        assert "Well-being check-ins waiting for you (24)" in html
    else:
        assert _cells(_row(html, world.pair))[0] == "12"
        assert all(f'data-pair="{pair.id}"' in html for pair in more_pairs)
    assert len(many) == len(few)
