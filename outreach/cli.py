"""The `outreach` command: demo, run, create-user, retention, backup, restore, generate-scale,
db (migrations)
and the Flask basics."""

import gc
import threading
import time
from pathlib import Path

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
            app = _create_app()
            # What the worker built to start (the app, its models, the libraries) lives as
            # long as the worker: kept out of the garbage collector's full passes, which
            # otherwise walk it again each time a page makes many objects (a third of the
            # time of the dashboard over a thousand pairs). Its garbage is collected first.
            gc.collect()
            gc.freeze()
            return app

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
        start_notify_loop()
        click.echo(f"\nServing on http://{host}:{port}")
        serve(host, port, workers=2)


NOTIFY_SECONDS = 60


def start_notify_loop() -> None:
    """The demo sends its messages as `outreach notify` from cron would: the same run every
    minute, in a thread of the serving process with an app of its own. Without SMTP_URL
    they go to the log and the administrator's "sent messages" page."""
    from outreach.mail.notify import run

    def loop():
        app = _create_app()
        while True:
            with app.app_context():
                try:
                    run()
                except Exception:  # the next minute tries again; the server stays up
                    app.logger.exception("outreach notify failed in the demo loop")
            time.sleep(NOTIFY_SECONDS)

    threading.Thread(target=loop, name="notify", daemon=True).start()


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


@main.command("retention")
@click.option("--dry-run", is_flag=True, help="List what would be anonymised; change nothing.")
@with_appcontext
def retention_command(dry_run: bool):
    """Anonymise closed records past the retention period (RETENTION_YEARS after closing)."""
    from outreach.auth.throttle import purge_ended
    from outreach.core.time import local_today
    from outreach.retention.service import due_clients, full_years_between, run_retention

    years = current_app.config["RETENTION_YEARS"]
    today = local_today()
    due = due_clients(today, years)
    if due:
        click.echo("code\tclosed on\tyears since")
    for client in due:
        click.echo(f"{client.code}\t{client.closed_on.isoformat()}\t"
                   f"{full_years_between(client.closed_on, today)}")
    if dry_run:
        click.echo(f"{len(due)} closed record(s) past the retention period of {years} years "
                   "would be anonymised.")
        return
    count = run_retention(today, years)
    click.echo(f"Anonymised {count} closed record(s) past the retention period of {years} years.")
    if count:
        current_app.logger.info("Retention: %s closed records anonymised", count)
    ended = purge_ended(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])
    click.echo(f"Deleted {ended} ended count(s) of failed sign-ins.")


@main.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path):
    """Back up the database to a new file PATH while the app runs.

    SQLite: the online backup API; PostgreSQL: pg_dump --format=custom."""
    from outreach.extensions import db
    from outreach.retention.backup import BackupError, backup, describe

    url = db.engine.url
    try:
        backup(url, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up {describe(url)} to {path}.")


@main.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@with_appcontext
def restore_command(path: Path):
    """Restore the backup PATH into the configured database, which must be empty."""
    from outreach.extensions import db
    from outreach.retention.backup import BackupError, describe, restore

    url = db.engine.url
    try:
        restore(url, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {path} into {describe(url)}. If the backup comes from an older "
               "version of the app, run `outreach db upgrade` next.")


@main.group("rollup")
def rollup_group():
    """The dashboard's work rollup (per pair and day)."""


@rollup_group.command("rebuild")
@click.option("--pair", "pair_ids", type=int, multiple=True,
              help="Only this pair (repeatable); every pair by default.")
@with_appcontext
def rollup_rebuild_command(pair_ids: tuple[int, ...]):
    """Recompute the work rollup from the records (after bulk loads)."""
    from outreach.dashboard import rollup

    rollup.rebuild(list(pair_ids) or None)
    click.echo("Work rollup rebuilt.")


@main.command("generate-scale")
@click.option("--pairs", default=50, show_default=True, type=click.IntRange(min=1))
@click.option("--clients", default=5000, show_default=True, type=click.IntRange(min=0))
@click.option("--contacts", default=500_000, show_default=True, type=click.IntRange(min=0))
@click.option("--seed", default=1, show_default=True, type=int,
              help="The same seed gives the same data on an empty database.")
@click.option("--force", is_flag=True,
              help="Add to a database that has clients already (nothing is removed).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), hidden=True,
              help="Generate as if today were this day (tests); default: today in Helsinki.")
@with_appcontext
def generate_scale_command(pairs: int, clients: int, contacts: int, seed: int, force: bool,
                           today):
    """Fill the configured database with realistic data at scale, for the benchmark.

    Users (password bench-pass-2026), pairs with their start-up agreements, clients with
    consents, mappings, challenges and steps, tasks, contacts over about two years,
    accompaniments, network contacts, anonymous encounters, meetings and check-ins.
    An empty database is migrated first; one with clients is refused unless --force."""
    from outreach.core.time import local_today
    from outreach.scale import BENCH_PASSWORD, RefusedError, generate

    try:
        summary = generate(pairs, clients, contacts, seed,
                           today.date() if today else local_today(), force, click.echo)
    except RefusedError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("\nRows written:")
    for table, count in sorted(summary.counts.items()):
        click.echo(f"  {table:<26} {count:>10,}")
    click.echo(f"  {'total':<26} {sum(summary.counts.values()):>10,}")
    domain = summary.email_domain
    click.echo(f"\nAccounts (password: {BENCH_PASSWORD}): admin@{domain}, "
               f"supervisor1@{domain}…, pro1@{domain}…pro{pairs}@{domain}, "
               f"expert1@{domain}…expert{pairs}@{domain}")
    click.echo(f"Done in {summary.seconds:.1f} s.")
    current_app.logger.info("generate-scale: %s rows in %.1f s", sum(summary.counts.values()),
                            summary.seconds)
    if summary.rollup == "failed":
        raise click.ClickException("The data is saved, but the dashboard rollup is not.")


@main.command("notify")
@click.option("--loop", "loop_seconds", type=int, default=0,
              help="Run again every this many seconds (0: once).")
@with_appcontext
def notify_command(loop_seconds: int):
    """Send the messages due now: outing alerts, daily and weekly digests. Safe to run every
    minute (cron, systemd timer) and twice at once: each message is sent once."""

    from outreach.mail.notify import run

    while True:
        result = run()
        click.echo(f"sent {result['sent']}, failed {result['failed']}, "
                   f"already taken {result['taken']}")
        if not loop_seconds:
            break
        time.sleep(loop_seconds)
