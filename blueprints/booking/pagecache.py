"""A whole-page cache for the public booking picker.

/book is the page strangers hit most. For anonymous visitors its HTML depends only on the
query string, whether htmx asked for a fragment, the time (to the minute: minimum notice), the
viewer's 12-/24-hour clock and guessed zone (web.clock: from a cookie and Accept-Language) and
the coach's profile row — whose `availability_version` rises in the same transaction as every
booking, cancellation, rule or busy-time change, and whose `updated_at` moves with every edit.
That row is read fresh on every request with one small query, so a cached page never outlives
the data it shows: a taken slot is never served.
"""
from flask import request, session
from flask_login import current_user

from blueprints.auth.models import CoachProfile
from database import utcnow
from lru import LRU
from web.clock import preferences

_PAGES = LRU(256)


def cacheable():
    """Only pages that are the same for every anonymous visitor (no flash, no account)."""
    if not request.cookies:
        return True  # no session and no remember-me cookie: a stranger with nothing flashed
    return not current_user.is_authenticated and "_flashes" not in session


def page_key(fragment_name):
    stamp = CoachProfile.primary_stamp()
    if stamp is None:
        return None
    minute = utcnow().replace(second=0, microsecond=0)
    return (tuple(stamp), request.query_string, fragment_name, answer_headers(), preferences(), minute)


# Every request header the page's answer depends on (web.render: a boosted request or a history
# restore gets the whole page although it is an htmx request; the target picks the block).
ANSWER_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request", "HX-Target")


def answer_headers():
    return tuple(request.headers.get(name) for name in ANSWER_HEADERS)


def get(key):
    return _PAGES.get(key)


def put(key, body, status):
    """Store the page as bytes: encoding 40 KB of HTML on every hit is measurable."""
    _PAGES.put(key, (body.encode("utf-8") if isinstance(body, str) else body, status))


def clear():
    _PAGES.clear()
