"""Coaching sessions: session types, booking at /me/book, the coach scheduling for a client.
Session types and bookings themselves are in scheduling/models.py."""


def init_app(app):
    from blueprints.sessions.views import bp
    app.register_blueprint(bp)
