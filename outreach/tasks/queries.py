"""Task queries, each scoped by the user's pairs.

Tasks belong to a pair. Its two partners see the tasks of their working pairs; an expert
sees tasks ABOUT a client only once her pair's confidentiality agreement is recorded
(`client_pair_ids`), so before it she sees the tasks without a client only. Supervisors
and administrators see no tasks (their routes refuse the role).

Every page function runs a fixed number of queries, whatever the number of tasks."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from outreach.accompaniments.queries import planned_for_week
from outreach.auth.models import Role, User
from outreach.clients.models import Client
from outreach.clients.queries import home_client_lists
from outreach.core.clock import utcnow
from outreach.core.time import days_since, local_day, local_day_bounds, local_today, week_bounds
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.scope import client_pair_ids, may_see_clients, writing_pair_ids
from outreach.steps.models import Step
from outreach.tasks.models import (
    Assignee,
    ProposalStatus,
    Task,
    TaskOrigin,
    TaskProposal,
    TaskStatus,
)

# The assignee that means "me" for each partner's role; PAIR is both partners' too.
OWN_ASSIGNEE = {Role.PROFESSIONAL: Assignee.PROFESSIONAL, Role.EXPERT: Assignee.EXPERT}


def _user_id(user: User | int) -> int:
    return user if isinstance(user, int) else user.id


def create_task(pair_id: int, title: str, assignee: Assignee | str, created_by: User | int,
                client_id: int | None = None, step_id: int | None = None,
                due_on: date | None = None, due_time: time | None = None,
                origin: TaskOrigin = TaskOrigin.DIRECT) -> Task:
    """A new open task, added to the session (no commit). The caller has checked the scope
    (the pair is the user's, the client is the pair's) and, for a task about a client, her
    consent; it also calls `client.touch()` in the same transaction."""
    task = Task(
        pair_id=pair_id,
        title=" ".join(title.split())[:200],
        assignee=Assignee(assignee),
        created_by_id=_user_id(created_by),
        client_id=client_id,
        step_id=step_id,
        due_on=due_on,
        due_time=due_time if due_on is not None else None,
        origin=TaskOrigin(origin),
        status=TaskStatus.OPEN,
    )
    db.session.add(task)
    return task


# --- Scope ---------------------------------------------------------------------------------


def task_scope(user: User, day: date | None = None):
    """The condition every task query of a user starts from."""
    day = day or local_today()
    return sa.and_(
        Task.pair_id.in_(writing_pair_ids(user, day)),
        sa.or_(Task.client_id.is_(None), Task.pair_id.in_(client_pair_ids(user, day))),
    )


def mine(user: User):
    """Tasks assigned to the user's role, or to the pair together."""
    own = OWN_ASSIGNEE.get(user.role)
    if own is None:
        return sa.false()
    return Task.assignee.in_([own, Assignee.PAIR])


def task_or_404(user: User, task_id: int, *options) -> Task:
    query = sa.select(Task).where(Task.id == task_id, task_scope(user))
    task = db.session.scalar(query.options(*options) if options else query)
    if task is None:
        abort(404)
    return task


def row_options():
    """What one task's row shows."""
    return (
        joinedload(Task.client),
        joinedload(Task.done_by),
        joinedload(Task.pair).joinedload(Pair.professional),
        joinedload(Task.pair).joinedload(Pair.expert),
    )


def follow_up_task(client: Client, user: User, title: str, assignee, due_on, origin):
    """The follow-up task of a contact, an accompaniment or a network contact: a task of her
    pair about her (outreach.tasks), added to the session."""
    return create_task(client.pair_id, title, assignee, user, client_id=client.id,
                       due_on=due_on, origin=origin)


# --- My tasks ------------------------------------------------------------------------------


def _by_due(task: Task):
    return (task.due_on or date.max, task.due_time or time.max, task.id)


@dataclass
class MyTasks:
    overdue: list[Task] = field(default_factory=list)
    today: list[Task] = field(default_factory=list)
    this_week: list[Task] = field(default_factory=list)  # after today, to Sunday
    later: list[Task] = field(default_factory=list)
    no_date: list[Task] = field(default_factory=list)
    done_today: list[Task] = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(len(group) for group in
                   (self.overdue, self.today, self.this_week, self.later, self.no_date))


