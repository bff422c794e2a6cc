"""Tasks about a client, declared once as a kind of client record
(outreach/core/records.py). A task without a client is the pair's own and not declared
here; a task made from one of her steps is hers through the step."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from outreach.core.records import (
    REMOVED,
    HerDataPart,
    LogPart,
    RecordKind,
    Scrub,
    Section,
    plain_rows,
    timeline_of,
)
from outreach.core.time import local_today
from outreach.steps.models import Step
from outreach.tasks import queries
from outreach.tasks.demo import load_tasks
from outreach.tasks.models import (
    ASSIGNEE_NAMES,
    TASK_ORIGIN_NAMES,
    TASK_STATUS_NAMES,
    Task,
    TaskProposal,
)
from outreach.tasks.routes import bp


def _her_tasks(ids: list[int]):
    her_steps = sa.select(Step.id).where(Step.client_id.in_(ids))
    return sa.select(Task.id).where(sa.or_(Task.client_id.in_(ids), Task.step_id.in_(her_steps)))


def _section(client, _user, _rows) -> dict:
    return {"open_tasks": queries.open_tasks_of_client(client), "today": local_today(),
            "assignee_names": ASSIGNEE_NAMES, "status_names": TASK_STATUS_NAMES,
            "origin_names": TASK_ORIGIN_NAMES}


RECORD = RecordKind(
    name="task",
    models=(Task,),
    timeline=(
        timeline_of("task", _l("Task"), Task, Task.created_at, Task.created_by_id,
                    "tasks/_timeline.html"),
    ),
    sections=(Section("tasks", "tasks/_section.html", _section, order=55),),
    scrubs=(
        Scrub(Task, {"title": REMOVED, "drop_reason": None},
              lambda ids: Task.id.in_(_her_tasks(ids))),
        Scrub(TaskProposal, {"note": None}, lambda ids: TaskProposal.task_id.in_(_her_tasks(ids))),
    ),
    her_data=HerDataPart(
        "tasks", _l("Tasks"),
        plain_rows(Task, Task.created_at, Task.id),
        order=80,
    ),
    log_parts=(LogPart("tasks", _l("Tasks"), "tasks"),),
    demo=load_tasks,
    blueprint=bp,
)
