"""Booking a discovery call: the visitor's picker and form, the private manage link, the
coach's bookings list, and the reminder worker task."""


def init_app(app):
    # Imported here, not at module level: `models.py` imports this package for its models
    # only, and must not pull in views, forms and mail with them.
    from blueprints.booking import coach_views  # noqa: F401 - registers the coach's routes on bp
    from blueprints.booking.logic import send_due_reminders
    from blueprints.booking.offer import zone_choices
    from blueprints.booking.picker import iso_utc
    from blueprints.booking.retention import forget_old_prospects
    from blueprints.booking.views import bp

    app.register_blueprint(bp)
    app.add_template_filter(iso_utc, "iso_utc")
    app.add_template_global(zone_choices, "zone_choices")
    app.extensions.setdefault("worker_tasks", []).append(("reminders", send_due_reminders))
    app.extensions["worker_tasks"].append(("prospect retention", forget_old_prospects))
