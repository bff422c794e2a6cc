"""The workload dashboard's figures, scoped by the pairs the user may see
(`visible_pair_ids`): administrators every pair, supervisors the pairs they supervise,
partners their own pairs. Only numbers: no client's name, code or note is ever read here.

Two views. The overview (every pair the user may see, up to every pair in the country)
works out each pair's need for attention in SQL (a balance flag, overdue tasks, check-ins
waiting, women not reached), sorts and pages the pairs there and sums them for the totals,
in one statement; Python sees the page's pairs only: their people (one query), their work
by role (one GROUP BY), the totals' work by role (one) and the places (one), beside the
pairs to choose from (one light query of names). The breakdown (pairs chosen with ?pair=,
and always for partners, who see their own pair) reads per chosen pair the work by
channel, service kind and outcome, clients, tasks per assignee, check-ins waiting, the
strain per month, the meetings in the period and the meeting rhythm. Either way a fixed
number of queries, whatever the number of pairs and records.

The work comes from the yearly rollup for the period's whole years, from the monthly one for
its other whole months and from the daily rollup only for the days of the months it cuts
at its ends (outreach.dashboard.rollup): a year is one row per pair and category, not 365."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from outreach.auth.models import Role, User
from outreach.clients.choices import ClientStatus
from outreach.clients.models import Client
from outreach.clients.queries import not_reached_by_setting
from outreach.core.search import contains
from outreach.core.time import bucket_expr, day_start_utc, days_since
from outreach.dashboard.forms import Period, month_starts
from outreach.dashboard.models import RollupKind, WorkRollup
from outreach.dashboard.rollup import Level, levels
from outreach.extensions import db
from outreach.meetings.models import MeetingKind, PairMeeting
from outreach.meetings.queries import meeting_rhythm_status
from outreach.outings.queries import area_counts
from outreach.pairs.models import Pair, PairAgreement
from outreach.scope import PARTNERS, client_pair_ids, visible_pair_ids, writing_pair_ids
from outreach.tasks.models import Assignee, Task, TaskStatus
from outreach.wellbeing.models import CheckIn
from outreach.wellbeing.queries import sharing_expert_ids, waiting_checkins, waiting_query

ROLES = ("professional", "expert", "both")

# The division of labour the NEA model expects: the experience expert keeps contact with the
# women and goes with them to services, the professional maps their situation and arranges
# services. So the expert should take part (alone or with the professional) in at least a
# third of the pair's contacts and accompaniments. (Shares as fractions: the flags are
# decided exactly, and the same way in SQL as in Python.)
EXPECTED_EXPERT_SHARE = Fraction(1, 3)
# A gentle flag when one partner carries more than this share of the hours the partners
# worked alone (contacts and accompaniments)...
SOLO_HOURS_FLAG_SHARE = Fraction(3, 4)
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


@dataclass(kw_only=True)
class Work:
    """What was done in the period, by who: a pair's, or every shown pair's together."""

    by_role: dict[str, RoleWork] = field(default_factory=lambda: {r: RoleWork() for r in ROLES})

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

    @cached_property
    def balance(self) -> Balance:
        """Computed once, when the figures are complete (the page asks several times)."""
        return balance_of(self.by_role)

    def add(self, role: str, kind: str, count: int, minutes: int, people: int) -> RoleWork | None:
        """A rollup row's sums; the role's work (None for a role or kind not shown)."""
        work = self.by_role.get(role)
        name = KIND_PARTS.get(kind)
        if work is None or name is None:
            return None
        getattr(work, name).add(count, minutes, people)
        return work


# The rollup's kinds, as RoleWork's parts.
KIND_PARTS = {RollupKind.CONTACT: "contacts", RollupKind.ACCOMPANIMENT: "accompaniments",
              RollupKind.NETWORK: "network", RollupKind.ENCOUNTER: "encounters"}


@dataclass(kw_only=True)
class PairFigures(Work):
    pair: Pair
    active_clients: int = 0
    new_clients: int = 0
    not_reached: int = 0
    contacts_by_channel: dict[str, Counts] = field(default_factory=dict)
    accompaniments_by_kind: dict[tuple[str, str], Counts] = field(default_factory=dict)
    network_by_channel: dict[str, Counts] = field(default_factory=dict)
    tasks: dict[str, tuple[int, int]] = field(default_factory=dict)  # assignee: (open, overdue)
    # The overview's: open and overdue tasks of every assignee (no breakdown read).
    open_and_overdue: tuple[int, int] | None = None
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
        if self.open_and_overdue is not None:
            return self.open_and_overdue[0]
        return sum(open_ for open_, _overdue in self.tasks.values())

    @property
    def overdue_tasks(self) -> int:
        if self.open_and_overdue is not None:
            return self.open_and_overdue[1]
        return sum(overdue for _open, overdue in self.tasks.values())


@dataclass(kw_only=True)
class Totals(Work):
    """The overview's figures summed over every pair it covers, not only the page's."""

    pairs: int = 0
    active_clients: int = 0
    new_clients: int = 0
    not_reached: int = 0
    open_tasks: int = 0
    overdue_tasks: int = 0
    waiting: int = 0
    flagged: int = 0  # pairs whose balance gets a flag


def _shares(values: dict[str, int]) -> dict[str, float | None]:
    total = sum(values.values())
    return {role: (values[role] / total if total else None) for role in ROLES}


def balance_of(by_role: dict[str, RoleWork]) -> Balance:
    contacts = {role: by_role[role].contacts.count for role in ROLES}
    accompaniments = {role: by_role[role].accompaniments.count for role in ROLES}
    minutes = {role: by_role[role].minutes for role in ROLES}
    together = sum(contacts.values()) + sum(accompaniments.values())
    expert_took_part = (contacts["expert"] + contacts["both"] + accompaniments["expert"]
                        + accompaniments["both"])
    heavier = max(("professional", "expert"), key=lambda role: minutes[role])
    below, heavy = flags(together, expert_took_part, minutes["professional"],
                         minutes["expert"])
    solo = minutes["professional"] + minutes["expert"]
    return Balance(
        contacts=_shares(contacts),
        accompaniments=_shares(accompaniments),
        hours=_shares(minutes),
        expert_part=expert_took_part / together if together else None,
        below_expectation=below,
        solo_heavy=heavier if heavy else None,
        solo_share=minutes[heavier] / solo if solo >= SOLO_MINUTES_MIN else None,
    )


def flags(together, expert_took_part, professional_minutes, expert_minutes):
    """(below the expected expert share, one partner carries the solo hours): in whole
    numbers, so that the same expression decides it for Python's ints and in SQL (the
    overview sorts the pairs by it)."""
    expected, heavy = EXPECTED_EXPERT_SHARE, SOLO_HOURS_FLAG_SHARE
    solo = professional_minutes + expert_minutes
    below = (together > 0) & (expert_took_part * expected.denominator
                              < together * expected.numerator)
    carries = (solo >= SOLO_MINUTES_MIN) & (
        (professional_minutes * heavy.denominator > solo * heavy.numerator)
        | (expert_minutes * heavy.denominator > solo * heavy.numerator))
    return below, carries


class PairChoice(NamedTuple):
    """A pair the user may choose, by name: what the filter and the scope check need."""

    id: int
    label: str
    starts_on: date
    ends_on: date | None
    no_contact_days: int

    def worked_in(self, period: Period) -> bool:
        return self.starts_on <= period.last and (self.ends_on is None
                                                  or self.ends_on > period.first)


@dataclass
class Dashboard:
    period: Period
    today: date
    choices: list[PairChoice]  # the pairs the user may choose from: those that worked
    detailed: bool = False  # the breakdown per pair, or the overview's summary rows
    # The breakdown's chosen pairs, or the overview's page of pairs (needing attention first).
    figures: list[PairFigures] = field(default_factory=list)
    # The overview: its figures over every pair it covers, and how many pairs the search
    # found (the pages).
    totals: Totals | None = None
    matched: int = 0
    # Check-in figures: not for administrators, who see none of her well-being.
    checkins_shown: bool = True
    # (area, anonymous encounters, outings) of the shown pairs (outreach.outings).
    areas: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """No pair worked in the period."""
        return not self.figures if self.detailed else not self.totals.pairs


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


def _people():
    """The pair's professional and expert (aliases) and its label as SQL: "A & B"."""
    professional, expert = aliased(User), aliased(User)
    return professional, expert, professional.name + " & " + expert.name


