"""The workload dashboard: figures for a small known world, periods in Helsinki time, the
balance flag, access per role, no client content for supervisors, languages, a fixed
number of queries, and the htmx fragment of the period switch."""

from datetime import date, timedelta

import pytest
from markupsafe import escape

from outreach.accompaniments.models import Outcome
from outreach.auth.models import Role
from outreach.contacts.choices import Channel, Participants
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.dashboard import queries, rollup
from outreach.dashboard.forms import period_of
from outreach.encounters.models import MetBy
from outreach.extensions import db
from outreach.meetings.models import MeetingKind, PairMeeting
from outreach.services.models import ServiceKind
from outreach.tasks.models import Assignee, TaskStatus
from outreach.wellbeing.models import CheckIn, StrainShare
from tests import factories
from tests.dashboard.conftest import at, dashboard_world

MAY = period_of("custom", date(2026, 5, 15), date(2026, 5, 1), date(2026, 5, 31))
MAY_ARGS = {"period": "custom", "start": "2026-05-01", "end": "2026-05-31"}


def fill(world):
    """Work in May 2026 (and just outside it) for the supervisor's first pair."""
    pair = world.pair
    anna = factories.make_client(pair, name="Anna <b>Secret</b>")
    bea = factories.make_client(pair, name="Bea Hidden")
    kela = factories.make_service(ServiceKind.KELA)
    # Contacts: the expert alone 2 x 30 min by phone, both 60 min on the street, the
    # professional alone 15 min in the office.
    factories.make_contact(anna, contacted_at=at(2026, 5, 1, 0, 10), duration_minutes=30,
                           channel=Channel.PHONE, participants=Participants.EXPERT)
    factories.make_contact(anna, contacted_at=at(2026, 5, 31, 23, 50), duration_minutes=30,
                           channel=Channel.PHONE, participants=Participants.EXPERT)
    factories.make_contact(bea, contacted_at=at(2026, 5, 10), duration_minutes=60,
                           channel=Channel.STREET, participants=Participants.BOTH)
    factories.make_contact(bea, contacted_at=at(2026, 5, 12), duration_minutes=15,
                           channel=Channel.OFFICE, participants=Participants.PROFESSIONAL)
    # Outside May in Helsinki (but inside it in UTC, or the other way round).
    factories.make_contact(anna, contacted_at=at(2026, 4, 30, 23, 50), duration_minutes=99,
                           channel=Channel.PHONE, participants=Participants.EXPERT)
    factories.make_contact(anna, contacted_at=at(2026, 6, 1, 0, 10), duration_minutes=99,
                           channel=Channel.PHONE, participants=Participants.EXPERT)
    # Accompaniments: one done (90 min, both), one she did not come (30 min, expert),
    # one only planned (not counted).
    factories.make_accompaniment(anna, service=kela, who_went=Participants.BOTH,
                                 took_place_at=at(2026, 5, 5), outcome=Outcome.DONE,
                                 minutes_spent=90)
    factories.make_accompaniment(bea, service=kela, who_went=Participants.EXPERT,
                                 took_place_at=at(2026, 5, 6), outcome=Outcome.DID_NOT_COME,
                                 minutes_spent=30)
    factories.make_accompaniment(bea, service=kela, planned_at=at(2026, 5, 20))
    factories.make_network_contact(anna, contacted_at=at(2026, 5, 7))
    factories.make_encounter(pair, met_on=date(2026, 5, 8), people_count=3, met_by=MetBy.EXPERT)
    factories.make_encounter(pair, met_on=date(2026, 6, 1), people_count=5)
    return anna, bea


def figures_of(user, period=MAY, today=date(2026, 6, 15), chosen=None):
    dash = queries.dashboard(user, period, today, chosen)
    return {item.pair.id: item for item in dash.figures}


