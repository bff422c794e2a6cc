"""The workload dashboard's figures, scoped by the pairs the user may see
(`visible_pair_ids`): administrators every pair, supervisors the pairs they supervise,
partners their own pairs. Only numbers: no client's name, code or note is ever read here.

Two views. The overview (every pair the user may see, or several) has one summary row per
pair: the pairs (which also tell whether chosen pairs are in the user's scope), one GROUP
BY over the work rollup per pair, role and kind, one over clients, one over open tasks and
the check-ins waiting: five queries. The breakdown (pairs
chosen with ?pair=, and always for partners, who see their own pair) adds the channels,
service kinds and outcomes to the rollup's GROUP BY, and reads the strain per month, the
meetings in the period and the meeting rhythm (two): nine queries (a partner's links
come with the pairs). Either way a fixed number, whatever the number of pairs and records.

The work comes from the yearly rollup for the period's whole years, from the monthly one for
its other whole months and from the daily rollup only for the days of the months it cuts
at its ends (outreach.dashboard.rollup): a year is one row per pair and category, not 365."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from outreach.auth.models import Role, User
from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client
from outreach.clients.queries import not_reached_by_setting
from outreach.core.time import bucket_expr, day_start_utc, days_since
from outreach.dashboard.forms import Period, month_starts
from outreach.dashboard.models import RollupKind, WorkRollup
from outreach.dashboard.rollup import Level, levels
from outreach.extensions import db
from outreach.meetings.models import MeetingKind, PairMeeting
from outreach.meetings.queries import meeting_rhythm_status
from outreach.outings.queries import area_counts
from outreach.pairs.models import Pair
from outreach.scope import PARTNERS, client_pair_ids, visible_pair_ids, writing_pair_ids
from outreach.tasks.models import Assignee, Task, TaskStatus
from outreach.wellbeing.models import CheckIn
from outreach.wellbeing.queries import sharing_expert_ids, waiting_checkins

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

    @property
    def flagged(self) -> bool:
        """Either flag: worth a word in the pair's overview."""
        return self.below_expectation or bool(self.solo_heavy)


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
    # (month, mean strain or None, check-ins recorded): the mean only for her own pair's
    # partners, or for the supervisor when the expert shares her trend (wellbeing).
    strain: list[tuple[date, float | None, int]] = field(default_factory=list)
    recorded: int = 0  # check-ins recorded in the period
    strain_shared: bool = False  # the means are shown
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

    @cached_property
    def balance(self) -> Balance:
        """Computed once, when the figures are complete (the page asks several times)."""
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
    detailed: bool = False  # the breakdown per pair, or the overview's summary rows
    # Check-in figures: not for administrators, who see none of her well-being.
    checkins_shown: bool = True
    # (area, anonymous encounters, outings) of the shown pairs (outreach.outings).
    areas: list[tuple[str, int, int]] = field(default_factory=list)

    def sum_of(self, name: str) -> int:
        """A figure summed over the shown pairs (their few summary values)."""
        return sum(getattr(item, name) for item in self.figures)

    def total(self, kind: str) -> Counts:
        total = Counts()
        for item in self.figures:
            part = item.total(kind)
            total.add(part.count, part.minutes, part.people)
        return total

    @property
    def minutes(self) -> int:
        return self.sum_of("minutes")

    @property
    def balance(self) -> Balance:
        return balance_of(self.by_role)

    def needing_attention_first(self, search: str | None = None) -> list[PairFigures]:
        """The overview's rows: a pair with a balance flag first, then by overdue tasks,
        check-ins waiting (when shown) and women not reached, most first, then by name;
        only the pairs whose partners' names hold `search` when one is given."""
        rows = self.figures
        if search:
            wanted = search.casefold()
            rows = [item for item in rows if wanted in item.pair.label.casefold()]

        def need(item: PairFigures):
            waiting = item.waiting if self.checkins_shown else 0
            return (not item.balance.flagged, -item.overdue_tasks, -waiting,
                    -item.not_reached, item.pair.label.casefold(), item.pair.id)

        return sorted(rows, key=need)

    @property
    def flagged(self) -> int:
        """Pairs whose balance gets a flag."""
        return sum(1 for item in self.figures if item.balance.flagged)

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
    """Whether the user may see every one of these pairs (one query; for a request without
    a valid period, which builds no dashboard)."""
    wanted = set(pair_ids)
    if not wanted:
        return True
    found = set(db.session.scalars(
        sa.select(Pair.id).where(Pair.id.in_(sorted(wanted)),
                                 Pair.id.in_(visible_pair_ids(user)))
    ))
    return found == wanted


