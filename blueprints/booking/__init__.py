"""Booking a discovery call: the visitor's picker and form, the private manage link, the
coach's bookings and what they do with one, and the reminder worker task."""


def init_app(app):
    from blueprints.booking.service import send_due_reminders
    from blueprints.booking.views import bp

    app.register_blueprint(bp)
    app.extensions.setdefault("worker_tasks", []).append(("reminders", send_due_reminders))
