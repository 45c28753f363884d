"""Creating accounts and inviting clients (a coach with their practice: blueprints/coach/service.py)."""
from flask import current_app, url_for

from blueprints.auth.models import CLIENT, PasswordReset, User
from blueprints.auth.passwords import hash_password
from database import db
from mail import queue_email

INVITE_HOURS = 7 * 24


def create_client(coach, email, name, password=None, timezone=None):
    return User.create(email=email.strip().lower(), name=name.strip(), role=CLIENT, coach=coach,
                       password_hash=hash_password(password) if password else None,
                       timezone=timezone or coach.timezone)


def add_client(coach, email, name):
    """A client of `coach`, invited by email to choose their password."""
    with db.atomic():
        client = create_client(coach, email, name)
        invite_client(client, coach)
    return client


def invite_client(client, coach):
    """Email a new client a week-long link to choose their password (inside the caller's transaction)."""
    token = PasswordReset.issue(client, INVITE_HOURS)
    link = current_app.config["SITE_URL"] + url_for("auth.reset", token=token)
    queue_email(client.email, f"{coach.name} invited you to {current_app.config['SITE_NAME']}",
                "client_invite", client=client, coach=coach, link=link)
