"""Accounts, managed by the administrator: list, create, edit, deactivate, reset, change log."""

import pytest
import sqlalchemy as sa

from outreach.admin.models import AccountAction, AccountChange
from outreach.auth.models import Role, User
from outreach.extensions import db
from tests.factories import PASSWORD

ONE_TIME = "hand this over 42"
NEW_OWN = "my very own passphrase"


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


@pytest.fixture
def admin(auth):
    return auth.login_as(Role.ADMIN, name="Aino Admin")


def routes(user_id):
    return [
        ("get", "/admin/users"),
        ("get", "/admin/users/new"),
        ("post", "/admin/users/new"),
        ("get", f"/admin/users/{user_id}"),
        ("post", f"/admin/users/{user_id}"),
        ("post", f"/admin/users/{user_id}/deactivate"),
        ("post", f"/admin/users/{user_id}/reactivate"),
        ("post", f"/admin/users/{user_id}/password"),
    ]


def changes_of(user) -> list[AccountChange]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AccountChange)
            .where(AccountChange.user_id == user.id)
            .order_by(AccountChange.id)
        )
    )


def new_account(client, **fields):
    data = {
        "name": "Noora Uusi",
        "email": "Noora.Uusi@Example.test",
        "role": "expert",
        "language": "sv",
        "password": ONE_TIME,
    }
    data.update(fields)
    return client.post("/admin/users/new?lang=en", data=data)


def edit(client, user, **fields):
    from outreach.admin.queries import latest_change_id

    data = {
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "language": user.language,
        "seen_change": str(latest_change_id(user)),
    }
    data.update(fields)
    return client.post(f"/admin/users/{user.id}?lang=en", data=data)


# --- who may use the accounts pages -------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.PROFESSIONAL, Role.EXPERT])
def test_only_administrators_may_use_the_accounts_pages(client, auth, make_user, role):
    target = make_user(Role.EXPERT)
    auth.login_as(role)
    for method, url in routes(target.id):
        response = getattr(client, method)(url, data={"name": "x", "password": ONE_TIME * 2})
        assert response.status_code == 403, (method, url)
    db.session.expire_all()
    assert db.session.get(User, target.id).active
    assert changes_of(target) == []


def test_signed_out_visitors_are_sent_to_sign_in(client, make_user):
    target = make_user(Role.EXPERT)
    for method, url in routes(target.id):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login")


def test_an_unknown_account_is_404(client, admin):
    assert client.get("/admin/users/9999").status_code == 404
    assert client.post("/admin/users/9999/deactivate").status_code == 404


@pytest.mark.parametrize(
    ("role", "sees_accounts"),
    [(Role.ADMIN, True), (Role.SUPERVISOR, False), (Role.PROFESSIONAL, False),
     (Role.EXPERT, False)],
)
def test_navigation_shows_accounts_to_administrators_and_profile_to_all(
    client, auth, role, sees_accounts
):
    auth.login_as(role)
    page = client.get("/?lang=en").get_data(as_text=True)
    assert ('href="/admin/users"' in page) is sees_accounts
    assert 'href="/profile"' in page
    assert 'href="/password"' not in page  # the password change is reached from the profile


# --- list -----------------------------------------------------------------------------------


def test_list_shows_accounts_linking_to_their_pages(client, admin, make_user):
    expert = make_user(Role.EXPERT, name="Eeva Esimerkki")
    page = client.get("/admin/users?lang=en").get_data(as_text=True)
    assert f'href="/admin/users/{expert.id}"' in page
    assert "Eeva Esimerkki" in page
    assert "Experience expert" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=rja", {"Marja Mäki"}),
        ("q=MARJA", {"Marja Mäki"}),
        ("q=@shelter.test", {"Kaisa Koski"}),
        ("role=supervisor", {"Kaisa Koski"}),
        ("status=inactive", {"Liisa Lahti"}),
        ("status=active&role=expert", {"Marja Mäki"}),
        ("q=a&role=expert&status=inactive", {"Liisa Lahti"}),
        ("q=nobody-matches", set()),
    ],
)
def test_list_search_and_filters(client, admin, make_user, query, expected):
    make_user(Role.EXPERT, name="Marja Mäki", email="marja@example.test")
    make_user(Role.SUPERVISOR, name="Kaisa Koski", email="kaisa@shelter.test")
    make_user(Role.EXPERT, name="Liisa Lahti", active=False)
    page = client.get(f"/admin/users?lang=en&{query}").get_data(as_text=True)
    shown = {name for name in ("Marja Mäki", "Kaisa Koski", "Liisa Lahti") if name in page}
    assert shown == expected
    if not expected:
        assert "No accounts match the search." in page


