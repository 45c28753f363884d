"""Clients own their data: the export (/me/export), deleting an account (a grace period, then
the worker erases it), and the access log of when their coach looked at what they share.
Tables in models.py; export.py and zipstream.py build the download; erasure.py deletes."""


def init_app(app):
    from flask import flash
    from flask_login import user_logged_in

    from blueprints.privacy.erasure import cancel_deletion, erase_due
    from blueprints.privacy.views import bp

    app.register_blueprint(bp)
    app.extensions.setdefault("worker_tasks", []).append(("account deletion", erase_due))

    def cancel_on_sign_in(sender, user, **extra):
        # However they sign in (password, code, reset link), a client who comes back keeps their account.
        if cancel_deletion(user):
            flash("Welcome back: your account will not be deleted.", "success")

    user_logged_in.connect(cancel_on_sign_in, app, weak=False)
