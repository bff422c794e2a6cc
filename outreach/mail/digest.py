"""The counts a digest carries, and nothing else: no names of women, no codes, no times
or services. A fixed number of queries per person."""

from datetime import date, timedelta

import sqlalchemy as sa

from outreach.accompaniments.models import Accompaniment
from outreach.auth.models import Role, User
from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client
from outreach.clients.queries import clients_of, no_contact_days_by_pair, not_reached
from outreach.core.time import day_start_utc
from outreach.dashboard.forms import Period
from outreach.dashboard.queries import PairFigures, dashboard
from outreach.extensions import db
from outreach.feedback.models import FeedbackItem, FeedbackKind
from outreach.scope import writing_pair_ids
from outreach.tasks.queries import overdue_count
from outreach.wellbeing.models import CheckIn

# The daily digest's lines, in this order.
PARTNER_COUNTS = ("overdue_tasks", "accompaniments_today", "not_reached", "asks_waiting",
                  "checkins_waiting")
# The weekly digest's figures per pair: numbers only (no strain: hers, see wellbeing).
PAIR_FIGURES = ("contacts", "accompaniments", "hours", "active_clients", "not_reached",
                "open_tasks", "overdue_tasks", "checkins_waiting")


def _count(query) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
               or 0)


def partner_counts(user: User, today: date) -> dict[str, int]:
    """The daily digest of a partner: five counts, five queries."""
    pairs = writing_pair_ids(user, today)
    start, end = day_start_utc(today), day_start_utc(today + timedelta(days=1))
    planned = sa.select(Accompaniment.id).where(
        Accompaniment.pair_id.in_(pairs), Accompaniment.planned_at >= start,
        Accompaniment.planned_at < end, Accompaniment.outcome.is_(None))
    quiet = clients_of(user).where(Client.status == ClientStatus.ACTIVE,
                                   not_reached(no_contact_days_by_pair(user), today))
    asks = sa.select(FeedbackItem.id).where(
        FeedbackItem.pair_id.in_(pairs), FeedbackItem.kind == FeedbackKind.ASK,
        FeedbackItem.answered_at.is_(None), FeedbackItem.author_id != user.id)
    # The professional: check-ins waiting for her acknowledgement; the expert: her own.
    waiting = sa.select(CheckIn.id).where(CheckIn.pair_id.in_(pairs),
                                          CheckIn.acknowledged_at.is_(None))
    if user.role == Role.EXPERT:
        waiting = waiting.where(CheckIn.expert_id == user.id)
    return {
        "overdue_tasks": overdue_count(user, today),
        "accompaniments_today": _count(planned),
        "not_reached": _count(quiet),
        "asks_waiting": _count(asks),
        "checkins_waiting": _count(waiting),
    }


def last_week(today: date) -> Period:
    monday = today - timedelta(days=today.weekday())
    return Period("custom", monday - timedelta(days=7), monday - timedelta(days=1))


def _pair_row(item: PairFigures) -> dict[str, int | float]:
    return {
        "contacts": item.contacts.count,
        "accompaniments": item.accompaniments.count,
        "hours": round(item.minutes / 60, 1),
        "active_clients": item.active_clients,
        "not_reached": item.not_reached,
        "open_tasks": item.open_tasks,
        "overdue_tasks": item.overdue_tasks,
        "checkins_waiting": item.waiting,
    }


def supervisor_figures(user: User, today: date) -> tuple[Period, list[tuple[str, dict]]]:
    """Last week's workload of the supervisor's pairs, from the dashboard's overview (the
    same scope and the same numbers): [(pair label, figures)]."""
    period = last_week(today)
    board = dashboard(user, period, today)
    rows = [(item.pair.label, _pair_row(item)) for item in board.figures] if board else []
    return period, rows
