"""Accounts: sign in and out, two-step sign-in, password reset by email; users, clients, coach profiles."""


def init_app(app):
    from blueprints.auth.views import bp
    app.register_blueprint(bp)
