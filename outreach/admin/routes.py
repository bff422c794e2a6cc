"""Accounts, for the administrator: list, create, edit, deactivate, reactivate, reset."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from outreach.admin import queries
from outreach.admin.forms import (
    CreateAccountForm,
    EditAccountForm,
    ListFilterForm,
    ResetPasswordForm,
)
from outreach.admin.models import AccountAction, record_change, snapshot
from outreach.auth import two_step
from outreach.auth.access import allow_roles
from outreach.auth.models import Role, User
from outreach.auth.passwords import hash_password
from outreach.core.views import current_user_obj, page_of
from outreach.exports import columns, export_response, stream_rows
from outreach.extensions import db
from outreach.labels import LANGUAGE_NAMES, role_name
from outreach.web import form_page, render

bp = Blueprint("admin", __name__, url_prefix="/admin")



def _account_list():
    """The list's filters from the request and its query (the page and its export)."""
    filters = ListFilterForm(formdata=request.args)
    query = queries.account_list(
        current_user_obj(),
        q=filters.q.data or "",
        role=filters.role.data or "",
        status=filters.status.data or "",
    )
    return filters, query


@bp.get("/users")
@allow_roles(Role.ADMIN)
def users():
    filters, query = _account_list()
    pagination = page_of(query)
    return render("admin/users.html", filters=filters, pagination=pagination)


