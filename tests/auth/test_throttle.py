"""Failed sign-ins are counted in the database (outreach.auth.throttle): every worker and
every app server on the same database counts against the same five a minute."""

from datetime import timedelta

import pytest

from outreach.core.clock import set_now, utcnow
from outreach.extensions import db
from tests.conftest import _make_app
from tests.factories import PASSWORD


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


@pytest.fixture
def clock():
    start = utcnow()
    set_now(start)
    yield start
    set_now(None)


def wrong(client, email, **kwargs):
    return client.post("/login", data={"email": email, "password": "wrong wrong"}, **kwargs)


def test_the_sixth_wrong_password_within_a_minute_is_refused(client, make_user, clock):
    user = make_user()
    assert [wrong(client, user.email).status_code for _ in range(5)] == [422] * 5
    assert wrong(client, user.email).status_code == 429
    # Refused, the right password too: the count is not a hint to the guesser.
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}
                       ).status_code == 429
    # The window starts at the first failure and lasts the limit's minute.
    set_now(clock + timedelta(seconds=61))
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}
                       ).status_code == 302


def test_a_second_app_server_on_the_same_database_counts_with_the_first(
        app, client, make_user, tmp_path, clock):
    user = make_user()
    # Its own app, engine and pool; the same database.
    other = _make_app(tmp_path, {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    other_client = other.test_client()
    assert [wrong(client, user.email).status_code for _ in range(3)] == [422] * 3
    assert [wrong(other_client, user.email).status_code for _ in range(2)] == [422] * 2
    assert wrong(client, user.email).status_code == 429
    assert wrong(other_client, user.email).status_code == 429
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_right_password_gives_its_place_back(client, make_user, clock):
    user = make_user()
    for _ in range(4):
        assert wrong(client, user.email).status_code == 422
    for _ in range(3):
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        client.post("/logout")
    assert wrong(client, user.email).status_code == 422
    assert wrong(client, user.email).status_code == 429


def test_unknown_accounts_are_limited_alike(client, clock):
    # No hint whether the account exists: the same five, then the same refusal.
    codes = [wrong(client, "nobody@example.test").status_code for _ in range(6)]
    assert codes == [422] * 5 + [429]


@pytest.mark.parametrize(
    "app_config", [{"LOGIN_LIMIT_PER_ACCOUNT": "2 per minute;3 per hour"}], indirect=True
)
def test_every_window_of_the_limit_counts(client, make_user, clock):
    user = make_user()
    assert [wrong(client, user.email).status_code for _ in range(3)] == [422, 422, 429]
    set_now(clock + timedelta(minutes=2))
    # The minute is over, the hour is not: one more of its three, then refused.
    assert [wrong(client, user.email).status_code for _ in range(2)] == [422, 429]


def test_retention_deletes_the_counts_whose_window_has_ended(app, client, make_user, clock):
    """What a stranger typed as an email is kept no longer than it guards anything."""
    from flask.cli import ScriptInfo

    from outreach.auth.models import SigninFailure
    from outreach.cli import main

    def counted() -> list[str]:
        db.session.expire_all()
        # key: "login-account|<window seconds>|<email>|<address>"
        return sorted(row.key.split("|")[2] for row in db.session.scalars(
            db.select(SigninFailure)))

    wrong(client, make_user().email)
    wrong(client, "stranger@example.test")
    set_now(clock + timedelta(seconds=30))
    wrong(client, "later@example.test")
    assert len(counted()) == 3

    set_now(clock + timedelta(seconds=61))  # the first two windows (a minute) have ended
    result = app.test_cli_runner().invoke(main, ["retention"],
                                          obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert "Deleted 2 ended count(s) of failed sign-ins." in result.output
    assert counted() == ["later@example.test"]
    # The running window still counts.
    assert [wrong(client, "later@example.test").status_code for _ in range(5)] == [422] * 4 + [429]
