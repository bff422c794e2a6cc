from datetime import UTC, datetime

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from outreach.admin.models import AccountAction, record_change
from outreach.auth import queries
from outreach.auth.access import allow_anyone, allow_signed_in
from outreach.auth.forms import ChangePasswordForm, LoginForm
from outreach.auth.passwords import hash_password, needs_rehash, verify_password
from outreach.extensions import db, limiter
from outreach.web import is_safe_next, render

bp = Blueprint("auth", __name__)


def _account_and_address() -> str:
    # Keyed by account *and* address: a stranger elsewhere cannot lock the owner out.
    email = (request.form.get("email") or "").strip().lower()
    return f"{email}|{request.remote_addr}"


def _failed(response) -> bool:
    return response.status_code != 302


def start_session(user) -> None:
    """A fresh session at sign-in: nothing from before survives (no session fixation)."""
    language = session.get("lang")  # a language picked on the sign-in page stays
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)
    now = datetime.now(UTC).timestamp()
    session["login_at"] = now
    session["seen_at"] = now


@bp.route("/login", methods=["GET", "POST"])
@allow_anyone
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], scope="login-address"
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    methods=["POST"],
    key_func=_account_and_address,
    deduct_when=_failed,
    scope="login-account",
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    expired = session.pop("expired", False)
    if form.validate_on_submit():
        user = queries.user_by_email(form.email.data)
        if verify_password(user.password_hash if user else None, form.password.data) and (
            user and user.active
        ):
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(form.password.data)
                db.session.commit()
            start_session(user)
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("home.index"))
        form.password.errors.append(_("Wrong email or password."))
    status = 422 if form.errors else 200
    return render("auth/login.html", status=status, form=form, expired=expired)


@bp.post("/logout")
@allow_signed_in
def logout():
    # Signing out ends every session of this user, on every device.
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@allow_signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The current password is not right."))
        else:
            user = current_user._get_current_object()
            user.password_hash = hash_password(form.new_password.data)
            user.must_change_password = False
            user.end_sessions()  # every other session ends; this one starts anew
            record_change(user, user, AccountAction.PASSWORD_CHANGED)
            db.session.commit()
            start_session(user)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("home.index"))
    status = 422 if form.errors else 200
    return render("auth/password.html", status=status, form=form)
