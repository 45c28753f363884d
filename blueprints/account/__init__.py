"""The account page (/account): change email (confirmed from the new address), change password,
sign out everywhere. Tables and the changes themselves: blueprints/auth/account_changes.py."""


def init_app(app):
    from blueprints.account.views import bp
    app.register_blueprint(bp)
