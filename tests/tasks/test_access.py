"""Who may use the task pages: partners only, each within their own pair's tasks; an
expert before the confidentiality agreement sees no task about a client."""


import pytest
import sqlalchemy as sa

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.steps.models import Decision
from outreach.tasks.models import Assignee, ProposalStatus, Task, TaskStatus
from tests import factories
from tests.factories import make_proposal, make_task
from tests.helpers import htmx_headers, sign_in
from tests.tasks.helpers import fresh_proposal, fresh_task


@pytest.fixture
def things(world):
    task = make_task(world.pair, title="Soita", client_id=world.client.id, due_on=local_today())
    proposal = make_proposal(task, new_assignee=Assignee.EXPERT)
    step = factories.make_step(factories.make_challenge(world.client), decision=Decision.AGREED)
    return {"task": task.id, "proposal": proposal.id, "step": step.id, "pair": world.pair.id}


# (method, url, data): every task route with an object of our pair.
ROUTES = [
    ("get", "/tasks/", None),
    ("get", "/tasks/new", None),
    ("post", "/tasks/new", {"title": "x", "pair_id": "{pair}", "assignee": "pair"}),
    ("get", "/tasks/week?pair={pair}", None),
    ("get", "/tasks/{task}/edit", None),
    ("post", "/tasks/{task}/edit", {"title": "x", "assignee": "pair", "version": "1"}),
    ("post", "/tasks/{task}/done", {}),
    ("post", "/tasks/{task}/reopen", {}),
    ("get", "/tasks/{task}/row", None),
    ("get", "/tasks/{task}/drop", None),
    ("post", "/tasks/{task}/drop", {"reason": "x"}),
    ("post", "/tasks/{task}/plan", {"assignee": "expert", "due_on": ""}),
    ("get", "/tasks/{task}/propose", None),
    ("post", "/tasks/{task}/propose", {"new_assignee": "professional"}),
    ("post", "/tasks/proposals/{proposal}/accept", {}),
    ("post", "/tasks/proposals/{proposal}/decline", {}),
    ("post", "/tasks/from-step/{step}", {}),
]
# Routes about one object of our pair: another pair's partners get 404 there.
OBJECT_ROUTES = [r for r in ROUTES if "{" in r[1] and "new" not in r[1]]
PROFESSIONAL_ONLY = ("/plan", "/accept", "/decline")
EXPERT_ONLY = ("/propose",)


def _url(url, things):
    return url.format(**things)


def _data(data, things):
    return None if data is None else {k: v.format(**things) for k, v in data.items()}


def _unchanged(things):
    task = fresh_task(things["task"])
    assert (task.title, task.status, task.assignee) == ("Soita", TaskStatus.OPEN, Assignee.PAIR)
    assert fresh_proposal(things["proposal"]).status == ProposalStatus.PENDING
    assert db.session.scalar(sa.select(sa.func.count(Task.id))) == 1  # none made of the step


@pytest.mark.parametrize("who", ["supervisor", "admin"])
@pytest.mark.parametrize(("method", "url", "data"), ROUTES)
def test_supervisors_and_administrators_are_refused(client, world, things, who, method, url,
                                                   data):
    sign_in(client, world.actor(who))
    response = getattr(client, method)(_url(url, things), data=_data(data, things))
    assert response.status_code == 403
    response = getattr(client, method)(_url(url, things), data=_data(data, things),
                                       headers=htmx_headers("task-1"))
    assert response.status_code == 403
    _unchanged(things)


@pytest.mark.parametrize("who", ["other_professional", "other_expert"])
@pytest.mark.parametrize(("method", "url", "data"), OBJECT_ROUTES)
def test_another_pairs_partners_get_404(client, world, things, who, method, url, data):
    sign_in(client, world.actor(who))
    role_refused = (who == "other_expert" and url.endswith(PROFESSIONAL_ONLY)) or \
        (who == "other_professional" and "/propose" in url)
    response = getattr(client, method)(_url(url, things), data=_data(data, things))
    assert response.status_code == (403 if role_refused else 404), url
    response = getattr(client, method)(_url(url, things), data=_data(data, things),
                                       headers=htmx_headers(f"task-{things['task']}"))
    assert response.status_code == (403 if role_refused else 404), url
    _unchanged(things)


@pytest.mark.parametrize(("method", "url", "data"), ROUTES)
def test_signed_out_users_are_sent_to_sign_in(client, world, things, method, url, data):
    response = getattr(client, method)(_url(url, things), data=_data(data, things))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    response = getattr(client, method)(_url(url, things), data=_data(data, things),
                                       headers=htmx_headers("task-1"))
    assert response.headers["HX-Redirect"].startswith("/login")
    _unchanged(things)


def test_an_expert_before_the_confidentiality_agreement_cannot_open_client_tasks(client, world):
    pair = world.unconfirmed_pair
    about_her = make_task(pair, title="Liisan asia", client_id=world.unconfirmed_client.id)
    general = make_task(pair, title="Kierros")
    sign_in(client, pair.expert)
    for url in (f"/tasks/{about_her.id}/edit", f"/tasks/{about_her.id}/drop",
                f"/tasks/{about_her.id}/propose"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/tasks/{about_her.id}/done").status_code == 404
    assert fresh_task(about_her.id).status == TaskStatus.OPEN
    assert client.get(f"/tasks/{general.id}/edit").status_code == 200
    # Nor can she choose a client for a new task: her pair's clients are not on the list.
    page = client.get("/tasks/new?lang=en").get_data(as_text=True)
    assert "Liisa" not in page
    response = client.post("/tasks/new", data={
        "title": "x", "pair_id": str(pair.id), "client_id": str(world.unconfirmed_client.id),
        "assignee": "expert"})
    assert response.status_code == 422


def test_an_ended_pair_has_no_tasks_for_its_partners(client, world):
    task = make_task(world.other_pair, title="Vanha")
    world.other_pair.ends_on = local_today()
    db.session.commit()
    sign_in(client, world.other_pair.professional)
    assert client.get(f"/tasks/{task.id}/edit").status_code == 404
    assert client.get(f"/tasks/week?pair={world.other_pair.id}").status_code == 404
    assert "Vanha" not in client.get("/tasks/").get_data(as_text=True)
