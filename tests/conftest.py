"""Shared fixtures: a fresh database per test (SQLite or PostgreSQL), app, client, users, SMTP.

TEST_DATABASE_URL=postgresql://… runs the whole suite on PostgreSQL; unset, each test gets its
own SQLite file copied from one migrated template.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from config import Config  # noqa: E402
from database import db, make_database  # noqa: E402

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = PG_URL.startswith("postgres")
PASSWORD = "correct horse battery"
HX = {"HX-Request": "true"}


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
    from urllib.parse import urlsplit, urlunsplit
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{os.getpid()}"
    try:
        _admin(url, f'DROP DATABASE IF EXISTS "{name}"')
        _admin(url, f'CREATE DATABASE "{name}"')
    except Exception:  # noqa: BLE001 - no CREATEDB privilege: use the database itself
        _admin(url, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
        return url, None
    return urlunsplit(parts._replace(path=f"/{name}")), name


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """Migrate once per session; tests start from a copy (SQLite) or a truncated schema (PostgreSQL)."""
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


@pytest.fixture
def database_url(template_db, tmp_path):
    if ON_POSTGRES:
        from models import ALL_MODELS
        database = make_database(template_db)
        tables = ", ".join(f'"{m._meta.table_name}"' for m in ALL_MODELS)
        database.execute_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        database.close()
        return template_db
    path = tmp_path / "test.sqlite3"
    shutil.copy(template_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(database_url, tmp_path):
    class Cfg(TestConfig):
        DATABASE_URL = database_url

    application = create_app(Cfg)
    application.instance_path = str(tmp_path / "instance")
    yield application
    if not db.is_closed():
        db.close()


@pytest.fixture(autouse=True)
def fresh_slot_cache():
    """Each test database starts versions at 0 again: never reuse another test's cached slots."""
    from blueprints.availability import service
    from blueprints.booking import pagecache
    service._CACHE.clear()
    pagecache.clear()
    yield
    service._CACHE.clear()
    pagecache.clear()


@pytest.fixture
def make_app(database_url):
    """Build another app on the same database with extra settings (e.g. CSRF on)."""
    def build(**overrides):
        class Cfg(TestConfig):
            DATABASE_URL = database_url
        for key, value in overrides.items():
            setattr(Cfg, key, value)
        return create_app(Cfg)
    return build


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, email="coach@example.com", password=PASSWORD):
        response = self.client.post("/login", data={"email": email, "password": password})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return response

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def users(app):
    """coach (with clients A and B), and a second coach with a client of their own."""
    from blueprints.auth.accounts import create_client, create_coach
    with app.app_context():
        coach = create_coach("coach@example.com", "Jo Whitfield", PASSWORD, "Europe/London")
        other = create_coach("other@example.com", "Pat Other", PASSWORD, "America/New_York")
        return {
            "coach": coach,
            "client_a": create_client(coach, "alex@example.com", "Alex Morgan", PASSWORD),
            "client_b": create_client(coach, "sam@example.com", "Sam Rivera", PASSWORD),
            "other_coach": other,
            "other_client": create_client(other, "olly@example.com", "Olly Other", PASSWORD),
        }


# --- a real SMTP server on loopback -------------------------------------------------------

class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def wait_for(self, count=1, timeout=5.0):
        deadline = time.time() + timeout
        while len(self.messages) < count and time.time() < deadline:
            time.sleep(0.02)
        return self.messages


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def mail_app(app, smtp_server):
    """The app configured to deliver through the test SMTP server."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5)
    return app


def deliver_mail(app):
    """Run the worker's email tasks once, as `flask worker --once` would: queued account
    email (reset links) first, then the outbox. Returns how many messages were sent."""
    from blueprints.auth.notices import send_account_notices
    from mail import send_due_email
    with app.app_context():
        send_account_notices(app)
        return send_due_email(app)


# --- the real server, for browser and concurrency tests ------------------------------------

@pytest.fixture
def live_server(database_url, tmp_path):
    """gunicorn with two worker processes on this test's database."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="live-test-secret",
               SITE_URL=f"http://127.0.0.1:{port}", RATELIMIT_ENABLED="0", WTF_CSRF_SSL_STRICT="0")
    log = open(tmp_path / "gunicorn.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "app:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, proc, tmp_path / "gunicorn.log")
    yield url
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def _wait_until_up(url, proc, log_path, timeout=20):
    import urllib.request
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + Path(log_path).read_text())
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start:\n" + Path(log_path).read_text())


# --- a real browser: Debian's chromium driven by Playwright -------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page_factory(browser):
    """New isolated browser pages; pass timezone_id to act as a visitor elsewhere in the world."""
    contexts = []

    def new_page(**context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10000)
        return page

    yield new_page
    for context in contexts:
        context.close()
