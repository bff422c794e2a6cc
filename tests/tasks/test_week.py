"""The pair's week plan: days Monday to Sunday, moves by the professional, the expert's
proposals and the professional's decisions."""

import re
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.tasks.models import Assignee, ProposalStatus, TaskProposal, TaskStatus
from outreach.tasks.queries import parse_week, week_plan
from tests.factories import make_proposal, make_task
from tests.helpers import htmx_headers, sign_in
from tests.tasks.helpers import fresh_proposal, fresh_task, week_of


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def days_of(html: str) -> list[str]:
    """The HTML of each day's column, Monday to Sunday."""
    week = html[html.index('<ol class="week"'):html.index("</ol>", html.index('<ol class="week"'))]
    return re.split(r'<li class="day', week)[1:]


def week_url(world, day: date, **args) -> str:
    extra = "".join(f"&{k}={v}" for k, v in args.items())
    return f"/tasks/week?pair={world.pair.id}&week={week_of(day)}&lang=en{extra}"


def test_parse_week():
    assert parse_week("2026-W48") == date(2026, 11, 23)
    assert parse_week("2026-w01") == date(2025, 12, 29)
    assert parse_week("2026-W60") is None
    assert parse_week("last week") is None
    assert parse_week(None) is None


def test_the_week_shows_each_partners_and_the_shared_tasks_on_their_days(client, world):
    monday = monday_of(local_today())
    make_task(world.pair, title="Kelaan", assignee=Assignee.EXPERT, due_on=monday,
              due_time=time(13, 0), client_id=world.client.id)
    make_task(world.pair, title="Verkostopalaveri", assignee=Assignee.PROFESSIONAL,
              due_on=monday + timedelta(days=2))
    make_task(world.pair, title="Purkukeskustelu", assignee=Assignee.PAIR,
              due_on=monday + timedelta(days=4))
    make_task(world.pair, title="Hakemus", assignee=Assignee.CLIENT,
              due_on=monday + timedelta(days=4), status=TaskStatus.DONE)
    make_task(world.pair, title="Pudotettu", due_on=monday, status=TaskStatus.DROPPED)
    make_task(world.pair, title="Ensi viikolla", due_on=monday + timedelta(days=7))
    make_task(world.pair, title="Ilman päivää")
    make_task(world.other_pair, title="Vieras", due_on=monday)
    sign_in(client, world.expert)
    response = client.get(week_url(world, monday))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    days = days_of(html)
    assert len(days) == 7
    assert "Kelaan" in days[0] and "13:00" in days[0] and "Maija" in days[0]
    assert 'badge assignee-expert">Experience expert' in days[0]
    assert "Verkostopalaveri" in days[2] and "assignee-professional" in days[2]
    assert "Purkukeskustelu" in days[4] and "The pair together" in days[4]
    assert "Hakemus" in days[4] and "The woman herself" in days[4] and "status-done" in days[4]
    assert "Nothing planned." in days[1]
    assert "Pudotettu" not in html and "Vieras" not in html and "Ensi viikolla" not in html
    assert "Without a date (1)" in html and "Ilman päivää" in html
    today = local_today().weekday()
    assert 'aria-current="date"' in days[today] and "Today" in days[today]
    assert sum('aria-current="date"' in day for day in days) == 1


def test_previous_and_next_week(client, world):
    monday = monday_of(local_today())
    make_task(world.pair, title="Ensi viikolla", due_on=monday + timedelta(days=8))
    sign_in(client, world.expert)
    html = client.get(f"/tasks/week?pair={world.pair.id}&lang=en").get_data(as_text=True)
    previous, following = week_of(monday - timedelta(days=7)), week_of(monday + timedelta(days=7))
    assert f'rel="prev" href="/tasks/week?pair={world.pair.id}&amp;week={previous}"' in html
    assert f'rel="next" href="/tasks/week?pair={world.pair.id}&amp;week={following}"' in html
    assert "Ensi viikolla" not in html
    html = client.get(week_url(world, monday + timedelta(days=7))).get_data(as_text=True)
    assert "Ensi viikolla" in days_of(html)[1]
    assert 'aria-current="date"' not in html
    assert "This week" in html  # a way back
    # A week that is not one falls back to this week.
    html = client.get(f"/tasks/week?pair={world.pair.id}&week=nonsense&lang=en").get_data(
        as_text=True)
    assert 'aria-current="date"' in html


