"""A kind of client record, declared once.

Each domain declares its kinds of record in its own `record.py` (a `RecordKind`), and
`outreach/records.py` lists them all, in order; the app factory registers that list here.
The cross-cutting parts read what is registered and import no domain:

- the timeline (outreach/clients/timeline.py): `timeline`, each a source of uniform rows;
- her page (outreach/clients/sections.py): `sections`;
- drafts of long forms (outreach/drafts/queries.py): `draft`;
- anonymising (outreach/retention/service.py): `scrubs` and `kept_text`, and `draft`'s
  model to find the drafts of edit forms about her;
- her data, and the access log's names of parts (outreach/audit/): `her_data`, `log_parts`;
- the work rollup (outreach/dashboard/rollup.py): `rollup`;
- the demo (outreach/demo.py): `demo`, run in the order of the list;
- the app factory and the schema (outreach/__init__.py, outreach/models.py): `blueprint`,
  `models`.

A field that does not apply to a kind is left empty (None or ()). This module imports no
domain (and no reader): it sits at the bottom with the rest of `outreach.core`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from outreach.extensions import db

# --- The parts of a declaration --------------------------------------------------------------


@dataclass(frozen=True)
class TimelineKind:
    """One kind of entry on her timeline.

    `source()` is a SELECT of (kind, record_id, at, actor_id, client_id) over the kind's own
    table (build it with `source_columns`); `loader(ids)` loads the records a page shows,
    id -> record, in one query (`loader_for`)."""

    name: str
    label: object  # lazy_gettext string
    source: Callable[[], Select]
    loader: Callable[[list[int]], dict[int, object]]
    template: str  # a partial under templates/, given `record` and `entry`


@dataclass(frozen=True)
class Section:
    """A section of her page.

    `rows(client_ids)` loads the section's rows for MANY clients at once, one set of queries
    whatever their number, as {client_id: rows}; `context(client, user, rows)` turns her
    rows into the template's context. A section whose rows are not shaped that way yet
    leaves `rows` None and its `context` loads (with rows=None) what it needs for her.

    What a section needs of a single row or a single number is better loaded WITH her
    record, in the one query her page runs to load her (outreach/clients/routes.py):
    `figures(client_id)` gives name -> a scalar subquery correlated to her id column (how
    many closed challenges); `joined(client_id)` gives a `Joined`: the one row of another
    table the section shows (her current consent), with what loads along. `context`
    then gets as `rows` the figures (a dict) or the joined row (or None). Loaded any other
    way (`load`), a `figures` section gets its figures in one query and a `joined` one
    gets rows=None and loads for itself."""

    name: str  # also the element id of the section on the page
    template: str  # a partial under templates/, given `client` and what `context` returns
    context: Callable[..., dict]
    rows: Callable[[Sequence[int]], dict[int, Any]] | None = None
    order: int = 50
    # False: a section only for changing her record (a quick-log form), not shown to a
    # supervisor reading it through a consultation.
    for_readers: bool = True
    figures: Callable[[Any], dict[str, Any]] | None = None
    joined: Callable[[Any], "Joined"] | None = None

    def load(self, client, user) -> dict:
        if self.rows is not None:
            rows = self.rows([client.id]).get(client.id)
        elif self.figures is not None:
            rows = figures_of(self.figures, client.id)
        else:
            rows = None
        return self.context(client, user, rows)

    def load_many(self, clients, user) -> dict[int, dict]:
        """The context for each of these clients: the rows in one go."""
        rows = self.rows([c.id for c in clients]) if self.rows is not None else {}
        return {c.id: self.context(c, user, rows.get(c.id)) for c in clients}


@dataclass(frozen=True)
class Joined:
    """One row of another table loaded with her record (`Section.joined`): `model` LEFT
    JOINed on `onclause`, with loader `options`. Its lists come through `joins`, each
    (target, ON clause) LEFT JOINed flat after it, filled by `contains_eager` options and
    kept in order by `order_by`: SQLite reads a nested join (what `joinedload` writes for a
    list through a link table) by copying the whole link table first, which grows with
    every client's data."""

    model: Any
    onclause: Any
    options: tuple = ()
    joins: tuple[tuple[Any, Any], ...] = ()
    order_by: tuple = ()

    def join_lists(self, query):
        """`query` with the lists' tables LEFT JOINed flat (`joins`)."""
        for target, onclause in self.joins:
            query = query.outerjoin(target, onclause)
        return query


def figures_of(figures: Callable[[Any], dict[str, Any]], client_id: int) -> dict[str, Any]:
    """A section's figures for one client, in one query."""
    columns = [column.label(name) for name, column in figures(client_id).items()]
    return dict(db.session.execute(sa.select(*columns)).one()._mapping)


# What a required free-text column holds once the text is gone.
REMOVED = "—"


