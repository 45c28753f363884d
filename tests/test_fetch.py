"""fetch_calendar against a real HTTP server on 127.0.0.1, and refusals that never connect.

Nothing here sends traffic anywhere but loopback: tests about other addresses replace the
resolver and/or the connection function and check the refusal comes first.
"""
import gzip
import http.server
import socket
import threading
import time
from pathlib import Path

import pytest

from blueprints.calendar import fetch
from blueprints.calendar.fetch import FetchError, FetchResult, fetch_calendar

CALENDAR = (Path(__file__).parent / "fixtures" / "ics" / "google.ics").read_bytes()
ETAG = '"v1-google"'
LAST_MODIFIED = "Fri, 20 Mar 2026 09:30:12 GMT"
PUBLIC_IP = "8.8.8.8"  # only ever returned by a fake resolver; never contacted


class CalendarServer(http.server.BaseHTTPRequestHandler):
    """One path per situation a calendar host can put us in."""

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.seen.append((self.path, dict(self.headers)))
        name = self.path.strip("/").replace("-", "_").replace(".", "_")
        route = getattr(self, "route_" + name, None)
        if route is None:
            self.answer(404, b"not here")
        else:
            route()

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if not any(name == "Content-Length" for name, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_calendar_ics(self):
        if self.headers.get("If-None-Match") == ETAG:
            self.answer(304, headers=[("ETag", ETAG)])
        else:
            self.answer(200, CALENDAR, [("ETag", ETAG), ("Last-Modified", LAST_MODIFIED),
                                        ("Content-Type", "text/calendar; charset=utf-8")])

    def route_gzip(self):
        self.answer(200, gzip.compress(CALENDAR), [("Content-Encoding", "gzip")])

    def route_gzip_truncated(self):
        self.answer(200, gzip.compress(CALENDAR)[:-200], [("Content-Encoding", "gzip")])

    def route_gzip_bomb(self):
        self.answer(200, gzip.compress(b"\0" * 3_000_000), [("Content-Encoding", "gzip")])

    def route_huge_declared(self):
        self.answer(200, b"x" * 2_000_001)

    def route_huge_undeclared(self):
        # HTTP/1.0 without Content-Length: the body simply runs until the connection closes.
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"x" * 2_000_001)

    def route_slow(self):
        time.sleep(2)
        self.answer(200, CALENDAR)

    def route_moved(self):
        self.answer(302, headers=[("Location", "/calendar.ics")])

    def route_loop(self):
        self.answer(302, headers=[("Location", "/loop")])

    def route_to_private(self):
        self.answer(302, headers=[("Location", "http://10.0.0.1/calendar.ics")])

    def route_to_file(self):
        self.answer(302, headers=[("Location", "file:///etc/passwd")])

    def log_message(self, *args):
        pass  # keep test output clean


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the client hanging up on /slow or /huge is expected


@pytest.fixture(scope="module")
def server():
    httpd = QuietServer(("127.0.0.1", 0), CalendarServer)
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(server):
    server.seen.clear()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def no_connections(monkeypatch):
    """Any attempt to connect fails the test: refusals must happen before connecting."""
    def refuse(*args, **kwargs):
        pytest.fail("a connection was attempted")
    monkeypatch.setattr(fetch, "_open", refuse)


def fake_resolver(monkeypatch, *addresses):
    """Resolve every host to these addresses, recording which hosts were asked for."""
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        family = socket.AF_INET6 if ":" in addresses[0] else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]
    monkeypatch.setattr(fetch.socket, "getaddrinfo", getaddrinfo)
    return asked


class Captured(Exception):
    pass


def capture_request(monkeypatch):
    """Replace the connection with one that records what would be sent, then stops."""
    captured = {}

    def open_(request, addresses, timeout):
        captured.update(url=request.full_url, addresses=addresses, headers=dict(request.header_items()))
        raise Captured()
    monkeypatch.setattr(fetch, "_open", open_)
    return captured


