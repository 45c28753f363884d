"""Request logs: one JSON line per request, with an id the visitor also sees, and no private words."""
import json
import logging
import re
import urllib.parse
import urllib.request

import pytest

from support.accounts import PASSWORD
from support.booking import booking_form, free_slots, open_all_week
from support.pages import HX

MARKER = "PRIVATE-MARKER-7f3a9c"


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        from logs import JSONLineFormatter
        self.setFormatter(JSONLineFormatter())
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))

    def parsed(self):
        return [json.loads(line) for line in self.lines]


@pytest.fixture
def request_log():
    from logs import logger
    handler = Lines()
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_one_line_per_request_with_the_id_returned_as_a_header(client, users, request_log):
    response = client.get("/login?next=/coach")
    [line] = request_log.parsed()
    assert response.headers["X-Request-ID"] == line["request_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"])
    assert line["method"] == "GET" and line["path"] == "/login" and line["status"] == 200
    assert line["endpoint"] == "auth.login" and line["user_id"] is None
    assert isinstance(line["duration_ms"], float)
    assert "next" not in request_log.lines[0]  # the query string is never logged


def test_each_request_gets_its_own_id_and_a_proxys_id_is_kept(client, request_log):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second
    assert client.get("/healthz", headers={"X-Request-ID": "edge-1234abcd"}).headers["X-Request-ID"] == "edge-1234abcd"
    # Something that is not an id (spaces, quotes, a novel) is replaced, not echoed into the log.
    odd = client.get("/healthz", headers={"X-Request-ID": 'x" injected "y'}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", odd)


def test_signed_in_users_id_status_and_htmx_are_logged(client, auth, users, request_log):
    auth.login("alex@example.com")
    client.get("/me", headers=HX)
    client.get("/coach")
    me, coach_page = request_log.parsed()[-2:]
    assert me["user_id"] == users["client_a"].id and me["htmx"] is True and me["status"] == 200
    assert coach_page["status"] == 403 and coach_page["user_id"] == users["client_a"].id


def test_secret_tokens_in_paths_are_not_logged(client, users, request_log):
    client.get("/booking/secret-manage-token-abc123")
    client.get("/reset/secret-reset-token-xyz789")
    text = "\n".join(request_log.lines)
    assert "secret-manage-token" not in text and "secret-reset-token" not in text
    assert [line["path"] for line in request_log.parsed()] == ["/booking/…", "/reset/…"]


def test_form_bodies_never_reach_the_log(client, auth, users, request_log):
    coach = users["coach"]
    open_all_week(coach)
    slot = free_slots(coach)[0]
    client.post("/book", data=booking_form(coach, slot.start, name=f"Name {MARKER}", phone=MARKER,
                                           **{"email": f"{MARKER.lower()}@example.org"}))
    client.post("/login", data={"email": "alex@example.com", "password": f"wrong {MARKER}"})
    auth.login("alex@example.com")
    assert len(request_log.lines) == 3
    assert MARKER.lower() not in "\n".join(request_log.lines).lower()
    assert PASSWORD not in "\n".join(request_log.lines)


@pytest.mark.slow
def test_a_private_marker_posted_through_the_real_server_never_appears_in_its_log(live_server, users, tmp_path):
    """The whole server output (gunicorn and our lines) after a booking full of a private marker."""
    from support.booking import iso, questions
    from support.servers import form_page, http_visitor, post_booking
    coach = users["coach"]
    open_all_week(coach)
    slot = free_slots(coach)[0]
    change, heard = questions(coach)[:2]
    opener = http_visitor()
    token = form_page(opener, live_server, slot.start)
    status, _ = post_booking(opener, live_server, {
        "csrf_token": token, "start": iso(slot.start), "tz": "Europe/London", "name": f"Robin {MARKER}",
        "email": "robin@example.org", "phone": MARKER, "consent": "y", f"q{change.id}": f"My fear: {MARKER}",
        f"q{heard.id}": MARKER})
    assert status == 303
    with urllib.request.urlopen(live_server + "/healthz?" + urllib.parse.urlencode({"q": MARKER}), timeout=10):
        pass
    log = (tmp_path / "gunicorn.log").read_text()
    requests = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    posts = [r for r in requests if r["method"] == "POST"]
    assert [(r["path"], r["status"]) for r in posts] == [("/book", 303)]  # one line per request, not two
    assert ("GET", "/healthz", 200) in {(r["method"], r["path"], r["status"]) for r in requests}
    assert MARKER not in log
