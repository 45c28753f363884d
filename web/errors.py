"""Error pages: HTML, an htmx toast, or JSON for clients that ask for it; long input handed back."""
from flask import current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError


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
