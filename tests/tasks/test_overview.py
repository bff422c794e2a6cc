"""Overdue counts on the home page and the client list, the pair's "no contact in N days",
her timeline and her page."""

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.tasks.models import Assignee, Task, TaskProposal, TaskStatus
from outreach.tasks.queries import overdue_by_client, overdue_count
from tests import factories
from tests.factories import make_task
from tests.helpers import sign_in

LATE = local_today() - timedelta(days=3)


def test_overdue_counts(world):
    make_task(world.pair, assignee=Assignee.PROFESSIONAL, due_on=LATE, client_id=world.client.id)
    make_task(world.pair, assignee=Assignee.PAIR, due_on=LATE, client_id=world.client.id)
    make_task(world.pair, assignee=Assignee.EXPERT, due_on=LATE)
    make_task(world.pair, assignee=Assignee.CLIENT, due_on=LATE, client_id=world.client.id)
    make_task(world.pair, assignee=Assignee.PROFESSIONAL, due_on=local_today())
    make_task(world.pair, assignee=Assignee.PROFESSIONAL, due_on=LATE, status=TaskStatus.DONE)
    make_task(world.other_pair, assignee=Assignee.PROFESSIONAL, due_on=LATE,
              client_id=world.other_client.id)
    assert overdue_count(world.professional) == 2
    assert overdue_count(world.expert) == 2
    assert overdue_count(world.supervisor) == 0
    assert overdue_by_client([world.client.id, world.other_client.id]) == {
        world.client.id: 3, world.other_client.id: 1}
    assert overdue_by_client([]) == {}


def test_home_page_shows_my_overdue_tasks(client, world):
    make_task(world.pair, assignee=Assignee.EXPERT, due_on=LATE)
    make_task(world.pair, assignee=Assignee.PAIR, due_on=LATE)
    sign_in(client, world.expert)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<a href="/tasks/">You have 2 overdue tasks.</a>' in html
    sign_in(client, world.actor("other_expert"))
    assert "No overdue tasks." in client.get("/?lang=en").get_data(as_text=True)
    sign_in(client, world.supervisor)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "overdue" not in html and "Your work" not in html


def test_client_list_flags_overdue_tasks_per_client(client, world, count_queries):
    other = factories.make_client(world.pair, name="Toinen")
    make_task(world.pair, due_on=LATE, client_id=world.client.id)
    make_task(world.pair, due_on=LATE, client_id=world.client.id)
    make_task(world.pair, due_on=local_today(), client_id=other.id)
    sign_in(client, world.professional)
    html = client.get("/clients/?lang=en").get_data(as_text=True)
    rows = {name: row for row in html.split("<tr>")
            for name in re.findall(r'<a href="/clients/\d+">([^<]+)</a>', row)}
    assert "2 overdue tasks" in rows["Maija"]
    assert "overdue" not in rows["Toinen"]


def test_client_list_runs_a_fixed_number_of_queries_with_overdue_counts(client, world,
                                                                        count_queries):
    sign_in(client, world.professional)

    def add(n):
        for i in range(n):
            her = factories.make_client(world.pair, name=f"Nainen {i:02d}")
            make_task(world.pair, due_on=LATE, client_id=her.id)

    add(3)
    with count_queries() as few:
        assert client.get("/clients/").status_code == 200
    add(17)
    with count_queries() as many:
        html = client.get("/clients/?lang=en").get_data(as_text=True)
    assert html.count("1 overdue task") == 20
    assert len(many) == len(few)


# --- The pair's "no contact in N days" --------------------------------------------------


def days_ago(days: int) -> datetime:
    return utcnow() - timedelta(days=days, hours=1)


def test_new_pairs_start_from_the_default(world):
    assert world.pair.no_contact_days == 14


@pytest.mark.parametrize("role", ["professional", "expert"])
def test_the_partners_set_the_number_of_days_on_the_pairs_page(client, world, role):
    sign_in(client, world.actor(role))
    page = client.get(f"/pairs/{world.pair.id}?lang=en").get_data(as_text=True)
    assert 'name="no_contact_days"' in page and 'value="14"' in page
    response = client.post(f"/pairs/{world.pair.id}/no-contact-days",
                           data={"no_contact_days": "30"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Pair, world.pair.id).no_contact_days == 30
    response = client.post(f"/pairs/{world.pair.id}/no-contact-days?lang=en",
                           data={"no_contact_days": "0"})
    assert response.status_code == 422
    assert "Enter a number from 1 to 365." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Pair, world.pair.id).no_contact_days == 30


