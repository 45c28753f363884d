"""A page costs as many queries with 30 rows as with 3: never one query per row (N+1).

Each page is read once to warm what may be warmed, then counted: every statement Peewee sends
(its `peewee` logger) while Flask answers. The rows are what the page lists: bookings of every
kind and state (sessions with a session type, discovery calls with answers), clients, a
client's sessions, shared entries, goals and private notes.
"""
import logging
from datetime import timedelta

import pytest

from support.accounts import sign_in
from support.booking import make_booking

PAGES = {
    "coach bookings, upcoming": ("coach", "/coach/bookings"),
    "coach bookings, past": ("coach", "/coach/bookings?show=past"),
    "coach bookings, cancelled": ("coach", "/coach/bookings?show=cancelled"),
    "coach clients": ("coach", "/coach/clients"),
    "a client's page": ("coach", "/coach/clients/{client_a}"),
    "coach dashboard": ("coach", "/coach"),
    "coach feed": ("anonymous", "/calendar/{feed}.ics"),
    "client home": ("client_a", "/me"),
}


class Statements(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.sql = []

    def emit(self, record):
        self.sql.append(record.getMessage())


def statements_for(client, path):
    logger, handler = logging.getLogger("peewee"), Statements()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        response = client.get(path)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert response.status_code == 200, (path, response.status_code)
    return handler.sql


class Rows:
    """Adds rows of every kind the pages list, `more(n)` at a time."""

    def __init__(self, users):
        from scheduling.models import SessionType
        self.users, self.made = users, 0
        self.session_type = SessionType.create(coach=users["coach"], name="Deep dive", minutes=60)

    def more(self, n):
        for _ in range(n):
            self.made += 1
            self._one(self.made)

    def _one(self, i):
        from blueprints.auth.service import create_client
        from blueprints.clients.models import PrivateNote
        from database import utcnow
        from support.goals import make_goal
        from support.journal import write
        coach, client = self.users["coach"], self.users["client_a"]
        now = utcnow().replace(minute=0, second=0, microsecond=0)
        soon, before = now + timedelta(days=1 + i % 20, hours=i % 7), now - timedelta(days=1 + i % 20, hours=i % 7)
        make_booking(coach, soon + timedelta(minutes=i % 2 * 30), email=f"visitor{i}@example.org")
        make_booking(coach, before, status="completed", email=f"past{i}@example.org")
        make_booking(coach, soon + timedelta(days=30), status="cancelled", email=f"gone{i}@example.org",
                     cancelled_at=now)
        session = make_booking(coach, soon + timedelta(days=60), kind="session", client=client,
                               session_type=self.session_type, email=client.email)
        make_booking(coach, before - timedelta(days=60), kind="session", client=client, status="completed",
                     session_type=self.session_type, email=client.email)
        create_client(coach, f"client{i}@example.org", f"Client {i:03d}")
        write(client, f"Shared thought {i}", shared=True)
        make_goal(client, f"Goal {i}", steps=("one step",))
        PrivateNote.create(coach=coach, client=client, body=f"Note {i}", booking=session)


@pytest.fixture
def rows(app, users):
    from blueprints.auth.models import CoachProfile
    from support.booking import open_all_week
    open_all_week(users["coach"])
    CoachProfile.update(feed_include_open_slots=True).where(CoachProfile.user == users["coach"]).execute()
    return Rows(users)


def count_queries(app, users, who, path):
    from blueprints.auth.models import CoachProfile
    feed = CoachProfile.get(CoachProfile.user == users["coach"]).feed_token
    path = path.format(client_a=users["client_a"].id, feed=feed)
    client = sign_in(app.test_client(), who)
    from database import utcnow
    for _ in range(3):
        # The slot cache holds a minute (the feed's open slots): a count that straddles the turn
        # of a minute would also count the slots being worked out afresh, so it is counted again.
        minute = utcnow().replace(second=0, microsecond=0)
        statements_for(client, path)  # warm-up: caches, lazily made rows
        counted = statements_for(client, path)
        if utcnow().replace(second=0, microsecond=0) == minute:
            break
    return counted


@pytest.mark.parametrize("page", PAGES)
def test_a_page_costs_the_same_queries_with_3_rows_as_with_30(app, users, rows, page):
    who, path = PAGES[page]
    rows.more(3)
    few = count_queries(app, users, who, path)
    rows.more(27)
    many = count_queries(app, users, who, path)
    assert len(many) == len(few), repeated(few, many)


def repeated(few, many):
    """The statements (parameters aside) sent more often with more rows: where the N+1 is."""
    from collections import Counter
    shape = lambda sql: sql.split("', [")[0][:300]  # noqa: E731
    grown = Counter(map(shape, many)) - Counter(map(shape, few))
    return f"{len(few)} statements with 3 rows, {len(many)} with 30; grown:\n" + "\n".join(
        f"{n}× {sql}" for sql, n in grown.most_common())
