"""Account email, worked out by the worker from queued `AccountNotice` rows.

A reset request (or a sign-in warning) is queued the same way for any address, so the web
request costs the same whether or not the address has an account; only here, out of sight of
the person asking, is the address looked up.
"""
from datetime import timedelta

from flask import current_app, url_for

from blueprints.auth.models import AccountNotice, PasswordReset, User
from database import db, utcnow
from mail import queue_email


RESETS_PER_HOUR = 3


def _recent_resets(user):
    return PasswordReset.select().where(
        (PasswordReset.user == user) & (PasswordReset.created_at > utcnow() - timedelta(hours=1))).count()


def request_reset(email):
    AccountNotice.create(kind=AccountNotice.RESET, email=(email or "").strip().lower()[:254])


def warn_about_failed_logins(email):
    AccountNotice.create(kind=AccountNotice.LOGIN_WARNING, email=(email or "").strip().lower()[:254])


def _send(notice, user):
    config = current_app.config
    if notice.kind == AccountNotice.RESET:
        if _recent_resets(user) >= RESETS_PER_HOUR:
            return  # enough links are on their way: strangers can't flood an inbox with them
        hours = config["PASSWORD_RESET_HOURS"]
        token = PasswordReset.issue(user, hours)
        link = config["SITE_URL"] + url_for("auth.reset", token=token)
        queue_email(user.email, "Reset your password", "password_reset", user=user, link=link, hours=hours)
    elif notice.kind == AccountNotice.LOGIN_WARNING:
        link = config["SITE_URL"] + url_for("auth.reset_request")
        queue_email(user.email, "Someone is trying to sign in to your account", "login_warning",
                    user=user, link=link)


def send_account_notices(app, limit=100):
    """Worker task: turn queued notices into email for addresses that have an account."""
    handled = 0
    # Emails build absolute links with url_for, which needs a request context outside a request.
    with app.test_request_context("/"):
        for notice in list(AccountNotice.select().order_by(AccountNotice.id).limit(limit)):
            with db.atomic():
                # Deleting is the claim: a second worker's DELETE matches nothing.
                if not AccountNotice.delete().where(AccountNotice.id == notice.id).execute():
                    continue
                user = User.by_email(notice.email)
                if user is not None:
                    _send(notice, user)
            handled += 1
    return handled


SESSION_LIFETIME = timedelta(days=366)  # the remember-me cookie lasts a year (Flask-Login's default)


def tidy_accounts(app):
    """Worker task: forget sessions no cookie can name any more and back-off counts long quiet."""
    from blueprints.auth.models import LoginSession, LoginThrottle
    from blueprints.auth.throttle import FORGET_AFTER
    now = utcnow()
    ended = LoginSession.delete().where(LoginSession.created_at < now - SESSION_LIFETIME).execute()
    LoginThrottle.delete().where(LoginThrottle.updated_at < now - FORGET_AFTER - timedelta(days=1)).execute()
    return ended
