"""Sign in and out, two-step sign-in, password reset by email, and the first-run page."""
from blueprints.auth import twofactor_views  # noqa: F401 - adds /login/code and /account/two-factor to bp
from blueprints.auth.views import bp


def init_app(app):
    app.register_blueprint(bp)
