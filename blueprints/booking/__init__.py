"""Booking a discovery call: the visitor's picker and form, the private manage link, the
coach's bookings and what they do with one, and the reminder and prospect-retention worker tasks."""


def init_app(app):
    from blueprints.booking.pagecache import SharedPages
    from blueprints.booking.service import forget_old_prospects, send_due_reminders
    from blueprints.booking.views import bp
    from scheduling import stamps

    app.register_blueprint(bp)
    stamps.init_app(app)
    app.wsgi_app = SharedPages(app.wsgi_app, app.extensions.get("request_log"))
    tasks = app.extensions.setdefault("worker_tasks", [])
    tasks.append(("reminders", send_due_reminders))
    tasks.append(("prospect retention", forget_old_prospects))
