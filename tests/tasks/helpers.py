"""Small helpers of the task tests."""

from datetime import date, timedelta

from outreach.core.time import local_today
from outreach.extensions import db
from outreach.tasks.models import Task, TaskProposal


def fresh_task(task_id: int) -> Task:
    db.session.expire_all()
    return db.session.get(Task, task_id)


def fresh_proposal(proposal_id: int) -> TaskProposal:
    db.session.expire_all()
    return db.session.get(TaskProposal, proposal_id)


def this_wednesday() -> date:
    """A fixed weekday in the current week, so that "this week" has days on both sides."""
    today = local_today()
    return today - timedelta(days=today.weekday()) + timedelta(days=2)


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
