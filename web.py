"""What every feature's views share: page-or-fragment rendering, roles, htmx toasts, errors."""
from functools import lru_cache, wraps
from zoneinfo import ZoneInfo, available_timezones

import markdown as markdown_lib
import nh3
from flask import abort, current_app, get_flashed_messages, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from markupsafe import Markup


def render(template, block="content", status=200, **context):
    """Render the whole page, or only `block` when htmx asks (the markup exists once)."""
    # History restores also send HX-Request but need the whole page.
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        return render_block(template, block, **context), status
    return render_template(template, **context), status


def or_404(row):
    """The row, or the 404 page: a missing row is never a 500."""
    if row is None:
        abort(404)
    return row


def owned(model, row_id):
    """A row of `model` that belongs to the signed-in coach; another coach's row is as missing
    as a deleted one (its existence is not theirs to know)."""
    return or_404(model.get_or_none((model.id == row_id) & (model.coach == current_user.id)))


def hx_redirect(endpoint_or_url, **values):
    """POST/Redirect/GET; under htmx a full-page HX-Redirect, so the next page arrives whole."""
    url = endpoint_or_url if endpoint_or_url.startswith("/") else url_for(endpoint_or_url, **values)
    if request.htmx:
        return "", 204, {"HX-Redirect": url}
    return redirect(url, code=303)


def role_required(role):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role != role:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


coach_required = role_required("coach")
client_required = role_required("client")


class _NoRawHtml(markdown_lib.Extension):
    """Raw HTML in the source is shown as text, never passed through."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def markdown_to_html(text):
    """Markdown anyone wrote (coach's page, journal entries, comments) → safe HTML.

    Two layers: raw HTML is escaped as text, and nh3 strips anything a browser could run
    (only http, https and mailto links survive)."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists", _NoRawHtml()])
    return Markup(nh3.clean(html, link_rel="noopener noreferrer nofollow",
                            url_schemes={"http", "https", "mailto"}))


@lru_cache(maxsize=1)
def time_zones():
    """The IANA Area/City zones people choose from (no Etc/ or SystemV/ oddities)."""
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


@lru_cache(maxsize=1)
def time_zone_choices():
    """(value, label) pairs for a time-zone <select> (WTForms accepts the callable)."""
    return [(z, z.replace("_", " ")) for z in time_zones()]


def local_time(value, zone_name, fmt="%a %-d %b %Y, %H:%M"):
    """An aware datetime shown in `zone_name` (the viewer's zone)."""
    if value is None:
        return ""
    try:
        return value.astimezone(ZoneInfo(zone_name)).strftime(fmt)
    except OverflowError:  # a stored date at the very end of the calendar: show it as UTC
        return value.strftime(fmt) + " UTC"


def _wants_json():
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _error(status, title, message, **extra):
    if _wants_json():
        return jsonify(error=title, message=message), status
    context = dict(status=status, title=title, message=message, **extra)
    if request.htmx:
        # Error fragments land in the toast region whatever the triggering element targeted.
        body = render_template("errors/_toast.html", **context)
        return body, status, {"HX-Retarget": "#toasts", "HX-Reswap": "beforeend"}
    return render_template("errors/error.html", **context), status


def _long_text_fields():
    """What the user typed into long fields, so an error page can hand it back."""
    if request.method != "POST":
        return []
    return [(k, v) for k, v in request.form.items() if k != "csrf_token" and len(v) > 40]


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return _error(400, "This form has expired",
                      "For your security the form could not be sent. Reload the page and try again.",
                      kept=_long_text_fields())

    @app.errorhandler(400)
    def bad_request(exc):
        return _error(400, "Bad request", getattr(exc, "description", "") or "That request was not understood.",
                      kept=_long_text_fields())

    @app.errorhandler(403)
    def forbidden(exc):
        return _error(403, "Not allowed", "You don't have access to this page.")

    @app.errorhandler(404)
    def not_found(exc):
        return _error(404, "Page not found", "We couldn't find that page. It may have moved or expired.")

    @app.errorhandler(405)
    def method_not_allowed(exc):
        return _error(405, "Not allowed", "That action isn't available here.")

    @app.errorhandler(413)
    def too_large(exc):
        limit = request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"]
        return _error(413, "That was too much to send",
                      f"This form takes up to {round(limit / 1_000_000, 1):g} MB. Please send less and try again.")

    @app.errorhandler(429)
    def too_many(exc):
        return _error(429, "Please slow down", "Too many attempts in a short time. Wait a minute and try again.",
                      kept=_long_text_fields())

    @app.errorhandler(500)
    def server_error(exc):
        return _error(500, "Something went wrong", "Sorry — that didn't work. Nothing you sent was lost; please try again.",
                      kept=_long_text_fields())


def static_url_helper(app):
    """url_for('static') plus a content hash, so static files can be cached for a year."""
    import hashlib
    from pathlib import Path

    versions = {}

    def static_url(filename):
        if filename not in versions or app.debug:
            path = Path(app.static_folder) / filename
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10] if path.exists() else "0"
            versions[filename] = digest
        return url_for("static", filename=filename, v=versions[filename])

    return static_url


def init_app(app):
    register_error_handlers(app)
    app.jinja_env.filters["markdown"] = markdown_to_html
    app.jinja_env.filters["local"] = local_time
    app.jinja_env.globals["static_url"] = static_url_helper(app)
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 365 * 24 * 3600

    @app.after_request
    def htmx_headers_and_toasts(response):
        # Pages answer differently to htmx; caches must keep the two apart.
        response.vary.add("HX-Request")
        if (request.htmx and response.mimetype == "text/html" and response.status_code != 204
                and "HX-Redirect" not in response.headers and not response.direct_passthrough):
            messages = get_flashed_messages(with_categories=True)
            if messages:
                toasts = render_template("_toasts.html", messages=messages, oob=True)
                response.set_data(response.get_data(as_text=True) + toasts)
        return response
