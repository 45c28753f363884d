"""Coaching sessions: session types, booking at /me/book, the coach scheduling for a client."""


def init_app(app):
    # Imported here, not at the top: models of other features import this package's models.
    from blueprints.sessions.views import init_app as register
    register(app)
