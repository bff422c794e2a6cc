"""Deny by default: every view declares who may use it, and one hook enforces it.

A view without a declaration is refused for everyone, so forgetting the decorator
fails closed. A test walks the URL map and fails on any undeclared endpoint.
"""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TypeVar

from flask import abort, current_app, make_response, redirect, request, session, url_for
from flask_login import current_user, logout_user

from outreach.auth.models import Role
from outreach.auth.two_step import setup_required as two_step_setup_required
from outreach.extensions import htmx

F = TypeVar("F", bound=Callable)

ANYONE = "anyone"
ACCESS_ATTR = "allowed_roles"

# Endpoints a user who must change a one-time password may still reach.
PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout"}
# Endpoints a user whose role must use two-step sign-in may reach before setting it up.
TWO_STEP_SETUP_ENDPOINTS = {"profile.two_step_setup", "auth.logout"}


def allow_roles(*roles: Role) -> Callable[[F], F]:
    """Only signed-in users with one of these roles may use the view."""
    if not roles:
        raise ValueError("allow_roles needs at least one role; use allow_anyone for public views")

    def mark(view: F) -> F:
        setattr(view, ACCESS_ATTR, frozenset(roles))
        return view

    return mark


def allow_signed_in(view: F) -> F:
    """Any signed-in user, whatever the role."""
    setattr(view, ACCESS_ATTR, frozenset(Role))
    return view


def allow_anyone(view: F) -> F:
    """Public: the sign-in page, language switch and the like."""
    setattr(view, ACCESS_ATTR, ANYONE)
    return view


def declared_access(endpoint: str) -> frozenset[Role] | str | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTR, None)


def undeclared_endpoints(app) -> list[str]:
    return sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and getattr(view, ACCESS_ATTR, None) is None
    )


def _now() -> float:
    return datetime.now(UTC).timestamp()


def end_expired_session() -> None:
    """Idle and absolute timeouts, measured from the session's own timestamps."""
    if not current_user.is_authenticated:
        return
    now = _now()
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    idle = current_app.config["IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["ABSOLUTE_TIMEOUT"].total_seconds()
    if now - seen_at > idle or now - login_at > absolute:
        logout_user()
        session.clear()
        session["expired"] = True
        return
    # Refresh at most once a minute so that not every response rewrites the cookie.
    if now - seen_at > 60:
        session["seen_at"] = now


def enforce_access():
    if request.endpoint is None or request.endpoint == "static":
        return None  # 404s and static files
    end_expired_session()
    allowed = declared_access(request.endpoint)
    if allowed is None:
        abort(403)
    if allowed == ANYONE:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return redirect(url_for("auth.change_password"))
    if request.endpoint not in TWO_STEP_SETUP_ENDPOINTS and two_step_setup_required(current_user):
        return _whole_page_redirect(url_for("profile.two_step_setup"))
    if current_user.role not in allowed:
        abort(403)
    return None


def _whole_page_redirect(location: str):
    """A redirect; for an htmx request one of the whole page, never into a fragment."""
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location)


def roles_for(endpoint: str) -> Iterable[Role]:
    allowed = declared_access(endpoint)
    return Role if allowed == ANYONE else (allowed or ())
