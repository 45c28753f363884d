"""The viewer's clock and a first guess at their zone, from what their browser says.

12- or 24-hour: the `clock` cookie once they chose (the switch on booking pages), else their
browser's first language (`Accept-Language: en-US` → 9:00 AM, `en-GB` → 09:00), else 24-hour.
Zone: without JavaScript the server cannot know it; a language naming a country whose zones all
keep one clock (de-DE, hi-IN, en-GB) is a fair guess, anything else keeps the coach's zone.
"""
from functools import lru_cache

from flask import g, has_request_context, request
from werkzeug.http import parse_accept_header, parse_cookie

from timezones import guess_zone, locale_of, uses_12_hour_clock

COOKIE = "clock"
CHOICES = {"12": True, "24": False}
MAX_LANGUAGES = 8  # a header listing hundreds of languages gets no more work than this


@lru_cache(maxsize=512)  # browsers send a handful of distinct headers
def preferences_for(accept_language, chosen_clock=None):
    """(reads a 12-hour clock, guessed zone or None) for an Accept-Language header and the
    `clock` cookie's value. Plain values in and out: the page cache keys on it before Flask."""
    locales = [locale for locale in (locale_of(tag) for tag, _ in
                                     list(parse_accept_header(accept_language or ""))[:MAX_LANGUAGES]) if locale]
    if chosen_clock in CHOICES:
        hour12 = CHOICES[chosen_clock]
    else:
        hour12 = bool(locales) and uses_12_hour_clock(locales[0])
    territory = next((locale.territory for locale in locales if locale.territory), None)
    return hour12, guess_zone(territory) if territory else None


def environ_preferences(environ):
    """preferences_for() of a WSGI request (the shared page cache, in front of Flask)."""
    chosen = parse_cookie(environ["HTTP_COOKIE"]).get(COOKIE) if environ.get("HTTP_COOKIE") else None
    return preferences_for(environ.get("HTTP_ACCEPT_LANGUAGE"), chosen)


def preferences():
    """This request's (12-hour clock?, guessed zone); outside a request: 24-hour, no guess."""
    if not has_request_context():
        return False, None  # the worker: emails carry their reader's clock in their own context
    if "viewer_preferences" not in g:
        g.viewer_preferences = environ_preferences(request.environ)
    return g.viewer_preferences


def viewer_hour12():
    """True when this request's viewer reads a 12-hour clock."""
    return preferences()[0]


def guessed_zone():
    """A zone guessed from the viewer's languages, or None (see the module's note)."""
    return preferences()[1]


def vary_on_viewer(response):
    """Caches keep answers for different languages and clock cookies apart."""
    if "viewer_preferences" in g:
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response
