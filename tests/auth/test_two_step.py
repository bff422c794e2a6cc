"""Two-step sign-in: setup from the profile, the code step at sign-in, recovery codes,
enforcement per role, the administrator's reset and the limits on guessing."""

import base64
import re

import pyotp
import pytest
import sqlalchemy as sa

from outreach.admin.models import AccountAction, AccountChange
from outreach.auth import two_step
from outreach.auth.models import RecoveryCode, Role, User
from outreach.config import default_config
from outreach.extensions import db
from tests.factories import PASSWORD

WRONG_CODE = "The code is not right, or it has been used already."


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


def text(response) -> str:
    return response.get_data(as_text=True)


def fresh(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def changes_of(user) -> list[AccountAction]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AccountChange.action)
            .where(AccountChange.user_id == user.id)
            .order_by(AccountChange.id)
        )
    )


def password_step(client, user, next_url=None):
    data = {"email": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/login", data=data)


def sign_in(client, account, code):
    response = password_step(client, account.user)
    assert response.headers["Location"] == "/login/code"
    return client.post("/login/code?lang=en", data={"code": code})


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def unused_codes(user) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


# --- Setting up ----------------------------------------------------------------------


def test_setup_shows_the_key_and_qr_code_and_turns_on_only_with_a_right_code(
    client, auth, clock
):
    me = auth.login_as(Role.PROFESSIONAL)
    page = client.get("/profile/two-step?lang=en")
    assert page.status_code == 200
    html = text(page)
    assert '<svg role="img" aria-label="QR code for the authenticator app"' in html
    assert "data:" not in html.split("<main", 1)[1]  # no image from elsewhere or data URL
    secret = two_step.unseal(fresh(me).totp_secret)
    assert two_step.grouped_secret(secret) in html
    # Kept sealed: the database does not hold the key in the clear.
    assert secret not in fresh(me).totp_secret
    # Opening the page again shows the same key (the app may have it already).
    assert two_step.grouped_secret(secret) in text(client.get("/profile/two-step"))

    wrong = client.post("/profile/two-step?lang=en", data={"code": "000000"})
    assert wrong.status_code == 422
    assert WRONG_CODE in text(wrong)
    assert not fresh(me).two_step_enabled
    assert unused_codes(me) == 0

    right = client.post("/profile/two-step?lang=en", data={"code": clock.code(secret)})
    assert right.status_code == 200
    assert fresh(me).two_step_enabled
    shown = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", text(right))
    assert len(shown) == len(set(shown)) == 10
    assert unused_codes(me) == 10
    hashes = db.session.scalars(sa.select(RecoveryCode.code_hash))
    assert not set(hashes) & {code.replace("-", "") for code in shown}
    assert changes_of(me) == [AccountAction.TWO_STEP_ENABLED]
    assert signed_in(client)  # this session goes on

    # The key and the codes are never shown again.
    profile = text(client.get("/profile?lang=en"))
    assert two_step.grouped_secret(secret) not in profile
    assert not any(code in profile for code in shown)
    assert "Unused recovery codes: 10." in profile
    again = client.get("/profile/two-step")
    assert again.status_code == 302
    assert again.headers["Location"] == "/profile"


def test_turning_two_step_on_signs_out_other_devices(app, client, auth, clock):
    me = auth.login_as(Role.SUPERVISOR)
    other_device = app.test_client()
    password_step(other_device, me)
    assert signed_in(other_device)
    client.get("/profile/two-step")
    secret = two_step.unseal(fresh(me).totp_secret)
    client.post("/profile/two-step", data={"code": clock.code(secret)})
    assert signed_in(client)
    assert not signed_in(other_device)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_set_up_two_step_sign_in(client, auth, role):
    auth.login_as(role)
    assert client.get("/profile/two-step").status_code == 200
    assert "/profile/two-step" in text(client.get("/profile"))


def test_setup_needs_sign_in(client):
    response = client.get("/profile/two-step")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# --- Signing in ------------------------------------------------------------------------


def test_sign_in_is_not_complete_without_the_code(client, make_user, with_two_step, clock):
    account = with_two_step(make_user(Role.ADMIN))
    response = password_step(client, account.user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login/code"
    assert not signed_in(client)
    assert client.get("/admin/users").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session
    page = client.get("/login/code?lang=en")
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in text(page)

    response = client.post("/login/code", data={"code": clock.code(account.secret)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in(client)
    with client.session_transaction() as session:
        assert two_step.PENDING_KEY not in session


def test_the_code_step_keeps_where_the_user_was_going(client, make_user, with_two_step, clock):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    password_step(client, account.user, next_url="/profile")
    response = client.post("/login/code", data={"code": clock.code(account.secret)})
    assert response.headers["Location"] == "/profile"


def test_a_wrong_password_never_reaches_the_code_step(client, make_user, with_two_step):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    response = client.post("/login", data={"email": account.user.email, "password": "nope"})
    assert response.status_code == 422
    assert client.get("/login/code").headers["Location"] == "/login"


@pytest.mark.parametrize("code", ["000000", "12345", "abcdef", " "])
def test_a_wrong_code_is_refused_with_one_message(client, make_user, with_two_step, clock, code):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    if code == "000000" and clock.code(account.secret) == code:
        code = "000001"
    response = sign_in(client, account, code)
    assert response.status_code == 422
    assert (WRONG_CODE in text(response)) or ("Enter the code." in text(response))
    assert not signed_in(client)


@pytest.mark.parametrize(("steps", "accepted"), [(-2, False), (-1, True), (1, True), (2, False)])
def test_codes_one_step_early_or_late_are_accepted(
    client, make_user, with_two_step, clock, steps, accepted
):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    response = sign_in(client, account, clock.code(account.secret, steps))
    assert (response.status_code == 302) is accepted


def test_a_code_works_only_once(app, client, make_user, with_two_step, clock):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    code = clock.code(account.secret)
    assert sign_in(client, account, code).status_code == 302
    # Someone who saw the code cannot use it, not even while it is still shown.
    eavesdropper = app.test_client()
    response = sign_in(eavesdropper, account, code)
    assert response.status_code == 422
    assert WRONG_CODE in text(response)
    # Nor a code of the step before, which would otherwise still be in the window.
    assert sign_in(eavesdropper, account, clock.code(account.secret, -1)).status_code == 422
    clock.advance()
    assert sign_in(eavesdropper, account, clock.code(account.secret)).status_code == 302


def test_a_recovery_code_signs_in_once(client, make_user, with_two_step):
    account = with_two_step(make_user(Role.SUPERVISOR))
    first = account.recovery_codes[0]
    response = sign_in(client, account, first)
    assert response.status_code == 302
    assert "Recovery codes left: 9." in text(client.get("/?lang=en"))
    client.post("/logout")
    assert sign_in(client, account, first).status_code == 422
    # Typed as read from paper: capitals and spaces do not matter.
    second = account.recovery_codes[1].upper().replace("-", " ")
    assert sign_in(client, account, second).status_code == 302
    assert unused_codes(account.user) == 8


def test_the_pending_sign_in_expires(client, make_user, with_two_step, clock):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    password_step(client, account.user)
    clock.now += 301
    response = client.post("/login/code", data={"code": clock.code(account.secret)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert not signed_in(client)
    assert "The time for the code ran out" in text(client.get("/login?lang=en"))


@pytest.mark.parametrize("app_config", [{"TWO_STEP_PENDING_SECONDS": 60}], indirect=True)
def test_the_pending_time_is_configurable(client, make_user, with_two_step, clock):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    password_step(client, account.user)
    clock.now += 61
    response = client.post("/login/code", data={"code": clock.code(account.secret)})
    assert response.headers["Location"] == "/login"


def test_a_password_reset_meanwhile_ends_the_pending_sign_in(
    client, make_user, with_two_step, clock
):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    password_step(client, account.user)
    account.user.end_sessions()
    db.session.commit()
    response = client.post("/login/code", data={"code": clock.code(account.secret)})
    assert response.headers["Location"] == "/login"
    assert not signed_in(client)


def test_the_code_step_without_a_password_first_goes_to_sign_in(client):
    assert client.get("/login/code").headers["Location"] == "/login"
    assert client.post("/login/code", data={"code": "123456"}).headers["Location"] == "/login"


def test_the_code_step_starts_a_fresh_session(client, make_user, with_two_step, clock):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    client.get("/login?lang=sv")
    password_step(client, account.user)
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/login/code", data={"code": clock.code(account.secret)})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "sv"


@pytest.mark.parametrize("app_config", [{"TWO_STEP_CODE_LIMIT": "3 per minute"}], indirect=True)
def test_wrong_codes_are_limited_per_account(app, client, make_user, with_two_step, clock):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    password_step(client, account.user)
    for n in range(3):
        assert client.post("/login/code", data={"code": f"99999{n}"}).status_code == 422
    response = client.post("/login/code?lang=en", data={"code": clock.code(account.secret)})
    assert response.status_code == 429
    assert "Too many attempts" in text(response)
    # Another address does not get fresh attempts at the same account.
    elsewhere = app.test_client()
    password_step(elsewhere, account.user)
    response = elsewhere.post(
        "/login/code", data={"code": clock.code(account.secret)},
        environ_base={"REMOTE_ADDR": "192.0.2.10"},
    )
    assert response.status_code == 429
    assert not signed_in(client)


@pytest.mark.parametrize("app_config", [{"TWO_STEP_CODE_LIMIT": "2 per minute"}], indirect=True)
def test_wrong_codes_on_the_profile_count_too(client, auth, clock):
    auth.login_as(Role.PROFESSIONAL)
    client.get("/profile/two-step")
    for _ in range(2):
        assert client.post("/profile/two-step", data={"code": "999999"}).status_code == 422
    assert client.post("/profile/two-step", data={"code": "999998"}).status_code == 429


@pytest.mark.parametrize("app_config", [{"TWO_STEP_CODE_LIMIT": "2 per minute"}], indirect=True)
def test_right_codes_do_not_use_up_the_limit(client, make_user, with_two_step, clock):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    for _ in range(3):
        assert sign_in(client, account, clock.code(account.secret)).status_code == 302
        client.post("/logout")
        clock.advance()


# --- Recovery codes and turning off ----------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(client, make_user, with_two_step, clock):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    sign_in(client, account, clock.code(account.secret))
    page = client.get("/profile/two-step/recovery-codes?lang=en")
    assert "Unused recovery codes: 10." in text(page)
    assert client.post("/profile/two-step/recovery-codes", data={"code": "x"}).status_code == 422
    clock.advance()
    response = client.post(
        "/profile/two-step/recovery-codes", data={"code": clock.code(account.secret)}
    )
    assert response.status_code == 200
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", text(response))
    assert len(new) == 10 and not set(new) & set(account.recovery_codes)
    assert unused_codes(account.user) == 10
    client.post("/logout")
    assert sign_in(client, account, account.recovery_codes[0]).status_code == 422
    assert sign_in(client, account, new[0]).status_code == 302


@pytest.mark.parametrize(
    ("password", "right_code"), [("wrong password here", True), (PASSWORD, False)]
)
def test_turning_off_needs_the_password_and_a_code(
    client, make_user, with_two_step, clock, password, right_code
):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    sign_in(client, account, clock.code(account.secret))
    clock.advance()
    code = clock.code(account.secret) if right_code else "000000"
    if not right_code and code == clock.code(account.secret):
        code = "000001"
    response = client.post(
        "/profile/two-step/off?lang=en", data={"password": password, "code": code}
    )
    assert response.status_code == 422
    assert "The password or the code is not right." in text(response)
    assert fresh(account.user).two_step_enabled
    # A refused attempt does not use the code up.
    response = client.post(
        "/profile/two-step/off", data={"password": PASSWORD, "code": clock.code(account.secret)}
    )
    assert response.status_code == 302


def test_turning_off_with_a_recovery_code_removes_everything(
    client, make_user, with_two_step, clock
):
    account = with_two_step(make_user(Role.EXPERT))
    sign_in(client, account, clock.code(account.secret))
    assert client.get("/profile/two-step/off").status_code == 200
    response = client.post(
        "/profile/two-step/off",
        data={"password": PASSWORD, "code": account.recovery_codes[3]},
    )
    assert response.status_code == 302
    user = fresh(account.user)
    assert not user.two_step_enabled
    assert user.totp_secret is None
    assert db.session.scalar(sa.select(sa.func.count(RecoveryCode.id))) == 0
    assert changes_of(user) == [AccountAction.TWO_STEP_DISABLED]
    client.post("/logout")
    assert password_step(client, user).headers["Location"] == "/"


def test_pages_for_turning_off_and_new_codes_need_two_step_on(client, auth):
    auth.login_as(Role.PROFESSIONAL)
    for path in ("/profile/two-step/off", "/profile/two-step/recovery-codes"):
        assert client.get(path).headers["Location"] == "/profile"
        assert client.post(path, data={"code": "123456", "password": PASSWORD}).status_code == 302


# --- Required for some roles ---------------------------------------------------------------


REQUIRED = [{"TWO_STEP_REQUIRED_ROLES": frozenset({"professional", "admin"})}]


@pytest.mark.parametrize("app_config", REQUIRED, indirect=True)
@pytest.mark.parametrize("path", ["/", "/clients/", "/profile", "/password", "/admin/users"])
def test_a_required_role_is_sent_to_setup_and_nowhere_else(client, auth, path):
    auth.login_as(Role.PROFESSIONAL)
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/profile/two-step"


@pytest.mark.parametrize("app_config", REQUIRED, indirect=True)
def test_required_setup_follows_the_password_and_then_lets_the_user_in(
    client, make_user, clock
):
    user = make_user(Role.ADMIN)
    response = password_step(client, user)
    assert response.headers["Location"] == "/profile/two-step"
    page = client.get("/profile/two-step?lang=en")
    assert page.status_code == 200
    assert "Your role must use two-step sign-in." in text(page)
    # An htmx request is sent to the whole page, not swapped into a fragment.
    htmx = client.get("/", headers={"HX-Request": "true", "HX-Target": "main"})
    assert htmx.headers["HX-Redirect"] == "/profile/two-step"
    assert client.post("/logout").status_code == 302  # signing out still works

    password_step(client, user)
    secret = two_step.unseal(fresh(user).totp_secret)
    assert client.post("/profile/two-step", data={"code": clock.code(secret)}).status_code == 200
    assert client.get("/admin/users").status_code == 200


@pytest.mark.parametrize("app_config", REQUIRED, indirect=True)
@pytest.mark.parametrize("role", [Role.EXPERT, Role.SUPERVISOR])
def test_roles_not_listed_are_not_forced(client, auth, role):
    auth.login_as(role)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("app_config", REQUIRED, indirect=True)
def test_turning_off_in_a_required_role_leads_to_setting_up_again(
    client, make_user, with_two_step, clock
):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    sign_in(client, account, clock.code(account.secret))
    assert signed_in(client)
    clock.advance()
    client.post(
        "/profile/two-step/off", data={"password": PASSWORD, "code": clock.code(account.secret)}
    )
    assert client.get("/").headers["Location"] == "/profile/two-step"


def test_required_roles_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("TWO_STEP_REQUIRED_ROLES", raising=False)
    assert default_config(str(tmp_path), with_secret=False)["TWO_STEP_REQUIRED_ROLES"] == set()
    monkeypatch.setenv("TWO_STEP_REQUIRED_ROLES", " Admin, supervisor ,")
    roles = default_config(str(tmp_path), with_secret=False)["TWO_STEP_REQUIRED_ROLES"]
    assert roles == {"admin", "supervisor"}
    monkeypatch.setenv("TWO_STEP_REQUIRED_ROLES", "admin,profesional")
    with pytest.raises(ValueError, match="profesional"):
        default_config(str(tmp_path), with_secret=False)


def test_by_default_no_role_must_use_two_step(client, auth, app):
    assert not app.config["TWO_STEP_REQUIRED_ROLES"]
    for role in Role:
        user = auth.login_as(role)
        assert signed_in(client)
        assert not fresh(user).two_step_enabled
        client.post("/logout")


# --- The administrator's reset ---------------------------------------------------------


def test_administrator_resets_two_step_and_it_is_logged(
    app, client, auth, make_user, with_two_step, clock
):
    account = with_two_step(make_user(Role.SUPERVISOR, name="Sanna Supervisor"))
    their_device = app.test_client()
    assert sign_in(their_device, account, clock.code(account.secret)).status_code == 302
    admin = auth.login_as(Role.ADMIN)
    page = text(client.get(f"/admin/users/{account.user.id}?lang=en"))
    assert "Reset two-step sign-in" in page
    assert "Reset the two-step sign-in of Sanna Supervisor?" in page

    response = client.post(f"/admin/users/{account.user.id}/two-step/reset")
    assert response.status_code == 302
    user = fresh(account.user)
    assert not user.two_step_enabled and user.totp_secret is None
    assert unused_codes(user) == 0
    assert not signed_in(their_device)
    change = db.session.scalars(
        sa.select(AccountChange).where(AccountChange.user_id == user.id)
    ).one()
    assert (change.action, change.changed_by_id) == (AccountAction.TWO_STEP_RESET, admin.id)
    log = text(client.get(f"/admin/users/{user.id}?lang=en"))
    assert "Two-step sign-in reset by an administrator" in log
    # The person signs in with the password alone again.
    assert password_step(their_device, user).headers["Location"] == "/"


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.PROFESSIONAL, Role.EXPERT])
def test_only_administrators_may_reset_two_step(client, auth, make_user, with_two_step, role):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    auth.login_as(role)
    assert client.post(f"/admin/users/{account.user.id}/two-step/reset").status_code == 403
    assert fresh(account.user).two_step_enabled


def test_administrator_does_not_reset_their_own_two_step_on_the_accounts_page(
    client, make_user, with_two_step, clock
):
    account = with_two_step(make_user(Role.ADMIN))
    sign_in(client, account, clock.code(account.secret))
    response = client.post(f"/admin/users/{account.user.id}/two-step/reset")
    assert response.status_code == 302
    assert fresh(account.user).two_step_enabled
    assert "on your profile page" in text(client.get(f"/admin/users/{account.user.id}?lang=en"))


def test_reset_of_an_unknown_account_is_404(client, auth):
    auth.login_as(Role.ADMIN)
    assert client.post("/admin/users/99999/two-step/reset").status_code == 404


# --- The secret at rest ----------------------------------------------------------------------


def test_the_sealed_secret_opens_only_with_the_same_key_and_untouched(app):
    secret = pyotp.random_base32()
    sealed = two_step.seal(secret)
    assert secret not in sealed
    assert two_step.seal(secret) != sealed  # a new nonce each time
    assert two_step.unseal(sealed) == secret
    assert sealed.startswith("f1:")  # the scheme is named: Fernet
    # One bit changed in the encrypted part, still well-formed: refused, not misread.
    raw = bytearray(base64.urlsafe_b64decode(sealed[3:]))
    raw[30] ^= 1
    assert two_step.unseal("f1:" + base64.urlsafe_b64encode(bytes(raw)).decode()) is None
    for broken in (sealed[:-6], "f1:not a token", "f1:ääkköset", "v1:" + sealed[3:], ""):
        assert two_step.unseal(broken) is None
    app.config["TWO_STEP_KEY"] = "another key"
    assert two_step.unseal(sealed) is None


def test_old_keys_still_open_secrets_which_move_to_the_new_key_at_the_next_code(
    app, client, make_user, with_two_step, clock
):
    app.config["TWO_STEP_KEY"] = "the first key"
    account = with_two_step(make_user(Role.PROFESSIONAL))
    app.config.update(TWO_STEP_KEY="the second key", TWO_STEP_OLD_KEYS=" older, the first key")
    assert two_step.unseal(fresh(account.user).totp_secret) == account.secret
    assert sign_in(client, account, clock.code(account.secret)).status_code == 302
    # Sealed again with the second key: the first one can now be dropped.
    app.config["TWO_STEP_OLD_KEYS"] = None
    assert two_step.unseal(fresh(account.user).totp_secret) == account.secret


def test_with_a_changed_key_recovery_codes_still_sign_in(
    app, client, make_user, with_two_step, clock
):
    account = with_two_step(make_user(Role.PROFESSIONAL))
    app.config["TWO_STEP_KEY"] = "rotated"
    assert sign_in(client, account, clock.code(account.secret)).status_code == 422
    assert sign_in(client, account, account.recovery_codes[0]).status_code == 302
