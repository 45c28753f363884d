"""Fixtures; their workings, and every helper tests share, are in tests/support.

TEST_DATABASE_URL=postgresql://… runs the whole suite on PostgreSQL; unset, each test gets its
own SQLite file copied from one migrated template.
"""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from database import db  # noqa: E402
from support import app as test_app  # noqa: E402
from support import mail, servers
from support.accounts import PASSWORD, AuthActions, make_one_coach, make_users  # noqa: E402
from support.booking import open_coach  # noqa: E402,F401 - a fixture
from support.calendar import calendar_server  # noqa: E402,F401 - a fixture


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """Migrated once per session; each test starts from a copy (SQLite) or emptied tables (PostgreSQL)."""
    yield from test_app.migrated_template(tmp_path_factory)


@pytest.fixture
def database_url(template_db, tmp_path):
    return test_app.fresh_database(template_db, tmp_path)


@pytest.fixture
def app(database_url, tmp_path):
    application = create_app(test_app.config_for(database_url))
    application.instance_path = str(tmp_path / "instance")
    yield application
    if not db.is_closed():
        db.close()


@pytest.fixture(autouse=True)
def fresh_slot_cache():
    test_app.forget_caches()
    yield
    test_app.forget_caches()


@pytest.fixture
def make_app(database_url):
    """Build another app on the same database with extra settings (e.g. CSRF on)."""
    def build(**overrides):
        return create_app(test_app.config_for(database_url, **overrides))
    return build


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    """auth.login(email, password), auth.logout(): support.accounts.sign_in on this test's client."""
    return AuthActions(client)


@pytest.fixture
def users(app):
    """coach (with clients A and B), and a second coach with a client of their own."""
    with app.app_context():
        return make_users()


@pytest.fixture
def one_coach(app):
    """A practice of one coach (Jo) and nobody else: / and /book speak for Jo."""
    with app.app_context():
        return make_one_coach()


@pytest.fixture
def smtp_server():
    yield from mail.running_smtp_server()


@pytest.fixture
def mail_app(app, smtp_server):
    """The app configured to deliver through the test SMTP server."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_TIMEOUT=5)
    return app


@pytest.fixture
def live_server(database_url, tmp_path):
    """gunicorn with two worker processes on this test's database."""
    yield from servers.running_gunicorn(database_url, tmp_path)


@pytest.fixture
def demo_site(app, live_server):
    """The live site with `seed-demo`'s coach and clients (password PASSWORD)."""
    from seed import seed_demo
    with app.app_context():
        seed_demo(PASSWORD)
    return live_server


@pytest.fixture(scope="session")
def browser():
    yield from servers.launched_chromium()


@pytest.fixture
def page_factory(browser):
    """New isolated browser pages; pass timezone_id to act as a visitor elsewhere in the world."""
    yield from servers.page_maker(browser)