def pair_choices(user: User) -> list[PairChoice]:
    """Every pair the user may see, by name (one query of plain rows: a thousand pairs
    nationally, no objects)."""
    professional, expert, label = _people()
    query = (
        sa.select(Pair.id, label, Pair.starts_on, Pair.ends_on, Pair.no_contact_days)
        .join(professional, professional.id == Pair.professional_id)
        .join(expert, expert.id == Pair.expert_id)
        .where(Pair.id.in_(visible_pair_ids(user)))
        .order_by(Pair.starts_on, Pair.id)
    )
    return [PairChoice(*row) for row in db.session.execute(query)]


# What the dashboard shows of the partners and the supervisor, and reads of the agreement.
PERSON_SHOWN = (User.id, User.name, User.role, User.active)
RHYTHM = (PairAgreement.meeting_date, PairAgreement.planning_rhythm,
          PairAgreement.debrief_rhythm)


def shown_pairs(user: User, today: date, ids: list[int],
                rhythm: bool = False) -> tuple[list[Pair], dict]:
    """These pairs with their people (and with `rhythm` their agreed meeting rhythm), and
    for partners which lists behind the figures they may open ({pair_id: (their clients,
    their tasks and plans)}): one query. Supervisors and administrators get numbers only:
    no links."""
    columns = [Pair]
    if user.role in PARTNERS:
        clients = client_pair_ids(user, today).subquery()
        working = writing_pair_ids(user, today).subquery()
        columns += [Pair.id.in_(sa.select(clients.c.id)),
                    Pair.id.in_(sa.select(working.c.id))]
    query = (
        sa.select(*columns)
        # The ids come from the user's scope already; checked again here, where the pairs
        # are read.
        .where(Pair.id.in_(ids), Pair.id.in_(visible_pair_ids(user)))
        # The people's names only; anything else of them read by mistake raises instead of
        # loading one by one.
        .options(*(joinedload(person).load_only(*PERSON_SHOWN, raiseload=True)
                   for person in (Pair.professional, Pair.expert, Pair.supervisor)))
        .order_by(Pair.starts_on, Pair.id)
    )
    if rhythm:
        query = query.options(joinedload(Pair.agreement).load_only(*RHYTHM, raiseload=True))
    pairs, links = [], {}
    for row in db.session.execute(query).unique():
        pairs.append(row[0])
        if len(row) > 1:
            links[row[0].id] = (bool(row[1]), bool(row[2]))
    return pairs, links