def test_figures_for_a_small_known_world(world):
    fill(world)
    # The breakdown of the pair (chosen), then the overview's summary of the same.
    item = figures_of(world.supervisor, chosen=[world.pair.id])[world.pair.id]
    assert (item.contacts.count, item.contacts.minutes) == (4, 135)
    assert {channel: (c.count, c.minutes) for channel, c in item.contacts_by_channel.items()} \
        == {"phone": (2, 60), "street": (1, 60), "office": (1, 15)}
    assert (item.accompaniments.count, item.accompaniments.minutes) == (2, 120)
    assert {key: c.count for key, c in item.accompaniments_by_kind.items()} == {
        ("kela", "done"): 1, ("kela", "did_not_come"): 1}
    assert item.network.count == 1
    assert (item.encounters.count, item.encounters.people) == (1, 3)
    by_role = item.by_role
    assert (by_role["expert"].contacts.count, by_role["expert"].minutes) == (2, 90)
    assert (by_role["both"].contacts.count, by_role["both"].minutes) == (1, 150)
    assert (by_role["professional"].contacts.count, by_role["professional"].minutes) == (1, 15)
    assert by_role["professional"].network.count == 1
    balance = item.balance
    assert balance.contacts["expert"] == pytest.approx(2 / 4)
    assert balance.hours["both"] == pytest.approx(150 / 255)
    # The expert took part in 5 of the 6 contacts and accompaniments.
    assert balance.expert_part == pytest.approx(5 / 6)
    assert not balance.below_expectation
    assert balance.solo_heavy is None  # 105 solo minutes: too little to compare
    assert item.active_clients == 2
    summary = figures_of(world.supervisor)[world.pair.id]
    assert summary.contacts_by_channel == {} and summary.accompaniments_by_kind == {}
    for kind in ("contacts", "accompaniments", "network", "encounters"):
        assert summary.total(kind) == item.total(kind)
    assert summary.balance == item.balance
    assert (summary.active_clients, summary.not_reached) == (2, item.not_reached)


@pytest.mark.parametrize(("first", "last", "contacts", "minutes"), [
    (date(2026, 4, 30), date(2026, 6, 1), 6, 333),  # both edges around a whole month
    (date(2026, 5, 1), date(2026, 6, 1), 5, 234),  # a whole month and a day after it
    (date(2026, 4, 30), date(2026, 5, 31), 5, 234),  # a day before a whole month
    (date(2026, 5, 10), date(2026, 5, 12), 2, 75),  # no whole month: days only
    (date(2026, 1, 1), date(2026, 12, 31), 7, 340),  # a whole year
    (date(2025, 12, 15), date(2027, 1, 15), 8, 345),  # a whole year and days around it
    (date(2025, 1, 1), date(2026, 12, 31), 8, 345),  # two whole years
    (date(2025, 12, 1), date(2026, 1, 31), 2, 12),  # whole months over a year's turn
    (date(2026, 1, 1), date(2026, 1, 1), 1, 7),  # the year's first day alone
])
def test_periods_of_whole_years_months_and_days(world, first, last, contacts, minutes):
    """Whole years come from the yearly rollup, other whole months from the monthly one,
    the days at the edges from the daily one: the figures are the same as from the days
    alone, and as from the months and days."""
    fill(world)
    anna = factories.make_client(world.pair)
    # The last evening of 2025 and the first minutes of 2026 in Helsinki (still 2025 in UTC).
    factories.make_contact(anna, contacted_at=at(2025, 12, 31, 23, 50), duration_minutes=5)
    factories.make_contact(anna, contacted_at=at(2026, 1, 1, 0, 10), duration_minutes=7)
    period = period_of("custom", first, first, last)
    for chosen in (None, [world.pair.id]):
        item = figures_of(world.supervisor, period, chosen=chosen)[world.pair.id]
        assert (item.contacts.count, item.contacts.minutes) == (contacts, minutes)
    # The same GROUP BY over the daily rollup alone, over the months and days, and with
    # the yearly totals (not detailed) or the yearly rows (detailed).
    for coarser in ((), rollup.LEVELS[:1], rollup.LEVELS):
        for detailed in (True, False):
            rows = db.session.execute(queries.work_source(
                [world.pair.id], period, detailed, coarser=coarser)).all()
            assert sum(row.count for row in rows if row.kind == "contact") == contacts
            assert sum(row.minutes for row in rows if row.kind == "contact") == minutes