def test_a_professional_of_two_pairs_chooses_the_pair(client, world):
    sign_in(client, world.professional)
    html = client.get("/tasks/week?lang=en").get_data(as_text=True)
    assert f"/tasks/week?pair={world.pair.id}" in html
    assert f"/tasks/week?pair={world.unconfirmed_pair.id}" in html
    sign_in(client, world.expert)  # one pair: straight to it
    html = client.get("/tasks/week?lang=en").get_data(as_text=True)
    assert '<ol class="week"' in html


def test_an_expert_before_the_confidentiality_agreement_sees_the_week_without_clients(
        client, world):
    pair = world.unconfirmed_pair
    make_task(pair, title="Liisan asia", client_id=world.unconfirmed_client.id,
              due_on=local_today())
    make_task(pair, title="Kierros", due_on=local_today())
    sign_in(client, pair.expert)
    html = client.get(f"/tasks/week?pair={pair.id}&lang=en").get_data(as_text=True)
    assert "Kierros" in html and "Liisan asia" not in html and "Liisa" not in html
    assert "the pair&#39;s confidentiality agreement has not been recorded" in html
    plan = week_plan(pair.expert, pair, monday_of(local_today()))
    assert not plan.with_clients


def test_the_week_plan_runs_a_fixed_number_of_queries(client, world, count_queries):
    monday = monday_of(local_today())
    sign_in(client, world.professional)

    def add(n):
        for i in range(n):
            task = make_task(world.pair,
                             due_on=monday + timedelta(days=i % 7) if i % 8 else None,
                             client_id=world.client.id if i % 2 else None,
                             assignee=list(Assignee)[i % 4])
            if i % 5 == 0:
                make_proposal(task, new_assignee=Assignee.EXPERT)

    add(3)
    with count_queries() as few:
        assert client.get(week_url(world, monday)).status_code == 200
    add(27)
    with count_queries() as many:
        html = client.get(week_url(world, monday)).get_data(as_text=True)
    assert html.count('class="plan-item task') == 30
    assert len(many) == len(few)


# --- The professional moves and re-assigns ------------------------------------------------


def test_the_professional_moves_and_reassigns_in_place(client, world):
    monday = monday_of(local_today())
    task = make_task(world.pair, title="Soita", assignee=Assignee.PROFESSIONAL, due_on=monday)
    sign_in(client, world.professional)
    response = client.post(f"/tasks/{task.id}/plan?lang=en",
                           data={"assignee": "expert",
                                 "due_on": (monday + timedelta(days=3)).isoformat(),
                                 "week": week_of(monday)},
                           headers=htmx_headers("week-plan"))
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<!DOCTYPE" not in fragment and fragment.lstrip().startswith("<ol class=\"week\"")
    days = days_of(fragment)
    assert "Soita" in days[3] and "Soita" not in days[0]
    assert 'data-hx-swap-oob="innerHTML"' in fragment  # the live region hears it
    saved = fresh_task(task.id)
    assert saved.assignee == Assignee.EXPERT and saved.due_on == monday + timedelta(days=3)


def test_moving_works_without_javascript_and_validates(client, world):
    monday = monday_of(local_today())
    task = make_task(world.pair, title="Soita", due_on=monday)
    sign_in(client, world.professional)
    response = client.post(f"/tasks/{task.id}/plan",
                           data={"assignee": "pair", "due_on": "",
                                 "week": week_of(monday)})
    assert response.status_code == 302
    assert response.headers["Location"] == \
        f"/tasks/week?pair={world.pair.id}&week={week_of(monday)}"
    assert fresh_task(task.id).due_on is None
    response = client.post(f"/tasks/{task.id}/plan?lang=en",
                           data={"assignee": "pair", "due_on": "tomorrow",
                                 "week": week_of(monday)})
    assert response.status_code == 422
    assert "Enter a valid date. You entered: tomorrow" in response.get_data(as_text=True)


def test_the_expert_cannot_move_a_task_directly(client, world):
    task = make_task(world.pair, due_on=local_today())
    sign_in(client, world.expert)
    response = client.post(f"/tasks/{task.id}/plan",
                           data={"assignee": "expert", "due_on": local_today().isoformat()})
    assert response.status_code == 403
    html = client.get(f"/tasks/week?pair={world.pair.id}&lang=en").get_data(as_text=True)
    assert 'class="plan-control"' not in html and f"/tasks/{task.id}/propose" in html


