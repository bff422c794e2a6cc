from datetime import timedelta

import pytest

from outreach.auth.models import Role
from outreach.extensions import db
from tests.factories import PASSWORD

SESSION_COOKIE = "tyopari_session"


def session_cookie(client):
    cookie = client.get_cookie(SESSION_COOKIE)
    return cookie.value if cookie else None


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_and_sees_its_home(client, auth, role):
    user = auth.login_as(role)
    response = client.get("/")
    assert response.status_code == 200
    assert user.name in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("email", "password"),
    [("nobody@example.test", PASSWORD), (None, "wrong password 123")],
)
def test_wrong_email_or_password_get_one_generic_message(client, make_user, email, password):
    user = make_user(Role.EXPERT)
    response = client.post(
        "/login?lang=en", data={"email": email or user.email, "password": password}
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Wrong email or password." in text
    assert client.get("/").status_code == 302


def test_email_is_case_insensitive(client, make_user):
    user = make_user(Role.EXPERT, email="Eeva@Example.test")
    assert user.email == "eeva@example.test"
    response = client.post("/login", data={"email": "EEVA@example.TEST", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_in_starts_a_new_session(client, make_user):
    user = make_user()
    client.get("/login?lang=sv")  # an anonymous session exists before signing in
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    before = session_cookie(client)
    assert before
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    after = session_cookie(client)
    assert after and after != before
    with client.session_transaction() as session:
        assert "planted" not in session  # nothing of the pre-login session survives
        assert session["lang"] == "sv"  # but the language picked on the sign-in page does


def test_a_planted_session_cookie_gives_no_access(app, client, make_user):
    make_user(email="victim@example.test")
    planted = app.test_client()
    planted.get("/login")
    cookie = session_cookie(planted)
    client.set_cookie(SESSION_COOKIE, cookie)
    client.post("/login", data={"email": "victim@example.test", "password": PASSWORD})
    # The attacker still holds the cookie from before sign-in: it must not be signed in.
    assert planted.get("/").status_code == 302


def test_logout_ends_every_session_of_the_user(app, client, auth):
    user = auth.login_as(Role.PROFESSIONAL)
    other_device = app.test_client()
    other_device.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other_device.get("/").status_code == 200
    auth.logout()
    assert client.get("/").status_code == 302
    assert other_device.get("/").status_code == 302


def test_logout_needs_post(client, auth):
    auth.login_as(Role.EXPERT)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, auth):
    user = auth.login_as(Role.EXPERT)
    other_device = app.test_client()
    other_device.post("/login", data={"email": user.email, "password": PASSWORD})
    response = client.post(
        "/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302
    assert auth.login(user.email, "a brand new passphrase").status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"current_password": "wrong one here", "new_password": "long enough pass",
          "confirm": "long enough pass"}, "The current password is not right."),
        ({"current_password": PASSWORD, "new_password": "short",
          "confirm": "short"}, "at least 12 characters"),
        ({"current_password": PASSWORD, "new_password": "long enough pass",
          "confirm": "long enough pasz"}, "The two new passwords are not the same."),
    ],
)
def test_password_change_refuses_bad_input_with_a_clear_message(client, auth, data, message):
    auth.login_as(Role.EXPERT)
    response = client.post("/password?lang=en", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_one_time_password_must_be_changed_first(client, auth):
    auth.login_as(Role.EXPERT, must_change_password=True)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/password")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/password", "/password"),
        ("https://evil.example/steal", "/"),
        ("//evil.example/steal", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_goes_to_same_site_paths_only(client, make_user, target, expected):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_sign_in_page_keeps_where_the_user_was_going(client):
    response = client.get("/password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/password"


def test_deactivated_user_cannot_sign_in_and_loses_an_open_session(client, auth):
    user = auth.login_as(Role.EXPERT)
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302
    assert auth.login(user.email).status_code == 422


@pytest.mark.parametrize(
    ("setting", "idle_for", "still_in"),
    [
        ("IDLE_TIMEOUT", timedelta(minutes=29), True),
        ("IDLE_TIMEOUT", timedelta(minutes=31), False),
    ],
)
def test_idle_timeout(client, auth, setting, idle_for, still_in):
    auth.login_as(Role.PROFESSIONAL)
    with client.session_transaction() as session:
        session["seen_at"] -= idle_for.total_seconds()
    response = client.get("/")
    assert (response.status_code == 200) is still_in


def test_absolute_timeout_even_when_active(client, auth):
    auth.login_as(Role.PROFESSIONAL)
    with client.session_transaction() as session:
        session["login_at"] -= timedelta(hours=12, minutes=1).total_seconds()
    response = client.get("/")
    assert response.status_code == 302
    follow = client.get(response.headers["Location"] + "&lang=en")
    assert "Your session ended" in follow.get_data(as_text=True)


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize(
    "app_config",
    [{"IDLE_TIMEOUT": timedelta(minutes=5), "ABSOLUTE_TIMEOUT": timedelta(hours=1)}],
    indirect=True,
)
def test_timeouts_are_configurable(client, auth):
    auth.login_as(Role.PROFESSIONAL)
    with client.session_transaction() as session:
        session["seen_at"] -= 6 * 60
    assert client.get("/").status_code == 302


def test_htmx_request_needing_sign_in_redirects_the_whole_page(client):
    response = client.get("/", headers={"HX-Request": "true", "HX-Target": "main"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"].startswith("/login")
    assert response.get_data(as_text=True) == ""


def test_rate_limit_per_account_and_address(client, make_user):
    user = make_user()
    for _ in range(5):
        response = client.post("/login", data={"email": user.email, "password": "nope nope"})
        assert response.status_code == 422
    response = client.post("/login?lang=en", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # A stranger elsewhere cannot lock the owner out: the owner's own address still works.
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.10"},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "app_config", [{"LOGIN_LIMIT_PER_ADDRESS": "3 per minute"}], indirect=True
)
def test_rate_limit_per_address_across_accounts(client, make_user):
    for n in range(3):
        client.post("/login", data={"email": f"guess{n}@example.test", "password": "x"})
    response = client.post("/login", data={"email": "guess9@example.test", "password": "x"})
    assert response.status_code == 429


def test_successful_sign_ins_do_not_use_up_the_account_limit(client, make_user):
    user = make_user()
    for _ in range(7):
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302
        client.post("/logout")


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_forms_without_the_csrf_token_are_refused(client, make_user):
    user = make_user()
    response = client.post("/login?lang=en", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_csrf_token_travels_in_the_htmx_header(client, make_user):
    import re

    user = make_user()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"X-CSRFToken": token, "HX-Request": "true", "HX-Boosted": "true"},
    )
    assert response.status_code == 302