def test_a_period_cut_into_whole_years_months_and_days():
    months, years, _totals = rollup.LEVELS

    def cut(first, last, coarser=rollup.LEVELS[:2]):
        return [(level and level.column, a, b) for level, a, b in
                queries.pieces(first, last, coarser)]

    assert cut(date(2026, 1, 1), date(2026, 12, 31), (months, years)) == [
        ("year", date(2026, 1, 1), date(2026, 1, 1))]
    assert cut(date(2026, 1, 1), date(2026, 12, 31), (months,)) == [
        ("month", date(2026, 1, 1), date(2026, 12, 1))]
    assert cut(date(2025, 12, 15), date(2027, 2, 2)) == [
        ("year", date(2026, 1, 1), date(2026, 1, 1)),
        (None, date(2025, 12, 15), date(2025, 12, 31)),
        ("month", date(2027, 1, 1), date(2027, 1, 1)),
        (None, date(2027, 2, 1), date(2027, 2, 2)),
    ]
    assert cut(date(2026, 4, 30), date(2026, 6, 1)) == [
        ("month", date(2026, 5, 1), date(2026, 5, 1)),
        (None, date(2026, 4, 30), date(2026, 4, 30)),
        (None, date(2026, 6, 1), date(2026, 6, 1)),
    ]
    assert cut(date(2026, 2, 1), date(2026, 2, 28)) == [
        ("month", date(2026, 2, 1), date(2026, 2, 1))]
    assert cut(date(2026, 5, 14), date(2026, 5, 20)) == [
        (None, date(2026, 5, 14), date(2026, 5, 20))]
    assert cut(date(2026, 5, 14), date(2026, 5, 20), ()) == [
        (None, date(2026, 5, 14), date(2026, 5, 20))]


def test_each_pair_counts_women_not_reached_by_its_own_number_of_days(world):
    """The overview finds its pairs in SQL, and each pair's setting with them: a woman last
    met ten days ago is not reached for a pair that says seven days, and is for one that
    says thirty."""
    today = local_today()
    world.pair.no_contact_days, world.pair2.no_contact_days = 7, 30
    db.session.commit()
    for pair in (world.pair, world.pair2):
        woman = factories.make_client(pair, created_at=at(2020, 1, 1))
        factories.make_contact(woman, contacted_at=utcnow() - timedelta(days=10))
    period = period_of("month", today)
    overview = figures_of(world.supervisor, period, today)
    assert (overview[world.pair.id].not_reached, overview[world.pair2.id].not_reached) == (1, 0)
    # The breakdown, by the pairs' ids, agrees.
    for pair, expected in ((world.pair, 1), (world.pair2, 0)):
        item = figures_of(world.supervisor, period, today, chosen=[pair.id])[pair.id]
        assert item.not_reached == expected