@bp.get("/users/export")
@allow_roles(Role.ADMIN)
def users_export():
    """The accounts as a file, with the page's search and filters."""
    _filters, query = _account_list()
    return export_response(
        stream_rows(query),
        columns(
            (_l("Name"), lambda account: account.name),
            (_l("Email"), lambda account: account.email),
            (_l("Role"), lambda account: role_name(account.role)),
            (_l("Active"), lambda account: account.active),
            (_l("Language"), lambda account: LANGUAGE_NAMES.get(account.language,
                                                                account.language)),
        ),
        "accounts",
        sheet_name=_("Accounts"),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@allow_roles(Role.ADMIN)
def create_user():
    form = CreateAccountForm(language="fi", role=Role.PROFESSIONAL.value)
    if form.validate_on_submit():
        if queries.email_taken(form.email.data):
            form.email.errors.append(_("An account with this email address already exists."))
        else:
            user = User(
                name=form.name.data,
                email=form.email.data,
                role=Role(form.role.data),
                language=form.language.data,
                password_hash=hash_password(form.password.data),
                must_change_password=True,
            )
            db.session.add(user)
            record_change(user, current_user_obj(), AccountAction.CREATED, after=snapshot(user))
            if _commit_or_email_taken(form):
                flash(
                    _("The account of %(name)s was created. Hand the one-time password over "
                      "in person; it must be changed at the first sign-in.", name=user.name),
                    "success",
                )
                return redirect(url_for("admin.user", user_id=user.id))
    return form_page("admin/user_new.html", form)


def _commit_or_email_taken(form) -> bool:
    """Commit; two saves racing for one address meet the unique constraint instead."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.email.errors.append(_("An account with this email address already exists."))
        return False
    return True


def _account_page(user: User, *, status: int = 200, form=None, reset_form=None, saved=None):
    if form is None:
        form = EditAccountForm(formdata=None, obj=user)
        form.seen_change.data = str(queries.latest_change_id(user))
    return render(
        "admin/user.html",
        status=status,
        account=user,
        form=form,
        reset_form=reset_form or ResetPasswordForm(formdata=None),
        changes=queries.changes_for(current_user_obj(), user),
        saved=saved,
        last_admin=queries.is_last_active_admin(user),
        language_names=LANGUAGE_NAMES,
    )


@bp.get("/users/<int:user_id>")
@allow_roles(Role.ADMIN)
def user(user_id: int):
    return _account_page(queries.account_for(current_user_obj(), user_id))


@bp.post("/users/<int:user_id>")
@allow_roles(Role.ADMIN)
def edit_user(user_id: int):
    user = queries.account_for(current_user_obj(), user_id)
    form = EditAccountForm()
    if not form.validate_on_submit():
        return _account_page(user, status=422, form=form)
    latest = queries.latest_change_id(user)
    if str(latest) != (form.seen_change.data or ""):
        # Someone changed the account after this form was opened: show both, lose nothing.
        form.seen_change.data = str(latest)
        return _account_page(user, status=409, form=form, saved=snapshot(user))
    if queries.email_taken(form.email.data, except_user=user):
        form.email.errors.append(_("An account with this email address already exists."))
        return _account_page(user, status=422, form=form)
    new_role = Role(form.role.data)
    if new_role != Role.ADMIN and queries.is_last_active_admin(user, lock=True):
        form.role.errors.append(
            _("This is the only active administrator. Make someone else an administrator "
              "first, so that somebody can still manage the accounts.")
        )
        return _account_page(user, status=422, form=form)
    before = snapshot(user)
    user.name = form.name.data
    user.email = form.email.data
    user.role = new_role
    user.language = form.language.data
    if not record_change(user, current_user_obj(), AccountAction.EDITED, before=before,
                         after=snapshot(user)):
        flash(_("Nothing was changed."), "success")
        return redirect(url_for("admin.user", user_id=user.id))
    if not _commit_or_email_taken(form):
        return _account_page(user, status=422, form=form)
    flash(_("The changes were saved."), "success")
    if user.id == current_user.id and user.role != Role.ADMIN:
        return redirect(url_for("home.index"))  # no longer allowed on the accounts pages
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/deactivate")
@allow_roles(Role.ADMIN)
def deactivate_user(user_id: int):
    user = queries.account_for(current_user_obj(), user_id)
    if not user.active:
        flash(_("The account was already inactive."), "success")
    elif queries.is_last_active_admin(user, lock=True):
        flash(
            _("This is the only active administrator and cannot be deactivated. Make someone "
              "else an administrator first."),
            "error",
        )
    else:
        user.active = False
        user.end_sessions()  # every open session of the account ends at once
        record_change(user, current_user_obj(), AccountAction.DEACTIVATED)
        db.session.commit()
        flash(_("The account was deactivated and its sessions ended."), "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/reactivate")
@allow_roles(Role.ADMIN)
def reactivate_user(user_id: int):
    user = queries.account_for(current_user_obj(), user_id)
    if user.active:
        flash(_("The account was already active."), "success")
    else:
        user.active = True
        record_change(user, current_user_obj(), AccountAction.REACTIVATED)
        db.session.commit()
        flash(_("The account was reactivated. The person can sign in again."), "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/password")
@allow_roles(Role.ADMIN)
def reset_password(user_id: int):
    user = queries.account_for(current_user_obj(), user_id)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return _account_page(user, status=422, reset_form=form)
    user.password_hash = hash_password(form.password.data)
    user.must_change_password = True
    user.end_sessions()
    record_change(user, current_user_obj(), AccountAction.PASSWORD_RESET)
    db.session.commit()
    flash(
        _("The password was reset and the account's sessions ended. Hand the new one-time "
          "password over in person; it must be changed at the next sign-in."),
        "success",
    )
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/two-step/reset")
@allow_roles(Role.ADMIN)
def reset_two_step(user_id: int):
    """Turn off someone's two-step sign-in (a lost phone and no recovery codes left)."""
    user = queries.account_for(current_user_obj(), user_id)
    if user.id == current_user.id:
        flash(_("Turn your own two-step sign-in off on your profile page."), "error")
    elif not user.two_step_enabled and not user.totp_secret:
        flash(_("Two-step sign-in was not on for this account."), "success")
    else:
        two_step.turn_off(user)
        user.end_sessions()
        record_change(user, current_user_obj(), AccountAction.TWO_STEP_RESET)
        db.session.commit()
        flash(
            _("Two-step sign-in was reset and the account's sessions ended. The person signs "
              "in with the password and can set two-step sign-in up again."),
            "success",
        )
    return redirect(url_for("admin.user", user_id=user.id))
