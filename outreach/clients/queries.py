"""Client queries, each scoped by the pairs whose clients the user may open."""

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import aliased, joinedload, selectinload

from outreach.auth.models import User
from outreach.clients.choices import ClientStatus, LivingSituation
from outreach.clients.models import (
    Client,
    ClientCodeCounter,
    ClientMerge,
    ClientStatusChange,
    ClientTransfer,
    LivingSituationChange,
    phone_digits,
)
from outreach.core.clock import utcnow
from outreach.core.columns import in_any
from outreach.core.memo import shared
from outreach.core.search import contains_any
from outreach.core.time import aware, day_start_utc, local_day, local_today
from outreach.extensions import db
from outreach.pairs.models import Pair
from outreach.scope import (
    client_pair_ids,
    clients_of,
    is_partner,
    named_pairs,
    pairs_of_user,
    visible_pair_ids,
)
from outreach.tasks.models import Task, TaskStatus


def next_client_code(day: date | None = None) -> str:
    """A-<year>-<running number>, counted per year in one UPDATE so that two
    professionals saving at once never get the same code."""
    year = (day or local_today()).year
    bump = (
        sa.update(ClientCodeCounter)
        .where(ClientCodeCounter.year == year)
        .values(last_number=ClientCodeCounter.last_number + 1)
        .returning(ClientCodeCounter.last_number)
    )
    number = db.session.execute(bump).scalar()
    if number is None:
        db.session.add(ClientCodeCounter(year=year, last_number=1))
        db.session.flush()
        number = 1
    return f"A-{year}-{number:04d}"


# --- The client list ---------------------------------------------------------------------

LIST_STATUSES = ("active", "closed", "all")
LIST_SORTS = ("name", "code", "oldest_contact", "newest_contact")

# The last contact; until contacts are recorded, the last record about her.
last_seen = sa.func.coalesce(Client.last_contact_at, Client.last_record_at)


def no_contact_cutoff(days: int, today: date | None = None) -> datetime:
    """Seen before this moment = no contact in `days` days, counted in calendar days as
    the list's "days since" column counts them."""
    first_quiet_day = (today or local_today()) - timedelta(days=days - 1)
    return day_start_utc(first_quiet_day)


def no_contact_days_by_pair(user: User) -> dict[int, int]:
    """Each of the user's client pairs' own "no contact in N days" setting: one query (none
    for a role without client pairs), shared with the page's other questions about them."""
    if not is_partner(user):
        return {}
    mine = pairs_of_user(user)
    return {pair.id: pair.no_contact_days for pair in mine.visible if pair.id in mine.clients}


def not_reached(pair_days: dict[int, int], today: date | None = None):
    """No contact with her in her own pair's number of days (pairs with the same setting
    share one condition)."""
    by_days: dict[int, list[int]] = {}
    for pair_id, days in pair_days.items():
        by_days.setdefault(days, []).append(pair_id)
    if not by_days:
        return sa.false()
    return sa.or_(*(
        sa.and_(Client.pair_id.in_(ids), last_seen < no_contact_cutoff(days, today))
        for days, ids in sorted(by_days.items())
    ))


def not_reached_by_setting(settings, today: date | None = None):
    """Like `not_reached`, for the pairs of each of these numbers of days, found by their
    setting in SQL (a subquery) rather than by a list of their ids: for an overview of
    many pairs, whose statement scopes the pairs itself."""
    return sa.or_(sa.false(), *(
        sa.and_(Client.pair_id.in_(sa.select(Pair.id).where(Pair.no_contact_days == days)),
                last_seen < no_contact_cutoff(days, today))
        for days in sorted(set(settings))
    ))


def _not_reached_query(user: User, today: date | None, limit: int) -> Select:
    return (
        clients_of(user)
        .where(Client.status == ClientStatus.ACTIVE,
               not_reached(no_contact_days_by_pair(user), today))
        .order_by(last_seen.asc(), Client.name, Client.id)
        .limit(limit)
    )


def not_reached_clients(user: User, today: date | None = None, limit: int = 10) -> list[Client]:
    """Her active clients not reached in their pair's number of days, the longest without
    contact first (the home page): one query, plus one for the pairs' settings."""
    return list(db.session.scalars(_not_reached_query(user, today, limit)))


