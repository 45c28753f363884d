"""Calendar interop: the coach's and clients' subscription feeds, the coach's calendar page,
and busy times read from the coach's own calendars (refreshed by the worker)."""


def init_app(app):
    # Imported here, not at module level: `models.py` imports this package for its models only.
    from blueprints.calendar.sources import refresh_due_sources, time_ago, url_host
    from blueprints.calendar.views import bp

    app.register_blueprint(bp)
    app.add_template_filter(time_ago, "ago")
    app.add_template_filter(url_host, "url_host")
    app.extensions.setdefault("worker_tasks", []).append(("calendars", refresh_due_sources))
