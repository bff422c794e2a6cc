"""Server-side drafts of long forms: saved as the user types, restored when the form is
opened again, deleted when it is saved. Always per user: nobody else's draft is read.

A form key names the form and what it is about: "contact:new:client:42" (a new contact
about client 42), "accompaniment:edit:17" (editing accompaniment 17). Each kind of record
with such a form declares it (RecordKind.draft) with a check that stops the request (404,
or 403 for a role that may not use the form) when the user may not open that form."""

import re

import sqlalchemy as sa
from flask import abort
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from outreach.auth.models import User
from outreach.core.clock import utcnow
from outreach.core.records import draft_forms
from outreach.drafts.models import Draft
from outreach.extensions import db
from outreach.scope import client_ids_of, client_or_404

KEY = re.compile(
    r"^(?P<kind>[a-z_]{1,32}):(?P<action>new|edit):(?:(?P<client>client):)?(?P<id>\d{1,12})$"
)
# Fields never kept: the CSRF token belongs to the page, not to the text.
SKIPPED = {"csrf_token"}
MAX_FIELDS = 60
MAX_CHARS = 100_000

def scoped_check(model, *roles):
    """The usual check of a kind's form (RecordKind.draft): a new record about a client in
    the user's scope, or one of its records about such a client; with `roles`, 403 for
    any other role."""

    def check(user: User, action: str, ident: int) -> None:
        if roles and user.role not in roles:
            abort(403)
        if action == "new":
            client_or_404(user, ident)
            return
        found = db.session.scalar(
            sa.select(model.id).where(model.id == ident,
                                      model.client_id.in_(client_ids_of(user)))
        )
        if found is None:
            abort(404)

    return check


def form_key(kind: str, action: str, ident: int) -> str:
    """"contact:new:client:42" for a new record about client 42, "contact:edit:17"."""
    if action == "new":
        return f"{kind}:new:client:{ident}"
    return f"{kind}:{action}:{ident}"


def check_key(user: User, key: str) -> None:
    """404 for a key that names no form the user may open."""
    match = KEY.match(key or "")
    forms = draft_forms()
    if match is None or match["kind"] not in forms:
        abort(404)
    if (match["action"] == "new") != bool(match["client"]):
        abort(404)
    forms[match["kind"]].check(user, match["action"], int(match["id"]))


def draft_for(user: User, key: str) -> Draft | None:
    return db.session.scalar(
        sa.select(Draft).where(Draft.user_id == user.id, Draft.form_key == key)
    )


def form_values(form: MultiDict) -> dict[str, list[str]] | None:
    """What the browser sent, as field -> values; None when it is too much to keep."""
    data = {
        name: [str(value) for value in values]
        for name, values in form.to_dict(flat=False).items()
        if name not in SKIPPED
    }
    size = sum(len(name) + sum(len(v) for v in values) for name, values in data.items())
    if len(data) > MAX_FIELDS or size > MAX_CHARS:
        return None
    return data


def save_draft(user: User, key: str, data: dict[str, list[str]]) -> None:
    """Insert or update the user's draft of this form, and commit."""
    for _attempt in range(2):
        draft = draft_for(user, key)
        if draft is None:
            db.session.add(Draft(user_id=user.id, form_key=key, data=data, updated_at=utcnow()))
        else:
            draft.data = dict(data)
            draft.updated_at = utcnow()
        try:
            db.session.commit()
            return
        except IntegrityError:
            # The same user's other tab inserted it a moment ago: update that one.
            db.session.rollback()
        except StaleDataError:
            # Deleted between the read and the write: the form was saved or the draft
            # discarded a moment ago (Save tapped while this autosave was on its way).
            # Nothing to keep: a draft written now would restore text already saved.
            db.session.rollback()
            return
    abort(409)


def discard_draft(user: User, key: str) -> None:
    """Delete the user's draft of this form (in the caller's transaction)."""
    db.session.execute(
        sa.delete(Draft).where(Draft.user_id == user.id, Draft.form_key == key)
    )


def as_formdata(draft: Draft | None) -> MultiDict | None:
    """The draft as form data, to fill a form as the user left it."""
    if draft is None:
        return None
    pairs = []
    for name, values in (draft.data or {}).items():
        for value in values if isinstance(values, list) else [values]:
            pairs.append((name, value))
    return MultiDict(pairs)


def open_form(form_class, user: User, key: str, **kwargs):
    """(form, draft): the form filled from the user's draft of it if there is one (GET),
    else as `form_class(**kwargs)` fills it. The caller fills defaults when draft is None."""
    draft = draft_for(user, key)
    if draft is None:
        return form_class(**kwargs), None
    return form_class(formdata=as_formdata(draft), **kwargs), draft
