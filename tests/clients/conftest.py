"""The people and pairs the client tests share: our pair (with its confidentiality agreement
recorded), another pair with its own clients, and a way to sign in as any of them."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from outreach.auth.models import Role
from outreach.core.time import local_today
from outreach.extensions import db
from tests.factories import PASSWORD

SIGNED = local_today() - timedelta(days=20)


@pytest.fixture
def world(make_user, make_pair, make_agreement):
    supervisor = make_user(Role.SUPERVISOR, name="Sirpa Supervisor")
    pair = make_pair(
        professional=make_user(Role.PROFESSIONAL, name="Paula Pro"),
        expert=make_user(Role.EXPERT, name="Eeva Expert"),
        supervisor=supervisor,
        starts_on=local_today() - timedelta(days=100),
    )
    make_agreement(pair, confidentiality_signed_on=SIGNED)
    other_supervisor = make_user(Role.SUPERVISOR, name="Olli Other Supervisor")
    other = make_pair(
        professional=make_user(Role.PROFESSIONAL, name="Pirjo Pro2"),
        expert=make_user(Role.EXPERT, name="Essi Expert2"),
        supervisor=other_supervisor,
        starts_on=local_today() - timedelta(days=50),
    )
    make_agreement(other, confidentiality_signed_on=SIGNED)
    return SimpleNamespace(
        pair=pair,
        other=other,
        pro=pair.professional,
        expert=pair.expert,
        supervisor=supervisor,
        pro2=other.professional,
        expert2=other.expert,
        other_supervisor=other_supervisor,
        admin=make_user(Role.ADMIN),
    )


@pytest.fixture
def sign_in(client):
    def sign_in_as(user):
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in_as


def fresh(model, ident):
    """The row as it is in the database now (after requests in their own sessions)."""
    db.session.expire_all()
    return db.session.get(model, ident)


HTMX = {"HX-Request": "true"}


def htmx_to(target: str) -> dict:
    return {"HX-Request": "true", "HX-Target": target}
