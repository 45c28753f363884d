"""A coach's page address, /coaches/<slug>: what a slug may be, and finding the coach behind
one (an earlier slug of theirs answers with a permanent redirect to the current one)."""
import re

from flask import abort, redirect, request, url_for

from blueprints.auth.models import CoachProfile, SlugRedirect

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MIN_LENGTH, MAX_LENGTH = 2, 60
# Words that name, or may one day name, a page of the site rather than a coach.
RESERVED = frozenset({
    "about", "account", "admin", "all", "api", "book", "booking", "calendar", "coach", "coaches", "contact",
    "edit", "goals", "healthz", "help", "index", "join", "journal", "login", "logout", "me", "new",
    "practice", "privacy", "reset", "settings", "static", "welcome", "www",
})


def slug_problem(slug):
    """Why `slug` can't be a page address (one sentence for the form), or "" if it can."""
    if not MIN_LENGTH <= len(slug) <= MAX_LENGTH:
        return f"Use {MIN_LENGTH} to {MAX_LENGTH} characters."
    if not SLUG.fullmatch(slug):
        return "Use lowercase letters a–z, digits and single hyphens between them (like jo-whitfield)."
    if slug in RESERVED:
        return f"“{slug}” is kept for the site's own pages. Choose another."
    return ""


def slug_from_name(name, taken):
    """A free, valid slug made from a coach's name: "Jo Whitfield" → "jo-whitfield" (then -2, -3…)."""
    base = "".join(c if c.isascii() and c.isalnum() else "-" for c in name.lower())
    base = "-".join(filter(None, base.split("-")))[:MAX_LENGTH - 4] or "coach"
    if len(base) < MIN_LENGTH or base in RESERVED:
        base = f"coach-{base}"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def public_profile(slug):
    """The coach at /coaches/<slug>; an earlier slug of theirs redirects (301, or 308 for a
    form's POST so it arrives intact); anything else is a 404."""
    profile = CoachProfile.by_slug(slug)
    if profile is not None:
        return profile
    current = SlugRedirect.current_slug(slug)
    if current is None:
        abort(404)
    target = url_for(request.endpoint, **{**request.view_args, "slug": current}, **request.args)
    abort(redirect(target, 301 if request.method in ("GET", "HEAD") else 308))
