"""Demo tasks for both pairs: the past month (mostly done, some overdue, one dropped),
something on most days of the current week, the next two weeks, a few without a date,
tasks made of agreed steps, and a proposal from the expert waiting for the professional.
Idempotent: nothing is added when any task exists."""

from datetime import date, time, timedelta

import sqlalchemy as sa

from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client
from outreach.consents.queries import can_record
from outreach.core.records import already_loaded
from outreach.core.time import local_today, past_utc_at
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.steps.models import Assignee as StepAssignee
from outreach.steps.models import Decision, Step, StepState
from outreach.tasks.models import Assignee, Task, TaskOrigin, TaskProposal, TaskStatus

PRO, EXP, PAIR, HER = Assignee.PROFESSIONAL, Assignee.EXPERT, Assignee.PAIR, Assignee.CLIENT

# (days from today, time, title, assignee, which of her pair's women (None: no one), state)
# state: "done", "open", or a drop reason.
PAST = [
    (-27, None, "Varaa aika sosiaalitoimistoon", PRO, 0, "done"),
    (-24, time(11, 0), "Tapaaminen Kampissa, vie lämpimät sukat", EXP, 1, "done"),
    (-20, time(9, 0), "Suunnittelupalaveri: asiakastilanteet läpi", PAIR, None, "done"),
    (-17, None, "Selvitä Kelan asumistuen tilanne", PRO, 2, "done"),
    (-13, None, "Käy katsomassa päiväkeskuksessa", EXP, 3, "done"),
    (-10, None, "Toimita palkkatodistus Kelaan", HER, 0,
     "Ei enää tarpeen: hakemus tehtiin toisella tavalla."),
    (-8, None, "Soita velkaneuvontaan", PRO, 1, "open"),
    (-6, time(14, 0), "Purkukeskustelu", PAIR, None, "done"),
    (-4, None, "Etsi naisten yöpaikan yhteystiedot", EXP, 2, "open"),
    (-2, None, "Hae henkilökorttihakemuksen lomake", HER, 3, "open"),
]
# (day of the current week, Monday = 0, ...): days before today are done.
THIS_WEEK = [
    (0, time(9, 0), "Viikon suunnittelu", PAIR, None),
    (0, None, "Soita asumisneuvontaan", PRO, 0),
    (1, time(13, 0), "Kelan toimistolle yhdessä", EXP, 1),
    (2, None, "Kysy ensisuojasta vapaita paikkoja", PRO, 2),
    (2, time(15, 30), "Tapaaminen Hakaniemen torilla", EXP, 3),
    (3, time(10, 0), "Verkostopalaveri sosiaalitoimistossa", PRO, 0),
    (4, None, "Täytä asumistukihakemus", HER, 1),
    (4, time(14, 0), "Purkukeskustelu", PAIR, None),
    (5, None, "Kierros rautatieasemalla", EXP, None),
]
NEXT = [
    (8, time(10, 30), "Terveysaseman aika, mukaan", EXP, 2),
    (9, None, "Soita lastensuojelun sosiaalityöntekijälle", PRO, 3),
    (11, time(9, 0), "Suunnittelupalaveri", PAIR, None),
    (13, None, "Hae vuokravakuus sosiaalitoimistosta", HER, 0),
    (15, time(12, 0), "Velkaneuvonnan aika", PAIR, 1),
]
UNDATED = [
    ("Selvitä, saako kirjastosta lainata tietokonetta", EXP, None),
    ("Päivitä palveluluettelon yhteystiedot", PRO, None),
]
STEP_ASSIGNEE = {
    StepAssignee.PROFESSIONAL: PRO, StepAssignee.EXPERT: EXP, StepAssignee.PAIR: PAIR,
    StepAssignee.WOMAN: HER,
}
STEP_TASKS_PER_PAIR = 3


def _women(pair: Pair) -> list[Client]:
    clients = db.session.scalars(
        sa.select(Client)
        .where(Client.pair_id == pair.id, Client.merged_into_id.is_(None),
               Client.status == ClientStatus.ACTIVE)
        .order_by(Client.id)
    )
    return [client for client in clients if can_record(client)][:4]


