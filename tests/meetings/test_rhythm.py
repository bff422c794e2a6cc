"""When the next planning and debrief meeting is due by the rhythm of the start-up
agreement (`meeting_rhythm_status`), and the panels that show it."""

from datetime import date, timedelta

import pytest

from outreach.auth.models import Role
from outreach.core.time import local_today
from outreach.meetings.models import MeetingKind
from outreach.meetings.queries import meeting_rhythm_status
from outreach.pairs.models import MeetingRhythm
from tests import factories
from tests.factories import make_meeting
from tests.helpers import sign_in

PLAN, DEBRIEF, SUPERVISION = MeetingKind.PLANNING, MeetingKind.DEBRIEF, MeetingKind.SUPERVISION


def _pair(start: date, **agreement):
    pair = factories.make_pair(starts_on=start)
    if agreement:
        factories.make_agreement(pair, **agreement)
    return pair


def test_next_due_counts_from_the_last_meeting_held_and_flags_overdue(app):
    today = date(2026, 5, 20)
    pair = _pair(date(2026, 1, 1), meeting_date=date(2026, 1, 5),
                 planning_rhythm=MeetingRhythm.WEEKLY,
                 debrief_rhythm=MeetingRhythm.EVERY_2_WEEKS)
    make_meeting(pair, kind=PLAN, held_on=date(2026, 5, 1))
    make_meeting(pair, kind=PLAN, held_on=date(2026, 5, 10))  # the last one counts
    make_meeting(pair, kind=DEBRIEF, held_on=date(2026, 5, 15))
    status = meeting_rhythm_status([pair], today)[pair.id]
    assert (status.planning.last_held, status.planning.next_due) == (
        date(2026, 5, 10), date(2026, 5, 17))
    assert status.planning.overdue and status.planning.days_overdue == 3
    assert (status.debrief.last_held, status.debrief.next_due) == (
        date(2026, 5, 15), date(2026, 5, 29))
    assert not status.debrief.overdue and not status.debrief.due_soon
    assert status.overdue == [status.planning]


def test_due_today_is_not_overdue_but_due_soon(app):
    today = date(2026, 5, 20)
    pair = _pair(date(2026, 1, 1), planning_rhythm=MeetingRhythm.WEEKLY)
    make_meeting(pair, kind=PLAN, held_on=date(2026, 5, 13))
    due = meeting_rhythm_status([pair], today)[pair.id].planning
    assert due.next_due == today and not due.overdue and due.due_soon


def test_a_monthly_rhythm_keeps_to_calendar_months(app):
    pair = _pair(date(2025, 12, 1), debrief_rhythm=MeetingRhythm.MONTHLY)
    make_meeting(pair, kind=DEBRIEF, held_on=date(2026, 1, 31))
    due = meeting_rhythm_status([pair], date(2026, 2, 28))[pair.id].debrief
    assert due.next_due == date(2026, 2, 28) and not due.overdue
    due = meeting_rhythm_status([pair], date(2026, 3, 1))[pair.id].debrief
    assert due.overdue and due.days_overdue == 1


def test_before_any_meeting_of_the_kind_it_is_due_from_the_start_up_meeting(app):
    pair = _pair(date(2026, 1, 1), meeting_date=date(2026, 1, 10),
                 planning_rhythm=MeetingRhythm.EVERY_3_WEEKS)
    make_meeting(pair, kind=DEBRIEF, held_on=date(2026, 1, 12))  # another kind
    due = meeting_rhythm_status([pair], date(2026, 1, 20))[pair.id].planning
    assert (due.last_held, due.next_due, due.overdue) == (None, date(2026, 1, 31), False)


def test_without_the_start_up_meeting_date_it_is_due_from_the_pair_start(app):
    pair = _pair(date(2026, 1, 1), planning_rhythm=MeetingRhythm.EVERY_4_WEEKS)
    due = meeting_rhythm_status([pair], date(2026, 2, 10))[pair.id].planning
    assert due.next_due == date(2026, 1, 29) and due.overdue


def test_no_agreement_or_no_rhythm_means_not_agreed_and_never_overdue(app):
    without_agreement = factories.make_pair(starts_on=date(2025, 1, 1))
    without_debrief = _pair(date(2025, 1, 1), planning_rhythm=MeetingRhythm.WEEKLY)
    make_meeting(without_agreement, kind=PLAN, held_on=date(2025, 2, 1))
    statuses = meeting_rhythm_status([without_agreement, without_debrief], date(2026, 1, 1))
    for due in (statuses[without_agreement.id].planning, statuses[without_agreement.id].debrief,
                statuses[without_debrief.id].debrief):
        assert not due.agreed and due.next_due is None and not due.overdue
    assert statuses[without_agreement.id].planning.last_held == date(2025, 2, 1)
    assert statuses[without_debrief.id].planning.agreed


def test_counts_per_kind_last_supervision_and_later_dates_left_out(app):
    today = date(2026, 5, 20)
    pair = _pair(date(2026, 1, 1), planning_rhythm=MeetingRhythm.WEEKLY)
    make_meeting(pair, kind=SUPERVISION, held_on=date(2026, 3, 1))
    make_meeting(pair, kind=SUPERVISION, held_on=date(2026, 4, 1))
    make_meeting(pair, kind=PLAN, held_on=date(2026, 5, 18))
    make_meeting(pair, kind=PLAN, held_on=date(2026, 5, 25))  # after `today`
    status = meeting_rhythm_status([pair], today)[pair.id]
    assert status.last_supervision == date(2026, 4, 1)
    assert status.counts == {SUPERVISION: 2, PLAN: 1}
    assert status.total == 3
    assert status.planning.last_held == date(2026, 5, 18)


