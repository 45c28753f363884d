"""Sign in and out, password reset by email, and the first-run page."""
from blueprints.auth.views import bp


def init_app(app):
    app.register_blueprint(bp)
