"""The workload dashboard's figures, scoped by the pairs the user may see
(`visible_pair_ids`): administrators every pair, supervisors the pairs they supervise,
partners their own pairs. Only numbers: no client's name, code or note is ever read here.

A fixed number of queries whatever the number of pairs and records: the pairs, one GROUP BY
over the work rollup, one over clients, one over open tasks, the check-ins waiting, the
strain per month, the meetings in the period, and the meeting rhythm (two)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from outreach.auth.models import Role, User
from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client
from outreach.clients.queries import days_since, not_reached
from outreach.dashboard.forms import Period, month_starts
from outreach.dashboard.localtime import bucket_expr, day_start_utc
from outreach.dashboard.models import RollupKind, WorkRollup
from outreach.extensions import db
from outreach.meetings.models import MeetingKind, PairMeeting
from outreach.meetings.queries import meeting_rhythm_status
from outreach.pairs.models import Pair
from outreach.pairs.queries import client_pair_ids, visible_pair_ids, working_pair_ids
from outreach.tasks.models import Assignee, Task, TaskStatus
from outreach.wellbeing.models import CheckIn
from outreach.wellbeing.queries import waiting_checkins

PARTNERS = (Role.PROFESSIONAL, Role.EXPERT)
ROLES = ("professional", "expert", "both")

# The division of labour the NEA model expects: the experience expert keeps contact with the
# women and goes with them to services, the professional maps their situation and arranges
# services. So the expert should take part (alone or with the professional) in at least a
# third of the pair's contacts and accompaniments.
EXPECTED_EXPERT_SHARE = 1 / 3
# A gentle flag when one partner carries more than this share of the hours the partners
# worked alone (contacts and accompaniments)...
SOLO_HOURS_FLAG_SHARE = 0.75
# ...once there are at least this many minutes of solo work to compare (less says little).
SOLO_MINUTES_MIN = 120
# The strain trend shows at least this many months, ending with the period's last month.
STRAIN_MONTHS = 6


@dataclass
class Counts:
    count: int = 0
    minutes: int = 0
    people: int = 0

    def add(self, count: int, minutes: int, people: int) -> None:
        self.count += count
        self.minutes += minutes
        self.people += people


@dataclass
class RoleWork:
    """What one role (professional, expert, both together) did in the period."""

    contacts: Counts = field(default_factory=Counts)
    accompaniments: Counts = field(default_factory=Counts)
    network: Counts = field(default_factory=Counts)
    encounters: Counts = field(default_factory=Counts)

    @property
    def minutes(self) -> int:
        return self.contacts.minutes + self.accompaniments.minutes


@dataclass
class Balance:
    """Shares (0..1) of contacts, accompaniments and hours by role, and the flags."""

    contacts: dict[str, float | None]
    accompaniments: dict[str, float | None]
    hours: dict[str, float | None]
    expert_part: float | None  # contacts and accompaniments the expert took part in
    below_expectation: bool
    solo_heavy: str | None  # "professional" / "expert": carries > 75 % of the solo hours
    solo_share: float | None


@dataclass
class PairFigures:
    pair: Pair
    active_clients: int = 0
    new_clients: int = 0
    not_reached: int = 0
    contacts_by_channel: dict[str, Counts] = field(default_factory=dict)
    accompaniments_by_kind: dict[tuple[str, str], Counts] = field(default_factory=dict)
    network_by_channel: dict[str, Counts] = field(default_factory=dict)
    by_role: dict[str, RoleWork] = field(default_factory=lambda: {r: RoleWork() for r in ROLES})
    tasks: dict[str, tuple[int, int]] = field(default_factory=dict)  # assignee: (open, overdue)
    waiting: int = 0
    waited_days: int | None = None
    strain: list[tuple[date, float | None, int]] = field(default_factory=list)
    meetings: dict[str, int] = field(default_factory=dict)
    rhythm: object = None
    may_open_clients: bool = False
    works_now: bool = False

    def total(self, kind: str) -> Counts:
        total = Counts()
        for work in self.by_role.values():
            part = getattr(work, kind)
            total.add(part.count, part.minutes, part.people)
        return total

    @property
    def contacts(self) -> Counts:
        return self.total("contacts")

    @property
    def accompaniments(self) -> Counts:
        return self.total("accompaniments")

    @property
    def network(self) -> Counts:
        return self.total("network")

    @property
    def encounters(self) -> Counts:
        return self.total("encounters")

    @property
    def minutes(self) -> int:
        return sum(work.minutes for work in self.by_role.values())

    @property
    def accompaniments_by_service(self) -> dict[str, Counts]:
        result: dict[str, Counts] = {}
        for (kind, _outcome), counts in self.accompaniments_by_kind.items():
            result.setdefault(kind, Counts()).add(counts.count, counts.minutes, 0)
        return dict(sorted(result.items()))

    @property
    def accompaniments_by_outcome(self) -> dict[str, Counts]:
        result: dict[str, Counts] = {}
        for (_kind, outcome), counts in self.accompaniments_by_kind.items():
            result.setdefault(outcome, Counts()).add(counts.count, counts.minutes, 0)
        return result

    @property
    def open_tasks(self) -> int:
        return sum(open_ for open_, _overdue in self.tasks.values())

    @property
    def overdue_tasks(self) -> int:
        return sum(overdue for _open, overdue in self.tasks.values())

    @property
    def balance(self) -> Balance:
        return balance_of(self.by_role)


def _shares(values: dict[str, int]) -> dict[str, float | None]:
    total = sum(values.values())
    return {role: (values[role] / total if total else None) for role in ROLES}


def balance_of(by_role: dict[str, RoleWork]) -> Balance:
    contacts = {role: by_role[role].contacts.count for role in ROLES}
    accompaniments = {role: by_role[role].accompaniments.count for role in ROLES}
    minutes = {role: by_role[role].minutes for role in ROLES}
    together = sum(contacts.values()) + sum(accompaniments.values())
    expert_part = None
    if together:
        expert_part = (contacts["expert"] + contacts["both"] + accompaniments["expert"]
                       + accompaniments["both"]) / together
    solo = minutes["professional"] + minutes["expert"]
    solo_heavy, solo_share = None, None
    if solo >= SOLO_MINUTES_MIN:
        heavier = max(("professional", "expert"), key=lambda role: minutes[role])
        solo_share = minutes[heavier] / solo
        if solo_share > SOLO_HOURS_FLAG_SHARE:
            solo_heavy = heavier
    return Balance(
        contacts=_shares(contacts),
        accompaniments=_shares(accompaniments),
        hours=_shares(minutes),
        expert_part=expert_part,
        below_expectation=expert_part is not None and expert_part < EXPECTED_EXPERT_SHARE,
        solo_heavy=solo_heavy,
        solo_share=solo_share,
    )


@dataclass
class Dashboard:
    period: Period
    today: date
    pairs: list[Pair]  # every pair the user may choose from
    figures: list[PairFigures]  # the chosen ones

    @property
    def by_role(self) -> dict[str, RoleWork]:
        """All the chosen pairs together."""
        total = {role: RoleWork() for role in ROLES}
        for figures in self.figures:
            for role, work in figures.by_role.items():
                for kind in ("contacts", "accompaniments", "network", "encounters"):
                    part = getattr(work, kind)
                    getattr(total[role], kind).add(part.count, part.minutes, part.people)
        return total


def all_visible(user: User, pair_ids) -> bool:
    """Whether the user may see every one of these pairs (one query)."""
    wanted = set(pair_ids)
    if not wanted:
        return True
    found = set(db.session.scalars(
        sa.select(Pair.id).where(Pair.id.in_(sorted(wanted)),
                                 Pair.id.in_(visible_pair_ids(user)))
    ))
    return found == wanted


def pairs_in_period(user: User, period: Period) -> list[Pair]:
    """The pairs the user may see that worked during the period, with their people."""
    query = (
        sa.select(Pair)
        .where(Pair.id.in_(visible_pair_ids(user)),
               Pair.starts_on <= period.last,
               sa.or_(Pair.ends_on.is_(None), Pair.ends_on > period.first))
        .options(joinedload(Pair.professional), joinedload(Pair.expert),
                 joinedload(Pair.supervisor))
        .order_by(Pair.starts_on, Pair.id)
    )
    return list(db.session.scalars(query))


def dashboard(user: User, period: Period, today: date,
              chosen: list[int] | None = None) -> Dashboard:
    """The figures of the chosen pairs (those of them the user may see; all if none)."""
    pairs = pairs_in_period(user, period)
    chosen_ids = set(chosen or ()) & {pair.id for pair in pairs}
    shown = [pair for pair in pairs if not chosen_ids or pair.id in chosen_ids]
    figures = {pair.id: PairFigures(pair=pair) for pair in shown}
    if figures:
        ids = sorted(figures)
        _work(figures, ids, period)
        _clients(figures, ids, period, today)
        _tasks(figures, ids, today)
        _wellbeing(figures, ids, period, today)
        _meetings(figures, shown, ids, period, today)
        _links(figures, user, today)
    return Dashboard(period=period, today=today, pairs=pairs,
                     figures=[figures[pair.id] for pair in shown])


def _work(figures: dict[int, PairFigures], ids: list[int], period: Period) -> None:
    """Everything the pairs did, from the rollup: one GROUP BY."""
    rollup = WorkRollup
    rows = db.session.execute(
        sa.select(rollup.pair_id, rollup.role, rollup.kind, rollup.detail, rollup.outcome,
                  sa.func.sum(rollup.count), sa.func.sum(rollup.minutes),
                  sa.func.sum(rollup.people))
        .where(rollup.pair_id.in_(ids), rollup.day >= period.first, rollup.day <= period.last)
        .group_by(rollup.pair_id, rollup.role, rollup.kind, rollup.detail, rollup.outcome)
    )
    for pair_id, role, kind, detail, outcome, count, minutes, people in rows:
        target = figures[pair_id]
        count, minutes, people = int(count or 0), int(minutes or 0), int(people or 0)
        work = target.by_role.get(role)
        if work is None:
            continue
        if kind == RollupKind.CONTACT:
            work.contacts.add(count, minutes, people)
            target.contacts_by_channel.setdefault(detail, Counts()).add(count, minutes, 0)
        elif kind == RollupKind.ACCOMPANIMENT:
            work.accompaniments.add(count, minutes, people)
            target.accompaniments_by_kind.setdefault((detail, outcome), Counts()).add(
                count, minutes, 0)
        elif kind == RollupKind.NETWORK:
            work.network.add(count, minutes, people)
            target.network_by_channel.setdefault(detail, Counts()).add(count, minutes, 0)
        elif kind == RollupKind.ENCOUNTER:
            work.encounters.add(count, minutes, people)


def _clients(figures: dict[int, PairFigures], ids: list[int], period: Period,
             today: date) -> None:
    """Active, new in the period, and active but not reached in the pair's own number of
    days: one GROUP BY over the client table (no names read)."""
    pair_days = {pair_id: figures[pair_id].pair.no_contact_days for pair_id in ids}
    active = Client.status == ClientStatus.ACTIVE
    start, end = day_start_utc(period.first), day_start_utc(period.last + timedelta(days=1))
    rows = db.session.execute(
        sa.select(
            Client.pair_id,
            sa.func.sum(sa.case((active, 1), else_=0)),
            sa.func.sum(sa.case((sa.and_(Client.created_at >= start,
                                         Client.created_at < end), 1), else_=0)),
            sa.func.sum(sa.case((sa.and_(active, not_reached(pair_days, today)), 1),
                                else_=0)),
        )
        .where(Client.pair_id.in_(ids), Client.merged_into_id.is_(None))
        .group_by(Client.pair_id)
    )
    for pair_id, active_count, new_count, quiet in rows:
        target = figures[pair_id]
        target.active_clients, target.new_clients, target.not_reached = (
            int(active_count or 0), int(new_count or 0), int(quiet or 0))


def _tasks(figures: dict[int, PairFigures], ids: list[int], today: date) -> None:
    """Open and overdue tasks per assignee: one GROUP BY (titles are not read)."""
    overdue = sa.and_(Task.due_on.is_not(None), Task.due_on < today)
    rows = db.session.execute(
        sa.select(Task.pair_id, Task.assignee, sa.func.count(Task.id),
                  sa.func.sum(sa.case((overdue, 1), else_=0)))
        .where(Task.pair_id.in_(ids), Task.status == TaskStatus.OPEN)
        .group_by(Task.pair_id, Task.assignee)
    )
    for pair_id, assignee, count, late in rows:
        figures[pair_id].tasks[Assignee(assignee).value] = (int(count), int(late or 0))


def strain_months(period: Period) -> list[date]:
    """The months of the strain trend: the period's months, at least the last six."""
    last = date(period.last.year, period.last.month, 1)
    first = date(period.first.year, period.first.month, 1)
    earliest = last
    for _ in range(STRAIN_MONTHS - 1):
        earliest = (earliest - timedelta(days=1)).replace(day=1)
    return month_starts(min(first, earliest), period.last)


