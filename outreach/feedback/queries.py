"""Feedback queries: the thread of a pair is read by its two partners only (ended pairs
too), written while the pair works. Supervisors, administrators and other pairs get
nothing, so every feedback URL answers them 404. Fixed number of queries per page."""

from datetime import date

import sqlalchemy as sa
from flask import abort
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.feedback.models import FeedbackItem, FeedbackKind
from outreach.pairs.models import Pair
from outreach.scope import PARTNERS, reading_pair_ids, writing_pair_ids


def can_write(user: User, pair: Pair, today: date | None = None) -> bool:
    return pair.is_partner(user) and pair.is_active_on(today or local_today())


def thread(pair: Pair) -> Select:
    """The pair's thread, newest first, with authors and what each answers (joined)."""
    return (
        sa.select(FeedbackItem)
        .where(FeedbackItem.pair_id == pair.id)
        .options(
            joinedload(FeedbackItem.author),
            joinedload(FeedbackItem.in_reply_to).joinedload(FeedbackItem.author),
        )
        .order_by(FeedbackItem.created_at.desc(), FeedbackItem.id.desc())
    )


def item_or_404(user: User, pair: Pair, item_id: int) -> FeedbackItem:
    item = db.session.scalar(
        sa.select(FeedbackItem)
        .where(FeedbackItem.id == item_id, FeedbackItem.pair_id == pair.id,
               FeedbackItem.pair_id.in_(reading_pair_ids(user)))
        .options(joinedload(FeedbackItem.author))
    )
    if item is None:
        abort(404)
    return item


def add_item(pair: Pair, author: User, kind: FeedbackKind, situation: str, body: str,
             in_reply_to: FeedbackItem | None = None) -> FeedbackItem:
    item = FeedbackItem(pair_id=pair.id, author_id=author.id, kind=kind, situation=situation,
                        body=body, in_reply_to_id=in_reply_to.id if in_reply_to else None)
    db.session.add(item)
    if in_reply_to is not None:
        in_reply_to.answered_at = utcnow()
    return item


def _open_asks():
    return sa.and_(FeedbackItem.kind == FeedbackKind.ASK, FeedbackItem.answered_at.is_(None))


def asks_waiting_for(user: User) -> list[FeedbackItem]:
    """Asks in the user's working pairs that the OTHER partner made and nobody has answered
    yet, oldest first: one query."""
    if user.role not in PARTNERS:
        return []
    query = (
        sa.select(FeedbackItem)
        .where(FeedbackItem.pair_id.in_(writing_pair_ids(user)), _open_asks(),
               FeedbackItem.author_id != user.id)
        .options(joinedload(FeedbackItem.author))
        .order_by(FeedbackItem.created_at, FeedbackItem.id)
    )
    return list(db.session.scalars(query))


def open_ask_counts(pair_id: int, user: User) -> tuple[int, int]:
    """(asks waiting for the user's answer, the user's own asks waiting) in the pair: one
    GROUP BY query."""
    mine = sa.case((FeedbackItem.author_id == user.id, True), else_=False)
    query = (
        sa.select(mine, sa.func.count(FeedbackItem.id))
        .where(FeedbackItem.pair_id == pair_id, _open_asks())
        .group_by(mine)
    )
    counts = {bool(by_me): count for by_me, count in db.session.execute(query)}
    return counts.get(False, 0), counts.get(True, 0)
