"""Callable factories for test data (indico style): each returns a saved object."""

import itertools
from datetime import date, timedelta

from outreach.auth.models import Role, User
from outreach.auth.passwords import hash_password
from outreach.extensions import db
from outreach.pairs.models import Pair

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(role: Role | str = Role.PROFESSIONAL, *, email: str | None = None,
              name: str | None = None, password: str = PASSWORD, **fields) -> User:
    n = next(_counter)
    role = Role(role)
    user = User(
        email=email or f"{role.value}{n}@example.test",
        name=name or f"{role.value.title()} {n}",
        role=role,
        password_hash=hash_password(password),
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def make_pair(*, professional: User | None = None, expert: User | None = None,
              supervisor: User | None = None, starts_on: date | None = None,
              ends_on: date | None = None) -> Pair:
    pair = Pair(
        professional=professional or make_user(Role.PROFESSIONAL),
        expert=expert or make_user(Role.EXPERT),
        supervisor=supervisor,
        starts_on=starts_on or date.today() - timedelta(days=30),
        ends_on=ends_on,
    )
    db.session.add(pair)
    db.session.commit()
    return pair