def worked_pair_ids(user: User, period: Period) -> sa.Select:
    """The ids of the pairs the user may see that worked in the period
    (`PairChoice.worked_in`), as a subquery: the overview's pairs."""
    return sa.select(Pair.id).where(
        Pair.id.in_(visible_pair_ids(user)), Pair.starts_on <= period.last,
        sa.or_(Pair.ends_on.is_(None), Pair.ends_on > period.first))


def dashboard(user: User, period: Period, today: date, chosen: list[int] | None = None,
              search: str | None = None, page: int = 1, per_page: int = 25) -> Dashboard | None:
    """The figures of the chosen pairs that worked in the period: the breakdown per pair
    when pairs are chosen and for partners, else the overview of every pair the user may
    see (`page` of `per_page` pairs, those whose names hold `search` when given). None
    when a chosen pair is not one the user may see."""
    choices = pair_choices(user)
    if chosen and not set(chosen) <= {choice.id for choice in choices}:
        return None
    worked = [choice for choice in choices if choice.worked_in(period)]
    dash = Dashboard(period=period, today=today, choices=worked,
                     detailed=bool(chosen) or user.role in PARTNERS,
                     checkins_shown=user.role != Role.ADMIN)
    if dash.detailed:
        ids = [choice.id for choice in worked if not chosen or choice.id in chosen]
        if ids:
            dash.figures = _breakdown(user, ids, period, today, dash.checkins_shown)
    elif worked:
        # The overview's pairs (up to every pair in the country) as the same choice in
        # SQL: a thousand ids written into each statement cost more to send and parse
        # than the statement takes.
        ids = worked_pair_ids(user, period)
        settings = {choice.no_contact_days for choice in worked}
        dash.figures, dash.totals, dash.matched = _overview(
            user, ids, settings, period, today, dash.checkins_shown, search, page, per_page)
        # Where the work is, in the overview only: the breakdown is at its ten queries.
        dash.areas = area_counts(
            lambda column: column.in_(ids), period.first, period.last,
            day_start_utc(period.first), day_start_utc(period.last + timedelta(days=1)))
    else:
        dash.totals = Totals()
    return dash


