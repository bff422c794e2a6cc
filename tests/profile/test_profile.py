"""Own profile: every signed-in person sees and edits their own name and language."""

import pytest
import sqlalchemy as sa

from outreach.admin.models import AccountAction, AccountChange
from outreach.auth.models import Role, User
from outreach.extensions import db
from tests.factories import PASSWORD

NEW_PASSWORD = "a fresh passphrase here"


def changes_of(user) -> list[AccountChange]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AccountChange).where(AccountChange.user_id == user.id)
            .order_by(AccountChange.id)
        )
    )


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for method in ("get", "post"):
        response = getattr(client, method)("/profile")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_its_own_profile(client, auth, role):
    user = auth.login_as(role, name="Oma Nimi", email="oma@example.test")
    response = client.get("/profile?lang=en")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Oma Nimi" in text and "oma@example.test" in text
    assert {Role.ADMIN: "Administrator", Role.SUPERVISOR: "Supervisor",
            Role.PROFESSIONAL: "Professional", Role.EXPERT: "Experience expert"}[user.role] in text
    assert 'href="/password"' in text


@pytest.mark.parametrize("role", list(Role))
def test_profile_edit_saves_name_and_language_of_the_signed_in_user_only(
    client, auth, make_user, role
):
    someone_else = make_user(Role.EXPERT, name="Someone Else")
    me = auth.login_as(role, name="Old Name", language="fi")
    response = client.post("/profile", data={"name": "  New Name ", "language": "en"})
    assert response.status_code == 302
    db.session.expire_all()
    me = db.session.get(User, me.id)
    assert (me.name, me.language, me.role) == ("New Name", "en", role)
    assert db.session.get(User, someone_else.id).name == "Someone Else"
    (change,) = changes_of(me)
    assert (change.action, change.changed_by_id) == (AccountAction.EDITED, me.id)
    assert ("name", "Old Name", "New Name") in change.changes


def test_profile_cannot_change_role_or_email(client, auth):
    me = auth.login_as(Role.EXPERT, email="me@example.test")
    client.post("/profile", data={"name": "Me", "language": "fi", "role": "admin",
                                  "email": "other@example.test"})
    db.session.expire_all()
    me = db.session.get(User, me.id)
    assert (me.role, me.email) == (Role.EXPERT, "me@example.test")


def test_language_choice_applies_at_once_over_an_earlier_switch(client, auth):
    auth.login_as(Role.PROFESSIONAL, language="fi")
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)
    response = client.post("/profile", data={"name": "Paula", "language": "sv"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert '<html lang="sv">' in response.get_data(as_text=True)
    # And it stays: no earlier ?lang= choice in the session overrides the saved one.
    assert '<html lang="sv">' in client.get("/").get_data(as_text=True)
    with client.session_transaction() as session:
        assert "lang" not in session


def test_saved_language_follows_the_person_to_a_new_device(app, client, auth):
    me = auth.login_as(Role.EXPERT, language="fi")
    client.post("/profile", data={"name": me.name, "language": "en"})
    other_device = app.test_client()
    other_device.post("/login", data={"email": me.email, "password": PASSWORD})
    assert '<html lang="en">' in other_device.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "   ", "language": "sv"}, "Enter your name."),
        ({"name": "Kept Name", "language": "de"}, "Not a valid choice"),
    ],
)
def test_profile_refuses_bad_input_and_keeps_it(client, auth, data, message):
    me = auth.login_as(Role.EXPERT, name="Before")
    response = client.post("/profile?lang=en", data=data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text
    if data["name"].strip():
        assert f'value="{data["name"]}"' in text
    db.session.expire_all()
    assert db.session.get(User, me.id).name == "Before"
    assert changes_of(me) == []


def test_own_password_change_is_recorded_without_the_password(client, auth):
    me = auth.login_as(Role.EXPERT)
    response = client.post(
        "/password",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
              "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    (change,) = changes_of(me)
    assert (change.action, change.changed_by_id) == (AccountAction.PASSWORD_CHANGED, me.id)
    assert NEW_PASSWORD not in change.details and PASSWORD not in change.details


def test_a_refused_password_change_is_not_recorded(client, auth):
    me = auth.login_as(Role.EXPERT)
    client.post("/password", data={"current_password": "wrong password!",
                                   "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert changes_of(me) == []