def test_search_treats_like_wildcards_literally(client, admin, make_user):
    make_user(Role.EXPERT, name="Plain Name")
    page = client.get("/admin/users?q=%25").get_data(as_text=True)
    assert "Plain Name" not in page


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 5}], indirect=True)
def test_list_is_paginated_and_paging_keeps_the_filters(client, admin, make_user):
    for n in range(7):
        make_user(Role.EXPERT, name=f"Expert {n:02d}")
    make_user(Role.SUPERVISOR, name="Not an expert")
    first = client.get("/admin/users?role=expert&lang=en").get_data(as_text=True)
    assert "Expert 00" in first and "Expert 04" in first and "Expert 05" not in first
    assert "Page 1 of 2 (7 in all)" in first
    assert "role=expert" in first.split('rel="next"')[1].split(">")[0]
    second = client.get("/admin/users?role=expert&page=2&lang=en").get_data(as_text=True)
    assert "Expert 05" in second and "Expert 06" in second and "Expert 00" not in second
    assert "Not an expert" not in second


def test_active_search_answers_with_the_list_fragment_only(client, admin, make_user):
    make_user(Role.EXPERT, name="Marja Mäki")
    response = client.get(
        "/admin/users?q=marja",
        headers={"HX-Request": "true", "HX-Target": "user-list"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in text and "<form" not in text
    assert "Marja Mäki" in text
    page = client.get("/admin/users").get_data(as_text=True)
    assert 'data-hx-target="#user-list"' in page and 'id="user-list"' in page


def test_list_runs_the_same_number_of_queries_for_5_or_30_accounts(
    client, admin, make_user, count_queries
):
    def queries_for_list():
        with count_queries() as statements:
            assert client.get("/admin/users").status_code == 200
        return len(statements)

    for _ in range(4):
        make_user(Role.EXPERT)
    few = queries_for_list()
    for _ in range(25):
        make_user(Role.PROFESSIONAL)
    assert queries_for_list() == few
    assert few <= 4, few


# --- create ---------------------------------------------------------------------------------


def test_create_page_says_to_hand_the_password_over_in_person(client, admin):
    page = client.get("/admin/users/new?lang=en").get_data(as_text=True)
    assert "face to face" in page
    assert 'name="password"' in page


def test_created_account_signs_in_with_the_one_time_password_and_must_change_it(
    app, client, admin
):
    response = new_account(client)
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "noora.uusi@example.test"))
    assert user is not None
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert (user.name, user.role, user.language) == ("Noora Uusi", Role.EXPERT, "sv")
    assert user.must_change_password and user.active

    newcomer = app.test_client()
    assert newcomer.post(
        "/login", data={"email": "NOORA.uusi@example.test", "password": ONE_TIME}
    ).status_code == 302
    forced = newcomer.get("/")
    assert forced.status_code == 302 and forced.headers["Location"] == "/password"
    assert newcomer.get("/profile").headers["Location"] == "/password"
    changed = newcomer.post(
        "/password",
        data={"current_password": ONE_TIME, "new_password": NEW_OWN, "confirm": NEW_OWN},
    )
    assert changed.status_code == 302
    assert newcomer.get("/").status_code == 200

    log = changes_of(user)
    assert [c.action for c in log] == [AccountAction.CREATED, AccountAction.PASSWORD_CHANGED]
    assert log[0].changed_by_id == admin.id
    assert log[1].changed_by_id == user.id
    assert ("role", None, "expert") in log[0].changes
    for change in log:
        assert ONE_TIME not in change.details and NEW_OWN not in change.details


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "TAKEN@example.test"}, "An account with this email address already exists."),
        ({"password": "too short"}, "at least 12 characters"),
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"name": "  "}, "Enter the person's name."),
        ({"role": "superuser"}, "Not a valid choice"),
    ],
)
def test_create_refuses_bad_input_and_keeps_what_was_typed(
    client, admin, make_user, fields, message
):
    make_user(Role.EXPERT, email="taken@example.test")
    before = db.session.scalar(sa.select(sa.func.count(User.id)))
    response = new_account(client, name=fields.pop("name", "Noora Uusi"), **fields)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in text
    assert 'value="sv" selected' in text or 'selected value="sv"' in text
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == before
    assert db.session.scalar(sa.select(sa.func.count(AccountChange.id))) == 0


