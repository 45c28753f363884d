"""The viewer's clock and a first guess at their zone, from what their browser says.

12- or 24-hour: the `clock` cookie once they chose (the switch on booking pages), else their
browser's first language (`Accept-Language: en-US` → 9:00 AM, `en-GB` → 09:00), else 24-hour.
Zone: without JavaScript the server cannot know it; a language naming a country whose zones all
keep one clock (de-DE, hi-IN, en-GB) is a fair guess, anything else keeps the coach's zone.
"""
from flask import g, has_request_context, request

from timezones import guess_zone, locale_of, uses_12_hour_clock

COOKIE = "clock"
CHOICES = {"12": True, "24": False}
MAX_LANGUAGES = 8  # a header listing hundreds of languages gets no more work than this


def _languages():
    g.viewer_varies = True  # the answer depends on the request's language and cookies
    return [tag for tag, _ in list(request.accept_languages)[:MAX_LANGUAGES]]


def _first_locale():
    for tag in _languages():
        locale = locale_of(tag)
        if locale is not None:
            return locale
    return None


def viewer_hour12():
    """True when this request's viewer reads a 12-hour clock."""
    if not has_request_context():
        return False  # the worker: emails carry their reader's clock in their own context
    if "viewer_hour12" not in g:
        chosen = request.cookies.get(COOKIE)
        if chosen in CHOICES:
            g.viewer_varies = True
            g.viewer_hour12 = CHOICES[chosen]
        else:
            locale = _first_locale()
            g.viewer_hour12 = bool(locale and uses_12_hour_clock(locale))
    return g.viewer_hour12


def guessed_zone():
    """A zone guessed from the viewer's languages, or None (see the module's note)."""
    if "guessed_zone" not in g:
        g.guessed_zone = None
        for tag in _languages():
            locale = locale_of(tag)
            if locale is not None and locale.territory:
                g.guessed_zone = guess_zone(locale.territory)
                break
    return g.guessed_zone


def preferences():
    """What a shared page cache must tell apart: the clock and the guessed zone."""
    return viewer_hour12(), guessed_zone()


def vary_on_viewer(response):
    """Caches keep answers for different languages and clock cookies apart."""
    if g.get("viewer_varies"):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response
