"""The database the benchmark serves: migrated, seeded, with real bookings, through the app's own code.

Migrations and the demo data go through the documented commands (`flask --app app db upgrade`,
`seed-demo`); bookings through the booking feature's own transaction (`blueprints.booking.service.book_call`), and
the fallback rule change through the model plus `service.bump_version`, as every writer must.
"""
import os
import secrets
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
# Config reads the environment (and .env) on import: a stray .env must not steer the benchmark.
os.environ["DOTENV_PATH"] = os.devnull
sys.path.insert(0, str(ROOT))

SECRET_KEY = "bench-" + secrets.token_hex(16)
DEMO_PASSWORD = "bench-" + secrets.token_hex(8)
VIEWER_ZONE = "Europe/Paris"


def server_env(database_url):
    """Environment for the flask commands and both gunicorns (the same for every app)."""
    # The staleness measure books several calls from one address within a minute.
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY=SECRET_KEY, DOTENV_PATH=os.devnull,
               BOOKING_RATE_LIMIT="1000 per minute")
    env.pop("FLASK_DEBUG", None)
    return env


def flask_command(database_url, *args):
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                          env=server_env(database_url), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def migrate_and_seed(database_url):
    flask_command(database_url, "db", "upgrade")
    flask_command(database_url, "seed-demo", "--password", DEMO_PASSWORD)


@contextmanager
def postgres_database(admin_url):
    """A database of this run's own next to `admin_url`'s, dropped afterwards."""
    import psycopg2

    parts = urlsplit(admin_url.replace("postgres://", "postgresql://", 1))
    name = f"letstalk_bench_{os.getpid()}"

    def admin(statement):
        conn = psycopg2.connect(urlunsplit(parts))
        conn.autocommit = True  # CREATE/DROP DATABASE refuse to run in a transaction
        try:
            with conn.cursor() as cursor:
                cursor.execute(statement)
        finally:
            conn.close()

    admin(f'DROP DATABASE IF EXISTS "{name}"')
    admin(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def db_connection():
    from database import db
    return db.connection_context()


class AppSide:
    """The app's own code, in this process, on the benchmark's database."""

    def __init__(self, database_url):
        from app import create_app
        self.app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY})

    @contextmanager
    def session(self):
        with self.app.app_context(), db_connection():
            yield

    def profile(self):
        from blueprints.auth.models import CoachProfile
        return CoachProfile.primary()  # fresh: its availability_version is part of the cache key

    def day_slots(self, day, zone_name=VIEWER_ZONE):
        from scheduling import service
        from timezones import day_window
        with self.session():
            return service.free_slots_for(self.profile(), *day_window(day, ZoneInfo(zone_name)))

    def pick_day(self, zone_name=VIEWER_ZONE, min_slots=8):
        """A weekday 2–13 days ahead (well past the notice period) with plenty of free slots."""
        today = datetime.now(ZoneInfo(zone_name)).date()
        for ahead in range(2, 14):
            day = today + timedelta(days=ahead)
            if day.weekday() < 5 and len(self.day_slots(day, zone_name)) >= min_slots:
                return day
        raise RuntimeError("no weekday in the next two weeks has free slots: did seed-demo add weekly hours?")

    def book(self, slot, name="Bench Visitor"):
        """Book `slot` with the booking feature's own transaction (row, answers, emails, version)."""
        from blueprints.booking import service
        visitor = {"name": name, "email": f"visitor-{secrets.token_hex(4)}@example.com", "phone": ""}
        with self.app.test_request_context(), db_connection():  # its emails build links with url_for
            return service.book_call(self.profile(), slot.start, visitor, [], VIEWER_ZONE).id

    def add_bookings(self, day, zone_name=VIEWER_ZONE):
        """Two bookings on `day` and one on each other weekday of the next two weeks (a busy diary)."""
        chosen = self.day_slots(day, zone_name)
        booked = [self.book(chosen[2]), self.book(chosen[len(chosen) // 2 + 1])]
        today = datetime.now(ZoneInfo(zone_name)).date()
        for ahead in range(1, 15):
            other = today + timedelta(days=ahead)
            slots = self.day_slots(other, zone_name) if other != day and other.weekday() < 5 else []
            if len(slots) > 3:
                booked.append(self.book(slots[3]))
        return booked

    def block_day(self, day):
        """A rule change: the coach blocks the whole (coach-local) day."""
        from scheduling import service
        from scheduling.models import DateOverride
        from database import db
        with self.session(), db.atomic():
            coach_id = self.profile().user_id
            DateOverride.create(coach=coach_id, day=day, kind=DateOverride.BLOCK, note="bench")
            service.bump_version(coach_id)

    def close(self):
        from database import db
        if not db.is_closed():
            db.close()