# What the dashboard shows of the partners and the supervisor.
PERSON_SHOWN = (User.id, User.name, User.role, User.active)


def visible_pairs(user: User, today: date) -> tuple[list[Pair], dict[int, tuple[bool, bool]]]:
    """Every pair the user may see, with their people, and for partners which lists behind
    the figures they may open ({pair_id: (their clients, their tasks and plans)}): one
    query (a few hundred pairs at most; the period is applied in Python, so that the same
    list tells whether chosen pairs are in the user's scope). Supervisors and
    administrators get numbers only: no links."""
    columns = [Pair]
    if user.role in PARTNERS:
        clients = client_pair_ids(user, today).subquery()
        working = writing_pair_ids(user, today).subquery()
        columns += [Pair.id.in_(sa.select(clients.c.id)),
                    Pair.id.in_(sa.select(working.c.id))]
    query = (
        sa.select(*columns)
        .where(Pair.id.in_(visible_pair_ids(user)))
        # The people's names only (a thousand pairs are three thousand people to load);
        # anything else of them read by mistake raises instead of loading one by one.
        .options(*(joinedload(person).load_only(*PERSON_SHOWN, raiseload=True)
                   for person in (Pair.professional, Pair.expert, Pair.supervisor)))
        .order_by(Pair.starts_on, Pair.id)
    )
    pairs, links = [], {}
    for row in db.session.execute(query).unique():
        pairs.append(row[0])
        if len(row) > 1:
            links[row[0].id] = (bool(row[1]), bool(row[2]))
    return pairs, links


def worked_in(pair: Pair, period: Period) -> bool:
    return pair.starts_on <= period.last and (pair.ends_on is None
                                              or pair.ends_on > period.first)


def worked_pair_ids(user: User, period: Period) -> sa.Select:
    """The ids of the pairs the user may see that worked in the period (`worked_in`), as
    a subquery: the overview's pairs."""
    return sa.select(Pair.id).where(
        Pair.id.in_(visible_pair_ids(user)), Pair.starts_on <= period.last,
        sa.or_(Pair.ends_on.is_(None), Pair.ends_on > period.first))


def dashboard(user: User, period: Period, today: date,
              chosen: list[int] | None = None) -> Dashboard | None:
    """The figures of the chosen pairs that worked in the period (all the user's pairs when
    none are chosen): the breakdown per pair when pairs are chosen and for partners, else
    the overview. None when a chosen pair is not one the user may see."""
    visible, links = visible_pairs(user, today)
    if chosen and not set(chosen) <= {pair.id for pair in visible}:
        return None
    pairs = [pair for pair in visible if worked_in(pair, period)]
    shown = [pair for pair in pairs if pair.id in set(chosen)] if chosen else pairs
    detailed = bool(chosen) or user.role in PARTNERS
    checkins_shown = user.role != Role.ADMIN
    figures = {pair.id: PairFigures(pair=pair) for pair in shown}
    if figures:
        # The breakdown's few pairs by their ids; the overview's (up to every pair in the
        # country) as the same choice in SQL: a thousand ids written into each statement
        # cost more to send and parse than the statement takes.
        ids = sorted(figures) if detailed else worked_pair_ids(user, period)
        _work(figures, ids, period, detailed)
        _clients(figures, ids, period, today)
        _tasks(figures, ids, today)
        if checkins_shown:
            _waiting(figures, ids, today)
        if detailed and checkins_shown:
            _strain(figures, ids, period, all_means=user.role in PARTNERS)
            _meetings(figures, shown, ids, period, today)
        for pair_id, (may_open, works) in links.items():
            if pair_id in figures:
                figures[pair_id].may_open_clients, figures[pair_id].works_now = may_open, works
    # Where the work is, in the overview only: the breakdown is at its ten queries.
    areas = area_counts(
        lambda column: column.in_(ids), period.first, period.last,
        day_start_utc(period.first), day_start_utc(period.last + timedelta(days=1)),
    ) if figures and not detailed else []
    return Dashboard(period=period, today=today, pairs=pairs,
                     figures=[figures[pair.id] for pair in shown], detailed=detailed,
                     checkins_shown=checkins_shown, areas=areas)