def _breakdown(user: User, ids: list[int], period: Period, today: date,
               checkins_shown: bool) -> list[PairFigures]:
    pairs, links = shown_pairs(user, today, ids, rhythm=checkins_shown)
    figures = {pair.id: PairFigures(pair=pair) for pair in pairs}
    ids = sorted(figures)  # a pair gone from the user's pairs since the choices is left out
    _work(figures, ids, period, detailed=True)
    _clients(figures, ids, {pair.no_contact_days for pair in pairs}, period, today)
    _tasks(figures, ids, today)
    if checkins_shown:
        _waiting(figures, ids, today)
        _strain(figures, ids, period, all_means=user.role in PARTNERS)
        _meetings(figures, pairs, ids, period, today)
    for pair_id, (may_open, works) in links.items():
        figures[pair_id].may_open_clients, figures[pair_id].works_now = may_open, works
    return list(figures.values())


def _overview(user: User, ids: sa.Select, settings: set[int], period: Period, today: date,
              checkins_shown: bool, search: str | None, page: int,
              per_page: int) -> tuple[list[PairFigures], Totals, int]:
    """The page of pairs needing attention first (a balance flag, then overdue tasks,
    check-ins waiting when shown, and women not reached, most first, then by name), the
    totals over every pair, and how many pairs the search found: one statement over the
    pairs' summaries, worked out, sorted and paged in SQL. Then the page's pairs with their
    people and work by role, and the totals' work by role: three more. Names are searched
    as every list searches them (`core.search.contains`, any case) and sorted by the
    database's collation."""
    summary = _summaries(ids, settings, period, today, checkins_shown).cte("summary")
    found_by_name = contains(summary.c.label, search) if search else sa.true()
    totals = sa.select(
        sa.func.count().label("pairs"),
        sa.func.coalesce(sa.func.sum(sa.case((found_by_name, 1), else_=0)), 0).label("matched"),
        *(sa.func.coalesce(sa.func.sum(summary.c[name]), 0).label(f"all_{name}")
          for name in SUMMED)).subquery("totals")
    order = [summary.c.flagged.desc(), summary.c.overdue_tasks.desc(),
             *([summary.c.waiting.desc()] if checkins_shown else []),
             summary.c.not_reached.desc(), sa.func.lower(summary.c.label), summary.c.pair_id]
    found = (sa.select(summary, sa.func.row_number().over(order_by=order).label("position"))
             .where(found_by_name)
             .order_by(*order).limit(per_page).offset((page - 1) * per_page)
             .subquery("found"))
    rows = db.session.execute(
        sa.select(totals, found).select_from(totals.outerjoin(found, sa.true()))
        .order_by(found.c.position)
    ).mappings().all()
    sums = Totals(pairs=rows[0]["pairs"],
                  **{name: int(rows[0][f"all_{name}"]) for name in SUMMED})
    _work_of_all(sums, ids, period)
    matched = int(rows[0]["matched"])  # known on a page past the last too
    on_page = [row for row in rows if row["pair_id"] is not None]
    if not on_page:
        return [], sums, matched
    pairs = {pair.id: pair for pair in shown_pairs(user, today,
                                                   [row["pair_id"] for row in on_page])[0]}
    figures = {}
    for row in on_page:
        if (pair := pairs.get(row["pair_id"])) is None:
            continue  # gone from the user's pairs between the two statements
        figures[pair.id] = PairFigures(
            pair=pair, active_clients=int(row["active_clients"]),
            new_clients=int(row["new_clients"]), not_reached=int(row["not_reached"]),
            open_and_overdue=(int(row["open_tasks"]), int(row["overdue_tasks"])),
            waiting=int(row["waiting"]))
    _work(figures, sorted(figures), period, detailed=False)
    return list(figures.values()), sums, matched


