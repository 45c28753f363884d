"""Calendar interop: the coach's and clients' subscription feeds, the coach's calendar page,
and busy times read from the coach's own calendars (refreshed by the worker)."""


def init_app(app):
    from blueprints.calendar.service import refresh_due_sources
    from blueprints.calendar.views import bp

    app.register_blueprint(bp)
    app.extensions.setdefault("worker_tasks", []).append(("calendars", refresh_due_sources))
