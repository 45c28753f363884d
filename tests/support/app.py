"""The app under test: its settings, and a fresh database per test (SQLite or PostgreSQL)."""
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from config import Config
from database import db, make_database

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgres")


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    SECRET_KEY = "test-secret-key-not-for-production"
    SITE_URL = "http://localhost"
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    MAIL_SERVER = ""
    RATELIMIT_ENABLED = True
    LOGIN_RATE_LIMIT = "1000 per minute"
    BOOKING_RATE_LIMIT = "1000 per minute"
    STAMP_LISTEN = False  # stamps read each time; tests/test_stamps.py turns the listener on


def config_for(database_url, **overrides):
    """A TestConfig subclass on `database_url`, with any other settings changed."""
    return type("Cfg", (TestConfig,), {"DATABASE_URL": database_url, **overrides})


def migrate(url):
    from commands import migration_router
    database = make_database(url)
    db.initialize(database)
    migration_router().run()
    database.close()


def _admin(url, statement):
    import psycopg2
    conn = psycopg2.connect(url)
    conn.autocommit = True  # CREATE/DROP DATABASE refuse to run inside a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
    finally:
        conn.close()


def postgres_session_database(url):
    """A database of this test run's own (`<name>_<pid>`), so parallel runs never collide.

    Falls back to the given database, emptied, when the role may not create databases.
    """
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{os.getpid()}"
    try:
        _admin(url, f'DROP DATABASE IF EXISTS "{name}"')
        _admin(url, f'CREATE DATABASE "{name}"')
    except Exception:  # noqa: BLE001 - no CREATEDB privilege: use the database itself
        _admin(url, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
        return url, None
    return urlunsplit(parts._replace(path=f"/{name}")), name


def migrated_template(tmp_path_factory):
    """Migrate once per session (a generator: the fixture's body); yields the template's URL or path."""
    if ON_POSTGRES:
        url, created = postgres_session_database(PG_URL)
        migrate(url)
        yield url
        if created:
            if not db.is_closed():
                db.close()
            _admin(PG_URL, f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')
        return
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate(f"sqlite:///{path}")
    database = make_database(f"sqlite:///{path}")
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    yield path


def fresh_database(template, tmp_path):
    """This test's database URL: a copy of the SQLite template, or the PostgreSQL one emptied."""
    if ON_POSTGRES:
        from models import ALL_MODELS
        database = make_database(template)
        tables = ", ".join(f'"{m._meta.table_name}"' for m in ALL_MODELS)
        database.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        database.close()
        return template
    path = tmp_path / "test.sqlite3"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


def forget_caches():
    """Each test database starts versions at 0 again: never reuse another test's cached slots."""
    from blueprints.booking import pagecache
    from scheduling import service, stamps
    service._CACHE.clear()
    stamps.forget()
    pagecache.clear()
