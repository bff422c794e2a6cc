"""`replayable`: a write view that a phone may send again and again, recorded once.

The phone sends a queued write with the header `X-Replay-Key` (a UUID it made when she
tapped) and the field `tapped_at` (ISO 8601, the moment of the tap). Without the header a
view works exactly as before: the decorator changes nothing for pages and htmx.

With it, the answer is JSON for the phone's queue (outreach static/js/offline.js):
`{"ok", "status", "message", "location", "replayed"}`, HTTP 200 when the record was made
(or had been made by the same key before), else the refusal's status with the reason the
page would have shown (her consent withdrawn, her record closed or no longer the pair's, a
time out of range), so the phone keeps the item and says why. A refusal is not stored: the
same key sent again after her consent is recorded is a new attempt.

A replay of a key already used by the same user returns the stored first result; the
unique (user_id, key) makes a second concurrent send fail at its insert (503, "try
again"), never a second record. The key row is added in the view's own transaction, so
the record and the key are committed together.
"""

import re
import uuid
from datetime import datetime, timedelta
from functools import wraps
from html import unescape

import sqlalchemy as sa
from flask import abort, current_app, g, jsonify, make_response, request, session
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from outreach.core.clock import utcnow
from outreach.extensions import db
from outreach.offline.models import ReplayKey

HEADER = "X-Replay-Key"
# A phone's clock may run a little ahead of the server's: a tap this far "in the future"
# is taken as now.
CLOCK_SKEW = timedelta(minutes=2)
_HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_LEAD = re.compile(r'<p class="lead">(.*?)</p>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def is_replay() -> bool:
    return HEADER in request.headers


def tapped_at() -> datetime:
    """When she tapped, for the record's time: the phone's moment for a queued write (checked
    by `replayable`), else now."""
    return g.get("tapped_at") or utcnow()


def refuse_unless(condition: bool, message: str, status: int = 409) -> None:
    """For a queued write only: stop with this reason (e.g. her record closed meanwhile),
    where the same write made on the spot would be allowed."""
    if is_replay() and not condition:
        abort(make_response(message, status, {"Content-Type": "text/plain; charset=utf-8"}))


def _key() -> str | None:
    try:
        return str(uuid.UUID(request.headers.get(HEADER, "")))
    except ValueError:
        return None


def _moment() -> datetime | str:
    """The tap's moment, or the reason it is refused."""
    raw = request.form.get("tapped_at", "").strip()
    if not raw:
        return utcnow()
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return _("The time this was saved on the phone could not be read.")
    if moment.tzinfo is None:
        return _("The time this was saved on the phone could not be read.")
    now = utcnow()
    if moment > now + CLOCK_SKEW:
        return _("The time saved with this (%(moment)s) is in the future. Check the phone's "
                 "clock, then enter it again.", moment=moment.isoformat(timespec="minutes"))
    limit = current_app.config["ABSOLUTE_TIMEOUT"]
    if moment < now - limit:
        return _("This was saved on the phone more than %(hours)d hours ago and can no "
                 "longer be sent. Enter it again by hand if it is still needed.",
                 hours=int(limit.total_seconds() // 3600))
    return min(moment, now)


def _answer(status: int, message: str = "", location: str = "", replayed: bool = False):
    body = {"ok": status < 400, "status": status, "message": message, "location": location,
            "replayed": replayed}
    response = jsonify(body)
    response.status_code = 200 if status < 400 else status
    return response


def _flashes() -> list[tuple[str, str]]:
    """The messages the view flashed for the next page: the phone shows them instead."""
    return [(category, str(text)) for category, text in session.pop("_flashes", [])]


def _reason(response) -> str:
    """What the refusal's page says: its heading and lead, as plain text."""
    if response.mimetype != "text/html":
        return response.get_data(as_text=True)[:500]
    html = response.get_data(as_text=True)
    parts = [m.group(1) for m in (_HEADING.search(html), _LEAD.search(html)) if m]
    text = " ".join(unescape(_TAGS.sub("", part)).strip() for part in parts)
    return " ".join(text.split())[:500]


def _default_reason(status: int) -> str:
    if status == 404:
        return _("Her record is no longer open to you: it may have been handed over to "
                 "another pair, merged or removed.")
    if status == 403:
        return _("You may no longer record this.")
    return _("The server did not accept this.")


def replayable(view):
    """Route a write through its replay key when the phone sends one (see the module)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not is_replay() or request.method != "POST":
            return view(*args, **kwargs)
        key = _key()
        if key is None:
            return _answer(422, _("The phone sent this without a valid key."))
        first = db.session.scalar(sa.select(ReplayKey).where(
            ReplayKey.user_id == current_user.id, ReplayKey.key == key))
        if first is not None:
            return _answer(first.status, first.message, first.location, replayed=True)
        moment = _moment()
        if isinstance(moment, str):
            return _answer(422, moment)
        g.tapped_at = moment
        claim = ReplayKey(user_id=current_user.id, key=key, status=200)
        db.session.add(claim)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            return _answer(503, _("This is being sent at this moment. It is tried again."))
        try:
            response = make_response(view(*args, **kwargs))
        except HTTPException as error:
            response = error.get_response()
            if error.response is None:
                response.set_data(_default_reason(error.code or 500))
                response.mimetype = "text/plain"
        flashed = _flashes()
        errors = [text for category, text in flashed if category in ("error", "warning")]
        status = response.status_code
        if status < 400 and errors:
            status = 422
        if status >= 400:
            _forget(key)
            reason = " ".join(errors) or _reason(response) or _default_reason(status)
            return _answer(status, reason)
        message = " ".join(text for _category, text in flashed)
        location = response.headers.get("Location", "") if status in range(300, 400) else ""
        _remember(key, message, location[:500])
        return _answer(200, message, location)

    return wrapper


def _forget(key: str) -> None:
    """A refused write leaves no key: whatever the view did is rolled back, and a claim the
    view committed with something else (an access-log row) is removed."""
    db.session.rollback()
    db.session.execute(sa.delete(ReplayKey).where(ReplayKey.user_id == current_user.id,
                                                  ReplayKey.key == key))
    db.session.commit()


def _remember(key: str, message: str, location: str) -> None:
    """Store the first result; the user's keys older than twice the session limit go: a
    write tapped that long ago is refused for its time anyway, so it can never repeat."""
    too_old = utcnow() - 2 * current_app.config["ABSOLUTE_TIMEOUT"]
    db.session.execute(sa.delete(ReplayKey).where(ReplayKey.user_id == current_user.id,
                                                  ReplayKey.created_at < too_old))
    db.session.execute(
        sa.update(ReplayKey)
        .where(ReplayKey.user_id == current_user.id, ReplayKey.key == key)
        .values(status=200, message=message[:500], location=location)
    )
    db.session.commit()
