"""The funder report's figures: each one SQL GROUP BY over the chosen pairs (within the
user's scope, `visible_pair_ids`) and period, never over names, codes or notes. A fixed
number of queries whatever the amount of data (tests/reports counts them).

Small numbers are suppressed when shown (`shown`): a count of 1 or 2 reads "<3", so that
no woman can be pointed at from a small cell; 0 and 3 or more are shown as they are, and a
mean only from 3 up.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from outreach.accompaniments.models import MET_OUTCOMES, OUTCOME_NAMES, Accompaniment, Outcome
from outreach.auth.models import Role, User
from outreach.clients.choices import (
    LIFE_DOMAIN_NAMES,
    LIVING_SITUATION_NAMES,
    LifeDomain,
    LivingSituation,
)
from outreach.clients.models import Client, LivingSituationChange
from outreach.consents.models import Consent
from outreach.contacts.choices import CHANNEL_NAMES, PARTICIPANT_NAMES, Channel
from outreach.contacts.models import Contact
from outreach.core.time import days_bounds_utc
from outreach.dashboard.forms import Period as DashboardPeriod
from outreach.dashboard.models import RollupKind
from outreach.dashboard.queries import work_source
from outreach.encounters.models import AnonymousEncounter
from outreach.evaluations import queries as evaluation_queries
from outreach.evaluations.models import EvaluationRound
from outreach.extensions import db
from outreach.groups.models import GroupSession, PeerGroup
from outreach.mappings.models import Mapping, MappingRating
from outreach.outings.queries import area_counts
from outreach.pairs.models import Pair
from outreach.scope import named_pairs, visible_pair_ids
from outreach.services.models import KIND_NAMES, ServiceKind

SMALL = 3  # counts below this (but above 0) are shown as "<3"; means need this many
SUPPRESSED = "<3"
# Who sees the evaluation summaries: the partners of one pair would learn each other's
# answers from them (DESIGN §3: partners have their own form and the joint review).
EVALUATION_ROLES = (Role.SUPERVISOR, Role.ADMIN)


def shown(count: int | None) -> int | str | None:
    """A count as the report shows it: 1 and 2 become "<3"; 0 and 3+ stay numbers."""
    if count is None:
        return None
    return SUPPRESSED if 0 < count < SMALL else count


def mean_shown(n: int, value: float | None) -> float | None:
    """A mean only when it rests on at least three."""
    return value if value is not None and n >= SMALL else None


# --- What the report holds ------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date
    year: int | None = None  # a whole calendar year, else a custom period

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """The period's moments in UTC: Helsinki midnight to Helsinki midnight."""
        return days_bounds_utc(self.first_day, self.last_day)


@dataclass
class Row:
    """A line of a table: its label, how many, and the minutes they took."""

    label: str
    count: int = 0
    minutes: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class RoleRow:
    label: str
    contacts: Row
    accompaniments: Row

    @property
    def total(self) -> Row:
        return Row(self.label, self.contacts.count + self.accompaniments.count,
                   self.contacts.minutes + self.accompaniments.minutes)


@dataclass
class Transition:
    before: str
    after: str
    count: int

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class DomainChange:
    label: str
    n: int
    first: float | None
    last: float | None

    @property
    def change(self) -> float | None:
        if self.first is None or self.last is None:
            return None
        return self.last - self.first


@dataclass
class FunderReport:
    period: Period
    pairs: list[Pair]
    women_reached: int = 0
    encounters: int = 0
    encounter_people: int = 0
    contacts: list[Row] = field(default_factory=list)
    accompaniments_by_kind: list[Row] = field(default_factory=list)
    accompaniments_by_outcome: list[Row] = field(default_factory=list)
    transitions: list[Transition] = field(default_factory=list)
    domains: list[DomainChange] = field(default_factory=list)
    groups: int = 0
    sessions: int = 0
    participants: int = 0
    evaluation: list | None = None  # evaluation SummarySections, or None: not for this role
    roles: list[RoleRow] = field(default_factory=list)
    areas: list[tuple[str, int, int]] = field(default_factory=list)  # outreach.outings

    @property
    def contacts_total(self) -> Row:
        return _total(self.contacts)

    @property
    def accompaniments_total(self) -> Row:
        return _total(self.accompaniments_by_kind)

    @property
    def roles_total(self) -> Row:
        return _total([role.total for role in self.roles])

    @property
    def women_changed(self) -> int:
        return sum(t.count for t in self.transitions if t.changed)


