"""A task made of a step she has agreed to: one action on the step."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from outreach.clients.models import Client
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.steps.models import Assignee as StepAssignee
from outreach.steps.models import ChallengeStatus, Decision
from outreach.tasks.models import Assignee, Task, TaskOrigin, TaskStatus
from tests import factories
from tests.helpers import sign_in


def tasks() -> list[Task]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Task).order_by(Task.id)))


@pytest.mark.parametrize(("role", "step_assignee", "assignee"), [
    ("professional", StepAssignee.WOMAN, Assignee.CLIENT),
    ("expert", StepAssignee.EXPERT, Assignee.EXPERT),
    ("expert", StepAssignee.PAIR, Assignee.PAIR),
])
def test_an_agreed_step_becomes_a_task(client, world, role, step_assignee, assignee):
    due = local_today() + timedelta(days=4)
    step = factories.make_step(factories.make_challenge(world.client), decision=Decision.AGREED,
                               proposal="Haetaan Kelasta asumistukea.",
                               assignee=step_assignee, due_on=due)
    user = world.actor(role)
    sign_in(client, user)
    page = client.get(f"/clients/{world.client.id}/challenges/?lang=en").get_data(as_text=True)
    assert f'action="/tasks/from-step/{step.id}"' in page and "Make a task" in page
    before = db.session.get(Client, world.client.id).last_record_at
    response = client.post(f"/tasks/from-step/{step.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/challenges/#step-{step.id}")
    [task] = tasks()
    assert (task.origin, task.step_id, task.client_id, task.pair_id) == (
        TaskOrigin.STEP, step.id, world.client.id, world.pair.id)
    assert (task.title, task.assignee, task.due_on, task.created_by_id) == (
        "Haetaan Kelasta asumistukea.", assignee, due, user.id)
    assert db.session.get(Client, world.client.id).last_record_at > before
    # The step shows its task's status now, and no second button.
    page = client.get(f"/clients/{world.client.id}/challenges/?lang=en").get_data(as_text=True)
    assert f"/tasks/{task.id}/edit" in page and "task-status-open" in page
    assert f'action="/tasks/from-step/{step.id}"' not in page
    assert client.post(f"/tasks/from-step/{step.id}").status_code == 409
    assert len(tasks()) == 1
    # Done later: the step says so.
    task.status = TaskStatus.DONE
    db.session.commit()
    page = client.get(f"/clients/{world.client.id}/challenges/?lang=en").get_data(as_text=True)
    assert "task-status-done" in page


@pytest.mark.parametrize("decision", [Decision.PENDING, Decision.WANTS_TO_THINK,
                                      Decision.DECLINED])
def test_only_an_agreed_step_becomes_a_task(client, world, decision):
    step = factories.make_step(factories.make_challenge(world.client), decision=decision)
    sign_in(client, world.professional)
    page = client.get(f"/clients/{world.client.id}/challenges/?lang=en").get_data(as_text=True)
    assert "Make a task" not in page
    response = client.post(f"/tasks/from-step/{step.id}?lang=en")
    assert response.status_code == 409
    assert "Only a step she has agreed to" in response.get_data(as_text=True)
    assert tasks() == []


def test_no_task_from_a_step_of_a_closed_challenge(client, world):
    challenge = factories.make_challenge(world.client, status=ChallengeStatus.RESOLVED,
                                         closed_on=local_today())
    step = factories.make_step(challenge, decision=Decision.AGREED)
    sign_in(client, world.professional)
    assert client.post(f"/tasks/from-step/{step.id}").status_code == 409
    assert tasks() == []


def test_a_dropped_task_can_be_made_again(client, world):
    step = factories.make_step(factories.make_challenge(world.client), decision=Decision.AGREED)
    factories.make_task(world.pair, client_id=world.client.id, step_id=step.id,
                        status=TaskStatus.DROPPED, drop_reason="x")
    sign_in(client, world.professional)
    assert client.post(f"/tasks/from-step/{step.id}").status_code == 302
    assert [t.status for t in tasks()] == [TaskStatus.DROPPED, TaskStatus.OPEN]


def test_no_task_from_a_step_without_her_valid_consent(client, world):
    her = factories.make_client(world.pair, name="Ilman suostumusta")
    step = factories.make_step(factories.make_challenge(her), decision=Decision.AGREED)
    sign_in(client, world.professional)
    assert client.post(f"/tasks/from-step/{step.id}").status_code == 403
    assert tasks() == []


def test_a_step_that_does_not_exist(client, world):
    sign_in(client, world.professional)
    assert client.post("/tasks/from-step/999").status_code == 404
