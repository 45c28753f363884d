"""Writes of the account page, one transaction each, with the email that reports them."""
from flask import current_app, url_for

from blueprints.auth import account_changes as changes
from blueprints.auth.models import LoginSession
from database import db, utcnow
from mail import queue_email


def site_url(endpoint, **values):
    return current_app.config["SITE_URL"] + url_for(endpoint, **values)


def send_confirmation(user, new_email):
    """A link to the new address; the current one is told it was asked for."""
    new_email = changes.normalise_email(new_email)
    with db.atomic():
        token = changes.request_email_change(user, new_email, utcnow())
        hours = changes.EMAIL_CHANGE_HOURS
        queue_email(new_email, "Confirm your new email address", "email_change_confirm", user=user,
                    link=site_url("account.confirm_email", token=token), hours=hours)
        queue_email(user.email, "Your email address is about to change", "email_change_requested", user=user,
                    new_email=new_email, hours=hours, account_url=site_url("account.page"))


def confirm(change):
    """Apply a confirmed change and tell the old address; (user, old email), or None if it can't be."""
    with db.atomic():
        done = changes.confirm_email_change(change, utcnow())
        if done:
            user, old_email = done
            queue_email(old_email, "Your email address was changed", "email_changed",
                        user=user, old_email=old_email, new_email=user.email)
    return done


def change_password(user, new_password):
    """New password; every browser's session ends (the caller signs this one in again)."""
    with db.atomic():
        changes.set_password(user, new_password)
        LoginSession.end_all(user.id)
        queue_email(user.email, "Your password was changed", "password_changed", user=user,
                    reset_url=site_url("auth.reset_request"))
