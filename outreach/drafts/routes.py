"""Drafts of long forms, saved by htmx as the user types (204, nothing to swap) and
discarded on request. The form key is checked like the form itself: a form about a
client outside the user's scope is a 404, whoever asks."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.auth.access import allow_roles
from outreach.drafts import queries
from outreach.extensions import db
from outreach.scope import PARTNERS
from outreach.web import is_safe_next

bp = Blueprint("drafts", __name__, url_prefix="/drafts")


@bp.post("/<form_key>")
@allow_roles(*PARTNERS)
def save(form_key: str):
    queries.check_key(current_user, form_key)
    data = queries.form_values(request.form)
    if data is None:
        abort(413)
    queries.save_draft(current_user, form_key, data)
    return "", 204


@bp.post("/<form_key>/discard")
@allow_roles(*PARTNERS)
def discard(form_key: str):
    queries.check_key(current_user, form_key)
    queries.discard_draft(current_user, form_key)
    db.session.commit()
    flash(_("The unsaved text was discarded."), "success")
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("home.index"))
