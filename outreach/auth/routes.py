from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from outreach.admin.models import AccountAction, record_change
from outreach.auth import queries, throttle, two_step
from outreach.auth.access import allow_anyone, allow_signed_in
from outreach.auth.forms import ChangePasswordForm, LoginForm, TwoStepForm
from outreach.auth.passwords import hash_password, needs_rehash, verify_password
from outreach.extensions import db, limiter
from outreach.web import form_page, is_safe_next

bp = Blueprint("auth", __name__)


def _account_and_address() -> str:
    # Keyed by account *and* address: a stranger elsewhere cannot lock the owner out.
    email = (request.form.get("email") or "").strip().lower()
    return f"{email}|{request.remote_addr}"


def two_step_account() -> str:
    """The account a two-step code is for: halfway through signing in, or signed in.
    Sign-in and profile share one count, so wrong codes cannot be spread over both."""
    if current_user.is_authenticated:
        return f"user-{current_user.id}"
    # Without a pending sign-in the step only redirects, which is never counted.
    return f"user-{(two_step.pending() or {}).get('user', '')}"


def two_step_limit():
    """Wrong codes per account (one shared count), wherever a two-step code is typed."""
    return limiter.shared_limit(
        lambda: current_app.config["TWO_STEP_CODE_LIMIT"],
        scope="two-step-code",
        key_func=two_step_account,
        methods=["POST"],
        deduct_when=lambda response: response.status_code == 422,
    )


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
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    expired = session.pop("expired", False)
    if form.validate_on_submit():
        # Counted in the database, before the password is checked: every worker and every
        # app server sees the same count (outreach.auth.throttle).
        allowed, counted = throttle.take_place(
            "login-account", current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
            _account_and_address(),
        )
        if not allowed:
            abort(429)
        user = queries.user_by_email(form.email.data)
        if verify_password(user.password_hash if user else None, form.password.data) and (
            user and user.active
        ):
            throttle.give_back(counted)
            db.session.commit()
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(form.password.data)
                db.session.commit()
            if user.two_step_enabled:
                # Not signed in yet: the code comes first.
                two_step.begin_pending(user, form.next.data)
                return redirect(url_for("auth.second_step"))
            start_session(user)
            if two_step.setup_required(user):
                return redirect(url_for("profile.two_step_setup"))
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("home.index"))
        form.password.errors.append(_("Wrong email or password."))
    return form_page("auth/login.html", form, expired=expired)


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
    return form_page("auth/password.html", form)


@bp.route("/login/code", methods=["GET", "POST"])
@allow_anyone
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
    scope="two-step-address",
)
@two_step_limit()
def second_step():
    """The second step of signing in, for accounts with two-step sign-in on."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    user = two_step.pending_user()
    if user is None:
        if two_step.pending() is not None:
            two_step.end_pending()
            session["expired"] = "two_step"
        return redirect(url_for("auth.login"))
    form = TwoStepForm()
    if form.validate_on_submit():
        used = two_step.use_code_or_recovery_code(user, form.code.data)
        if used:
            target = two_step.pending().get("next", "")
            db.session.commit()
            start_session(user)
            if used == "recovery":
                flash(
                    _("You signed in with a recovery code. Recovery codes left: %(count)d.",
                      count=two_step.recovery_codes_left(user)),
                    "warning",
                )
            return redirect(target if is_safe_next(target) else url_for("home.index"))
        db.session.rollback()
        form.code.errors.append(
            _("The code is not right, or it has been used already. Type the newest code "
              "from the app.")
        )
    return form_page("auth/two_step.html", form)