def pieces(first: date, last: date, coarser: tuple[Level, ...]) -> list[tuple]:
    """The days first..last cut into what each rollup can answer: [(level, first day of
    the first period, first day of the last period)] for the whole periods of each coarser
    level (the coarsest first), and (None, first, last) for the days left at the edges."""
    if first > last:
        return []
    if not coarser:
        return [(None, first, last)]
    level, finer = coarser[-1], coarser[:-1]
    whole_first = first if level.start(first) == first else level.following(level.start(first))
    whole_last = level.start(last)
    if level.following(whole_last) - timedelta(days=1) != last:
        whole_last = level.start(whole_last - timedelta(days=1))
    if whole_first > whole_last:
        return pieces(first, last, finer)
    return [(level, whole_first, whole_last),
            *pieces(first, whole_first - timedelta(days=1), finer),
            *pieces(level.following(whole_last), last, finer)]


def work_source(ids: list[int] | sa.Select | None, period: Period, detailed: bool,
                coarser: tuple[Level, ...] | None = None, scope=None):
    """The rollup rows of the period for these pairs: its whole years from the yearly
    rollup, its other whole months from the monthly one, the days left at its ends from the
    daily one (UNION ALL, one statement). Columns: pair_id, role, kind, (detail, outcome
    when detailed), count, minutes, people. `coarser`: the coarser rollups to read (by
    default every one the database has; () reads the days alone). `scope`: instead of
    `ids`, a function giving the condition on a pair_id column."""

    def pair_in(column):
        return column.in_(ids) if scope is None else scope(column)

    def columns(table):
        names = ["pair_id", "role", "kind", *(("detail", "outcome") if detailed else ()),
                 "count", "minutes", "people"]
        return [table.c[name] for name in names]

    coarser = levels() if coarser is None else coarser
    # One level per period (month, year): the totals over the details where they will do.
    by_period: dict = {}
    for level in coarser:
        if level.detailed or not detailed:
            by_period[level.column] = level
    spans: dict = {}  # table: [(column, first, last)], in the order first met
    for level, first, last in pieces(period.first, period.last, tuple(by_period.values())):
        if level is None:
            spans.setdefault(WorkRollup.__table__, []).append(("day", first, last))
        else:
            spans.setdefault(level.model.__table__, []).append((level.column, first, last))
    parts = [
        sa.select(*columns(table)).where(
            pair_in(table.c.pair_id),
            sa.or_(*(table.c[column].between(first, last) for column, first, last in ranges)))
        for table, ranges in spans.items()
    ]
    return sa.union_all(*parts) if len(parts) > 1 else parts[0]


def _work(figures: dict[int, PairFigures], ids: list[int] | sa.Select, period: Period,
          detailed: bool) -> None:
    """Everything the pairs did, from the rollups: one GROUP BY, per pair, role and kind,
    and per channel, service kind and outcome too for the breakdown."""
    rows = work_source(ids, period, detailed).subquery("work")
    keys = [rows.c.pair_id, rows.c.role, rows.c.kind]
    if detailed:
        keys += [rows.c.detail, rows.c.outcome]
    result = db.session.execute(
        sa.select(*keys, sa.func.sum(rows.c.count), sa.func.sum(rows.c.minutes),
                  sa.func.sum(rows.c.people))
        .group_by(*keys)
    )
    for row in result:
        pair_id, role, kind = row[:3]
        detail, outcome = row[3:5] if detailed else (None, None)
        count, minutes, people = (int(value or 0) for value in row[-3:])
        target = figures.get(pair_id)  # None: a pair begun since the pairs were read
        work = target.by_role.get(role) if target is not None else None
        if work is None:
            continue
        if kind == RollupKind.CONTACT:
            work.contacts.add(count, minutes, people)
            if detailed:
                target.contacts_by_channel.setdefault(detail, Counts()).add(count, minutes, 0)
        elif kind == RollupKind.ACCOMPANIMENT:
            work.accompaniments.add(count, minutes, people)
            if detailed:
                target.accompaniments_by_kind.setdefault((detail, outcome), Counts()).add(
                    count, minutes, 0)
        elif kind == RollupKind.NETWORK:
            work.network.add(count, minutes, people)
            if detailed:
                target.network_by_channel.setdefault(detail, Counts()).add(count, minutes, 0)
        elif kind == RollupKind.ENCOUNTER:
            work.encounters.add(count, minutes, people)


