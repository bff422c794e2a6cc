"""The administrator's "sent messages" (/admin/messages: what `outreach notify` sent or
logged, and what waits to be sent again) and each person's choice of digests
(/profile/messages, on her profile page)."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.auth.access import allow_roles, allow_signed_in
from outreach.auth.models import Role, User
from outreach.core.views import page_of
from outreach.extensions import db
from outreach.mail.forms import DigestChoiceForm
from outreach.mail.models import MailMessage, MailPreference
from outreach.mail.transport import configured
from outreach.panels import PROFILE_PANELS
from outreach.web import render

bp = Blueprint("mail", __name__)

# Which digests each role may get.
DIGESTS = {Role.PROFESSIONAL: ("daily_digest",), Role.EXPERT: ("daily_digest",),
           Role.SUPERVISOR: ("weekly_digest",)}


@bp.get("/admin/messages")
@allow_roles(Role.ADMIN)
def sent():
    pagination = page_of(
        sa.select(MailMessage).order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
    )
    return render("mail/sent.html", pagination=pagination, smtp=configured())


def preference(user: User) -> MailPreference:
    return db.session.get(MailPreference, user.id) or MailPreference(
        user_id=user.id, daily_digest=True, weekly_digest=True)


@bp.post("/profile/messages")
@allow_signed_in
def choose():
    me = current_user._get_current_object()
    offered = DIGESTS.get(me.role)
    if not offered:
        abort(404)
    form = DigestChoiceForm()
    if not form.validate_on_submit():
        abort(400)
    choice = preference(me)
    for name in offered:
        setattr(choice, name, form[name].data)
    db.session.merge(choice)
    db.session.commit()
    flash(_("Your choice of messages was saved."), "success")
    return redirect(url_for("profile.index"))


def _profile_panel(user: User) -> dict | None:
    offered = DIGESTS.get(user.role)
    if not offered:
        return None
    return {"form": DigestChoiceForm(obj=preference(user)), "offered": offered}


PROFILE_PANELS.register("mail-choices", "mail/_profile_choices.html", _profile_panel)