@dataclass(frozen=True)
class Scrub:
    """Rows of one table about her, and what their free-text columns become when her
    record is anonymised. `rows(client_ids)` gives the WHERE clause of a table that does
    not name her itself (`rows_under`); by default the rows whose client_id is hers."""

    model: type
    values: dict[str, Any]
    rows: Callable[[list[int]], Any] | None = None

    def where(self, client_ids: list[int]):
        if self.rows is not None:
            return self.rows(client_ids)
        return self.model.client_id.in_(client_ids)


def rows_under(column, parent) -> Callable[[list[int]], Any]:
    """A Scrub's rows for a child table: those whose `column` names a `parent` row about
    her (a rating of one of her mappings)."""
    return lambda ids: column.in_(sa.select(parent.id).where(parent.client_id.in_(ids)))


@dataclass(frozen=True)
class DraftForm:
    """The long form of a kind, whose drafts the server keeps ("contact:new:client:42",
    "contact:edit:17"): `check(user, action, ident)` stops the request (404, 403) when the
    user may not open that form; `model` is what an edit draft's ident names."""

    kind: str
    model: type
    check: Callable[[Any, str, int], None]


@dataclass(frozen=True)
class HerDataPart:
    """Her data export's part for this kind: `rows(client_ids)` gives plain rows (use
    `row_of`), in a fixed number of queries. `order` places it among the parts."""

    key: str
    title: object  # lazy_gettext string
    rows: Callable[[list[int]], list[dict]]
    order: int = 50


@dataclass(frozen=True)
class LogPart:
    """A part of her data as the access log names it: `part` is what the log stores for a
    request to `blueprint` (its routes), `label` what the log shows."""

    part: str
    label: object  # lazy_gettext string
    blueprint: str | None = None


@dataclass(frozen=True)
class RollupSource:
    """Another table whose column feeds a kind's rollup rows (an accompaniment's rows carry
    its service's kind): when `attribute` of a `model` row changes, the pairs that
    `pairs(ids)` (a SELECT of pair ids) names are recomputed."""

    model: type
    attribute: str
    pairs: Callable[[list[int]], Select]


@dataclass(frozen=True)
class Rollup:
    """A kind's contribution to the work rollup (outreach/dashboard/rollup.py: the dashboard
    and the funder report count from it), one row per (pair, local day, role, detail,
    outcome).

    `moment`: the attribute giving its day, a UTC timestamp or a date (`is_date`);
    `attributes`: a change in any of these changes its rows; `values()`: the SQL of (role,
    detail, outcome, minutes, people); `counted()`: the records that count at all (None:
    every one; a record whose moment is still empty then does not count yet); `join(query)`:
    what `values()` needs beyond the record's own table; `sources`: other tables it reads."""

    kind: str  # a RollupKind value
    moment: str
    is_date: bool
    attributes: tuple[str, ...]
    values: Callable[[], tuple]
    counted: Callable[[], Any] | None = None
    join: Callable[[Select], Select] | None = None
    sources: tuple[RollupSource, ...] = ()


# --- The declaration ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    name: str
    # The tables this kind stores, the record's own first; every one with a client_id column
    # must be declared by some kind (tests/test_records.py).
    models: tuple[type, ...]
    timeline: tuple[TimelineKind, ...] = ()
    sections: tuple[Section, ...] = ()
    draft: DraftForm | None = None
    # Anonymising: the free-text columns that go, and the text columns that stay (with why).
    scrubs: tuple[Scrub, ...] = ()
    kept_text: dict[tuple[str, str], str] = field(default_factory=dict)
    her_data: HerDataPart | None = None
    # The access log's parts this kind's routes write.
    log_parts: tuple[LogPart, ...] = ()
    rollup: Rollup | None = None  # counted as field work (the dashboard, the funder report)
    demo: Callable[[], bool] | None = None  # idempotent; True when it added something
    # Its routes (a flask.Blueprint), registered by the app factory; one kind per package
    # carries the package's blueprint.
    blueprint: Any = None

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(model.__tablename__ for model in self.models)


# --- The registry --------------------------------------------------------------------------------

_registered: tuple[RecordKind, ...] = ()
# Readers that must act when the kinds are registered (the rollup listens to attributes).
_on_register: list[Callable[[tuple[RecordKind, ...]], None]] = []


def on_register(callback: Callable[[tuple[RecordKind, ...]], None]) -> None:
    _on_register.append(callback)
    if _registered:
        callback(_registered)


def register(kinds: Sequence[RecordKind]) -> None:
    """Make these the kinds every reader sees (the app factory passes outreach.records)."""
    global _registered
    names = [kind.name for kind in kinds]
    if len(set(names)) != len(names):
        raise ValueError(f"a kind of record is declared twice: {names}")
    timeline_names = [t.name for kind in kinds for t in kind.timeline]
    if len(set(timeline_names)) != len(timeline_names):
        raise ValueError(f"a timeline kind is declared twice: {timeline_names}")
    _registered = tuple(kinds)
    for callback in _on_register:
        callback(_registered)