def _clients(figures: dict[int, PairFigures], ids: list[int] | sa.Select, period: Period,
             today: date) -> None:
    """Active, new in the period, and active but not reached in the pair's own number of
    days: one GROUP BY over the client table (no names read)."""
    # The pairs by their settings (the statement scopes them itself), ids or subquery alike.
    quiet = not_reached_by_setting({item.pair.no_contact_days for item in figures.values()},
                                   today)
    active = Client.status == ClientStatus.ACTIVE
    start, end = day_start_utc(period.first), day_start_utc(period.last + timedelta(days=1))
    rows = db.session.execute(
        sa.select(
            Client.pair_id,
            sa.func.sum(sa.case((active, 1), else_=0)),
            sa.func.sum(sa.case((sa.and_(Client.created_at >= start,
                                         Client.created_at < end), 1), else_=0)),
            sa.func.sum(sa.case((sa.and_(active, quiet), 1), else_=0)),
        )
        .where(Client.pair_id.in_(ids), Client.merged_into_id.is_(None))
        .group_by(Client.pair_id)
    )
    for pair_id, active_count, new_count, quiet in rows:
        if (target := figures.get(pair_id)) is None:
            continue
        target.active_clients, target.new_clients, target.not_reached = (
            int(active_count or 0), int(new_count or 0), int(quiet or 0))


def _tasks(figures: dict[int, PairFigures], ids: list[int] | sa.Select, today: date) -> None:
    """Open and overdue tasks per assignee: one GROUP BY (titles are not read)."""
    overdue = sa.and_(Task.due_on.is_not(None), Task.due_on < today)
    rows = db.session.execute(
        sa.select(Task.pair_id, Task.assignee, sa.func.count(),
                  sa.func.sum(sa.case((overdue, 1), else_=0)))
        # The status written into the statement, not bound: a plan PostgreSQL prepares once
        # for any value could not use the index of open tasks.
        .where(Task.pair_id.in_(ids),
               Task.status == sa.literal(TaskStatus.OPEN.value, literal_execute=True))
        .group_by(Task.pair_id, Task.assignee)
    )
    for pair_id, assignee, count, late in rows:
        if pair_id in figures:
            figures[pair_id].tasks[Assignee(assignee).value] = (int(count), int(late or 0))


def strain_months(period: Period) -> list[date]:
    """The months of the strain trend: the period's months, at least the last six."""
    last = date(period.last.year, period.last.month, 1)
    first = date(period.first.year, period.first.month, 1)
    earliest = last
    for _ in range(STRAIN_MONTHS - 1):
        earliest = (earliest - timedelta(days=1)).replace(day=1)
    return month_starts(min(first, earliest), period.last)


def _waiting(figures: dict[int, PairFigures], ids: list[int] | sa.Select, today: date) -> None:
    """Check-ins waiting (how many, the oldest's days): counts only, never a note. One
    query."""
    for pair_id, (count, oldest) in waiting_checkins(ids).items():
        if pair_id not in figures:
            continue
        figures[pair_id].waiting = count
        figures[pair_id].waited_days = days_since(oldest, today)


def _strain(figures: dict[int, PairFigures], ids: list[int], period: Period,
            all_means: bool) -> None:
    """Check-ins recorded per month and in the period, and the expert's mean strain per
    month: for the pair's partners (`all_means`), else only where the expert shares her
    trend (wellbeing.StrainShare: read in the same statement, so sharing and withdrawing
    show on the next page). Means and counts only, never a note. One query."""
    months = strain_months(period)
    start, end = day_start_utc(period.first), day_start_utc(period.last + timedelta(days=1))
    shared = sa.true() if all_means else CheckIn.expert_id.in_(sharing_expert_ids())
    inner = (
        sa.select(CheckIn.pair_id.label("pair_id"),
                  bucket_expr(CheckIn.created_at, months).label("month"),
                  sa.case((shared, CheckIn.strain), else_=None).label("strain"),
                  sa.case((CheckIn.created_at >= start, 1), else_=0).label("in_period"))
        .where(CheckIn.pair_id.in_(ids),
               CheckIn.created_at >= min(day_start_utc(months[0]), start),
               CheckIn.created_at < end)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(inner.c.pair_id, inner.c.month, sa.func.avg(inner.c.strain),
                  sa.func.count(), sa.func.sum(inner.c.in_period),
                  sa.func.count(inner.c.strain))
        .group_by(inner.c.pair_id, inner.c.month)
    )
    means = {}
    for pair_id, month, mean, count, in_period, with_strain in rows:
        figures[pair_id].recorded += int(in_period or 0)
        if with_strain:
            figures[pair_id].strain_shared = True
        if month is not None:
            means[(pair_id, month)] = (None if mean is None else float(mean), int(count))
    for pair_id in ids:
        figures[pair_id].strain = [
            (start, *means.get((pair_id, index), (None, 0))) for index, start in
            enumerate(months)
        ]
        if all_means:
            figures[pair_id].strain_shared = True


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
