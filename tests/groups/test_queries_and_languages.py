"""The group list, the group page and the pair page's panel run a fixed number of queries
however many groups and sessions there are (counts are one GROUP BY); the pages speak
Finnish, Swedish and English."""

from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext

from outreach.core.time import local_today
from tests.factories import make_group, make_session
from tests.helpers import sign_in


def _sessions(group, count):
    today = local_today()
    for n in range(count):
        make_session(group, held_on=today - timedelta(days=7 * n), participants=n % 5,
                     parts=[("Avaus", "expert"), ("Teema", "both")])


def _queries(client, count_queries, url):
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("who", ["expert", "supervisor", "admin"])
def test_the_group_list_runs_the_same_queries_for_few_and_many(client, world, count_queries,
                                                               who):
    first = make_group(world.pair)
    _sessions(first, 1)
    sign_in(client, world.actor(who))
    few = _queries(client, count_queries, "/groups/")
    for n in range(6):
        _sessions(make_group(world.pair, name=f"Ryhmä {n}"), 4)
    _sessions(first, 10)
    assert _queries(client, count_queries, "/groups/") == few


def test_the_group_page_runs_the_same_queries_for_few_and_many_sessions(client, world,
                                                                        count_queries):
    group = make_group(world.pair)
    _sessions(group, 2)
    sign_in(client, world.expert)
    few = _queries(client, count_queries, f"/groups/{group.id}")
    _sessions(group, 40)
    assert _queries(client, count_queries, f"/groups/{group.id}") == few
    assert _queries(client, count_queries, f"/groups/{group.id}?page=2") == few


@pytest.mark.parametrize("who", ["expert", "supervisor"])
def test_the_pair_panel_runs_the_same_queries_for_few_and_many(client, world, count_queries,
                                                               who):
    _sessions(make_group(world.pair), 1)
    sign_in(client, world.actor(who))
    url = f"/pairs/{world.pair.id}"
    few = _queries(client, count_queries, url)
    for n in range(5):
        _sessions(make_group(world.pair, name=f"Ryhmä {n}"), 6)
    assert _queries(client, count_queries, url) == few


def _t(lang, message, **kwargs):
    with force_locale(lang):
        return gettext(message, **kwargs)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_pages_speak_the_users_language(client, world, lang):
    group = make_group(world.pair)
    session = make_session(group, held_on=local_today(), parts=[("Avaus", "expert")])
    sign_in(client, world.expert)
    pages = {
        "/groups/": ["Peer-support groups", "Sessions held"],
        f"/groups/{group.id}": ["Plan a session", "Sessions", "Record the session"],
        f"/groups/{group.id}/sessions/new": ["Parts and who leads them", "Who leads it"],
        f"/groups/{group.id}/sessions/{session.id}": ["Planning notes", "Debrief notes"],
        f"/groups/{group.id}/sessions/{session.id}/record": ["Number of participants",
                                                             "Save the record"],
        f"/pairs/{world.pair.id}": ["Peer-support groups"],
    }
    for url, messages in pages.items():
        response = client.get(f"{url}?lang={lang}")
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert f'<html lang="{lang}">' in page
        for message in messages:
            assert _t(lang, message) in page, (url, lang, message)
    # The leader names are translated too, on the session page.
    page = client.get(f"/groups/{group.id}/sessions/{session.id}?lang={lang}").get_data(
        as_text=True)
    assert _t(lang, "Experience expert") in page


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_validation_messages_speak_the_users_language(client, world, lang):
    group = make_group(world.pair)
    session = make_session(group)
    sign_in(client, world.expert)
    response = client.post(
        f"/groups/{group.id}/sessions/{session.id}/record?lang={lang}",
        data={"participants": "", "version": "1"})
    assert response.status_code == 422
    assert _t(lang, "Enter how many took part (0 if nobody came).") in response.get_data(
        as_text=True)