def test_clients_tasks_wellbeing_meetings(world):
    today = local_today()
    pair = world.pair
    old = factories.make_client(pair, created_at=at(2020, 1, 1))
    factories.make_client(pair, created_at=at(2020, 1, 1), status="closed")
    factories.make_contact(old, contacted_at=at(2020, 1, 2))  # long ago: not reached
    factories.make_client(pair)  # new today, never contacted: counted as seen today
    factories.make_task(pair, assignee=Assignee.EXPERT, due_on=today - timedelta(days=1))
    factories.make_task(pair, assignee=Assignee.EXPERT)
    factories.make_task(pair, assignee=Assignee.PROFESSIONAL, status=TaskStatus.DONE)
    db.session.add_all([
        CheckIn(pair_id=pair.id, expert_id=pair.expert_id, strain=4, note="private words"),
        CheckIn(pair_id=pair.id, expert_id=pair.expert_id, strain=2),
        PairMeeting(pair_id=pair.id, kind=MeetingKind.PLANNING, held_on=today,
                    created_by_id=pair.professional_id),
        PairMeeting(pair_id=pair.id, kind=MeetingKind.SUPERVISION, held_on=today,
                    created_by_id=pair.professional_id),
    ])
    db.session.commit()
    # The overview's summary: clients, tasks and check-ins waiting.
    summary = figures_of(world.supervisor, period_of("month", today), today)[pair.id]
    assert (summary.active_clients, summary.new_clients, summary.not_reached) == (2, 1, 1)
    assert (summary.open_tasks, summary.overdue_tasks) == (2, 1)
    assert summary.waiting == 2
    assert summary.strain == [] and summary.meetings == {}  # the breakdown's figures
    # The breakdown of the pair.
    item = figures_of(world.supervisor, period_of("month", today), today,
                      chosen=[pair.id])[pair.id]
    assert (item.active_clients, item.new_clients, item.not_reached) == (2, 1, 1)
    assert item.tasks == {"expert": (2, 1)}
    assert item.waiting == 2 and item.waited_days == 0
    this_month = date(today.year, today.month, 1)
    # Her strain is hers: the supervisor sees how many were recorded, no mean...
    assert item.recorded == 2 and not item.strain_shared
    assert item.strain[-1] == (this_month, None, 2)
    assert len(item.strain) == 6
    # ...unless she shares her monthly trend.
    db.session.add(StrainShare(expert_id=pair.expert_id))
    db.session.commit()
    item = figures_of(world.supervisor, period_of("month", today), today,
                      chosen=[pair.id])[pair.id]
    assert item.strain_shared and item.strain[-1] == (this_month, 3.0, 2)
    # Her partner sees the trend of their own pair whatever she chose.
    mine = figures_of(world.pro, period_of("month", today), today)[pair.id]
    assert mine.strain[-1] == (this_month, 3.0, 2)
    assert item.meetings == {"planning": 1, "supervision": 1}


def test_period_boundaries_are_helsinki_days(world):
    fill(world)
    june = period_of("custom", date(2026, 6, 1), date(2026, 6, 1), date(2026, 6, 30))
    item = figures_of(world.supervisor, june)[world.pair.id]
    assert (item.contacts.count, item.contacts.minutes) == (1, 99)
    assert item.encounters.people == 5
    april = period_of("custom", date(2026, 4, 1), date(2026, 4, 1), date(2026, 4, 30))
    assert figures_of(world.supervisor, april)[world.pair.id].contacts.minutes == 99


@pytest.mark.parametrize(("kind", "first", "last"), [
    ("week", date(2026, 5, 11), date(2026, 5, 17)),
    ("month", date(2026, 5, 1), date(2026, 5, 31)),
    ("quarter", date(2026, 4, 1), date(2026, 6, 30)),
    ("year", date(2026, 1, 1), date(2026, 12, 31)),
])
def test_calendar_periods(kind, first, last):
    period = period_of(kind, date(2026, 5, 14))
    assert (period.first, period.last) == (first, last)


def test_balance_flag_when_one_partner_carries_the_solo_hours(world, client, auth):
    anna = factories.make_client(world.pair)
    for day in (4, 5, 6):
        factories.make_contact(anna, contacted_at=at(2026, 5, day), duration_minutes=60,
                               participants=Participants.PROFESSIONAL)
    factories.make_contact(anna, contacted_at=at(2026, 5, 7), duration_minutes=30,
                           participants=Participants.EXPERT)
    balance = figures_of(world.supervisor)[world.pair.id].balance
    assert balance.solo_heavy == "professional"
    assert balance.solo_share == pytest.approx(180 / 210)
    assert balance.below_expectation  # the expert took part in 1 of 4
    auth.login(world.supervisor.email)
    html = client.get("/dashboard/", query_string={**MAY_ARGS, "lang": "en"}).get_data(
        as_text=True)
    assert "Paula Pro carried 86 % of the hours worked alone" in html
    assert "Below the model&#39;s expectation" in html or "Below the model's expectation" in html


