"""Protections every route gets without asking: hostile input made boring, safe headers.

- Input hygiene, once for every request: a NUL in the path is a 404 (PostgreSQL cannot store
  NUL; no route has a use for one); query and form values lose invisible control characters,
  NUL included (line breaks and tabs stay, for text areas); single-line fields turn any line
  break into a space at the form, so a name can never smuggle a header into an email.
- Size: every request body is limited (`MAX_CONTENT_LENGTH`); a view that takes uploads says
  how much it accepts with `@accepts_upload(bytes)`. Refused before anything is written to disk.
- Ids: `<int:…>` in any route only matches numbers a database id can hold; larger ones are 404.
- Headers: Content-Security-Policy without inline script or eval, no framing, nosniff, a
  referrer policy, and `no-store` on every page a signed-in person sees (their private words).
- `safe_path()`: the one check for redirect targets that come from a request.
"""
import re
from urllib.parse import urlsplit

from flask import abort, current_app, request
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter
from wtforms import PasswordField, StringField, TextAreaField

# Largest id PostgreSQL's `serial`/`integer` columns hold (SQLite's are larger).
MAX_ID = 2**31 - 1
DEFAULT_MAX_CONTENT_LENGTH = 1024 * 1024  # forms; uploads declare their own limit

# C0 controls but tab, line feed and carriage return; DEL; C1 controls. Never typed, never useful.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What a single-line field may not hold: every control character and Unicode line breaks.
_LINE_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    # Progress bars set their width in a style attribute; <style> elements stay forbidden.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


# --- redirects -----------------------------------------------------------------------------

def safe_path(target, default):
    """`target` if it is a plain path on this site, else `default`.

    Browsers treat `/\\evil.example` like `//evil.example` and drop tabs and line breaks from
    URLs, so backslashes, whitespace and control characters are refused outright.
    """
    target = target or ""
    if (not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(c.isspace() or not c.isprintable() for c in target)):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


# --- forms ---------------------------------------------------------------------------------

def one_line(value):
    """Filter for single-line fields: any line break or control character becomes a space."""
    if isinstance(value, str) and _LINE_BREAKS.search(value):
        return _LINE_BREAKS.sub(" ", value).strip()
    return value


def _is_single_line(field_class):
    return issubclass(field_class, StringField) and not issubclass(field_class, (TextAreaField, PasswordField))


def install_form_filters():
    """Give every single-line field of every FlaskForm the `one_line` filter.

    Done through WTForms' documented `Meta.bind_field` hook, so forms written later (by any
    feature) are covered without remembering to opt in. Safe to call more than once.
    """
    meta = FlaskForm.Meta
    if getattr(meta.bind_field, "_one_line", False):
        return
    original = meta.bind_field

    def bind_field(self, form, unbound_field, options):
        if _is_single_line(unbound_field.field_class):
            options = dict(options, filters=[*unbound_field.kwargs.get("filters", ()), one_line])
        return original(self, form, unbound_field, options)

    bind_field._one_line = True
    meta.bind_field = bind_field


def clean_text(value):
    return _INVISIBLE.sub("", value) if _INVISIBLE.search(value) else value


def _cleaned(values):
    """`values` (a MultiDict) without invisible control characters, or None if it had none."""
    pairs = list(values.items(multi=True))
    if not any(_INVISIBLE.search(key) or _INVISIBLE.search(value) for key, value in pairs):
        return None
    return type(values)((clean_text(key), clean_text(value)) for key, value in pairs)


def _clean_input():
    """Strip invisible control characters (NUL included) from the query and the form, once,
    before any view reads them (werkzeug's cached properties: later readers get these)."""
    if "\x00" in request.path:
        abort(404)  # no route has a NUL in it
    if (args := _cleaned(request.args)) is not None:
        request.args = args
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        try:
            form = _cleaned(request.form)
        except RequestEntityTooLarge:
            return  # the view may say it better (it reads the form again, and gets a 413 too)
        _refuse_cut_off_body()
        if form is not None:
            request.form = form


def _refuse_cut_off_body():
    """A body without a length (chunked) is read up to the limit and then simply ends, so the
    form would be parsed from a cut-off body. One that reached the limit is refused instead."""
    limit = request.max_content_length
    if request.content_length is None and limit and request.stream.tell() >= limit:
        raise RequestEntityTooLarge()


# --- sizes ---------------------------------------------------------------------------------

def accepts_upload(max_bytes):
    """Mark a view that may receive a request body of up to `max_bytes` (default limit: 1 MB)."""
    def decorator(view):
        view.max_content_length = max_bytes
        return view
    return decorator


def public_asset(view):
    """Mark a view whose answer is the same for everyone (a coach's photo): it keeps its own
    caching headers even when the person asking is signed in."""
    view.public_asset = True
    return view


def _apply_size_limit(app):
    view = app.view_functions.get(request.endpoint)
    limit = getattr(view, "max_content_length", None)
    if limit:
        request.max_content_length = limit


# --- ids -----------------------------------------------------------------------------------

class IdConverter(IntegerConverter):
    """`<int:…>` that never hands a view a number no id column can hold (those are 404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


# --- headers -------------------------------------------------------------------------------

def _signed_in():
    try:
        return current_user.is_authenticated
    except Exception:  # noqa: BLE001 - no user loader context (e.g. a failed request): not signed in
        return False


def add_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        # Besides HX-Request (web.py): boosted and history-restore requests get whole pages.
        for name in ("HX-Boosted", "HX-History-Restore-Request", "HX-Target"):
            response.vary.add(name)
    view = current_app.view_functions.get(request.endpoint)
    if request.endpoint != "static" and not getattr(view, "public_asset", False) and _signed_in():
        # Pages of a signed-in person hold their private words: no cache may keep them.
        if "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Cookie")
    return response


def init_app(app):
    """Call before the blueprints are registered (the id converter) and before CSRFProtect
    (its check reads the form, which must already be size-limited and cleaned)."""
    app.url_map.converters["int"] = IdConverter
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = DEFAULT_MAX_CONTENT_LENGTH
    install_form_filters()

    @app.before_request
    def input_hygiene():
        _apply_size_limit(app)
        _clean_input()

    app.after_request(add_headers)