def my_tasks_query(user: User, today: date | None = None) -> sa.Select:
    """The rows of my tasks: open ones and those done today, in the user's scope, by due
    date (no date last). The page groups them; the export writes them in this order."""
    today = today or local_today()
    start, end = local_day_bounds(today)
    return (
        sa.select(Task)
        .where(task_scope(user, today), mine(user))
        .where(
            sa.or_(
                Task.status == TaskStatus.OPEN,
                sa.and_(Task.status == TaskStatus.DONE, Task.done_at >= start,
                        Task.done_at < end),
            )
        )
        .options(*row_options())
        .order_by(Task.due_on.is_(None), Task.due_on, Task.due_time.is_(None), Task.due_time,
                  Task.id)
    )


def my_tasks(user: User, today: date | None = None) -> MyTasks:
    """The user's open tasks grouped by when they are due, and those done today: one query."""
    today = today or local_today()
    query = my_tasks_query(user, today)
    result = MyTasks()
    _, sunday = week_bounds(today)
    for task in sorted(db.session.scalars(query), key=_by_due):
        if task.status == TaskStatus.DONE:
            result.done_today.append(task)
        elif task.due_on is None:
            result.no_date.append(task)
        elif task.due_on < today:
            result.overdue.append(task)
        elif task.due_on == today:
            result.today.append(task)
        elif task.due_on <= sunday:
            result.this_week.append(task)
        else:
            result.later.append(task)
    result.done_today.sort(key=lambda task: (task.done_at, task.id), reverse=True)
    return result


def _overdue_count_column(user: User, today: date):
    return (
        sa.select(sa.func.count(Task.id)).where(
            task_scope(user, today), mine(user),
            Task.status == TaskStatus.OPEN, Task.due_on < today,
        ).correlate(None).scalar_subquery()
    )


def overdue_count(user: User, today: date | None = None) -> int:
    """How many of the user's own open tasks are past their due date: one query."""
    return db.session.scalar(sa.select(_overdue_count_column(user, today or local_today())))


def overdue_by_client(client_ids: list[int], today: date | None = None) -> dict[int, int]:
    """Open tasks past their due date per client (for the client list), in one GROUP BY.
    The ids come from a list already scoped by `clients_of`."""
    if not client_ids:
        return {}
    today = today or local_today()
    rows = db.session.execute(
        sa.select(Task.client_id, sa.func.count(Task.id))
        .where(Task.client_id.in_(client_ids), Task.status == TaskStatus.OPEN,
               Task.due_on < today)
        .group_by(Task.client_id)
    )
    return dict(rows.all())