@pytest.mark.parametrize(("who", "status"), [
    ("supervisor", 403), ("admin", 403), ("other_professional", 404), ("other_expert", 404),
])
def test_only_the_partners_set_it(client, world, who, status):
    sign_in(client, world.actor(who))
    response = client.post(f"/pairs/{world.pair.id}/no-contact-days",
                           data={"no_contact_days": "30"})
    assert response.status_code == status
    db.session.expire_all()
    assert db.session.get(Pair, world.pair.id).no_contact_days == 14


def test_the_client_list_and_home_use_each_pairs_own_setting(client, world):
    world.unconfirmed_pair.no_contact_days = 30
    db.session.commit()
    factories.make_client(world.pair, name="Hiljainen", last_record_at=days_ago(20))
    factories.make_client(world.unconfirmed_pair, name="Tuore", last_record_at=days_ago(20))
    factories.make_client(world.unconfirmed_pair, name="Kadonnut", last_record_at=days_ago(40))
    sign_in(client, world.professional)  # in both pairs: the settings differ
    html = client.get("/clients/?lang=en").get_data(as_text=True)
    rows = {name: row for row in html.split("<tr>")
            for name in re.findall(r'<a href="/clients/\d+">([^<]+)</a>', row)}
    assert "No contact in 14 days" in rows["Hiljainen"]
    assert "No contact" not in rows["Tuore"]
    assert "No contact in 30 days" in rows["Kadonnut"]
    filtered = client.get("/clients/?no_contact=y&lang=en").get_data(as_text=True)
    assert "Hiljainen" in filtered and "Kadonnut" in filtered and "Tuore" not in filtered
    # A number typed in the form applies to all.
    typed = client.get("/clients/?no_contact=y&days=35&lang=en").get_data(as_text=True)
    assert "Kadonnut" in typed and "Hiljainen" not in typed
    home = client.get("/?lang=en").get_data(as_text=True)
    section = home[home.index("Not reached lately"):]
    assert section.index("Kadonnut") < section.index("Hiljainen")  # the longest first
    assert "Tuore" not in section


# --- Her timeline and her page -----------------------------------------------------------------


def test_tasks_about_her_are_on_her_timeline_and_her_page(client, world):
    make_task(world.pair, title="Soita Kelaan", assignee=Assignee.EXPERT,
              client_id=world.client.id, due_on=LATE, created_by=world.expert)
    make_task(world.pair, title="Ei hänestä")
    sign_in(client, world.professional)
    timeline = client.get(f"/clients/{world.client.id}/timeline?lang=en").get_data(as_text=True)
    assert "Soita Kelaan" in timeline and "Experience expert, Open" in timeline
    assert "Eeva Expert" in timeline  # who added it
    assert "Ei hänestä" not in timeline
    page = client.get(f"/clients/{world.client.id}?lang=en").get_data(as_text=True)
    assert 'id="tasks-heading">Open tasks' in page and "Soita Kelaan" in page
    assert "overdue" in page
    assert f"/tasks/new?client={world.client.id}" in page


# --- Demo ---------------------------------------------------------------------------------------


def test_demo_tasks(app):
    from outreach import demo
    from outreach.tasks.demo import load_tasks

    assert demo.load() is True
    assert load_tasks() is False  # idempotent
    today = local_today()
    monday = today - timedelta(days=today.weekday())
    # The current pairs (the pair that ended years ago has no open work to plan).
    pairs = list(db.session.scalars(sa.select(Pair).where(Pair.ends_on.is_(None))
                                    .order_by(Pair.id)))
    assert len(pairs) == 2
    for pair in pairs:
        tasks = list(db.session.scalars(sa.select(Task).where(Task.pair_id == pair.id)))
        assert len(tasks) >= 20
        days = {t.due_on for t in tasks if t.due_on and monday <= t.due_on <= monday
                + timedelta(days=6)}
        assert len(days) >= 5  # something on most days of the week
        assert any(t.is_overdue(today) for t in tasks)
        assert any(t.status == TaskStatus.DONE for t in tasks)
        assert any(t.status == TaskStatus.DROPPED for t in tasks)
        assert {t.assignee for t in tasks} == set(Assignee)
        assert min(t.due_on for t in tasks if t.due_on) <= today - timedelta(days=25)
        assert max(t.due_on for t in tasks if t.due_on) >= today + timedelta(days=14)
    assert any(t.step_id for t in db.session.scalars(sa.select(Task)))
    [proposal] = db.session.scalars(sa.select(TaskProposal))
    assert proposal.proposed_by.email == "expert1@demo.test" and proposal.is_pending