def _wellbeing(figures: dict[int, PairFigures], ids: list[int], period: Period,
               today: date) -> None:
    """Check-ins waiting (how many, the oldest's days) and the mean strain per month: counts
    and means only, never a note. Two queries."""
    for pair_id, (count, oldest) in waiting_checkins(ids).items():
        figures[pair_id].waiting = count
        figures[pair_id].waited_days = days_since(oldest, today)
    months = strain_months(period)
    end = day_start_utc(period.last + timedelta(days=1))
    inner = (
        sa.select(CheckIn.pair_id.label("pair_id"),
                  bucket_expr(CheckIn.created_at, months).label("month"),
                  CheckIn.strain.label("strain"))
        .where(CheckIn.pair_id.in_(ids), CheckIn.created_at >= day_start_utc(months[0]),
               CheckIn.created_at < end)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(inner.c.pair_id, inner.c.month, sa.func.avg(inner.c.strain),
                  sa.func.count())
        .group_by(inner.c.pair_id, inner.c.month)
    )
    means = {(pair_id, month): (float(mean), int(count))
             for pair_id, month, mean, count in rows if month is not None}
    for pair_id in ids:
        figures[pair_id].strain = [
            (start, *means.get((pair_id, index), (None, 0))) for index, start in
            enumerate(months)
        ]