# --- the account page: edit -----------------------------------------------------------------


def test_edit_saves_and_records_what_changed_from_what(client, admin, make_user):
    user = make_user(Role.EXPERT, name="Eeva Vanha", language="fi")
    response = edit(client, user, name="Eeva Uusi", role="professional", language="en",
                    email="Eeva.Uusi@Example.test")
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.name, user.role, user.language, user.email) == (
        "Eeva Uusi", Role.PROFESSIONAL, "en", "eeva.uusi@example.test"
    )
    (change,) = changes_of(user)
    assert change.action == AccountAction.EDITED
    assert change.changed_by_id == admin.id
    assert set(change.changes) >= {
        ("name", "Eeva Vanha", "Eeva Uusi"),
        ("role", "expert", "professional"),
        ("language", "fi", "en"),
    }
    page = client.get(f"/admin/users/{user.id}?lang=en").get_data(as_text=True)
    assert "Details changed" in page
    assert "Name: Eeva Vanha → Eeva Uusi" in page
    assert "Role: Experience expert → Professional" in page
    assert "Aino Admin" in page


def test_saving_without_changes_records_nothing(client, admin, make_user):
    user = make_user(Role.EXPERT)
    assert edit(client, user).status_code == 302
    assert changes_of(user) == []


def test_edit_to_an_email_already_in_use_is_refused(client, admin, make_user):
    make_user(Role.EXPERT, email="taken@example.test")
    user = make_user(Role.EXPERT, email="mine@example.test")
    response = edit(client, user, email="Taken@Example.test", name="Changed Name")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "An account with this email address already exists." in text
    assert 'value="Changed Name"' in text
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "mine@example.test"


