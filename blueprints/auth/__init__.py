"""Accounts: sign in and out, two-step sign-in, password reset by email; users, clients, coach profiles."""


def init_app(app):
    from blueprints.auth.notices import send_account_notices, tidy_accounts
    from blueprints.auth.views import bp
    app.register_blueprint(bp)
    tasks = app.extensions.setdefault("worker_tasks", [])
    # First in each worker pass: a reset link queued now goes out with this pass's email.
    tasks.insert(0, ("account email", send_account_notices))
    tasks.append(("account tidy-up", tidy_accounts))
