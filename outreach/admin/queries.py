"""Accounts as the administrator sees them. Every function takes the current user: only an
administrator's scope holds any accounts, so a mistake elsewhere fails closed."""

import sqlalchemy as sa
from flask import abort
from sqlalchemy import Select
from sqlalchemy.orm import selectinload

from outreach.admin.models import AccountAction, AccountChange
from outreach.auth.models import Role, User
from outreach.core.search import contains_any
from outreach.extensions import db


def _accounts(viewer: User) -> Select:
    query = sa.select(User)
    if viewer.role != Role.ADMIN:
        return query.where(sa.false())
    return query


def account_list(viewer: User, *, q: str = "", role: str = "", status: str = "") -> Select:
    """The accounts matching a search over name and email, a role and active/inactive."""
    query = _accounts(viewer)
    if q := q.strip():
        query = query.where(contains_any(q, User.name, User.email))
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "inactive":
        query = query.where(User.active.is_(False))
    return query.order_by(sa.func.lower(User.name), User.id)


def account_for(viewer: User, user_id: int) -> User:
    """One account, or 404 when it is not in the viewer's scope."""
    user = db.session.scalar(_accounts(viewer).where(User.id == user_id))
    if user is None:
        abort(404)
    return user


def changes_for(viewer: User, user: User) -> list[AccountChange]:
    """The account's change log, newest first, with who made each change."""
    query = (
        sa.select(AccountChange)
        .where(AccountChange.user_id.in_(_accounts(viewer).with_only_columns(User.id)))
        .where(AccountChange.user_id == user.id)
        .options(selectinload(AccountChange.changed_by))
        .order_by(AccountChange.at.desc(), AccountChange.id.desc())
    )
    return list(db.session.scalars(query))


def latest_change_id(user: User) -> int:
    """The newest change of the account's details: an edit form opened before it is stale.
    (A password change or deactivation does not touch what the form edits.)"""
    return db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(AccountChange.id), 0)).where(
            AccountChange.user_id == user.id,
            AccountChange.action.in_([AccountAction.CREATED, AccountAction.EDITED]),
        )
    )


def email_taken(email: str, *, except_user: User | None = None) -> bool:
    query = sa.select(User.id).where(User.email == email.strip().lower())
    if except_user is not None:
        query = query.where(User.id != except_user.id)
    return db.session.scalar(query) is not None


def other_active_admins(user: User, *, lock: bool = False) -> int:
    """How many active administrators there are besides this account.

    Before a change, lock=True locks their rows (on databases that can, in one order), so
    two administrators removing each other at the same moment cannot both succeed and
    leave nobody in charge: the second one waits and then sees the first one's change."""
    query = (
        sa.select(User.id)
        .where(User.role == Role.ADMIN, User.active.is_(True))
        .order_by(User.id)
    )
    if lock:
        query = query.with_for_update()
    return len([admin_id for admin_id in db.session.scalars(query) if admin_id != user.id])


def is_last_active_admin(user: User, *, lock: bool = False) -> bool:
    return (
        user.active and user.role == Role.ADMIN and other_active_admins(user, lock=lock) == 0
    )
