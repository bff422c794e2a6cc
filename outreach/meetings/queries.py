"""Meeting queries, each scoped by the user's pairs.

Meetings are pair-internal: only the two partners read them (their working pairs, and
their ended pairs read-only) and only partners of a WORKING pair write them. Supervisors
see the meeting rhythm and counts per kind on the pair page (`meeting_rhythm_status`),
never a meeting or its notes; administrators see nothing. Everything outside the scope
is 404, so a meeting's existence is not revealed either.

Every page function runs a fixed number of queries, whatever the number of meetings."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import abort
from sqlalchemy import Select
from sqlalchemy.orm import joinedload, selectinload

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.meetings.models import (
    MEETING_FIELDS,
    MeetingKind,
    PairMeeting,
    PairMeetingRevision,
    meeting_action,
)
from outreach.pairs.models import MeetingRhythm, Pair, PairAgreement
from outreach.scope import PAIR_PEOPLE, PARTNERS, pair_ids, writing_pairs
from outreach.tasks.models import Assignee, Task, TaskOrigin
from outreach.tasks.queries import create_task

# How many days ahead a planning or debrief meeting counts as "due soon".
DUE_SOON_DAYS = 3


# --- Scope ---------------------------------------------------------------------------------


# A meeting's pair with what its pages show: the partners and the agreement.
PAIR_LOAD = (*PAIR_PEOPLE, Pair.agreement)


def can_write(user: User, pair: Pair, today: date | None = None) -> bool:
    return user.role in PARTNERS and pair.is_partner(user) and pair.is_active_on(
        today or local_today())


def may_delete(user: User, meeting: PairMeeting) -> bool:
    """The one who recorded it, or the pair's professional (who carries the overall
    responsibility); the notes are shared, so a partner does not delete the other's."""
    return meeting.created_by_id == user.id or meeting.pair.professional_id == user.id


def meeting_or_404(user: User, meeting_id: int, write: bool = False) -> PairMeeting:
    """One meeting in the user's scope, with its pair, people, revisions and actions."""
    scope = pair_ids(user, write=write)
    meeting = db.session.scalar(
        sa.select(PairMeeting)
        .where(PairMeeting.id == meeting_id, PairMeeting.pair_id.in_(scope))
        .options(
            joinedload(PairMeeting.pair).joinedload(Pair.professional),
            joinedload(PairMeeting.pair).joinedload(Pair.expert),
            joinedload(PairMeeting.created_by),
        )
    )
    if meeting is None:
        abort(404)
    return meeting


def revisions_of(meeting: PairMeeting) -> list[PairMeetingRevision]:
    query = (
        sa.select(PairMeetingRevision)
        .where(PairMeetingRevision.meeting_id == meeting.id)
        .options(joinedload(PairMeetingRevision.edited_by))
        .order_by(PairMeetingRevision.at.desc(), PairMeetingRevision.id.desc())
    )
    return list(db.session.scalars(query))


def actions_of(meeting: PairMeeting) -> list[Task]:
    query = (
        sa.select(Task)
        .join(meeting_action, meeting_action.c.task_id == Task.id)
        .where(meeting_action.c.meeting_id == meeting.id)
        .options(joinedload(Task.done_by))
        .order_by(Task.id)
    )
    return list(db.session.scalars(query))


# --- Lists ---------------------------------------------------------------------------------


def meeting_list(pair: Pair, kind: MeetingKind | None = None) -> Select:
    """The pair's meetings, newest first, for a paginated list (the pair was loaded in the
    user's scope): the rows with who recorded them, and their actions in one more query."""
    query = (
        sa.select(PairMeeting)
        .where(PairMeeting.pair_id == pair.id)
        .options(joinedload(PairMeeting.created_by), selectinload(PairMeeting.actions))
        .order_by(PairMeeting.held_on.desc(), PairMeeting.id.desc())
    )
    if kind is not None:
        query = query.where(PairMeeting.kind == kind)
    return query