def _total(rows: list[Row]) -> Row:
    # A sum over the few GROUP BY rows of an enum (at most a dozen), not over records.
    return Row("", sum(r.count for r in rows), sum(r.minutes for r in rows))


# --- Scope ----------------------------------------------------------------------------------


def report_pairs(user: User) -> list[Pair]:
    """The pairs the user may report on, with the partners' names for the labels. One query."""
    return named_pairs(Pair.id.in_(visible_pair_ids(user)))


class Scope:
    """The chosen pairs, always within what the user may see (checked in every query)."""

    def __init__(self, user: User, pair_ids: list[int]):
        self.user = user
        self.pair_ids = list(pair_ids)

    def __call__(self, column) -> sa.ColumnElement[bool]:
        return sa.and_(column.in_(visible_pair_ids(self.user)), column.in_(self.pair_ids))


# --- The figures ----------------------------------------------------------------------------


def funder_report(user: User, period: Period, pairs: list[Pair]) -> FunderReport:
    """Every figure of the report for these pairs (already within the user's scope) and
    period: a fixed number of queries (ten or fewer), whatever the data."""
    scope = Scope(user, [pair.id for pair in pairs])
    start, end = period.bounds
    report = FunderReport(period=period, pairs=pairs)
    women = _women_reached(scope, period, start, end)
    (report.encounters, report.encounter_people, report.groups, report.sessions,
     report.participants) = _counts(scope, period)
    _work(report, scope, period)
    report.areas = area_counts(scope, period.first_day, period.last_day, start, end)
    report.transitions = _transitions(women, start, end)
    # Every woman reached is in exactly one transition (her living situation at the
    # period's two ends): finding them again for a count would probe every client again.
    report.women_reached = sum(transition.count for transition in report.transitions)
    report.domains = _domain_changes(scope, period)
    if user.role in EVALUATION_ROLES:
        rounds = evaluation_queries.summary_round_ids(user).where(
            EvaluationRound.pair_id.in_(scope.pair_ids),
            EvaluationRound.opened_at >= start, EvaluationRound.opened_at < end,
        )
        report.evaluation = evaluation_queries.summary(user, rounds=rounds, quotes=False)
    return report


def _rows(found: dict, names: dict, enum) -> list[Row]:
    """Every member of the enum in its own order, 0 where the GROUP BY found nothing.
    `found`: {value: [count, minutes]}."""
    found = {enum(value): tuple(numbers) for value, numbers in found.items()}
    return [Row(str(label), *found.get(member, (0, 0))) for member, label in names.items()]


def _work(report: FunderReport, scope: Scope, period: Period) -> None:
    """Contacts by channel, accompaniments (those that took place) by service kind and by
    outcome, and both by who of the pair took part, with their minutes: one GROUP BY over
    the work rollup (outreach.dashboard.rollup, kept in step with the records on write;
    the period's whole years and months from the yearly and monthly rollups, the days at
    its ends from the daily one). The rollup counts what these figures count: every contact on its
    Helsinki day, an accompaniment once its outcome is recorded, on the day it took
    place, with the time spent (0 when not recorded)."""
    days = DashboardPeriod("custom", period.first_day, period.last_day)
    work = work_source(None, days, True, scope=scope)
    work = work.subquery("work")
    query = (
        sa.select(work.c.kind, work.c.role, work.c.detail, work.c.outcome,
                  sa.func.sum(work.c.count), sa.func.sum(work.c.minutes))
        .where(work.c.kind.in_([RollupKind.CONTACT.value, RollupKind.ACCOMPANIMENT.value]))
        .group_by(work.c.kind, work.c.role, work.c.detail, work.c.outcome)
    )
    channels: dict = {}
    kinds: dict = {}
    outcomes: dict = {}
    roles: dict = {}
    for kind, role, detail, outcome, count, minutes in db.session.execute(query):
        # A sum over the few GROUP BY rows (role x channel, kind x outcome), not records.
        numbers = (int(count or 0), int(minutes or 0))
        if kind == RollupKind.CONTACT:
            targets = [(channels, detail), (roles, (role, "contact"))]
        else:
            targets = [(kinds, detail), (outcomes, outcome), (roles, (role, "accompaniment"))]
        for target, key in targets:
            total = target.setdefault(key, [0, 0])
            total[0] += numbers[0]
            total[1] += numbers[1]
    report.contacts = _rows(channels, CHANNEL_NAMES, Channel)
    report.accompaniments_by_kind = _rows(kinds, KIND_NAMES, ServiceKind)
    report.accompaniments_by_outcome = _rows(outcomes, OUTCOME_NAMES, Outcome)
    report.roles = [
        RoleRow(str(label), Row(str(label), *roles.get((member.value, "contact"), (0, 0))),
                Row(str(label), *roles.get((member.value, "accompaniment"), (0, 0))))
        for member, label in PARTICIPANT_NAMES.items()
    ]