# A woman met in the last week is "recent" (the quick log on the home page, the phone).
RECENT_DAYS = 7
# The home page shows this many of each list.
HOME_NOT_REACHED = 10
HOME_RECENT = 5


def recent_clients_query(user: User, limit: int) -> Select:
    """Active clients of her pairs with a contact in the last RECENT_DAYS days, latest
    first."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    return (
        clients_of(user)
        .where(Client.status == ClientStatus.ACTIVE, Client.last_contact_at >= since)
        .order_by(Client.last_contact_at.desc(), Client.id.desc())
        .limit(limit)
    )


def home_client_lists(user: User, today: date | None = None
                      ) -> tuple[list[Client], list[Client]]:
    """The home page's two short lists of her clients: those not reached
    (`not_reached_clients`) and those met lately (the quick log). One query, plus the
    pairs' settings (shared with the page); the parts that show them share it."""
    today = today or local_today()

    def load():
        def ids(query: Select) -> Select:
            return query.with_only_columns(Client.id).correlate(None)

        quiet_ids = ids(_not_reached_query(user, today, HOME_NOT_REACHED))
        recent_ids = ids(recent_clients_query(user, HOME_RECENT))
        quiet, recent = Client.id.in_(quiet_ids), Client.id.in_(recent_ids)
        rows = db.session.execute(
            sa.select(Client, quiet, recent).where(in_any(Client.id, quiet_ids, recent_ids))
            .order_by(last_seen.asc(), Client.name, Client.id)
        ).all()
        met = sorted((client for client, _quiet, is_recent in rows if is_recent),
                     key=lambda client: (aware(client.last_contact_at), client.id), reverse=True)
        return [client for client, is_quiet, _recent in rows if is_quiet], met

    return shared(("home_client_lists", user.id, today), load)


def client_list(user: User, *, q: str = "", status: str = "active", living: str = "",
                no_contact_days: int | None = None, sort: str = "name",
                today: date | None = None, no_contact: bool = False,
                pair_days: dict[int, int] | None = None) -> Select:
    """The user's clients for a paginated list: one query for the rows, whatever the filters.

    `no_contact_days` filters by one number of days for all; `no_contact` without it uses
    each pair's own setting (`pair_days`, from `no_contact_days_by_pair`)."""
    query = clients_of(user)
    if status == "active":
        query = query.where(Client.status == ClientStatus.ACTIVE)
    elif status == "closed":
        query = query.where(Client.status == ClientStatus.CLOSED)
    if living in set(LivingSituation):
        query = query.where(Client.living_situation == LivingSituation(living))
    if no_contact_days:
        query = query.where(last_seen < no_contact_cutoff(no_contact_days, today))
    elif no_contact and pair_days is not None:
        query = query.where(not_reached(pair_days, today))
    if q := q.strip():
        query = query.where(contains_any(q, Client.name, Client.code, Client.usual_place))
    order = {
        "code": [Client.code],
        "oldest_contact": [last_seen.asc(), Client.name],
        "newest_contact": [last_seen.desc(), Client.name],
    }.get(sort, [sa.func.lower(Client.name), Client.code])
    return query.order_by(*order, Client.id)


def with_overdue_tasks(query: Select, today: date | None = None) -> Select:
    """The list's query with each woman's number of overdue open tasks as a second column:
    one GROUP BY joined in, so an export runs one query however many rows it has."""
    overdue = (
        sa.select(Task.client_id, sa.func.count(Task.id).label("n"))
        .where(Task.status == TaskStatus.OPEN, Task.due_on < (today or local_today()),
               Task.client_id.is_not(None))
        .group_by(Task.client_id)
        .subquery()
    )
    return (query.outerjoin(overdue, overdue.c.client_id == Client.id)
            .add_columns(sa.func.coalesce(overdue.c.n, 0)))


def pairs_for_new_client(user: User) -> list[Pair]:
    """The pairs in which the user may record a new client, with their people loaded."""
    return named_pairs(Pair.id.in_(client_pair_ids(user)))


