"""Sign in and out, password reset by email, and the first-run page."""
from blueprints.auth.views import bp


def init_app(app):
    from blueprints.auth.notices import send_account_notices
    app.register_blueprint(bp)
    # First in each worker pass: a reset link queued now goes out with this pass's email.
    app.extensions.setdefault("worker_tasks", []).insert(0, ("account email", send_account_notices))
