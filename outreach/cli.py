"""The `outreach` command: demo, run, create-user, db (migrations) and the Flask basics."""

import click
from flask import current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext


def _create_app():
    from outreach import create_app

    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    help="Työpari: outreach work in pairs. Configure with DATABASE_URL and SECRET_KEY.",
)
def main():
    pass


main.add_command(shell_command)
main.add_command(routes_command)


def serve(host: str, port: int, workers: int) -> None:
    """Serve with gunicorn, each worker building its own app (nothing shared in memory)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("forwarded_allow_ips", "127.0.0.1")

        def load(self):
            return _create_app()

    Server().run()


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def run_command(host: str, port: int, workers: int):
    """Serve an existing database with gunicorn."""
    serve(host, port, workers)


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Prepare the database and stop.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool):
    """Migrate the embedded database, load the demo data, print the accounts and serve."""
    from flask_migrate import upgrade

    from outreach import demo

    upgrade()
    created = demo.load()
    click.echo(
        "Demo data loaded." if created else "Demo data was already there; nothing added."
    )
    click.echo(f"\nDemo accounts (password: {demo.PASSWORD}):")
    for email, _name, role in demo.ACCOUNTS:
        click.echo(f"  {email:<24} {role}")
    if not no_serve:
        click.echo(f"\nServing on http://{host}:{port}")
        serve(host, port, workers=2)


@main.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option(
    "--role",
    prompt=True,
    type=click.Choice(["admin", "supervisor", "professional", "expert"]),
)
@click.option("--language", default="fi", type=click.Choice(["fi", "sv", "en"]))
@click.password_option(help="Asked without echo when not given.")
@with_appcontext
def create_user_command(email, name, role, language, password):
    """Create an account."""
    from outreach.auth.forms import MIN_PASSWORD_LENGTH
    from outreach.auth.models import Role, User
    from outreach.auth.passwords import hash_password
    from outreach.auth.queries import user_by_email
    from outreach.extensions import db

    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(
            f"at least {MIN_PASSWORD_LENGTH} characters", param_hint="password"
        )
    if user_by_email(email):
        raise click.ClickException(f"An account with the email {email} already exists.")
    user = User(
        email=email,
        name=name,
        role=Role(role),
        language=language,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {user.email} ({role}).")
    current_app.logger.info("Account %s created from the command line", user.email)
