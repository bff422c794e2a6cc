"""The signed-in person's own account: name, language, and the way to change the password."""

from flask import Blueprint, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user

from outreach.admin.models import AccountAction, record_change, snapshot
from outreach.auth.access import allow_signed_in
from outreach.extensions import db
from outreach.profile.forms import ProfileForm
from outreach.web import render

bp = Blueprint("profile", __name__, url_prefix="/profile")


@bp.route("", methods=["GET", "POST"])
@allow_signed_in
def index():
    me = current_user._get_current_object()
    form = ProfileForm(obj=me)
    if form.validate_on_submit():
        before = snapshot(me)
        me.name = form.name.data
        me.language = form.language.data
        if record_change(me, me, AccountAction.EDITED, before=before, after=snapshot(me)):
            db.session.commit()
        # The saved language wins over a choice made earlier with ?lang=, from this
        # very message on.
        session.pop("lang", None)
        refresh()
        flash(_("Your profile was saved."), "success")
        return redirect(url_for("profile.index"))
    status = 422 if form.errors else 200
    return render("profile/index.html", status=status, form=form)