def test_edit_after_someone_else_changed_the_account_shows_both_versions(
    app, client, admin, make_user
):
    user = make_user(Role.EXPERT, name="Original Name")
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    seen = page.split('name="seen_change"')[1].split('value="')[1].split('"')[0]
    other_admin = app.test_client()
    make_user(Role.ADMIN, email="other-admin@example.test")
    other_admin.post("/login", data={"email": "other-admin@example.test", "password": PASSWORD})
    assert edit(other_admin, user, name="Their Name").status_code == 302

    response = client.post(
        f"/admin/users/{user.id}?lang=en",
        data={"name": "My Name", "email": user.email, "role": "expert", "language": "fi",
              "seen_change": seen},
    )
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert 'class="stale"' in text
    assert "Their Name" in text and 'value="My Name"' in text
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Their Name"
    # Saving again from the page that showed both versions keeps the user's input.
    seen = text.split('name="seen_change"')[1].split('value="')[1].split('"')[0]
    again = client.post(
        f"/admin/users/{user.id}",
        data={"name": "My Name", "email": user.email, "role": "expert", "language": "fi",
              "seen_change": seen},
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "My Name"


# --- deactivate, reactivate -----------------------------------------------------------------


def test_deactivation_asks_first(client, admin, make_user):
    user = make_user(Role.EXPERT, name="Eeva Esimerkki")
    page = client.get(f"/admin/users/{user.id}?lang=en").get_data(as_text=True)
    assert '<details class="confirm">' in page
    assert f'action="/admin/users/{user.id}/deactivate"' in page
    assert "Deactivate the account of Eeva Esimerkki?" in page


def test_deactivation_ends_the_users_open_session_at_once(app, client, admin, make_user):
    user = make_user(Role.EXPERT)
    their_phone = app.test_client()
    their_phone.post("/login", data={"email": user.email, "password": PASSWORD})
    assert their_phone.get("/").status_code == 200

    response = client.post(f"/admin/users/{user.id}/deactivate")
    assert response.status_code == 302

    next_request = their_phone.get("/")
    assert next_request.status_code == 302
    assert next_request.headers["Location"].startswith("/login")
    assert their_phone.post(
        "/login?lang=en", data={"email": user.email, "password": PASSWORD}
    ).status_code == 422
    (change,) = changes_of(user)
    assert (change.action, change.changed_by_id) == (AccountAction.DEACTIVATED, admin.id)
    page = client.get(f"/admin/users/{user.id}?lang=en").get_data(as_text=True)
    assert "Inactive" in page and "Reactivate account" in page


def test_reactivation_lets_the_person_sign_in_again(app, client, admin, make_user):
    user = make_user(Role.EXPERT, active=False)
    assert client.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    assert app.test_client().post(
        "/login", data={"email": user.email, "password": PASSWORD}
    ).status_code == 302
    assert [c.action for c in changes_of(user)] == [AccountAction.REACTIVATED]


# --- the last active administrator ----------------------------------------------------------


def test_the_last_active_administrator_cannot_be_deactivated(client, admin, make_user):
    make_user(Role.ADMIN, active=False)  # an inactive administrator does not count
    page = client.get(f"/admin/users/{admin.id}?lang=en").get_data(as_text=True)
    assert "only active administrator" in page
    assert f'action="/admin/users/{admin.id}/deactivate"' not in page

    response = client.post(f"/admin/users/{admin.id}/deactivate?lang=en", follow_redirects=True)
    assert response.status_code == 200
    assert "only active administrator and cannot be deactivated" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(User, admin.id).active
    assert changes_of(admin) == []


def test_the_last_active_administrator_keeps_the_role(client, admin):
    response = edit(client, admin, role="supervisor")
    assert response.status_code == 422
    assert "This is the only active administrator." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == Role.ADMIN


def test_an_administrator_may_leave_when_another_is_active(app, client, admin, make_user):
    other = make_user(Role.ADMIN)
    response = client.post(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, admin.id).active
    assert client.get("/").status_code == 302  # their own session ended too
    # Now the other one is the last: they cannot be deactivated or demoted.
    other_client = app.test_client()
    other_client.post("/login", data={"email": other.email, "password": PASSWORD})
    other_client.post(f"/admin/users/{other.id}/deactivate")
    assert edit(other_client, other, role="expert").status_code == 422
    db.session.expire_all()
    assert db.session.get(User, other.id).active
    assert db.session.get(User, other.id).role == Role.ADMIN


def test_an_administrator_may_hand_the_role_over(client, admin, make_user):
    make_user(Role.ADMIN)
    response = edit(client, admin, role="supervisor")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/admin/users").status_code == 403


# --- reset password -------------------------------------------------------------------------


def test_reset_password_ends_sessions_and_sets_a_one_time_password(
    app, client, admin, make_user
):
    user = make_user(Role.PROFESSIONAL)
    their_laptop = app.test_client()
    their_laptop.post("/login", data={"email": user.email, "password": PASSWORD})
    page = client.get(f"/admin/users/{user.id}?lang=en").get_data(as_text=True)
    assert f'action="/admin/users/{user.id}/password"' in page
    assert "Reset the password of" in page

    response = client.post(f"/admin/users/{user.id}/password", data={"password": ONE_TIME})
    assert response.status_code == 302
    assert their_laptop.get("/").status_code == 302
    assert their_laptop.post(
        "/login", data={"email": user.email, "password": PASSWORD}
    ).status_code == 422
    assert their_laptop.post(
        "/login", data={"email": user.email, "password": ONE_TIME}
    ).status_code == 302
    assert their_laptop.get("/").headers["Location"] == "/password"

    (change,) = changes_of(user)
    assert (change.action, change.changed_by_id) == (AccountAction.PASSWORD_RESET, admin.id)
    assert ONE_TIME not in change.details
    assert ONE_TIME not in client.get(f"/admin/users/{user.id}").get_data(as_text=True)


def test_reset_password_refuses_a_short_one_and_keeps_the_question_open(
    client, admin, make_user
):
    user = make_user(Role.PROFESSIONAL)
    response = client.post(
        f"/admin/users/{user.id}/password?lang=en", data={"password": "short"}
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "at least 12 characters" in text
    assert 'class="confirm-form"' in text
    db.session.expire_all()
    assert not db.session.get(User, user.id).must_change_password
    assert changes_of(user) == []


def test_change_log_is_listed_newest_first_and_never_holds_a_password(
    client, admin, make_user
):
    new_account(client, email="log@example.test")
    user = db.session.scalar(sa.select(User).where(User.email == "log@example.test"))
    edit(client, user, name="Renamed Person")
    client.post(f"/admin/users/{user.id}/password", data={"password": "second one-time pw"})
    client.post(f"/admin/users/{user.id}/deactivate")
    page = client.get(f"/admin/users/{user.id}?lang=en").get_data(as_text=True)
    order = [page.index(label) for label in (
        "<h3>Deactivated", "<h3>Password reset",
        "<h3>Details changed", "<h3>Account created",
    )]
    assert order == sorted(order)
    for secret in (ONE_TIME, "second one-time pw"):
        assert secret not in page
        assert all(secret not in change.details for change in changes_of(user))