def _name_key(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def possible_duplicates(user: User, name: str, birth_year: int | None,
                        phone: str | None, limit: int = 10) -> list[Client]:
    """Her records that may already exist in the user's scope: the same name (any case) and
    birth year (both unknown counts as the same), or the same phone number (digits only).

    One query narrows by phone or birth year and name length; names are compared here,
    because SQLite folds the case of ASCII letters only (Äijä, ÄIJÄ)."""
    key = _name_key(name)
    conditions = [
        sa.and_(
            Client.birth_year.is_(birth_year) if birth_year is None
            else Client.birth_year == birth_year,
            sa.func.length(sa.func.trim(Client.name)) >= len(key),
        )
    ]
    digits = phone_digits(phone)
    if digits:
        conditions.append(Client.phone_digits == digits)
    query = (
        clients_of(user)
        .where(sa.or_(*conditions))
        .order_by(Client.status, Client.name, Client.id)
    )
    found = []
    for client in db.session.scalars(query):
        same_name = _name_key(client.name) == key and client.birth_year == birth_year
        if same_name or (digits and client.phone_digits == digits):
            found.append(client)
            if len(found) >= limit:
                break
    return found


# --- One client ----------------------------------------------------------------------------


def kept_record(user: User, client_id: int) -> Client | None:
    """The record a merged client now lives in, if the user may open that one."""
    kept_id = db.session.scalar(sa.select(Client.merged_into_id).where(Client.id == client_id))
    if kept_id is None:
        return None
    return db.session.scalar(clients_of(user).where(Client.id == kept_id))


def merged_ids(client: Client) -> list[int]:
    """The records merged into hers (a merge repoints earlier merges, so one level)."""
    return list(db.session.scalars(sa.select(Client.id).where(Client.merged_into_id == client.id)))


def merged_codes_column(client_id):
    """The codes of the records merged into hers, comma-separated, as a subquery (her page
    loads them with her: `merged_codes_of`)."""
    merged = aliased(Client)
    return (
        sa.select(sa.func.aggregate_strings(merged.code, ","))
        .where(merged.merged_into_id == client_id).scalar_subquery()
    )


def merged_codes_of(joined: str | None) -> list[str]:
    return sorted(joined.split(",")) if joined else []


def close_client(client: Client, user: User, day: date, reason: str) -> None:
    client.status = ClientStatus.CLOSED
    client.closed_on = day
    client.closed_reason = reason
    db.session.add(
        ClientStatusChange(client=client, status=ClientStatus.CLOSED, day=day, reason=reason,
                           created_by_id=user.id)
    )


def reopen_client(client: Client, user: User, day: date | None = None) -> None:
    """Active again; the closing stays in her history (ClientStatusChange)."""
    client.status = ClientStatus.ACTIVE
    client.closed_on = None
    client.closed_reason = None
    db.session.add(
        ClientStatusChange(client=client, status=ClientStatus.ACTIVE, day=day or local_today(),
                           created_by_id=user.id)
    )


# --- Merging two records of the same woman -------------------------------------------------


def merge_candidates(user: User, keep: Client) -> list[Client]:
    """Other records of the same pair that could be merged into hers."""
    query = (
        clients_of(user)
        .where(Client.pair_id == keep.pair_id, Client.id != keep.id)
        .order_by(sa.func.lower(Client.name), Client.code)
    )
    return list(db.session.scalars(query))


def merge_candidate_or_404(user: User, keep: Client, other_id: int | None) -> Client:
    other = db.session.scalar(
        clients_of(user).where(
            Client.id == other_id, Client.pair_id == keep.pair_id, Client.id != keep.id
        )
    )
    if other is None:
        abort(404)
    return other


def client_id_tables() -> list[sa.Table]:
    """Every table with a client_id column: what is recorded about a woman, whichever
    domain added it. Merging moves all of it, so later domains are covered automatically."""
    return [table for table in db.metadata.sorted_tables if "client_id" in table.c]


def merge_clients(keep: Client, other: Client, user: User) -> ClientMerge:
    """Make `other` part of `keep`: everything recorded about her moves over, the other
    record points at this one and is closed, and the merge is logged on both timelines.
    The caller has checked that both are in the user's scope and in the same pair."""
    if keep.id == other.id or keep.pair_id != other.pair_id:
        raise ValueError("only two different records of the same pair can be merged")
    for table in client_id_tables():
        db.session.execute(
            table.update().where(table.c.client_id == other.id).values(client_id=keep.id)
        )
    # Records merged into the other earlier now point at this one directly.
    db.session.execute(
        sa.update(Client)
        .where(Client.merged_into_id == other.id)
        .values(merged_into_id=keep.id)
        .execution_options(synchronize_session=False)
    )
    # What this record lacks is filled in from the other; safety notes are never dropped.
    for name in ("birth_year", "phone", "usual_place"):
        if getattr(keep, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(keep, name, getattr(other, name))
    if other.safety_notes and other.safety_notes.strip() != (keep.safety_notes or "").strip():
        joined = f"{other.code}: {other.safety_notes.strip()}"
        keep.safety_notes = f"{keep.safety_notes.strip()}\n\n{joined}" if keep.safety_notes \
            else joined
    now = utcnow()
    seen = [aware(t) for t in (keep.last_contact_at, other.last_contact_at) if t]
    keep.last_contact_at = max(seen) if seen else None
    keep.touch(now)
    other.merged_into_id = keep.id
    other.status = ClientStatus.CLOSED
    other.closed_on = local_day(now)
    other.closed_reason = _("Merged into %(code)s", code=keep.code)
    merge = ClientMerge(keep_id=keep.id, merged_id=other.id, by_id=user.id, at=now)
    db.session.add(merge)
    return merge


# --- Handing the clients of an ended pair over -----------------------------------------------


def handover_codes(pair: Pair) -> list[str]:
    """The codes of the pair's active clients: the hand-over shows codes only, never names."""
    query = (
        sa.select(Client.code)
        .where(Client.pair_id == pair.id, Client.status == ClientStatus.ACTIVE,
               Client.merged_into_id.is_(None))
        .order_by(Client.code)
    )
    return list(db.session.scalars(query))


def handover_targets(user: User, pair: Pair, today: date | None = None) -> list[Pair]:
    """Active pairs, not ending, that the user may see (a supervisor: those they supervise)."""
    today = today or local_today()
    query = (
        sa.select(Pair)
        .where(
            Pair.id.in_(visible_pair_ids(user)),
            Pair.id != pair.id,
            Pair.starts_on <= today,
            Pair.ends_on.is_(None),
        )
        .options(joinedload(Pair.professional), joinedload(Pair.expert))
        .order_by(Pair.starts_on.desc(), Pair.id)
    )
    return list(db.session.scalars(query))


def hand_over(pair: Pair, to_pair: Pair, user: User, note: str | None = None) -> int:
    """Move the pair's active clients to `to_pair`, each with a transfer on her timeline.
    Her history is keyed by client_id, so it travels without copying. Returns how many."""
    ids = list(
        db.session.scalars(
            sa.select(Client.id).where(
                Client.pair_id == pair.id, Client.status == ClientStatus.ACTIVE,
                Client.merged_into_id.is_(None),
            )
        )
    )
    if not ids:
        return 0
    now = utcnow()
    db.session.execute(
        sa.update(Client)
        .where(Client.id.in_(ids))
        .values(pair_id=to_pair.id, version=Client.version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.insert(ClientTransfer),
        [
            {"client_id": client_id, "from_pair_id": pair.id, "to_pair_id": to_pair.id,
             "by_id": user.id, "at": now, "note": note or None}
            for client_id in ids
        ],
    )
    return len(ids)


# --- The timeline ----------------------------------------------------------------------------


def users_by_id(ids) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def load_merges(ids: list[int]) -> dict[int, ClientMerge]:
    query = (
        sa.select(ClientMerge)
        .where(ClientMerge.id.in_(ids))
        .options(joinedload(ClientMerge.keep), joinedload(ClientMerge.merged))
    )
    return {merge.id: merge for merge in db.session.scalars(query)}


def load_transfers(ids: list[int]) -> dict[int, ClientTransfer]:
    query = (
        sa.select(ClientTransfer)
        .where(ClientTransfer.id.in_(ids))
        .options(
            selectinload(ClientTransfer.from_pair).joinedload(Pair.professional),
            selectinload(ClientTransfer.from_pair).joinedload(Pair.expert),
            selectinload(ClientTransfer.to_pair).joinedload(Pair.professional),
            selectinload(ClientTransfer.to_pair).joinedload(Pair.expert),
        )
    )
    return {transfer.id: transfer for transfer in db.session.scalars(query)}


def note_living_situation(client: Client, user: User | None) -> None:
    """Keep her living situation's history (the client row holds only the current one):
    called when her record is created and when an edit changes it. In the caller's
    transaction."""
    db.session.add(LivingSituationChange(
        client=client,
        living_situation=client.living_situation or LivingSituation.UNKNOWN,
        at=utcnow(),
        by_id=user.id if user is not None else None,
    ))