def open_tasks_of_client(client: Client, limit: int = 10) -> list[Task]:
    """Her open tasks for the client page, soonest first: one query. The client was loaded
    through `client_or_404`, so the user may see her and her pair's tasks."""
    query = (
        sa.select(Task)
        .where(Task.client_id == client.id, Task.status == TaskStatus.OPEN)
        .order_by(Task.due_on.is_(None), Task.due_on, Task.due_time, Task.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


# --- Changing a task -----------------------------------------------------------------------


def mark_done(task: Task, user: User) -> bool:
    if task.status == TaskStatus.DONE:
        return False
    task.status = TaskStatus.DONE
    task.done_at = utcnow()
    task.done_by_id = user.id
    task.drop_reason = None
    return True


def reopen(task: Task) -> bool:
    if task.status == TaskStatus.OPEN:
        return False
    task.status = TaskStatus.OPEN
    task.done_at = None
    task.done_by_id = None
    task.drop_reason = None
    return True


def drop(task: Task, user: User, reason: str) -> None:
    task.status = TaskStatus.DROPPED
    task.drop_reason = reason.strip()
    task.done_at = utcnow()
    task.done_by_id = user.id


# --- The week plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekItem:
    """One thing on a day of the week plan: a task, or a planned accompaniment."""

    kind: str  # "task" | "accompaniment"
    record: object
    at: time | None  # the time of day, if any, for ordering within the day


@dataclass
class WeekPlan:
    pair: Pair
    monday: date
    days: list[tuple[date, list[WeekItem]]]
    earlier: list[Task]  # still open from before this week (shown on the current week)
    undated: list[Task]  # open, no date yet: to be scheduled
    proposals: list[TaskProposal]  # pending, on the pair's open tasks
    with_clients: bool  # False: an expert before the confidentiality agreement

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def proposed_task_ids(self) -> set[int]:
        return {proposal.task_id for proposal in self.proposals}


def parse_week(value: str | None) -> date | None:
    """The Monday of an ISO week written as 2026-W48; None if it is not one."""
    if not value:
        return None
    try:
        year, week = value.upper().split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _pair_tasks(pair: Pair, with_clients: bool):
    query = sa.select(Task).where(Task.pair_id == pair.id)
    if not with_clients:
        query = query.where(Task.client_id.is_(None))
    return query


def _accompaniment_items(pair: Pair, monday: date, with_clients: bool) -> list[WeekItem]:
    """Planned accompaniments of the week (outreach.accompaniments: `planned_for_week`
    returns (accompaniment, local time) pairs in one query)."""
    planned = planned_for_week(pair, monday, with_clients)
    return [WeekItem("accompaniment", record, at) for record, at in planned]


def week_items(pair: Pair, monday: date, with_clients: bool = True) -> dict[date, list[WeekItem]]:
    """What is on each day of the week, Monday to Sunday: the pair's tasks due that day
    (open and done; dropped ones are left out) and planned accompaniments. Two queries
    for the tasks (with their pending proposals), one for the accompaniments."""
    sunday = monday + timedelta(days=6)
    days: dict[date, list[WeekItem]] = {monday + timedelta(days=n): [] for n in range(7)}
    query = (
        _pair_tasks(pair, with_clients)
        .where(Task.due_on >= monday, Task.due_on <= sunday,
               Task.status != TaskStatus.DROPPED)
        .options(joinedload(Task.client), joinedload(Task.done_by))
    )
    for task in db.session.scalars(query):
        days[task.due_on].append(WeekItem("task", task, task.due_time))
    for item in _accompaniment_items(pair, monday, with_clients):
        day = getattr(item.record, "planned_on", None) or _day_of(item)
        if day in days:
            days[day].append(item)
    for items in days.values():
        items.sort(key=lambda item: (
            item.at is None, item.at or time.min, item.kind, getattr(item.record, "id", 0)
        ))
    return days


def _day_of(item: WeekItem) -> date | None:
    planned = getattr(item.record, "planned_at", None)
    if isinstance(planned, datetime):
        return local_day(planned)
    return None


def week_plan(user: User, pair: Pair, monday: date, today: date | None = None) -> WeekPlan:
    """The pair's week: a fixed number of queries (scope, week's tasks, still-open ones
    without a date or from earlier weeks, pending proposals, accompaniments)."""
    today = today or local_today()
    with_clients = may_see_clients(user, pair)
    days = week_items(pair, monday, with_clients)
    earlier_than = min(monday, today)
    backlog_query = (
        _pair_tasks(pair, with_clients)
        .where(Task.status == TaskStatus.OPEN)
        .where(sa.or_(Task.due_on.is_(None), Task.due_on < earlier_than))
        .options(joinedload(Task.client))
    )
    backlog = sorted(db.session.scalars(backlog_query), key=_by_due)
    proposals_query = (
        sa.select(TaskProposal)
        .join(Task, Task.id == TaskProposal.task_id)
        .where(TaskProposal.status == ProposalStatus.PENDING, Task.pair_id == pair.id,
               Task.status == TaskStatus.OPEN)
        .options(joinedload(TaskProposal.task).joinedload(Task.client),
                 joinedload(TaskProposal.proposed_by))
        .order_by(TaskProposal.created_at, TaskProposal.id)
    )
    if not with_clients:
        proposals_query = proposals_query.where(Task.client_id.is_(None))
    return WeekPlan(
        pair=pair,
        monday=monday,
        days=sorted(days.items()),
        earlier=[task for task in backlog if task.due_on is not None],
        undated=[task for task in backlog if task.due_on is None],
        proposals=list(db.session.scalars(proposals_query)),
        with_clients=with_clients,
    )


# --- Proposals -----------------------------------------------------------------------------


def _pending(user: User, today: date | None):
    return sa.and_(
        TaskProposal.status == ProposalStatus.PENDING,
        TaskProposal.task_id.in_(
            sa.select(Task.id).where(Task.status == TaskStatus.OPEN, task_scope(user, today))
            .correlate(None)
        ),
    )


def _proposal_options() -> tuple:
    return (joinedload(TaskProposal.task).joinedload(Task.client),
            joinedload(TaskProposal.proposed_by))


def pending_proposals(user: User, today: date | None = None) -> list[TaskProposal]:
    """Pending proposals on open tasks of the user's working pairs, oldest first: for the
    professional to decide, for the expert to see what waits. One query."""
    query = (
        sa.select(TaskProposal)
        .where(_pending(user, today))
        .options(*_proposal_options())
        .order_by(TaskProposal.created_at, TaskProposal.id)
    )
    return list(db.session.scalars(query))


def overdue_and_pending(user: User, today: date) -> tuple[int, list[TaskProposal]]:
    """`overdue_count` and `pending_proposals` in one query: the count on every row of the
    proposals, joined to one row of its own so that it comes back with none."""
    one = sa.select(sa.literal_column("1").label("one")).subquery()
    rows = db.session.execute(
        sa.select(_overdue_count_column(user, today).label("overdue"), TaskProposal)
        .select_from(one)
        .outerjoin(TaskProposal, _pending(user, today))
        .options(*_proposal_options())
        .order_by(TaskProposal.created_at, TaskProposal.id)
    ).all()
    return rows[0].overdue, [row[1] for row in rows if row[1] is not None]


def proposal_or_404(user: User, proposal_id: int) -> TaskProposal:
    proposal = db.session.scalar(
        sa.select(TaskProposal)
        .join(Task, Task.id == TaskProposal.task_id)
        .where(TaskProposal.id == proposal_id, task_scope(user))
        .options(joinedload(TaskProposal.task))
    )
    if proposal is None:
        abort(404)
    return proposal


def propose(task: Task, user: User, new_due_on: date | None, new_assignee: Assignee | None,
            note: str | None) -> TaskProposal:
    proposal = TaskProposal(
        task=task,
        proposed_by_id=user.id,
        new_due_on=new_due_on,
        new_assignee=new_assignee,
        note=(note or "").strip() or None,
    )
    db.session.add(proposal)
    return proposal


def decide(proposal: TaskProposal, user: User, accept: bool) -> bool:
    """Accept (apply the change to the task) or decline a pending proposal. False if it had
    already been decided: one UPDATE guarded by the status, so two decisions cannot both win."""
    status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    result = db.session.execute(
        sa.update(TaskProposal)
        .where(TaskProposal.id == proposal.id, TaskProposal.status == ProposalStatus.PENDING)
        .values(status=status, decided_by_id=user.id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        return False
    if accept:
        task = proposal.task
        if proposal.new_due_on is not None:
            task.due_on = proposal.new_due_on
        if proposal.new_assignee is not None:
            task.assignee = proposal.new_assignee
    return True


def step_tasks_options():
    """For pages that show steps: their tasks in one more query."""
    return selectinload(Step.tasks)


def home_summary(user: User, today: date | None = None) -> dict:
    """What the home page shows a partner about the work: her overdue tasks, the proposals
    waiting for a decision, and the women not reached in their pair's number of days.
    A fixed number of queries; nothing for supervisors and administrators."""
    if user.role not in OWN_ASSIGNEE:
        return {}

    today = today or local_today()
    overdue, pending = overdue_and_pending(user, today)
    return {
        "overdue_tasks": overdue,
        "pending_proposals": pending,
        "not_reached": home_client_lists(user, today)[0],
        "days_since": days_since,
    }