# --- Talking to a real server -----------------------------------------------------------------


def test_a_calendar_is_downloaded_with_its_validators(base, server):
    result = fetch_calendar(f"{base}/calendar.ics", allow_private=True)

    assert result == FetchResult(status=200, body=CALENDAR, etag=ETAG, last_modified=LAST_MODIFIED)
    _, headers = server.seen[-1]
    assert headers["Accept-Encoding"] == "gzip"
    assert "If-None-Match" not in headers


def test_an_unchanged_calendar_answers_304_without_a_body(base, server):
    result = fetch_calendar(f"{base}/calendar.ics", etag=ETAG, last_modified=LAST_MODIFIED,
                            allow_private=True)

    assert result == FetchResult(status=304, body=None, etag=ETAG, last_modified=LAST_MODIFIED)
    _, headers = server.seen[-1]
    assert headers["If-None-Match"] == ETAG
    assert headers["If-Modified-Since"] == LAST_MODIFIED


def test_a_missing_calendar_is_reported_with_the_status(base):
    with pytest.raises(FetchError, match="^The server answered 404 Not Found$"):
        fetch_calendar(f"{base}/nothing-here.ics", allow_private=True)


@pytest.mark.parametrize("path", ["/huge-declared", "/huge-undeclared", "/gzip-bomb"])
def test_a_body_over_the_limit_is_refused(base, path):
    with pytest.raises(FetchError, match="^The calendar is larger than 2 MB$"):
        fetch_calendar(base + path, allow_private=True)


def test_the_size_limit_can_be_lowered(base):
    with pytest.raises(FetchError, match="larger than"):
        fetch_calendar(f"{base}/calendar.ics", max_bytes=len(CALENDAR) - 1, allow_private=True)
    assert fetch_calendar(f"{base}/calendar.ics", max_bytes=len(CALENDAR), allow_private=True).body == CALENDAR


def test_a_slow_server_times_out(base):
    # /slow answers after 2 s: without the deadline the fetch would succeed, and this would fail.
    with pytest.raises(FetchError, match="^The address did not answer within 0.5 seconds$"):
        fetch_calendar(f"{base}/slow", timeout=0.5, allow_private=True)


def test_a_redirect_is_followed(base, server):
    result = fetch_calendar(f"{base}/moved", allow_private=True)

    assert result.body == CALENDAR
    assert [path for path, _ in server.seen] == ["/moved", "/calendar.ics"]


def test_redirects_stop_after_five(base, server):
    with pytest.raises(FetchError, match="redirected more than 5 times"):
        fetch_calendar(f"{base}/loop", allow_private=True)
    assert len(server.seen) == 6  # the first request and five redirects


def test_a_gzip_answer_is_unpacked(base):
    assert fetch_calendar(f"{base}/gzip", allow_private=True).body == CALENDAR


def test_a_cut_off_gzip_answer_is_reported(base):
    with pytest.raises(FetchError, match="^The server sent an incomplete or damaged answer$"):
        fetch_calendar(f"{base}/gzip-truncated", allow_private=True)


def test_a_closed_port_is_reported(monkeypatch):
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="^The address refused the connection$"):
        fetch_calendar(f"http://127.0.0.1:{port}/calendar.ics", allow_private=True)


def test_the_connection_goes_to_the_vetted_address_not_a_new_lookup(base, server, monkeypatch):
    # "calendar.test" does not exist in DNS: the request can only work if we connect to the
    # address our own lookup returned, which is what defeats DNS rebinding.
    asked = fake_resolver(monkeypatch, "127.0.0.1")
    port = server.server_address[1]

    result = fetch_calendar(f"http://calendar.test:{port}/calendar.ics", allow_private=True)

    assert result.body == CALENDAR
    assert asked.count("calendar.test") == 1  # later "lookups" are of the vetted IP literal
    assert set(asked) == {"calendar.test", "127.0.0.1"}
    assert server.seen[-1][1]["Host"] == f"calendar.test:{port}"