def test_supervisor_sees_own_pairs_in_numbers_only(world, client, auth):
    fill(world)
    other_client = factories.make_client(world.other, name="Other Pairs Woman")
    factories.make_contact(other_client, contacted_at=at(2026, 5, 3))
    auth.login(world.supervisor.email)
    response = client.get("/dashboard/", query_string=MAY_ARGS)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert str(escape(world.pair.label)) in html and str(escape(world.pair2.label)) in html
    assert str(escape(world.other.label)) not in html
    for secret in ("Anna", "Secret", "Bea Hidden", "Other Pairs Woman", "private words", "A-20"):
        assert secret not in html
    assert "/clients" not in html  # no links into client lists
    assert 'class="balance-chart"' in html
    # Asking for another supervisor's pair: it is not there at all.
    response = client.get("/dashboard/", query_string={**MAY_ARGS, "pair": world.other.id})
    assert response.status_code == 404
    assert str(escape(world.other.label)) not in response.get_data(as_text=True)
    # One of her own pairs only.
    html = client.get("/dashboard/", query_string={**MAY_ARGS, "pair": world.pair2.id}
                      ).get_data(as_text=True)
    assert f'id="pair-{world.pair2.id}-heading"' in html
    assert f'id="pair-{world.pair.id}-heading"' not in html


def test_admin_sees_every_pair(world, client, auth):
    auth.login_as(Role.ADMIN)
    html = client.get("/dashboard/").get_data(as_text=True)
    for pair in (world.pair, world.pair2, world.other):
        assert str(escape(pair.label)) in html
    assert "/clients" not in html


@pytest.mark.parametrize("who", ["pro", "expert"])
def test_partners_see_their_own_pair_with_links(world, client, auth, who):
    fill(world)
    auth.login(getattr(world, who).email)
    assert client.get("/dashboard/", query_string={"pair": world.pair2.id}).status_code == 404
    html = client.get("/dashboard/", query_string=MAY_ARGS).get_data(as_text=True)
    assert str(escape(world.pair.label)) in html
    assert str(escape(world.pair2.label)) not in html and str(escape(world.other.label)) not in html
    assert "/clients/?status=active" in html
    assert f"/pairs/{world.pair.id}/meetings" in html
    assert "Anna" not in html


def test_expert_before_the_confidentiality_agreement_gets_no_client_links(client, auth, app):
    pair = factories.make_pair()
    auth.login(pair.expert.email)
    html = client.get("/dashboard/").get_data(as_text=True)
    assert str(escape(pair.label)) in html
    assert "/clients/?status=active" not in html


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/dashboard/").status_code in (302, 401)


def test_navigation_has_the_dashboard(world, client, auth):
    auth.login(world.supervisor.email)
    html = client.get("/", query_string={"lang": "en"}).get_data(as_text=True)
    assert 'href="/dashboard/"' in html


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Balance of the division of labour"),
    ("fi", "Työnjaon tasapaino"),
    ("sv", "Arbetsfördelningens balans"),
])
def test_languages(world, client, auth, lang, text):
    auth.login(world.supervisor.email)
    response = client.get("/dashboard/", query_string={"lang": lang})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert text in html or (lang != "en" and "Balance of the division of labour" in html)


def test_custom_period_needs_valid_days(world, client, auth):
    auth.login(world.supervisor.email)
    response = client.get("/dashboard/", query_string={
        "period": "custom", "start": "2026-05-31", "end": "2026-05-01", "lang": "en"})
    assert response.status_code == 422
    assert "The last day cannot be before the first day." in response.get_data(as_text=True)
    response = client.get("/dashboard/", query_string={"period": "custom", "lang": "en"})
    assert response.status_code == 422
    assert "Enter the first day of the period." in response.get_data(as_text=True)


