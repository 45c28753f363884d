"""Sign in and out, password reset by email, and the first-run page."""
from blueprints.auth.views import bp


def init_app(app):
    from blueprints.auth.notices import send_account_notices, tidy_accounts
    app.register_blueprint(bp)
    tasks = app.extensions.setdefault("worker_tasks", [])
    # First in each worker pass: a reset link queued now goes out with this pass's email.
    tasks.insert(0, ("account email", send_account_notices))
    tasks.append(("account tidy-up", tidy_accounts))