def _women_reached(scope: Scope, period: Period, start: datetime, end: datetime) -> sa.Select:
    """The women with a consent who had a contact, or an accompaniment at which she was
    met, by the chosen pairs in the period: one client_id each. Asked per client (EXISTS
    over the (client, moment) indexes of contacts and accompaniments), so that a year of
    a few hundred thousand contacts is not read, only probed once per woman."""
    contacted = sa.exists(sa.select(Contact.id).where(
        Contact.client_id == Client.id, Contact.contacted_at >= start,
        Contact.contacted_at < end, scope(Contact.pair_id)))
    accompanied = sa.exists(sa.select(Accompaniment.id).where(
        Accompaniment.client_id == Client.id, Accompaniment.took_place_at >= start,
        Accompaniment.took_place_at < end, Accompaniment.outcome.in_(MET_OUTCOMES),
        scope(Accompaniment.pair_id)))
    consented = sa.exists(sa.select(Consent.id).where(
        Consent.client_id == Client.id, Consent.given_on <= period.last_day))
    return sa.select(Client.id.label("client_id")).where(
        consented, sa.or_(contacted, accompanied))


def _transitions(women: sa.Select, start: datetime, end: datetime) -> list[Transition]:
    """For each woman reached: her living situation when the period began (the last one
    recorded before it; if her record is newer, the first one recorded in it) against
    the last one recorded before it ended. A record without any history row counts her
    current situation at both ends. One query; the women are found once in it (a CTE
    read by both branches), and each is counted in exactly one transition."""
    change = LivingSituationChange
    ids = women.cte("women")
    before = change.at < start
    known = (
        sa.select(
            change.client_id, change.living_situation,
            sa.func.row_number().over(
                partition_by=change.client_id,
                order_by=(sa.case((before, 0), else_=1), sa.case((before, change.at)).desc(),
                          sa.case((before, change.id)).desc(), change.at, change.id),
            ).label("first"),
            sa.func.row_number().over(
                partition_by=change.client_id, order_by=(change.at.desc(), change.id.desc()),
            ).label("last"),
        )
        .where(change.at < end, change.client_id.in_(sa.select(ids.c.client_id)))
    )
    # Each woman with history rows: her first and last known in one pass (GROUP BY, no
    # join of two windowed subqueries, which SQLite would scan once per woman).
    known = known.subquery("known")
    ends = (
        sa.select(
            sa.func.max(sa.case((known.c.first == 1, known.c.living_situation))).label("was"),
            sa.func.max(sa.case((known.c.last == 1, known.c.living_situation))).label("became"),
        )
        .group_by(known.c.client_id)
        .subquery("ends")
    )
    with_history = sa.select(ends.c.was, ends.c.became, sa.func.count().label("n")) \
        .group_by(ends.c.was, ends.c.became)
    # The women without any: her current situation at both ends.
    without_history = (
        sa.select(Client.living_situation.label("was"), Client.living_situation.label("became"),
                  sa.func.count().label("n"))
        .where(Client.id.in_(sa.select(ids.c.client_id)),
               ~sa.exists(sa.select(change.id).where(change.client_id == Client.id,
                                                     change.at < end)))
        .group_by(Client.living_situation)
    )
    counted: dict = {}
    for a, b, n in db.session.execute(sa.union_all(with_history, without_history)):
        key = (LivingSituation(a), LivingSituation(b))
        counted[key] = counted.get(key, 0) + int(n)
    order = {member: n for n, member in enumerate(LivingSituation)}
    rows = sorted(((a, b, n) for (a, b), n in counted.items()),
                  key=lambda row: (order[row[0]], order[row[1]]))
    return [Transition(str(LIVING_SITUATION_NAMES[a]), str(LIVING_SITUATION_NAMES[b]), n)
            for a, b, n in rows]