def latest_meetings(pair_id: int, limit: int = 3) -> list[PairMeeting]:
    query = (
        sa.select(PairMeeting)
        .where(PairMeeting.pair_id == pair_id)
        .order_by(PairMeeting.held_on.desc(), PairMeeting.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


# --- Recording and editing -------------------------------------------------------------------


def create_meeting(pair: Pair, user: User, values: dict) -> PairMeeting:
    """A new meeting with its first revision, added to the session (no commit)."""
    meeting = PairMeeting(pair_id=pair.id, created_by_id=user.id, **values)
    db.session.add(meeting)
    given = [name for name in MEETING_FIELDS if values.get(name) not in (None, "")]
    meeting.revisions.append(
        PairMeetingRevision(edited_by_id=user.id, at=utcnow(), is_creation=True,
                            changed_fields=",".join(given), notes=meeting.notes)
    )
    return meeting


def save_meeting(meeting: PairMeeting, user: User, values: dict) -> list[str]:
    """Apply the changed values and keep a revision; the names of the changed fields
    (empty: nothing changed, nothing saved)."""
    changed = [name for name, value in values.items() if getattr(meeting, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(meeting, name, values[name])
    db.session.add(
        PairMeetingRevision(meeting_id=meeting.id, edited_by_id=user.id, at=utcnow(),
                            changed_fields=",".join(changed), notes=meeting.notes)
    )
    return changed


ACTION_ASSIGNEES = (Assignee.PROFESSIONAL, Assignee.EXPERT, Assignee.PAIR)


def add_actions(meeting: PairMeeting, user: User, lines: list[dict]) -> list[Task]:
    """Each agreed action becomes an open task of the pair, linked to the meeting: all in
    the same transaction (no commit here). `lines`: title, assignee, due_on."""
    tasks = []
    for line in lines:
        task = create_task(meeting.pair_id, line["title"], line["assignee"], user,
                           due_on=line.get("due_on"), origin=TaskOrigin.MEETING)
        tasks.append(task)
    db.session.flush()
    if tasks:
        db.session.execute(
            meeting_action.insert(),
            [{"meeting_id": meeting.id, "task_id": task.id} for task in tasks],
        )
    return tasks


# --- The meeting rhythm ----------------------------------------------------------------------

RHYTHM_KINDS = (MeetingKind.PLANNING, MeetingKind.DEBRIEF)


@dataclass(frozen=True)
class RhythmDue:
    """When the next planning or debrief meeting is due by the agreed rhythm."""

    kind: MeetingKind
    rhythm: MeetingRhythm | None  # None: not agreed yet
    last_held: date | None
    next_due: date | None
    today: date

    @property
    def agreed(self) -> bool:
        return self.rhythm is not None

    @property
    def overdue(self) -> bool:
        return self.next_due is not None and self.next_due < self.today

    @property
    def days_overdue(self) -> int:
        return (self.today - self.next_due).days if self.overdue else 0

    @property
    def due_soon(self) -> bool:
        return (self.next_due is not None and not self.overdue
                and (self.next_due - self.today).days <= DUE_SOON_DAYS)


@dataclass(frozen=True)
class RhythmStatus:
    pair_id: int
    planning: RhythmDue
    debrief: RhythmDue
    last_supervision: date | None
    counts: dict[MeetingKind, int] = field(default_factory=dict)

    @property
    def dues(self) -> tuple[RhythmDue, RhythmDue]:
        return (self.planning, self.debrief)

    @property
    def overdue(self) -> list[RhythmDue]:
        return [due for due in self.dues if due.overdue]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _due(kind: MeetingKind, rhythm: MeetingRhythm | None, last_held: date | None,
         start: date | None, today: date) -> RhythmDue:
    next_due = None
    if rhythm is not None:
        since = last_held or start
        next_due = rhythm.next_after(since) if since is not None else None
    return RhythmDue(kind, rhythm, last_held, next_due, today)


def meeting_rhythm_status(pairs, today: date | None = None) -> dict[int, RhythmStatus]:
    """For each pair: the last planning and debrief meeting held, when the next is due by
    the rhythm in the start-up agreement (from the agreement's meeting date when there has
    been none yet, else from the pair's start), whether it is overdue, the last work
    supervision and the count of meetings per kind. Two queries for any number of pairs;
    meetings dated after `today` do not count. `pairs`: Pair objects (id and starts_on)."""
    today = today or local_today()
    pairs = list(pairs)
    if not pairs:
        return {}
    ids = [pair.id for pair in pairs]
    agreements = {
        row.pair_id: row
        for row in db.session.execute(
            sa.select(PairAgreement.pair_id, PairAgreement.meeting_date,
                      PairAgreement.planning_rhythm, PairAgreement.debrief_rhythm)
            .where(PairAgreement.pair_id.in_(ids))
        )
    }
    last: dict[tuple[int, MeetingKind], date] = {}
    counts: dict[int, dict[MeetingKind, int]] = {pair_id: {} for pair_id in ids}
    rows = db.session.execute(
        sa.select(PairMeeting.pair_id, PairMeeting.kind, sa.func.max(PairMeeting.held_on),
                  sa.func.count(PairMeeting.id))
        .where(PairMeeting.pair_id.in_(ids), PairMeeting.held_on <= today)
        .group_by(PairMeeting.pair_id, PairMeeting.kind)
    )
    for pair_id, kind, held, count in rows:
        kind = MeetingKind(kind)
        last[(pair_id, kind)] = held
        counts[pair_id][kind] = count
    result = {}
    for pair in pairs:
        agreement = agreements.get(pair.id)
        start = (agreement.meeting_date if agreement and agreement.meeting_date
                 else pair.starts_on)
        rhythm = {
            MeetingKind.PLANNING: agreement.planning_rhythm if agreement else None,
            MeetingKind.DEBRIEF: agreement.debrief_rhythm if agreement else None,
        }
        dues = {
            kind: _due(kind, MeetingRhythm(rhythm[kind]) if rhythm[kind] else None,
                       last.get((pair.id, kind)), start, today)
            for kind in RHYTHM_KINDS
        }
        result[pair.id] = RhythmStatus(
            pair_id=pair.id,
            planning=dues[MeetingKind.PLANNING],
            debrief=dues[MeetingKind.DEBRIEF],
            last_supervision=last.get((pair.id, MeetingKind.SUPERVISION)),
            counts=counts[pair.id],
        )
    return result


def overdue_meetings(user: User, today: date | None = None) -> list[tuple[Pair, RhythmStatus]]:
    """The user's working pairs whose planning or debrief meeting is overdue, for the home
    page: three queries."""
    if user.role not in PARTNERS:
        return []
    today = today or local_today()
    pairs = writing_pairs(user, today)
    statuses = meeting_rhythm_status(pairs, today)
    return [(pair, statuses[pair.id]) for pair in pairs if statuses[pair.id].overdue]