# --- The expert proposes, the professional decides ---------------------------------------


def test_the_expert_proposes_and_the_professional_accepts(client, world):
    monday = monday_of(local_today())
    task = make_task(world.pair, title="Soita Kelaan", assignee=Assignee.PROFESSIONAL,
                     due_on=monday)
    sign_in(client, world.expert)
    week = f"/tasks/week?pair={world.pair.id}&week={week_of(monday)}"
    assert client.get(f"/tasks/{task.id}/propose?next={week}").status_code == 200
    new_day = monday + timedelta(days=2)
    response = client.post(f"/tasks/{task.id}/propose",
                           data={"new_due_on": new_day.isoformat(), "new_assignee": "expert",
                                 "note": "Näen hänet keskiviikkona.", "next": week})
    assert response.status_code == 302 and response.headers["Location"] == week
    proposal = db.session.scalar(sa.select(TaskProposal))
    assert (proposal.task_id, proposal.proposed_by_id, proposal.new_due_on,
            proposal.new_assignee, proposal.status) == (
        task.id, world.expert.id, new_day, Assignee.EXPERT, ProposalStatus.PENDING)
    assert fresh_task(task.id).due_on == monday  # nothing changes before the decision

    sign_in(client, world.professional)
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "The expert's proposals waiting for your decision (1)" in home
    assert "Näen hänet keskiviikkona." in home
    plan = client.get(f"{week}&lang=en").get_data(as_text=True)
    assert "Proposed changes waiting for a decision (1)" in plan
    assert "Change proposed" in plan
    response = client.post(f"/tasks/proposals/{proposal.id}/accept", data={"next": "/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    saved = fresh_task(task.id)
    assert saved.due_on == new_day and saved.assignee == Assignee.EXPERT
    decided = fresh_proposal(proposal.id)
    assert decided.status == ProposalStatus.ACCEPTED
    assert decided.decided_by_id == world.professional.id and decided.decided_at is not None
    # Deciding again changes nothing.
    assert client.post(f"/tasks/proposals/{proposal.id}/decline?lang=en").status_code == 302
    assert fresh_proposal(proposal.id).status == ProposalStatus.ACCEPTED
    assert "had already been decided" in client.get("/?lang=en").get_data(as_text=True)


def test_the_professional_declines(client, world):
    task = make_task(world.pair, title="Soita", due_on=local_today())
    proposal = make_proposal(task, new_assignee=Assignee.EXPERT,
                             new_due_on=local_today() + timedelta(days=1))
    sign_in(client, world.professional)
    assert client.post(f"/tasks/proposals/{proposal.id}/decline").status_code == 302
    assert fresh_proposal(proposal.id).status == ProposalStatus.DECLINED
    saved = fresh_task(task.id)
    assert saved.assignee == Assignee.PAIR and saved.due_on == local_today()
    assert "waiting for your decision" not in client.get("/?lang=en").get_data(as_text=True)


def test_the_expert_sees_her_proposal_waiting_but_cannot_decide(client, world):
    task = make_task(world.pair, title="Soita")
    proposal = make_proposal(task, new_assignee=Assignee.EXPERT)
    sign_in(client, world.expert)
    home = client.get("/?lang=en").get_data(as_text=True)
    assert "Your proposals waiting for the professional's decision (1)" in home
    assert "Accept" not in home
    for action in ("accept", "decline"):
        assert client.post(f"/tasks/proposals/{proposal.id}/{action}").status_code == 403
    assert fresh_proposal(proposal.id).status == ProposalStatus.PENDING


@pytest.mark.parametrize("data", [
    {},
    {"new_assignee": "pair"},  # the assignee it already has
    {"new_due_on": "2026-13-45"},
])
def test_a_proposal_must_change_something(client, world, data):
    task = make_task(world.pair, title="Soita", assignee=Assignee.PAIR)
    sign_in(client, world.expert)
    response = client.post(f"/tasks/{task.id}/propose?lang=en", data=data)
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(TaskProposal.id))) == 0


def test_the_professional_does_not_propose(client, world):
    task = make_task(world.pair)
    sign_in(client, world.professional)
    assert client.get(f"/tasks/{task.id}/propose").status_code == 403
