import sqlalchemy as sa

from outreach.demo import ACCOUNTS, PASSWORD
from outreach.extensions import db
from outreach.models import Pair, User


def test_help_lists_every_command(run_command):
    result = run_command("--help")
    assert result.exit_code == 0
    for command in ("demo", "run", "create-user", "db"):
        assert command in result.output


def test_demo_migrates_loads_and_is_idempotent(cli_app, run_command):
    first = run_command("demo", "--no-serve")
    assert first.exit_code == 0, first.output
    for email, _name, _role in ACCOUNTS:
        assert email in first.output
    assert PASSWORD in first.output
    with cli_app.app_context():
        # The six demo accounts, and the two former partners of the pair that ended years
        # ago (outreach.retention.demo): deactivated, never printed.
        active = set(db.session.scalars(sa.select(User.email).where(User.active.is_(True))))
        counts = (db.session.scalar(sa.select(sa.func.count(User.id))),
                  db.session.scalar(sa.select(sa.func.count(Pair.id))),
                  db.session.scalar(sa.select(sa.func.count(Pair.id)).where(
                      Pair.ends_on.is_(None))))
    assert active == {email for email, _name, _role in ACCOUNTS}
    assert counts == (8, 3, 2)
    second = run_command("demo", "--no-serve")
    assert second.exit_code == 0, second.output
    assert "nothing added" in second.output
    with cli_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 8
        assert db.session.scalar(sa.select(sa.func.count(Pair.id))) == 3
        db.session.remove()


def test_demo_accounts_sign_in(cli_app, run_command):
    run_command("demo", "--no-serve")
    client = cli_app.test_client()
    for email, name, _role in ACCOUNTS:
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, email
        assert name in client.get("/").get_data(as_text=True)
        client.post("/logout")
    with cli_app.app_context():
        db.session.remove()


def test_create_user_asks_the_password_without_echo(cli_app, run_command):
    run_command("db", "upgrade")
    result = run_command(
        "create-user", "--email", "New@Example.test", "--name", "New Person",
        "--role", "expert", input="a long enough secret\na long enough secret\n",
    )
    assert result.exit_code == 0, result.output
    assert "a long enough secret" not in result.output
    with cli_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "new@example.test"))
        assert user.role == "expert"
        db.session.remove()
    again = run_command(
        "create-user", "--email", "new@example.test", "--name", "X", "--role", "expert",
        input="a long enough secret\na long enough secret\n",
    )
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_create_user_refuses_a_short_password(cli_app, run_command):
    run_command("db", "upgrade")
    result = run_command(
        "create-user", "--email", "s@example.test", "--name", "S", "--role", "admin",
        input="short\nshort\n",
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
