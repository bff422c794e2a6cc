"""Deny by default: every endpoint declares who may use it."""

from datetime import timedelta

import pytest
from flask import Blueprint

from outreach import create_app
from outreach.auth.access import allow_roles, undeclared_endpoints
from outreach.auth.models import Role
from outreach.core.time import local_today
from outreach.extensions import db
from outreach.scope import visible_pair_ids, writing_pair_ids
from tests.conftest import make_config


def test_every_endpoint_declares_who_may_use_it(app):
    assert undeclared_endpoints(app) == []


def test_the_url_map_walk_notices_an_undeclared_view(tmp_path):
    app = create_app(make_config(tmp_path))
    bp = Blueprint("forgotten", __name__)

    @bp.get("/forgotten")
    def forgotten():
        return "secret"

    app.register_blueprint(bp)
    assert undeclared_endpoints(app) == ["forgotten.forgotten"]


def test_an_undeclared_view_is_refused_even_to_a_signed_in_admin(tmp_path):
    app = create_app(make_config(tmp_path))
    bp = Blueprint("forgotten", __name__)

    @bp.get("/forgotten")
    def forgotten():
        return "secret"

    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()
        from tests.factories import PASSWORD, make_user

        admin = make_user(Role.ADMIN)
        client = app.test_client()
        client.post("/login", data={"email": admin.email, "password": PASSWORD})
        response = client.get("/forgotten")
        assert response.status_code == 403
        assert "secret" not in response.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()


def test_allow_roles_needs_a_role():
    with pytest.raises(ValueError):
        allow_roles()


@pytest.mark.parametrize("role", list(Role))
def test_role_outside_the_declaration_gets_403(tmp_path, role):
    app = create_app(make_config(tmp_path))
    bp = Blueprint("only_admin", __name__)

    @bp.get("/only-admin")
    @allow_roles(Role.ADMIN)
    def only_admin():
        return "admin things"

    app.register_blueprint(bp)
    with app.app_context():
        db.create_all()
        from tests.factories import PASSWORD, make_user

        user = make_user(role)
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        expected = 200 if role == Role.ADMIN else 403
        assert client.get("/only-admin").status_code == expected
        db.session.remove()
        db.engine.dispose()


def test_pair_scope(app, make_user, make_pair):
    supervisor = make_user(Role.SUPERVISOR)
    ours = make_pair(supervisor=supervisor)
    other = make_pair()
    ended = make_pair(
        professional=ours.professional,
        starts_on=local_today() - timedelta(days=400),
        ends_on=local_today(),
    )
    admin = make_user(Role.ADMIN)

    def ids(query):
        return set(db.session.scalars(query))

    assert ids(visible_pair_ids(admin)) == {ours.id, other.id, ended.id}
    assert ids(visible_pair_ids(supervisor)) == {ours.id}
    assert ids(visible_pair_ids(ours.professional)) == {ours.id, ended.id}
    assert ids(visible_pair_ids(ours.expert)) == {ours.id}
    # Only active pairs give access to their clients, and only to the partners.
    assert ids(writing_pair_ids(ours.professional)) == {ours.id}
    assert ids(writing_pair_ids(ended.expert)) == set()
    assert ids(writing_pair_ids(supervisor)) == set()
    assert ids(writing_pair_ids(admin)) == set()
    assert ids(writing_pair_ids(ended.professional, local_today() - timedelta(days=1))) == {
        ours.id,
        ended.id,
    }