# --- Refusals that happen before any connection ---------------------------------------------


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/calendar.ics",
    "http://localhost:8080/calendar.ics",
    "https://10.0.0.1/calendar.ics",
    "http://192.168.1.20/calendar.ics",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata service
    "http://100.64.0.1/calendar.ics",  # carrier-grade NAT
    "http://0.0.0.0/calendar.ics",
    "http://127.1/calendar.ics",  # short and decimal spellings of 127.0.0.1
    "http://2130706433/calendar.ics",
    "http://224.0.0.1/calendar.ics",
    "http://[::1]/calendar.ics",
    "http://[::ffff:127.0.0.1]/calendar.ics",
    "http://[fe80::1]/calendar.ics",
    "webcal://127.0.0.1/calendar.ics",
])
def test_private_addresses_are_refused_without_connecting(url, no_connections):
    with pytest.raises(FetchError, match="^That address points inside a private network$"):
        fetch_calendar(url)


def test_a_name_resolving_to_any_private_address_is_refused(monkeypatch, no_connections):
    fake_resolver(monkeypatch, PUBLIC_IP, "10.1.2.3")
    with pytest.raises(FetchError, match="private network"):
        fetch_calendar("https://calendar.example.com/feed.ics")


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "ftp://example.com/calendar.ics",
    "gopher://example.com/",
    "javascript:alert(1)",
    "calendar.example.com/feed.ics",
])
def test_other_schemes_are_refused_without_looking_anything_up(url, monkeypatch, no_connections):
    monkeypatch.setattr(fetch.socket, "getaddrinfo", lambda *a, **k: pytest.fail("looked up"))
    with pytest.raises(FetchError, match="^Only http and https addresses can be used$"):
        fetch_calendar(url)


@pytest.mark.parametrize("url, message", [
    ("http://", "not a valid web address"),
    ("http://example.com:99999/feed.ics", "not a valid web address"),
    ("http://example..com/feed.ics", "not a valid web address"),
    ("https://user:secret@calendar.example.com/feed.ics", "user name or password"),
])
def test_malformed_addresses_are_refused(url, message, no_connections):
    with pytest.raises(FetchError, match=message):
        fetch_calendar(url)


def test_each_redirect_is_checked_again(base, monkeypatch):
    # Pretend the loopback test server is a public host so the first hop is allowed.
    monkeypatch.setattr(fetch, "_is_public", lambda address: address == "127.0.0.1")
    opened = []
    real_open = fetch._open

    def counting_open(request, addresses, timeout):
        opened.append(addresses)
        return real_open(request, addresses, timeout)
    monkeypatch.setattr(fetch, "_open", counting_open)

    with pytest.raises(FetchError, match="private network"):
        fetch_calendar(f"{base}/to-private")
    with pytest.raises(FetchError, match="Only http and https"):
        fetch_calendar(f"{base}/to-file")
    assert opened == [["127.0.0.1"], ["127.0.0.1"]]  # never 10.0.0.1


def test_webcal_is_fetched_over_https(monkeypatch):
    fake_resolver(monkeypatch, PUBLIC_IP)
    captured = capture_request(monkeypatch)

    with pytest.raises(Captured):
        fetch_calendar("webcal://calendar.example.com/feed.ics?token=abc", etag='"e"')

    assert captured["url"] == "https://calendar.example.com/feed.ics?token=abc"
    assert captured["addresses"] == [PUBLIC_IP]
    assert captured["headers"]["If-none-match"] == '"e"'


def test_international_host_names_are_looked_up_in_ascii(monkeypatch):
    asked = fake_resolver(monkeypatch, PUBLIC_IP)
    captured = capture_request(monkeypatch)

    with pytest.raises(Captured):
        fetch_calendar("https://bücher.example/kalender.ics")

    assert asked == ["xn--bcher-kva.example"]
    assert captured["url"] == "https://xn--bcher-kva.example/kalender.ics"
