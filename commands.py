"""Command-line: `flask --app app db upgrade|status`, `create-coach`, `seed-demo`, `worker`,
`backup`, `restore`."""
import logging
import secrets
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from database import db

MIGRATIONS = Path(__file__).parent / "migrations"
db_cli = AppGroup("db", help="Database schema migrations.")


def migration_router():
    from peewee_migrate import Router
    return Router(db.obj, migrate_dir=str(MIGRATIONS), ignore=["basemodel"])


@db_cli.command("upgrade")
def db_upgrade():
    """Apply pending migrations (safe to repeat)."""
    router = migration_router()
    todo = router.diff
    router.run()
    click.echo(f"Applied {len(todo)} migration(s)." if todo else "Database is up to date.")


@db_cli.command("status")
def db_status():
    """List applied and pending migrations."""
    router = migration_router()
    for name in router.done:
        click.echo(f"applied  {name}")
    for name in router.diff:
        click.echo(f"pending  {name}")


@click.command("create-coach")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--timezone", default="Europe/London", show_default=True)
@with_appcontext
def create_coach_command(email, name, password, timezone):
    """Create a coach account."""
    from blueprints.auth.models import User
    from blueprints.coach.service import create_coach
    from web.forms import MIN_PASSWORD

    if User.by_email(email):
        raise click.ClickException(f"An account for {email} already exists.")
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"Use a password of at least {MIN_PASSWORD} characters.")
    user = create_coach(email, name, password, timezone)
    click.echo(f"Coach {user.name} <{user.email}> created. Sign in at {current_app.config['SITE_URL']}/login")


@click.command("seed-demo")
@click.option("--password", default=None, help="Password for the demo accounts (random when omitted).")
@with_appcontext
def seed_demo_command(password):
    """Idempotent demo data: a coach, two clients, availability, journal entries and goals."""
    from seed import seed_demo

    password = password or secrets.token_urlsafe(9)
    created = seed_demo(password)
    if created:
        click.echo(f"Demo accounts created with password: {password}")
    else:
        click.echo("Demo data already present; nothing changed (passwords unchanged).")
    click.echo("  coach@example.com and coach2@example.com (coaches), alex@example.com and sam@example.com (clients)")


@click.command("worker")
@click.option("--once", is_flag=True, help="Do one pass and exit.")
@with_appcontext
def worker_command(once):
    """Send queued email and reminders, refresh external calendars."""
    app = current_app._get_current_object()
    # INFO, so that with no SMTP server configured each message shows in the worker's output.
    app.logger.setLevel(logging.INFO)
    interval = app.config["WORKER_INTERVAL_SECONDS"]
    while True:
        run_worker_pass(app)
        if once:
            return
        time.sleep(interval)


def run_worker_pass(app):
    """Each feature registered its tasks; one failing task never stops the others."""
    results = {}
    for name, task in app.extensions.get("worker_tasks", []):
        db.connect(reuse_if_open=True)
        try:
            results[name] = task(app)
        except Exception:  # noqa: BLE001 - log and carry on with the next task
            app.logger.exception("worker task %s failed", name)
            results[name] = None
        finally:
            if not db.is_closed() and not db.in_transaction():
                db.close()
    return results


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_appcontext
def backup_command(path, force):
    """Back up the database to PATH while the site keeps running (PostgreSQL: pg_dump)."""
    import backup
    if Path(path).exists() and not force:
        raise click.ClickException(f"{path} exists; choose a new name or pass --force to overwrite it.")
    try:
        written = backup.backup(current_app.config["DATABASE_URL"], path)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up to {written} ({written.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the current data without asking.")
@with_appcontext
def restore_command(path, yes):
    """Replace everything in the database with the backup at PATH."""
    import backup
    url = current_app.config["DATABASE_URL"]
    if not yes and not click.confirm(f"Replace ALL data in {backup.describe(url)} with {path}?"):
        raise click.ClickException("Nothing restored (confirm, or pass --yes).")
    if db.obj is not None:
        db.obj.close_all()  # our own pooled connections must not hold the old data open
    try:
        backup.restore(url, path)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {path}. Run `flask --app app db upgrade` if the backup is from an older version.")


def init_app(app):
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(db_cli)
    app.cli.add_command(create_coach_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(worker_command)