def _domain_changes(scope: Scope, period: Period) -> list[DomainChange]:
    """Per life domain: the mean rating at each woman's first and at her last mapping of
    the period, over the women of the chosen pairs mapped at least twice in it and rated in
    that domain both times. One query."""
    clients = sa.select(Client.id).where(scope(Client.pair_id))
    numbered = (
        sa.select(
            Mapping.id.label("mapping_id"), Mapping.client_id,
            sa.func.row_number().over(partition_by=Mapping.client_id,
                                      order_by=(Mapping.mapped_on, Mapping.id)).label("first"),
            sa.func.row_number().over(partition_by=Mapping.client_id,
                                      order_by=(Mapping.mapped_on.desc(), Mapping.id.desc())
                                      ).label("last"),
            sa.func.count().over(partition_by=Mapping.client_id).label("mappings"),
        )
        .where(Mapping.mapped_on.between(period.first_day, period.last_day),
               Mapping.client_id.in_(clients))
    )
    # Each woman's first and last mapping in one pass (GROUP BY, no join of two windowed
    # subqueries, which SQLite would scan once per woman), then their ratings by index.
    numbered = numbered.subquery("numbered")
    ends = (
        sa.select(
            sa.func.max(sa.case((numbered.c.first == 1, numbered.c.mapping_id)))
            .label("first_id"),
            sa.func.max(sa.case((numbered.c.last == 1, numbered.c.mapping_id)))
            .label("last_id"),
        )
        .where(numbered.c.mappings >= 2)
        .group_by(numbered.c.client_id)
        .subquery("ends")
    )
    at_first, at_last = aliased(MappingRating), aliased(MappingRating)
    query = (
        sa.select(at_first.domain, sa.func.count(),
                  sa.func.avg(sa.cast(at_first.rating, sa.Float)),
                  sa.func.avg(sa.cast(at_last.rating, sa.Float)))
        .select_from(ends)
        .join(at_first, at_first.mapping_id == ends.c.first_id)
        .join(at_last, sa.and_(at_last.mapping_id == ends.c.last_id,
                               at_last.domain == at_first.domain))
        .where(at_first.rating.is_not(None), at_last.rating.is_not(None))
        .group_by(at_first.domain)
    )
    found = {LifeDomain(domain): (int(n), first_mean, last_mean)
             for domain, n, first_mean, last_mean in db.session.execute(query)}
    rows = []
    for domain, label in LIFE_DOMAIN_NAMES.items():
        n, first_mean, last_mean = found.get(domain, (0, None, None))
        rows.append(DomainChange(str(label), n,
                                 None if first_mean is None else float(first_mean),
                                 None if last_mean is None else float(last_mean)))
    return rows


def _counts(scope: Scope, period: Period) -> tuple[int, ...]:
    """The single figures, in one statement of scalar subqueries: anonymous encounters and
    the people met in them, peer-support groups that met, their sessions (those recorded
    with their number of participants) and participants in all."""
    encounters = sa.select(AnonymousEncounter).where(
        scope(AnonymousEncounter.pair_id),
        AnonymousEncounter.met_on.between(period.first_day, period.last_day)).subquery()
    sessions = (
        sa.select(GroupSession)
        .join(PeerGroup, PeerGroup.id == GroupSession.group_id)
        .where(scope(PeerGroup.pair_id), GroupSession.participants.is_not(None),
               GroupSession.held_on.between(period.first_day, period.last_day))
        .subquery()
    )

    def one(column, source) -> sa.ScalarSelect:
        return sa.select(column).select_from(source).scalar_subquery()

    figures = db.session.execute(sa.select(
        one(sa.func.count(), encounters),
        one(sa.func.coalesce(sa.func.sum(encounters.c.people_count), 0), encounters),
        one(sa.func.count(sa.distinct(sessions.c.group_id)), sessions),
        one(sa.func.count(), sessions),
        one(sa.func.coalesce(sa.func.sum(sessions.c.participants), 0), sessions),
    )).one()
    return tuple(int(figure or 0) for figure in figures)