@pytest.mark.parametrize("pairs", [1, 12])
def test_the_status_of_many_pairs_takes_two_queries(app, count_queries, pairs):
    made = []
    for n in range(pairs):
        pair = _pair(date(2026, 1, 1), planning_rhythm=MeetingRhythm.WEEKLY)
        for day in range(n % 4 + 1):
            make_meeting(pair, kind=PLAN, held_on=date(2026, 2, 1) + timedelta(days=day))
        made.append(pair)
    assert all(pair.starts_on for pair in made)  # loaded, as a page's pairs are
    with count_queries() as statements:
        statuses = meeting_rhythm_status(made, date(2026, 3, 1))
    assert len(statements) == 2
    assert len(statuses) == pairs and all(s.planning.overdue for s in statuses.values())
    assert meeting_rhythm_status([], date(2026, 3, 1)) == {}


# --- The pair page's panel and the home page ---------------------------------------------------


def test_the_partners_panel_shows_the_rhythm_the_latest_meetings_and_links(client, meetings):
    today = local_today()
    for days in (30, 20, 10, 3):
        make_meeting(meetings.pair, kind=PLAN, held_on=today - timedelta(days=days),
                     notes=f"Salainen {days}")
    make_meeting(meetings.pair, kind=SUPERVISION, held_on=today - timedelta(days=40))
    sign_in(client, meetings.pair.expert)
    page = client.get(f"/pairs/{meetings.pair.id}?lang=en").get_data(as_text=True)
    panel = page[page.index('id="meetings-panel"'):]
    panel = panel[:panel.index("</section>")]
    assert "Every week" in panel and "Every two weeks" in panel
    assert f"Next due {_day(today + timedelta(days=4))}" in panel
    # No debrief yet: due two weeks after the start-up meeting, long ago.
    assert "Overdue" in panel
    assert f"Last work supervision</dt>\n  <dd>{_day(today - timedelta(days=40))}" in panel
    assert panel.count('href="/meetings/') == 3
    assert f'href="/pairs/{meetings.pair.id}/meetings"' in panel
    assert f'href="/pairs/{meetings.pair.id}/meetings/new"' in panel
    assert "Salainen" not in panel


def _day(value: date) -> str:
    """The date as the English pages show it (d MMM y)."""
    from babel.dates import format_date

    return format_date(value, "d MMM y", locale="en")


def test_the_supervisor_sees_only_dates_and_counts(client, meetings):
    today = local_today()
    make_meeting(meetings.pair, kind=PLAN, held_on=today - timedelta(days=3),
                 notes="Salainen muistio")
    make_meeting(meetings.pair, kind=DEBRIEF, held_on=today - timedelta(days=20),
                 notes="Toinen salainen")
    sign_in(client, meetings.supervisor)
    response = client.get(f"/pairs/{meetings.pair.id}?lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    panel = page[page.index('id="meetings-panel"'):]
    panel = panel[:panel.index("</section>")]
    assert "Next due" in panel and "Overdue" in panel  # the debrief, 20 days ago
    assert "Meetings held, by kind" in panel
    assert "Salainen" not in page and "salainen" not in page
    assert "/meetings" not in panel  # no link to the meetings


def test_administrators_get_no_meetings_panel(client, meetings):
    make_meeting(meetings.pair, notes="Salainen")
    sign_in(client, meetings.admin)
    page = client.get(f"/pairs/{meetings.pair.id}").get_data(as_text=True)
    assert 'id="meetings-panel"' not in page and "Salainen" not in page


def test_a_pair_without_rhythm_says_so(client, app):
    pair = factories.make_pair()
    sign_in(client, pair.professional)
    page = client.get(f"/pairs/{pair.id}?lang=en").get_data(as_text=True)
    assert page.count("Rhythm not agreed yet in the start-up agreement.") == 2


def test_the_home_page_reminds_partners_of_an_overdue_meeting(client, meetings):
    today = local_today()
    make_meeting(meetings.pair, kind=PLAN, held_on=today - timedelta(days=2))
    make_meeting(meetings.pair, kind=DEBRIEF, held_on=today - timedelta(days=16))
    for who in ("professional", "expert"):
        sign_in(client, meetings.actor(who))
        page = client.get("/?lang=en").get_data(as_text=True)
        assert 'id="meetings-home"' in page
        assert f"Debrief meeting was due on {_day(today - timedelta(days=2))}." in page
        assert "Planning meeting was due" not in page
        assert f'href="/pairs/{meetings.pair.id}/meetings/new?kind=debrief"' in page
    # Recorded: the reminder goes.
    make_meeting(meetings.pair, kind=DEBRIEF, held_on=today)
    assert 'id="meetings-home"' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["supervisor", "admin"])
def test_the_home_reminder_is_for_partners_only(client, meetings, who):
    sign_in(client, meetings.actor(who))
    assert 'id="meetings-home"' not in client.get("/").get_data(as_text=True)


def test_no_reminder_without_overdue_meetings(client, app):
    pair = factories.make_pair(professional=factories.make_user(Role.PROFESSIONAL))
    sign_in(client, pair.professional)
    assert 'id="meetings-home"' not in client.get("/").get_data(as_text=True)
