"""Tasks: adding and editing them, done/undo/drop in place, and my tasks grouped by when."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from outreach.clients.models import Client
from outreach.consents.models import Consent
from outreach.core.clock import utcnow
from outreach.core.time import local_day_bounds, local_today
from outreach.extensions import db
from outreach.tasks.models import Assignee, Task, TaskOrigin, TaskStatus
from outreach.tasks.queries import create_task, my_tasks
from tests.factories import make_task
from tests.helpers import htmx_headers, sign_in
from tests.tasks.helpers import fresh_task, this_wednesday


def task_count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count(Task.id)))


def new_data(world, **fields) -> dict:
    data = {"title": "Soita asumisneuvontaan", "pair_id": str(world.pair.id),
            "client_id": str(world.client.id), "assignee": "expert",
            "due_on": (local_today() + timedelta(days=2)).isoformat(), "due_time": "14:30"}
    data.update(fields)
    return data


# --- create_task, the function other domains call ------------------------------------------


def test_create_task_adds_an_open_task_without_committing(world):
    task = create_task(world.pair.id, "  Soita   Kelaan ", "expert", world.expert,
                       client_id=world.client.id, due_on=date(2026, 12, 1),
                       due_time=time(9, 30), origin=TaskOrigin.CONTACT)
    assert task in db.session.new
    db.session.flush()
    assert (task.title, task.assignee, task.status, task.origin) == (
        "Soita Kelaan", Assignee.EXPERT, TaskStatus.OPEN, TaskOrigin.CONTACT)
    assert (task.created_by_id, task.client_id, task.due_time) == (
        world.expert.id, world.client.id, time(9, 30))
    db.session.rollback()
    assert task_count() == 0


def test_create_task_keeps_no_time_without_a_date(world):
    task = create_task(world.pair.id, "Soita", Assignee.PAIR, world.professional.id,
                       due_time=time(9, 30))
    assert task.due_on is None and task.due_time is None


# --- New task --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["professional", "expert"])
def test_both_partners_add_a_task_about_a_client(client, world, role):
    user = world.actor(role)
    sign_in(client, user)
    before = db.session.get(Client, world.client.id).last_record_at
    page = client.get(f"/tasks/new?client={world.client.id}&lang=en")
    assert page.status_code == 200
    assert f'<option selected value="{world.client.id}">Maija' in page.get_data(as_text=True)
    response = client.post("/tasks/new?lang=en", data=new_data(world))
    assert response.status_code == 302
    task = db.session.scalar(sa.select(Task))
    assert (task.title, task.pair_id, task.client_id, task.assignee) == (
        "Soita asumisneuvontaan", world.pair.id, world.client.id, Assignee.EXPERT)
    assert task.due_time == time(14, 30) and task.created_by_id == user.id
    assert task.origin == TaskOrigin.DIRECT and task.status == TaskStatus.OPEN
    db.session.expire_all()
    assert db.session.get(Client, world.client.id).last_record_at > before


def test_a_task_without_a_client_or_date(client, world):
    sign_in(client, world.expert)  # the expert has one pair: no pair to choose
    page = client.get("/tasks/new?lang=en").get_data(as_text=True)
    assert 'name="pair_id"' in page and '<select' in page
    assert f'type="hidden" name="pair_id" value="{world.pair.id}"' in page
    response = client.post("/tasks/new", data={"title": "Kierros asemalla",
                                               "pair_id": str(world.pair.id),
                                               "assignee": "pair"})
    assert response.status_code == 302
    task = db.session.scalar(sa.select(Task))
    assert task.client_id is None and task.due_on is None and task.assignee == Assignee.PAIR


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": "  "}, "Write what needs doing."),
    ({"assignee": ""}, "Choose who does it."),
    ({"assignee": "boss"}, "Choose one of the options."),
    ({"due_on": "", "due_time": "10:00"}, "Give the date too, or leave the time empty."),
    ({"due_on": "31.2.2026"}, "Enter a valid date. You entered: 31.2.2026"),
    ({"due_time": "25:99"}, "Enter a valid time"),
    ({"title": "x" * 201}, "At most 200 characters."),
])
def test_invalid_new_task_is_refused_with_a_message_and_input_kept(client, world, fields,
                                                                    message):
    sign_in(client, world.professional)
    response = client.post("/tasks/new?lang=en", data=new_data(world, **fields))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    if "title" in fields:
        assert f'value="{fields["title"]}"' in html or not fields["title"].strip()
    else:
        assert 'value="Soita asumisneuvontaan"' in html
    assert f'<option selected value="{world.client.id}">' in html  # her choice is kept
    assert task_count() == 0


def test_a_client_of_another_pair_cannot_be_chosen(client, world):
    sign_in(client, world.professional)
    response = client.post("/tasks/new?lang=en",
                           data=new_data(world, client_id=str(world.other_client.id)))
    assert response.status_code == 422
    assert "Choose one of your clients from the list, or none." in response.get_data(
        as_text=True)
    assert task_count() == 0


def test_the_client_must_be_of_the_chosen_pair(client, world):
    sign_in(client, world.professional)  # in two pairs
    response = client.post("/tasks/new?lang=en",
                           data=new_data(world, client_id=str(world.unconfirmed_client.id)))
    assert response.status_code == 422
    assert "Liisa is a client of another of your pairs" in response.get_data(as_text=True)
    assert task_count() == 0


def test_no_task_about_her_without_a_valid_consent(client, world):
    consent = db.session.scalar(sa.select(Consent).where(Consent.client_id == world.client.id))
    consent.withdrawn_on = local_today()
    consent.withdrawn_by_id = world.professional.id
    db.session.commit()
    sign_in(client, world.professional)
    response = client.post("/tasks/new?lang=en", data=new_data(world))
    assert response.status_code == 422
    assert "without her valid consent" in response.get_data(as_text=True)
    assert task_count() == 0


# --- Edit -------------------------------------------------------------------------------------


def edit_data(task: Task, **fields) -> dict:
    data = {"title": task.title, "client_id": str(task.client_id or ""),
            "assignee": task.assignee.value,
            "due_on": task.due_on.isoformat() if task.due_on else "",
            "due_time": task.due_time.strftime("%H:%M") if task.due_time else "",
            "version": str(task.version)}
    data.update(fields)
    return data


def test_the_professional_edits_a_task(client, world):
    task = make_task(world.pair, title="Soita", client_id=world.client.id,
                     due_on=local_today(), created_by=world.expert)
    sign_in(client, world.professional)
    assert client.get(f"/tasks/{task.id}/edit").status_code == 200
    response = client.post(f"/tasks/{task.id}/edit",
                           data=edit_data(task, title="Soita Kelaan", assignee="expert",
                                          due_time="08:15", client_id=""))
    assert response.status_code == 302
    saved = fresh_task(task.id)
    assert (saved.title, saved.assignee, saved.due_time, saved.client_id) == (
        "Soita Kelaan", Assignee.EXPERT, time(8, 15), None)
    assert saved.version == 2


def test_the_expert_edits_the_text_but_proposes_who_and_when(client, world):
    task = make_task(world.pair, title="Soita", assignee=Assignee.PROFESSIONAL,
                     due_on=local_today(), created_by=world.professional)
    sign_in(client, world.expert)
    page = client.get(f"/tasks/{task.id}/edit?lang=en").get_data(as_text=True)
    assert 'name="assignee"' not in page and 'name="due_on"' not in page
    assert "The professional decides who does it and when." in page
    assert f"/tasks/{task.id}/propose" in page
    response = client.post(f"/tasks/{task.id}/edit",
                           data=edit_data(task, title="Soita Kelaan", assignee="expert",
                                          due_on="2030-01-01"))
    assert response.status_code == 302
    saved = fresh_task(task.id)
    assert (saved.title, saved.assignee, saved.due_on) == (
        "Soita Kelaan", Assignee.PROFESSIONAL, local_today())
    # A task she added herself she also schedules herself.
    own = make_task(world.pair, title="Oma", assignee=Assignee.EXPERT, created_by=world.expert)
    response = client.post(f"/tasks/{own.id}/edit",
                           data=edit_data(own, assignee="pair", due_on="2030-01-01"))
    assert response.status_code == 302
    saved = fresh_task(own.id)
    assert (saved.assignee, saved.due_on) == (Assignee.PAIR, date(2030, 1, 1))


def test_edit_validates(client, world):
    task = make_task(world.pair, title="Soita")
    sign_in(client, world.professional)
    response = client.post(f"/tasks/{task.id}/edit?lang=en", data=edit_data(task, title=""))
    assert response.status_code == 422
    assert "Write what needs doing." in response.get_data(as_text=True)
    assert fresh_task(task.id).title == "Soita"


def test_a_stale_edit_shows_both_versions_and_keeps_the_input(client, world):
    task = make_task(world.pair, title="Soita", due_on=date(2026, 12, 1))
    sign_in(client, world.professional)
    old = edit_data(task)
    sign_in(client, world.expert)
    assert client.post(f"/tasks/{task.id}/edit",
                       data=edit_data(task, title="Eevan versio")).status_code == 302
    sign_in(client, world.professional)
    response = client.post(f"/tasks/{task.id}/edit?lang=en",
                           data={**old, "title": "Paulan versio"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Saved version" in html and "Eevan versio" in html
    assert "Your version, not saved yet" in html and 'value="Paulan versio"' in html
    assert 'name="version" type="hidden" value="2"' in html
    assert fresh_task(task.id).title == "Eevan versio"


# --- Done, undo, drop ----------------------------------------------------------------------


def test_done_in_place_with_htmx_then_undo(client, world):
    task = make_task(world.pair, title="Soita Kelaan", due_on=local_today())
    sign_in(client, world.expert)
    response = client.post(f"/tasks/{task.id}/done?lang=en", data={"next": "/tasks/"},
                           headers=htmx_headers(f"task-{task.id}"))
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<li id="task-{task.id}"')
    assert "<!DOCTYPE" not in fragment
    assert f'action="/tasks/{task.id}/reopen"' in fragment and "Undo" in fragment
    # The Undo button goes away by itself: the row is fetched again after a few seconds.
    assert f'data-hx-get="/tasks/{task.id}/row' in fragment
    assert 'data-hx-trigger="load delay:8s"' in fragment
    assert "<script" not in fragment and "style=" not in fragment
    assert "Marked done: Soita Kelaan" in fragment  # for the live region, out of band
    saved = fresh_task(task.id)
    assert saved.status == TaskStatus.DONE and saved.done_by_id == world.expert.id
    assert saved.done_at is not None

    undo = client.post(f"/tasks/{task.id}/reopen?lang=en", data={"next": "/tasks/"},
                       headers=htmx_headers(f"task-{task.id}"))
    assert undo.status_code == 200
    assert f'action="/tasks/{task.id}/done"' in undo.get_data(as_text=True)
    saved = fresh_task(task.id)
    assert saved.status == TaskStatus.OPEN and saved.done_at is None and saved.done_by_id is None


def test_the_row_fetched_after_the_undo_time_has_no_undo(client, world):
    task = make_task(world.pair, status=TaskStatus.DONE, done_at=utcnow(),
                     done_by_id=world.professional.id)
    sign_in(client, world.professional)
    row = client.get(f"/tasks/{task.id}/row?lang=en", headers=htmx_headers(f"task-{task.id}"))
    assert row.status_code == 200
    html = row.get_data(as_text=True)
    assert "Undo" not in html and "load delay" not in html
    assert "Done by Paula Pro" in html
    # Without htmx it is not a page of its own.
    assert client.get(f"/tasks/{task.id}/row").status_code == 302


def test_done_and_reopen_without_javascript(client, world):
    task = make_task(world.pair, title="Soita")
    sign_in(client, world.professional)
    response = client.post(f"/tasks/{task.id}/done?lang=en", data={"next": "/tasks/week"})
    assert response.status_code == 302 and response.headers["Location"] == "/tasks/week"
    assert fresh_task(task.id).status == TaskStatus.DONE
    page = client.get("/tasks/?lang=en").get_data(as_text=True)
    assert "Marked done: Soita" in page
    # A foreign address in `next` is not followed.
    response = client.post(f"/tasks/{task.id}/reopen", data={"next": "https://evil.test/"})
    assert response.headers["Location"] == "/tasks/"
    assert fresh_task(task.id).status == TaskStatus.OPEN


def test_drop_asks_first_and_needs_a_reason(client, world):
    task = make_task(world.pair, title="Hae lomake")
    sign_in(client, world.expert)
    page = client.get("/tasks/?lang=en").get_data(as_text=True)
    # The row's drop button only opens the question (a disclosure), with the reason field.
    assert '<details class="confirm">' in page
    assert "Drop this task? It stays on record as dropped, with the reason." in page
    assert client.get(f"/tasks/{task.id}/drop?lang=en").status_code == 200
    response = client.post(f"/tasks/{task.id}/drop?lang=en", data={"reason": " "})
    assert response.status_code == 422
    assert "Write why the task is dropped." in response.get_data(as_text=True)
    assert fresh_task(task.id).status == TaskStatus.OPEN
    response = client.post(f"/tasks/{task.id}/drop", data={"reason": "Hoiti sen itse.",
                                                           "next": "/tasks/"})
    assert response.status_code == 302
    saved = fresh_task(task.id)
    assert saved.status == TaskStatus.DROPPED and saved.drop_reason == "Hoiti sen itse."
    # Dropping it again: nothing to drop.
    assert client.post(f"/tasks/{task.id}/drop", data={"reason": "x"}).status_code == 409


# --- My tasks -----------------------------------------------------------------------------------


def test_my_tasks_are_grouped_by_when_they_are_due(world):
    today = this_wednesday()
    pair, pro = world.pair, world.professional
    start, _ = local_day_bounds(today)

    def task(title, due, assignee=Assignee.PROFESSIONAL, **fields):
        return make_task(pair, title=title, assignee=assignee,
                         due_on=today + timedelta(days=due) if due is not None else None,
                         **fields)

    task("overdue", -5)
    task("earlier overdue", -9)
    task("today late", 0, due_time=time(16, 0))
    task("today early", 0, due_time=time(9, 0))
    task("friday", 2)
    task("sunday", 4, Assignee.PAIR)
    task("next monday", 5)
    task("no date", None)
    task("done today", 0, status=TaskStatus.DONE, done_at=start + timedelta(hours=10))
    task("done yesterday", -1, status=TaskStatus.DONE, done_at=start - timedelta(hours=2))
    task("dropped", 0, status=TaskStatus.DROPPED, drop_reason="x")
    task("the expert's", 0, Assignee.EXPERT)
    task("hers", 0, Assignee.CLIENT)
    make_task(world.other_pair, title="other pair's", assignee=Assignee.PROFESSIONAL,
              due_on=today)

    mine = my_tasks(pro, today)
    titles = lambda group: [t.title for t in group]  # noqa: E731
    assert titles(mine.overdue) == ["earlier overdue", "overdue"]
    assert titles(mine.today) == ["today early", "today late"]
    assert titles(mine.this_week) == ["friday", "sunday"]
    assert titles(mine.later) == ["next monday"]
    assert titles(mine.no_date) == ["no date"]
    assert titles(mine.done_today) == ["done today"]
    assert mine.open_count == 8

    expert = my_tasks(world.expert, today)
    assert titles(expert.today) == ["the expert's"]
    assert titles(expert.this_week) == ["sunday"]


def test_an_expert_before_the_confidentiality_agreement_sees_no_client_tasks(client, world):
    pair = world.unconfirmed_pair
    make_task(pair, title="Liisan asia", assignee=Assignee.EXPERT,
              client_id=world.unconfirmed_client.id, due_on=local_today())
    make_task(pair, title="Kierros asemalla", assignee=Assignee.EXPERT, due_on=local_today())
    expert = pair.expert
    assert [t.title for t in my_tasks(expert).today] == ["Kierros asemalla"]
    sign_in(client, expert)
    page = client.get("/tasks/?lang=en").get_data(as_text=True)
    assert "Kierros asemalla" in page and "Liisan asia" not in page
    assert "because its confidentiality agreement has not been recorded yet" in page


def test_my_tasks_page_overdue_first_and_done_today_collapsible(client, world):
    today = local_today()
    make_task(world.pair, title="Myöhässä", assignee=Assignee.PROFESSIONAL,
              due_on=today - timedelta(days=3), client_id=world.client.id)
    make_task(world.pair, title="Tänään", due_on=today)
    make_task(world.pair, title="Tehty", status=TaskStatus.DONE, done_at=utcnow(),
              done_by_id=world.expert.id)
    sign_in(client, world.professional)
    html = client.get("/tasks/?lang=en").get_data(as_text=True)
    assert html.index("Overdue (1)") < html.index("Myöhässä") < html.index("Today (1)") \
        < html.index("Tänään")
    assert '<details class="done-today">' in html
    assert html.index('<details class="done-today">') < html.index("Tehty")
    assert 'href="/clients/' in html and "Maija" in html


def test_my_tasks_runs_a_fixed_number_of_queries(client, world, count_queries):
    sign_in(client, world.professional)
    today = local_today()

    def add(n):
        for i in range(n):
            make_task(world.pair if i % 2 else world.unconfirmed_pair,
                      due_on=today + timedelta(days=i - 5),
                      client_id=world.client.id if i % 2 else world.unconfirmed_client.id,
                      assignee=Assignee.PROFESSIONAL if i % 3 else Assignee.PAIR)

    add(3)
    with count_queries() as few:
        assert client.get("/tasks/").status_code == 200
    add(27)
    with count_queries() as many:
        html = client.get("/tasks/").get_data(as_text=True)
    assert html.count('class="task task-open') == 30
    assert len(many) == len(few)
