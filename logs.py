"""Structured request logs: one JSON line per request, on the `letstalk.requests` logger.

What a line holds is chosen, not collected: a request id (also sent back as `X-Request-ID`, so a
person reporting a problem can quote it), method, path, endpoint, status, duration and the
signed-in user's id. Never a query string, a form field or any text a client wrote; secret
tokens in paths (booking links, feed addresses, reset links) are replaced by `…`.
"""
import json
import logging
import re
import sys
import time
import uuid

from flask import g, request

logger = logging.getLogger("letstalk.requests")
REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is reused only when it looks like one (it goes into our log and a header).
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
SECRET_ARGS = ("token", "secret", "code", "key")


def _is_secret(name):
    return any(word in name.lower() for word in SECRET_ARGS)


def loggable_path():
    """request.path with secret path segments replaced; never the query string."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if _is_secret(name) and isinstance(value, str) and value:
            path = path.replace(value, "…")
    return path


def request_id():
    return g.get("request_id", "")


def _user_id():
    # Only if this request already loaded the user: logging must not cost a query.
    user = g.get("_login_user")
    return getattr(user, "id", None) if user is not None and user.is_authenticated else None


def request_line(response):
    started = g.get("request_started")
    return {
        "request_id": request_id(),
        "method": request.method,
        "path": loggable_path(),
        "endpoint": request.endpoint,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "user_id": _user_id(),
        "htmx": bool(request.headers.get("HX-Request")),
    }


def _request_id_from(incoming):
    return incoming if SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def log_replayed(environ, endpoint, status, started):
    """The line for a page answered in front of Flask (a shared public page: no user, no secret
    in its path), with the same fields as every other request's; returns its request id."""
    request_id = _request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
    logger.info("request", extra={"fields": {
        "request_id": request_id,
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO"),
        "endpoint": endpoint,
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "user_id": None,
        "htmx": bool(environ.get("HTTP_HX_REQUEST")),
    }})
    return request_id


class JSONLineFormatter(logging.Formatter):
    converter = time.gmtime  # UTC, like everything else we store and show

    def format(self, record):
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%SZ"), "level": record.levelname.lower(),
                "event": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        return json.dumps(line, ensure_ascii=False, default=str)


def _configure_logger():
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JSONLineFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # one line, in one format, however the root logger is set up


def init_app(app):
    if not app.config.get("REQUEST_LOG", True):
        return
    _configure_logger()
    app.extensions["request_log"] = log_replayed  # for answers given in front of Flask

    @app.before_request
    def start_request():
        g.request_started = time.perf_counter()
        g.request_id = _request_id_from(request.headers.get(REQUEST_ID_HEADER, ""))

    @app.after_request
    def log_request(response):
        if "request_id" not in g:  # a failure before our before_request ran
            g.request_id = uuid.uuid4().hex
        response.headers[REQUEST_ID_HEADER] = g.request_id
        logger.info("request", extra={"fields": request_line(response)})
        return response

    # Run first, so the duration covers the other before_request hooks too.
    app.before_request_funcs.setdefault(None, []).insert(0, app.before_request_funcs[None].pop())