def registered() -> tuple[RecordKind, ...]:
    return _registered


def timeline_kinds() -> dict[str, TimelineKind]:
    return {t.name: t for kind in _registered for t in kind.timeline}


def sections() -> list[Section]:
    found = [section for kind in _registered for section in kind.sections]
    return sorted(found, key=lambda s: (s.order, s.name))


def draft_forms() -> dict[str, DraftForm]:
    return {kind.draft.kind: kind.draft for kind in _registered if kind.draft is not None}


def scrubs() -> list[Scrub]:
    return [scrub for kind in _registered for scrub in kind.scrubs]


def kept_text() -> dict[tuple[str, str], str]:
    return {key: why for kind in _registered for key, why in kind.kept_text.items()}


def her_data_parts() -> list[HerDataPart]:
    found = [kind.her_data for kind in _registered if kind.her_data is not None]
    return sorted(found, key=lambda p: p.order)


def log_parts() -> dict[str, object]:
    """part -> its name in the reader's language."""
    return {lp.part: lp.label for kind in _registered for lp in kind.log_parts}


def log_blueprints() -> dict[str, str]:
    """blueprint -> the part of her data its routes show."""
    return {lp.blueprint: lp.part for kind in _registered for lp in kind.log_parts
            if lp.blueprint is not None}


def rollups() -> list[tuple[Rollup, type]]:
    """(contribution, the record's model) of every counted kind."""
    return [(kind.rollup, kind.models[0]) for kind in _registered if kind.rollup is not None]


def blueprints(kinds: Sequence[RecordKind]) -> list:
    return [kind.blueprint for kind in kinds if kind.blueprint is not None]


def demo_loaders() -> list[Callable[[], bool]]:
    return [kind.demo for kind in _registered if kind.demo is not None]


def already_loaded(model) -> bool:
    """A demo loader's guard: the table has a row, so the demo was loaded before (loaders
    are idempotent)."""
    return db.session.scalar(sa.select(model.id).limit(1)) is not None


# --- Helpers for declarations -------------------------------------------------------------------


def source_columns(kind: str, model, at, actor, client) -> Select:
    """The uniform columns every timeline source selects."""
    return sa.select(
        sa.literal(kind, sa.String(32)).label("kind"),
        model.id.label("record_id"),
        at.label("at"),
        actor.label("actor_id"),
        client.label("client_id"),
    )


def timeline_of(name: str, label, model, at, actor, template: str, *options,
                client=None) -> TimelineKind:
    """The usual timeline kind: one row per record of `model`, at `at` by `actor` (columns),
    about `client` (its client_id by default); a page loads its records with `options`."""
    client = model.client_id if client is None else client
    return TimelineKind(name, label, lambda: source_columns(name, model, at, actor, client),
                        loader_for(model, *options), template)


def loader_for(model, *options) -> Callable[[list[int]], dict[int, object]]:
    """A timeline loader: the records with these ids (with these loader options)."""

    def load(ids: list[int]) -> dict[int, object]:
        query = sa.select(model).where(model.id.in_(ids))
        if options:
            query = query.options(*options)
        return {row.id: row for row in db.session.scalars(query)}

    return load


def rows_of(model, ids: list[int], *options, order=None) -> list:
    """The records of `model` about these clients, in `order` (by id by default)."""
    query = sa.select(model).where(model.client_id.in_(ids))
    if options:
        query = query.options(*options)
    return list(db.session.scalars(query.order_by(*(order or [model.id]))))


def plain_rows(model, *order, named: dict[str, str] | None = None
               ) -> Callable[[list[int]], list[dict]]:
    """A her-data part's rows: the records of `model` about these clients as they stand;
    `named` adds, for each relationship -> attribute, what the related row is called (the
    service's name), loaded in one more query."""
    named = named or {}
    options = [selectinload(getattr(model, relation)) for relation in named]

    def rows(ids: list[int]) -> list[dict]:
        return [
            row_of(record, **{
                relation: getattr(getattr(record, relation), attribute, None)
                for relation, attribute in named.items()
            })
            for record in rows_of(model, ids, *options, order=list(order))
        ]

    return rows


# Internal bookkeeping that says nothing about her: left out of her data.
SKIP = {"version", "phone_digits", "merged_into_id", "proposed_by_user_id"}


def plain(value):
    """A value as JSON keeps it: dates ISO (UTC when the database dropped the zone),
    enums their value."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def row_of(record, **children) -> dict:
    """A record as a plain row of her data (staff ids left out), with its children."""
    columns = sa.inspect(record).mapper.column_attrs
    row = {
        attr.key: plain(getattr(record, attr.key))
        for attr in columns
        if attr.key not in SKIP and not attr.key.endswith("_by_id") and attr.key != "by_id"
    }
    row.update(children)
    return row
