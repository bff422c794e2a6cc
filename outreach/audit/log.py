"""Writing the access log: at most one INSERT per request, in the transaction of a change.

`record_access` only remembers an entry in `flask.g`. A session `before_commit` hook writes
what is pending in the same transaction as the change being committed (one executemany
INSERT); an `after_request` hook writes and commits what a read-only request left pending.
Each client gets one row per request however often the request loads her: the first entry
stands, an explicit `record_access` (an export, an anonymisation) may still replace it
until it is written."""

import hashlib
from datetime import datetime

import sqlalchemy as sa
from flask import g, has_app_context, has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from outreach.audit.models import AccessLog
from outreach.core.clock import utcnow
from outreach.core.time import aware
from outreach.extensions import db

_PENDING = "_access_log_pending"
_WRITTEN = "_access_log_written"
_AUTOMATIC = "_automatic"  # noted by a loader: a change only if the request commits one

# The part of her data each blueprint shows; endpoints that differ from their blueprint.
PARTS = {
    "clients": "record",
    "mappings": "mapping",
    "steps": "steps",
    "consents": "consent",
    "contacts": "contacts",
    "accompaniments": "accompaniments",
    "network": "network",
    "tasks": "tasks",
    "drafts": "draft",
    "audit": "access_log",
}
ENDPOINT_PARTS = {
    "clients.timeline": "timeline",
    "audit.export": "export",
    "audit.export_json": "export",
}
DELETE_WORDS = ("delete", "drop", "withdraw", "discard")
CREATE_WORDS = ("new", "create", "quick", "from_step", "add")


def session_hash(token: str | None) -> str | None:
    """The sign-in session as a sha256: the same for one session, never the token itself."""
    if not token:
        return None
    return hashlib.sha256(token.encode()).hexdigest()


def part_of_request() -> str:
    endpoint = request.endpoint or ""
    if endpoint in ENDPOINT_PARTS:
        return ENDPOINT_PARTS[endpoint]
    blueprint = request.blueprint or ""
    return PARTS.get(blueprint, blueprint or "record")


def action_of_request() -> str:
    """GET and HEAD read; a POST creates, updates or deletes by its endpoint's name."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return "read"
    name = (request.endpoint or "").rpartition(".")[2]
    if any(word in name for word in DELETE_WORDS):
        return "delete"
    if any(name == word or name.startswith(f"{word}_") or name.endswith(f"_{word}")
           for word in CREATE_WORDS):
        return "create"
    return "update"


def _entry(client_id, part, action, basis, outcome, user) -> dict:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    in_request = has_request_context()
    return {
        "at": utcnow(),
        "user_id": user.id if user is not None else None,
        "role": str(user.role) if user is not None else None,
        "client_id": client_id,
        "part": part[:40],
        "action": action[:24],
        "basis": basis,
        "outcome": outcome,
        "path": request.path[:500] if in_request else None,
        "session_hash": session_hash(getattr(user, "session_token", None)) if user else None,
        "remote_addr": (request.remote_addr or "")[:64] or None if in_request else None,
    }


def _pending() -> list[dict]:
    if not hasattr(g, _PENDING):
        setattr(g, _PENDING, [])
        setattr(g, _WRITTEN, set())
    return getattr(g, _PENDING)


def record_access(client_id: int | None, part: str, action: str, *, basis: str = "own_pair",
                  outcome: str = "allowed", user=None) -> None:
    """Remember that `user` (the signed-in user by default; None for a command, basis
    "system") read or changed `part` of her data; written with the request's transaction.

    In a request one row is kept per client: this entry replaces what a loader noted for
    her earlier in the request, until it is written."""
    if user is None and basis != "system" and has_request_context():
        user = current_user._get_current_object() if current_user else None
    _note(_entry(client_id, part, action, basis, outcome, user), replace=True)


def note_client_access(client_id: int, *, outcome: str = "allowed", user=None) -> None:
    """What a view that loads her records: the part from the blueprint, the action from
    the method and endpoint. Called by the client loaders, never by views themselves."""
    if not has_request_context():
        return
    if user is None:
        user = current_user._get_current_object() if current_user else None
    entry = _entry(client_id, part_of_request(), action_of_request(), "own_pair", outcome, user)
    entry[_AUTOMATIC] = True
    # A denial stands over an earlier allowed load; otherwise the first note stands.
    _note(entry, replace=outcome == "denied")


def _note(entry: dict, *, replace: bool) -> None:
    pending = _pending()
    if has_request_context():
        client_id = entry["client_id"]
        if client_id in getattr(g, _WRITTEN):
            return
        for index, noted in enumerate(pending):
            if noted["client_id"] == client_id:
                if replace:
                    pending[index] = entry
                return
    pending.append(entry)


def take_pending() -> list[dict]:
    """The entries not yet written, marked written (each is written once)."""
    if not has_app_context() or not getattr(g, _PENDING, None):
        return []
    entries = list(getattr(g, _PENDING))
    getattr(g, _PENDING).clear()
    getattr(g, _WRITTEN).update(entry["client_id"] for entry in entries)
    return entries


def insert_entries(connection_or_session, entries: list[dict]) -> None:
    """One statement for all of them (executemany)."""
    if entries:
        rows = [{key: value for key, value in entry.items() if not key.startswith("_")}
                for entry in entries]
        connection_or_session.execute(sa.insert(AccessLog), rows)


def clear_pending() -> None:
    if has_app_context():
        for name in (_PENDING, _WRITTEN):
            g.pop(name, None)


@event.listens_for(Session, "before_commit")
def _write_with_the_change(session: Session) -> None:
    """Pending entries go into the transaction being committed, so a change and its log row
    are stored together or not at all."""
    if session is not _current_session():
        return
    entries = take_pending()
    if entries:
        insert_entries(session, entries)


@event.listens_for(Session, "after_flush")
def _mark_changed(session: Session, _context) -> None:
    session.info["audit_uncommitted"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _mark_clean(session: Session, *_args) -> None:
    session.info.pop("audit_uncommitted", None)


def _current_session() -> Session | None:
    if not has_app_context():
        return None
    try:
        return db.session()
    except RuntimeError:
        return None


def write_after_request(response):
    """A read-only request (or one stopped before its commit) writes its rows here.

    What the request left uncommitted would be rolled back at its end anyway; it is
    rolled back first so that committing the log never commits half a change."""
    if not getattr(g, _PENDING, None):
        return response
    session = db.session()
    if session.new or session.dirty or session.deleted or session.info.get("audit_uncommitted"):
        session.rollback()
    entries = take_pending()
    for entry in entries:
        # A form sent back (422, 409) or a change refused: she was read, nothing changed.
        if entry.get(_AUTOMATIC) and entry["outcome"] == "allowed":
            entry["action"] = "read"
    try:
        insert_entries(session, entries)
        session.commit()
    except sa.exc.SQLAlchemyError:
        session.rollback()
        raise
    return response


def init_app(app) -> None:
    app.before_request(clear_pending)
    app.after_request(write_after_request)
    app.teardown_request(lambda _exc: clear_pending())


def as_utc(moment: datetime) -> datetime:
    return aware(moment)