# The figures of a pair's summary that the overview's totals add up (`flagged`: 0 or 1).
SUMMED = ("active_clients", "new_clients", "not_reached", "open_tasks", "overdue_tasks",
          "waiting", "flagged")


def _summaries(ids: sa.Select, settings: set[int], period: Period, today: date,
               checkins_shown: bool) -> sa.Select:
    """One row per pair: its label, its clients' and tasks' counts, check-ins waiting and
    whether its balance gets a flag (`flags`, from the work's totals by role)."""
    work = work_source(ids, period, detailed=False).subquery("work")
    weighed = work.c.kind.in_((RollupKind.CONTACT, RollupKind.ACCOMPANIMENT))

    def part(condition, column):
        return sa.func.sum(sa.case((sa.and_(weighed, condition), column), else_=0))

    balance = (
        sa.select(work.c.pair_id,
                  part(sa.true(), work.c.count).label("together"),
                  part(work.c.role.in_(("expert", "both")), work.c.count).label("expert"),
                  part(work.c.role == "professional", work.c.minutes).label("pro_minutes"),
                  part(work.c.role == "expert", work.c.minutes).label("expert_minutes"))
        .group_by(work.c.pair_id).subquery("balance")
    )
    clients = client_counts(ids, settings, period, today).subquery("clients")
    tasks = task_counts(ids, today, by_assignee=False).subquery("tasks")
    professional, expert, label = _people()
    below, carries = flags(*(sa.func.coalesce(column, 0) for column in (
        balance.c.together, balance.c.expert, balance.c.pro_minutes,
        balance.c.expert_minutes)))
    query = (
        sa.select(Pair.id.label("pair_id"), label.label("label"),
                  sa.case((below | carries, 1), else_=0).label("flagged"),
                  *(sa.func.coalesce(column, 0).label(column.name) for column in (
                      clients.c.active_clients, clients.c.new_clients,
                      clients.c.not_reached, tasks.c.open_tasks, tasks.c.overdue_tasks)))
        .join(professional, professional.id == Pair.professional_id)
        .join(expert, expert.id == Pair.expert_id)
        .outerjoin(balance, balance.c.pair_id == Pair.id)
        .outerjoin(clients, clients.c.pair_id == Pair.id)
        .outerjoin(tasks, tasks.c.pair_id == Pair.id)
        .where(Pair.id.in_(ids))
    )
    if checkins_shown:
        waiting = waiting_query(ids).subquery("waiting")
        query = query.add_columns(sa.func.coalesce(waiting.c.count, 0).label("waiting")) \
            .outerjoin(waiting, waiting.c.pair_id == Pair.id)
    else:
        query = query.add_columns(sa.literal(0).label("waiting"))
    return query


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
        count, minutes, people = (int(value or 0) for value in row[-3:])
        target = figures.get(pair_id)  # None: a pair begun since the pairs were read
        if target is None or target.add(role, kind, count, minutes, people) is None:
            continue
        if not detailed:
            continue
        detail, outcome = row[3:5]
        if kind == RollupKind.CONTACT:
            target.contacts_by_channel.setdefault(detail, Counts()).add(count, minutes, 0)
        elif kind == RollupKind.ACCOMPANIMENT:
            target.accompaniments_by_kind.setdefault((detail, outcome), Counts()).add(
                count, minutes, 0)
        elif kind == RollupKind.NETWORK:
            target.network_by_channel.setdefault(detail, Counts()).add(count, minutes, 0)


