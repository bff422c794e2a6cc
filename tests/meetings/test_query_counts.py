"""The meetings list, the meeting page, the pair page's panel and the home page run the
same number of queries for a few meetings as for many."""

from datetime import timedelta

import pytest

from outreach.core.time import local_today
from outreach.meetings.models import MeetingKind
from outreach.meetings.queries import add_actions
from outreach.tasks.models import Assignee
from tests.factories import make_meeting
from tests.helpers import sign_in

KINDS = list(MeetingKind)


def _fill(pair, count: int) -> int:
    from outreach.extensions import db

    today = local_today()
    last = None
    for n in range(count):
        last = make_meeting(pair, kind=KINDS[n % len(KINDS)], held_on=today - timedelta(days=n),
                            external_supervisor="Hanna" if KINDS[n % len(KINDS)] ==
                            MeetingKind.SUPERVISION else None)
        add_actions(last, pair.professional,
                    [{"title": f"Tehtävä {n}-{k}", "assignee": Assignee.PAIR}
                     for k in range(n % 3)])
        db.session.commit()
    return last.id


def _queries(client, count_queries, url) -> int:
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


@pytest.mark.parametrize("who", ["expert", "supervisor"])
def test_pages_query_counts_do_not_grow_with_the_meetings(client, meetings, count_queries,
                                                         who):
    pair = meetings.pair
    user = meetings.actor(who)
    partner = who == "expert"
    urls = lambda meeting_id: [  # noqa: E731
        f"/pairs/{pair.id}", "/",
        *([f"/pairs/{pair.id}/meetings", f"/pairs/{pair.id}/meetings?kind=debrief",
           f"/meetings/{meeting_id}"] if partner else []),
    ]
    few_id = _fill(pair, 5)  # one of each kind
    sign_in(client, user)
    few = {url: _queries(client, count_queries, url) for url in urls(few_id)}
    many_id = _fill(pair, 40)
    many = {url: _queries(client, count_queries, url) for url in urls(few_id)}
    assert many == few
    # The meeting page of one with actions and several revisions, too.
    if partner:
        client.post(f"/meetings/{many_id}/notes", data={"notes": "Uusi", "version": "1"})
        client.post(f"/meetings/{many_id}/notes", data={"notes": "Uudempi", "version": "2"})
        assert _queries(client, count_queries, f"/meetings/{many_id}") == few[
            f"/meetings/{few_id}"]