def test_htmx_period_switch_returns_the_figures_only(world, client, auth):
    fill(world)
    auth.login(world.supervisor.email)
    response = client.get("/dashboard/", query_string=MAY_ARGS,
                          headers={"HX-Request": "true", "HX-Target": "dashboard-figures"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert 'class="balance-chart"' in html
    assert "HX-Request" in response.headers.get("Vary", "")


def test_chart_escapes_names(client, auth, app):
    supervisor = factories.make_user(Role.SUPERVISOR)
    pair = factories.make_pair(
        professional=factories.make_user(Role.PROFESSIONAL, name="<script>x</script>"),
        supervisor=supervisor)
    anna = factories.make_client(pair)
    factories.make_contact(anna, duration_minutes=30)
    auth.login(supervisor.email)
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def _many(world, pairs: int, rows: int):
    supervisor = world.supervisor
    made = [factories.make_pair(supervisor=supervisor, starts_on=date(2025, 1, 1))
            for _ in range(pairs)]
    for pair in [world.pair, *made]:
        for n in range(rows):
            woman = factories.make_client(pair)
            factories.make_contact(woman, contacted_at=at(2026, 5, 1 + n % 28))
            factories.make_task(pair, assignee=Assignee.EXPERT)
            factories.make_encounter(pair, met_on=date(2026, 5, 1 + n % 28))
            db.session.add(CheckIn(pair_id=pair.id, expert_id=pair.expert_id, strain=3))
            db.session.add(PairMeeting(pair_id=pair.id, kind=MeetingKind.PLANNING,
                                       held_on=date(2026, 5, 2 + n % 20),
                                       created_by_id=pair.professional_id))
        db.session.commit()


@pytest.mark.parametrize(("role", "chosen"), [
    ("supervisor", False),  # the overview of her pairs
    ("supervisor", True),  # the breakdown of one of them
    ("pro", False),  # a partner's own pair, broken down
])
def test_fixed_number_of_queries(app, count_queries, role, chosen):
    def measure(pairs, rows):
        world = dashboard_world()
        _many(world, pairs, rows)
        user = world.supervisor if role == "supervisor" else world.pro
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        args = {**MAY_ARGS, "pair": world.pair.id} if chosen else MAY_ARGS
        with count_queries() as statements:
            response = client.get("/dashboard/", query_string=args)
        assert response.status_code == 200
        return statements

    few = measure(0, 1)
    many = measure(4, 8)
    assert len(few) == len(many), (len(few), len(many))
    assert len(many) <= 10, "\n\n".join(statement[:150] for statement in many)


def test_overview_has_a_row_per_pair_and_the_breakdown_one_pair(world, client, auth):
    """All her pairs: one summary row each, linked to the pair's breakdown for the same
    period, and the totals; the tables per channel, service and assignee only in the
    breakdown."""
    fill(world)
    auth.login(world.supervisor.email)
    html = client.get("/dashboard/", query_string={**MAY_ARGS, "lang": "en"}).get_data(
        as_text=True)
    assert html.count('<tr>\n            <th scope="row"><a href="/dashboard/?') == 2
    link = f"/dashboard/?pair={world.pair.id}&amp;period=custom&amp;start=2026-05-01" \
        f"&amp;end=2026-05-31"
    assert link in html
    assert 'class="pairs-summary"' in html and 'id="overview-heading"' in html
    for caption in ("Contacts by channel", "Accompaniments by service and outcome",
                    "Open tasks now, by assignee", "Per partner"):
        assert caption not in html
    assert f'id="pair-{world.pair.id}-heading"' not in html
    html = client.get(link.replace("&amp;", "&") + "&lang=en").get_data(as_text=True)
    assert f'id="pair-{world.pair.id}-heading"' in html
    assert f'id="pair-{world.pair2.id}-heading"' not in html
    for caption in ("Contacts by channel", "Accompaniments by service and outcome",
                    "Open tasks now, by assignee", "Per partner"):
        assert caption in html
    assert 'class="balance-table"' in html and 'class="pairs-summary"' not in html
    assert 'href="/dashboard/?period=custom&amp;start=2026-05-01&amp;end=2026-05-31"' in html