def _work_of_all(totals: Totals, ids: sa.Select, period: Period) -> None:
    """The work of every pair the overview covers, by role and kind: one GROUP BY."""
    rows = work_source(ids, period, detailed=False).subquery("work")
    result = db.session.execute(
        sa.select(rows.c.role, rows.c.kind, sa.func.sum(rows.c.count),
                  sa.func.sum(rows.c.minutes), sa.func.sum(rows.c.people))
        .group_by(rows.c.role, rows.c.kind)
    )
    for role, kind, *sums in result:
        totals.add(role, kind, *(int(value or 0) for value in sums))


def client_counts(ids: list[int] | sa.Select, settings: set[int], period: Period,
                  today: date) -> sa.Select:
    """Per pair: clients active, new in the period, and active but not reached in the
    pair's own number of days (`settings`: the pairs' numbers). No names read."""
    # The pairs by their settings (the statement scopes them itself), ids or subquery alike.
    quiet = not_reached_by_setting(settings, today)
    active = Client.status == ClientStatus.ACTIVE
    start, end = day_start_utc(period.first), day_start_utc(period.last + timedelta(days=1))
    return (
        sa.select(
            Client.pair_id,
            sa.func.sum(sa.case((active, 1), else_=0)).label("active_clients"),
            sa.func.sum(sa.case((sa.and_(Client.created_at >= start,
                                         Client.created_at < end), 1), else_=0)
                        ).label("new_clients"),
            sa.func.sum(sa.case((sa.and_(active, quiet), 1), else_=0)).label("not_reached"),
        )
        .where(Client.pair_id.in_(ids), Client.merged_into_id.is_(None))
        .group_by(Client.pair_id)
    )


def _clients(figures: dict[int, PairFigures], ids: list[int], settings: set[int],
             period: Period, today: date) -> None:
    for pair_id, active_count, new_count, quiet in db.session.execute(
            client_counts(ids, settings, period, today)):
        if (target := figures.get(pair_id)) is None:
            continue
        target.active_clients, target.new_clients, target.not_reached = (
            int(active_count or 0), int(new_count or 0), int(quiet or 0))


def task_counts(ids: list[int] | sa.Select, today: date, by_assignee: bool) -> sa.Select:
    """Open and overdue tasks per pair (and assignee): one GROUP BY (titles not read)."""
    overdue = sa.and_(Task.due_on.is_not(None), Task.due_on < today)
    keys = [Task.pair_id, *([Task.assignee] if by_assignee else [])]
    return (
        sa.select(*keys, sa.func.count().label("open_tasks"),
                  sa.func.sum(sa.case((overdue, 1), else_=0)).label("overdue_tasks"))
        # The status written into the statement, not bound: a plan PostgreSQL prepares once
        # for any value could not use the index of open tasks.
        .where(Task.pair_id.in_(ids),
               Task.status == sa.literal(TaskStatus.OPEN.value, literal_execute=True))
        .group_by(*keys)
    )


def _tasks(figures: dict[int, PairFigures], ids: list[int], today: date) -> None:
    for pair_id, assignee, count, late in db.session.execute(
            task_counts(ids, today, by_assignee=True)):
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


def _waiting(figures: dict[int, PairFigures], ids: list[int], today: date) -> None:
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
    today (outreach.meetings: one query, the agreements came with the pairs)."""
    rows = db.session.execute(
        sa.select(PairMeeting.pair_id, PairMeeting.kind, sa.func.count(PairMeeting.id))
        .where(PairMeeting.pair_id.in_(ids), PairMeeting.held_on >= period.first,
               PairMeeting.held_on <= min(period.last, today))
        .group_by(PairMeeting.pair_id, PairMeeting.kind)
    )
    for pair_id, kind, count in rows:
        figures[pair_id].meetings[MeetingKind(kind).value] = int(count)
    agreements = {pair.id: pair.agreement for pair in pairs}  # loaded with the pairs
    for pair_id, status in meeting_rhythm_status(pairs, today, agreements).items():
        figures[pair_id].rhythm = status
