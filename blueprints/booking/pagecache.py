"""A whole-page cache for a coach's public booking picker, served in front of Flask.

/book is the page strangers hit most. For anonymous visitors its HTML depends only on the path
and query string, the htmx headers, the viewer's 12-/24-hour clock and guessed zone (web.clock,
from Accept-Language and the `clock` cookie), the time (to the minute: minimum notice) and the coach's
stamp (`scheduling.stamps`: their profile row's `availability_version` and `updated_at`, which rise
in the same transaction as every booking, cancellation, rule, busy-time or profile change).

A page is kept with the stamp read *before* its data, and served only while that coach's stamp
is still the same (one entry per path: each coach's pages stand alone). A visitor without
cookies gets it from `SharedPages`, a WSGI layer in front of Flask: the stored status, headers
and bytes, a fresh request id, and the same log line as any request — none of Flask's
per-request work, which is most of what a cached page would otherwise cost. A visitor with
cookies goes through Flask: the view serves the cached body if they are not signed in and
have nothing flashed.
"""
import time

from flask import request, session
from flask_login import current_user

from lru import LRU
from scheduling import stamps
from web.clock import environ_preferences, preferences

_PAGES = LRU(256)
ENVIRON_KEY = "letstalk.shared_page"

# Every request header the page's answer depends on (web.render: a boosted request or a history
# restore gets the whole page although it is an htmx request; the target picks the block).
ANSWER_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request", "HX-Target")
_ENVIRON_NAMES = tuple("HTTP_" + name.upper().replace("-", "_") for name in ANSWER_HEADERS)
# Sent fresh with every answer, never replayed from the cache.
_PER_REQUEST = {"x-request-id", "set-cookie"}


class Page:
    __slots__ = ("stamp", "minute", "status", "body", "endpoint", "wire")

    def __init__(self, stamp, minute, status, body, endpoint):
        self.stamp, self.minute, self.status, self.body, self.endpoint = stamp, minute, status, body, endpoint
        self.wire = None  # (status line, headers, bytes) exactly as Flask sent them, from SharedPages


def _minute():
    return int(time.time() // 60)


def _key(environ, viewer=None):
    """`viewer`: this request's web.clock preferences, when Flask has them already."""
    return (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
            tuple(environ.get(name) for name in _ENVIRON_NAMES), viewer or environ_preferences(environ))


def _current(page, minute):
    """The page, if its minute is this minute and its coach's stamp has not moved since."""
    if page is None or page.minute != minute:
        return None
    return page if stamps.of(page.stamp[0]) == page.stamp else None


def cacheable():
    """Only pages that are the same for every anonymous visitor (no flash, no account)."""
    if not request.cookies:
        return True  # no session and no remember-me cookie: a stranger with nothing flashed
    return not current_user.is_authenticated and "_flashes" not in session


def get(stamp):
    """The cached body and status of this request's page under `stamp`, or None."""
    page = _PAGES.get(_key(request.environ, preferences()))
    if page is None or page.stamp != stamp or page.minute != _minute():
        return None
    return page.body, page.status


def put(stamp, body, status):
    """Keep this request's page under `stamp` (read before the page's data)."""
    page = Page(stamp, _minute(), status, body.encode("utf-8") if isinstance(body, str) else body,
                request.endpoint)
    _PAGES.put(_key(request.environ, preferences()), page)
    request.environ[ENVIRON_KEY] = page  # SharedPages adds the final headers on the way out


def clear():
    _PAGES.clear()


class SharedPages:
    """WSGI layer: answer cookie-less GETs from the cache; keep what Flask sent for new pages."""

    def __init__(self, wsgi_app, log_request=None):
        self.wsgi_app, self.log_request = wsgi_app, log_request

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_COOKIE"):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        page = _PAGES.get(_key(environ))
        if page is not None and page.wire is not None and _current(page, _minute()):
            return self._replay(page, environ, start_response, started)
        sent = {}

        def noting(status, headers, exc_info=None):
            sent.update(status=status, headers=headers, failed=exc_info is not None)
            return start_response(status, headers, exc_info)

        answer = self.wsgi_app(environ, noting)
        page = environ.get(ENVIRON_KEY)
        if page is None or sent.get("failed") or not sent.get("status", "").startswith("200") or any(
                name.lower() == "set-cookie" for name, _ in sent["headers"]):
            return answer
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        if body == page.body:
            body = page.body  # one copy of the bytes for both ways in
        page.wire = (sent["status"], [(n, v) for n, v in sent["headers"] if n.lower() not in _PER_REQUEST], body)
        return [body]

    def _replay(self, page, environ, start_response, started):
        status, headers, body = page.wire
        if self.log_request:  # the same line and X-Request-ID as a request Flask answers
            headers = [*headers, ("X-Request-ID", self.log_request(environ, page.endpoint, int(status[:3]), started))]
        start_response(status, headers)
        return [body]