def _meetings(figures: dict[int, PairFigures], pairs: list[Pair], ids: list[int],
              period: Period, today: date) -> None:
    """Meetings held in the period per kind (one GROUP BY), and the agreed rhythm's state
    today (outreach.meetings, two queries)."""
    rows = db.session.execute(
        sa.select(PairMeeting.pair_id, PairMeeting.kind, sa.func.count(PairMeeting.id))
        .where(PairMeeting.pair_id.in_(ids), PairMeeting.held_on >= period.first,
               PairMeeting.held_on <= min(period.last, today))
        .group_by(PairMeeting.pair_id, PairMeeting.kind)
    )
    for pair_id, kind, count in rows:
        figures[pair_id].meetings[MeetingKind(kind).value] = int(count)
    for pair_id, status in meeting_rhythm_status(pairs, today).items():
        figures[pair_id].rhythm = status


def _links(figures: dict[int, PairFigures], user: User, today: date) -> None:
    """Which lists behind the figures the user may open: partners only (their clients once
    they may open them, their working pairs' tasks and plans). Supervisors and
    administrators get numbers only. One query for partners, none for the others."""
    if user.role not in PARTNERS:
        return
    clients = client_pair_ids(user, today).subquery()
    working = working_pair_ids(user, today).subquery()
    rows = db.session.execute(
        sa.select(Pair.id, Pair.id.in_(sa.select(clients.c.id)),
                  Pair.id.in_(sa.select(working.c.id)))
        .where(Pair.id.in_(list(figures)))
    )
    for pair_id, may_open, works in rows:
        figures[pair_id].may_open_clients = bool(may_open)
        figures[pair_id].works_now = bool(works)
