"""The signed-in person's own account: name, language, the way to change the password,
and two-step sign-in (turn on with a code, new recovery codes, turn off)."""

from flask import Blueprint, flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user

from outreach.admin.models import AccountAction, record_change, snapshot
from outreach.auth import two_step
from outreach.auth.access import allow_signed_in
from outreach.auth.passwords import verify_password
from outreach.auth.routes import start_session, two_step_limit
from outreach.extensions import db
from outreach.panels import PROFILE_PANELS
from outreach.profile.forms import ProfileForm, TwoStepCodeForm, TwoStepOffForm
from outreach.web import form_page, render

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
    return form_page(
        "profile/index.html", form,
        two_step_required=two_step.required_for(me),
        recovery_codes_left=two_step.recovery_codes_left(me) if me.two_step_enabled else 0,
        panels=PROFILE_PANELS.render(me),  # e.g. the messages she gets (outreach.mail)
    )


WRONG_CODE = _l(
    "The code is not right, or it has been used already. Type the newest code from the app."
)


@bp.route("/two-step", methods=["GET", "POST"])
@allow_signed_in
@two_step_limit()
def two_step_setup():
    """Turn two-step sign-in on: the key as text and QR code, then a code to prove it works."""
    me = current_user._get_current_object()
    if me.two_step_enabled:
        flash(_("Two-step sign-in is already on."), "success")
        return redirect(url_for("profile.index"))
    secret = two_step.start_setup(me)
    form = TwoStepCodeForm()
    if form.validate_on_submit():
        if two_step.use_code(me, form.code.data):
            codes = two_step.enable(me)
            record_change(me, me, AccountAction.TWO_STEP_ENABLED)
            me.end_sessions()  # sessions opened without the code end; this one goes on
            db.session.commit()
            start_session(me)
            return render("profile/recovery_codes.html", codes=codes, first_time=True)
        db.session.rollback()
        form.code.errors.append(str(WRONG_CODE))
    return form_page(
        "profile/two_step_setup.html", form,
        secret=two_step.grouped_secret(secret),
        qr=two_step.qr_svg(
            two_step.provisioning_uri(me, secret), _("QR code for the authenticator app")
        ),
        required=two_step.required_for(me),
    )


def _enabled_or_back():
    if not current_user.two_step_enabled:
        flash(_("Two-step sign-in is not on."), "error")
        return redirect(url_for("profile.index"))
    return None


@bp.route("/two-step/recovery-codes", methods=["GET", "POST"])
@allow_signed_in
@two_step_limit()
def recovery_codes():
    """New recovery codes in place of the old ones, after a code from the app."""
    if (back := _enabled_or_back()) is not None:
        return back
    me = current_user._get_current_object()
    form = TwoStepCodeForm()
    if form.validate_on_submit():
        if two_step.use_code(me, form.code.data):
            codes = two_step.new_recovery_codes(me)
            db.session.commit()
            return render("profile/recovery_codes.html", codes=codes, first_time=False)
        db.session.rollback()
        form.code.errors.append(str(WRONG_CODE))
    return form_page(
        "profile/recovery_codes_new.html", form,
        left=two_step.recovery_codes_left(me),
    )


@bp.route("/two-step/off", methods=["GET", "POST"])
@allow_signed_in
@two_step_limit()
def two_step_off():
    """Turn two-step sign-in off: the password and a code (or a recovery code) first."""
    if (back := _enabled_or_back()) is not None:
        return back
    me = current_user._get_current_object()
    form = TwoStepOffForm()
    if form.validate_on_submit():
        password_right = verify_password(me.password_hash, form.password.data)
        # Both are always checked, so the answer does not tell which one was wrong.
        code_right = bool(two_step.use_code_or_recovery_code(me, form.code.data))
        if password_right and code_right:
            two_step.turn_off(me)
            record_change(me, me, AccountAction.TWO_STEP_DISABLED)
            db.session.commit()
            flash(_("Two-step sign-in is off. You sign in with your password only."), "success")
            return redirect(url_for("profile.index"))
        db.session.rollback()
        form.code.errors.append(
            _("The password or the code is not right. Check both and try again.")
        )
    return form_page(
        "profile/two_step_off.html", form, required=two_step.required_for(me),
    )