def _task(pair: Pair, women: list[Client], title: str, assignee: Assignee, who: int | None,
          due_on: date | None, due_time: time | None, created_on: date, **fields) -> Task:
    client = women[who] if who is not None and who < len(women) else None
    author = pair.expert_id if assignee == EXP else pair.professional_id
    task = Task(
        pair_id=pair.id, client_id=client.id if client else None, title=title,
        assignee=assignee, due_on=due_on, due_time=due_time if due_on else None,
        created_by_id=author, created_at=past_utc_at(created_on, 8), **fields,
    )
    db.session.add(task)
    return task


def _finish(task: Task, pair: Pair, state: str, day: date) -> None:
    if state == "open":
        return
    by = pair.expert_id if task.assignee == EXP else pair.professional_id
    task.done_at = past_utc_at(day, 15)
    task.done_by_id = by
    if state == "done":
        task.status = TaskStatus.DONE
    else:
        task.status = TaskStatus.DROPPED
        task.drop_reason = state


def load_tasks() -> bool:
    if already_loaded(Task):
        return False
    pairs = list(db.session.scalars(sa.select(Pair).order_by(Pair.id)))
    if not pairs:
        return False
    today = local_today()
    monday = today - timedelta(days=today.weekday())
    proposal_task = None
    for number, pair in enumerate(pairs[:2]):
        women = _women(pair)
        for offset, at, title, assignee, who, state in PAST:
            day = today + timedelta(days=offset)
            task = _task(pair, women, title, assignee, who, day, at, day - timedelta(days=5))
            _finish(task, pair, state, day)
        for weekday, at, title, assignee, who in THIS_WEEK:
            day = monday + timedelta(days=weekday)
            task = _task(pair, women, title, assignee, who, day, at,
                         min(monday - timedelta(days=3), today))
            if day < today:
                _finish(task, pair, "done", day)
            elif number == 0 and assignee == PRO and proposal_task is None:
                proposal_task = task
        for offset, at, title, assignee, who in NEXT:
            task = _task(pair, women, title, assignee, who, today + timedelta(days=offset), at,
                         today - timedelta(days=1))
            # Late in the week no professional's task is left this week: the expert's
            # proposal is then about the next one, so the demo has it on every weekday.
            if number == 0 and assignee == PRO and proposal_task is None:
                proposal_task = task
        for title, assignee, who in UNDATED:
            _task(pair, women, title, assignee, who, None, None, today - timedelta(days=6))
        _step_tasks(pair, women, today)
    db.session.flush()
    if proposal_task is not None:
        first = pairs[0]
        # expert1 proposes to take it herself, a day later: the professional decides.
        new_day = proposal_task.due_on + timedelta(days=1)
        db.session.add(TaskProposal(
            task_id=proposal_task.id, proposed_by_id=first.expert_id,
            new_due_on=new_day if new_day.isocalendar()[1] == monday.isocalendar()[1] else None,
            new_assignee=EXP,
            note="Tapaan hänet joka tapauksessa torilla, voin hoitaa tämän samalla.",
            created_at=past_utc_at(today, 7),
        ))
    db.session.flush()
    return True


def _step_tasks(pair: Pair, women: list[Client], today: date) -> None:
    """Agreed, open steps of the pair's women become tasks (as with the step's button)."""
    if not women:
        return
    steps = db.session.scalars(
        sa.select(Step)
        .where(Step.client_id.in_([client.id for client in women]),
               Step.decision == Decision.AGREED, Step.state == StepState.OPEN)
        .order_by(Step.id)
        .limit(STEP_TASKS_PER_PAIR)
    )
    for n, step in enumerate(steps):
        due = step.due_on or today + timedelta(days=2 + 3 * n)
        author = pair.professional_id if n % 2 == 0 else pair.expert_id
        db.session.add(Task(
            pair_id=pair.id, client_id=step.client_id, step_id=step.id, origin=TaskOrigin.STEP,
            title=step.proposal[:200], assignee=STEP_ASSIGNEE[step.assignee], due_on=due,
            created_by_id=author, created_at=past_utc_at(today - timedelta(days=2), 9),
        ))
