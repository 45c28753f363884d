"""A calendar address that answers one byte at a time: the fetch gives up at its deadline, the
source backs off and says so on /coach/calendar, "Refresh now" is limited, and the worker's
email never waits on it."""
import socket
import threading
import time
from datetime import timedelta

import pytest

from support.accounts import PASSWORD
from support.booking import open_all_week
from support.calendar import ics, now
from support.mail import deliver_mail
from support.pages import HX

CALENDAR = ics()


class DripServer:
    """A TCP server that answers every connection with a complete, valid HTTP response, sent
    one byte at a time (the headers and body, or only the body) over `seconds` seconds: no
    single read ever waits long, yet the whole answer takes far longer than the fetch may."""

    def __init__(self, drip="headers", seconds=4.0):
        body = CALENDAR
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        self.fast, self.slow = (b"", head + body) if drip == "headers" else (head, body)
        self.interval = seconds / len(self.slow)
        self.outcomes = []  # per connection: "sent it all" or "client hung up"
        self.done = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path="/slow.ics"):
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}{path}"

    def _serve(self):
        self.listener.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn):
        outcome = "sent it all"
        try:
            conn.recv(65536)
            conn.sendall(self.fast)
            for byte in self.slow:
                if self.stopped.is_set():
                    break
                conn.sendall(bytes([byte]))
                time.sleep(self.interval)
        except OSError:
            outcome = "client hung up"  # the fetch gave up: that is the point
        finally:
            conn.close()
            self.outcomes.append(outcome)
            self.done.set()

    def close(self):
        self.stopped.set()
        self.listener.close()


@pytest.fixture
def drip():
    servers = []

    def make(**kwargs):
        servers.append(DripServer(**kwargs))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_calendar_sent_byte_by_byte_is_given_up_at_the_deadline(drip, part):
    from blueprints.calendar.fetch import FetchError, fetch_calendar
    server = drip(drip=part, seconds=6)
    with pytest.raises(FetchError, match="did not answer within 1 seconds"):
        fetch_calendar(server.url(), timeout=1.0, allow_private=True)
    # The fetch hung up at its deadline instead of reading to the end (and only then
    # noticing the time): a worker is held for the deadline, not for as long as the server likes.
    assert server.done.wait(10)
    assert server.outcomes == ["client hung up"]


@pytest.fixture
def coach(app, client, users):
    open_all_week(users["coach"])
    app.config.update(CALENDAR_ALLOW_PRIVATE_URLS=True, CALENDAR_FETCH_TIMEOUT=0.5)
    assert client.post("/login", data={"email": "coach@example.com", "password": PASSWORD}).status_code == 303
    return users["coach"]


def hanging_source(coach, server):
    from scheduling.models import BusySource
    return BusySource.create(coach=coach, name="Work", kind=BusySource.URL, url=server.url(),
                             next_refresh_at=now() - timedelta(seconds=1))


def test_a_failing_source_backs_off_and_tells_the_coach_since_when(app, client, coach, drip):
    from blueprints.calendar import service as sources
    from scheduling.models import BusySource
    source = hanging_source(coach, drip())
    waits = []
    for _ in range(3):
        before = now()
        with app.app_context():
            sources.refresh_source(BusySource.get_by_id(source.id), app.config, now=before)
        stored = BusySource.get_by_id(source.id)
        waits.append(stored.next_refresh_at - before)
    assert waits == [timedelta(minutes=15), timedelta(minutes=30), timedelta(minutes=60)]
    assert stored.failure_count == 3 and stored.failing_since is not None
    for headers in ({}, HX):
        page = client.get("/coach/calendar", headers=headers).get_data(as_text=True)
        assert "did not answer within 0.5 seconds" in page
        assert "Failing since" in page and "3 tries in a row" in page and "Next automatic try" in page


def test_a_good_read_ends_the_failure_streak(app, client, coach, calendar_server):
    from blueprints.calendar import service as sources
    from scheduling.models import BusySource
    app.config["CALENDAR_FETCH_TIMEOUT"] = 10
    calendar_server.files["/work.ics"] = ics()
    source = BusySource.create(coach=coach, name="Work", kind=BusySource.URL, url=calendar_server.url("/work.ics"),
                               failure_count=4, failing_since=now() - timedelta(days=1), last_error="down")
    with app.app_context():
        sources.refresh_source(source, app.config)
    stored = BusySource.get_by_id(source.id)
    assert (stored.failure_count, stored.failing_since, stored.last_error) == (0, None, "")
    assert stored.next_refresh_at - now() > timedelta(minutes=14)


def test_refresh_now_is_rate_limited_per_coach(app, client, coach, calendar_server):
    from scheduling.models import BusySource
    # The usual deadline: on a busy machine half a second can pass before a request is even sent.
    app.config.update(CALENDAR_REFRESH_RATE_LIMIT="2 per minute", CALENDAR_FETCH_TIMEOUT=10)
    calendar_server.files["/work.ics"] = ics()
    source = BusySource.create(coach=coach, name="Work", kind=BusySource.URL, url=calendar_server.url("/work.ics"))
    statuses = [client.post(f"/coach/calendar/sources/{source.id}/refresh", headers=HX).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert len(calendar_server.requests) == 2  # the refused one never reached the calendar


def test_the_worker_sends_mail_while_a_source_hangs_and_a_message_is_unbuildable(mail_app, smtp_server, coach,
                                                                                 drip):
    from scheduling.models import BusySource
    from commands import run_worker_pass
    from mail import FAILED, SENT, OutboxMessage
    source = hanging_source(coach, drip(seconds=60))
    broken = OutboxMessage.create(to_addr="x@example.com\nBcc: y@example.net", subject="Hi", text_body="x")
    good = OutboxMessage.create(to_addr="alex@example.com", subject="Your call", text_body="See you")
    with mail_app.app_context():
        results = run_worker_pass(mail_app)
    assert results["email"] == 1 and results["calendars"] == 1
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "Your call"
    assert OutboxMessage.get_by_id(good.id).status == SENT
    assert OutboxMessage.get_by_id(broken.id).status == FAILED
    stored = BusySource.get_by_id(source.id)
    assert "did not answer within 0.5 seconds" in stored.last_error and stored.failure_count == 1
    # The next pass is not held up either: the source is not due again for a while.
    with mail_app.app_context():
        assert run_worker_pass(mail_app)["calendars"] == 0
