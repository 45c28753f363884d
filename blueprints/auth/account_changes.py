"""Changing the email address (confirmed from the new address) and the password.

A new address takes effect only when a link sent to it is opened, so a typo or a stolen session
cannot move an account to an address its owner cannot read; the old address is told both times.
"""
import secrets
from datetime import timedelta

import peewee as pw

from blueprints.auth.models import User, hash_token
from blueprints.auth.passwords import hash_password
from database import BaseModel, UTCDateTimeField, db, utcnow

EMAIL_CHANGE_HOURS = 24


class EmailChange(BaseModel):
    user = pw.ForeignKeyField(User, backref="email_changes", on_delete="CASCADE")
    new_email = pw.CharField(max_length=254)
    token_hash = pw.CharField(max_length=64, unique=True)
    expires_at = UTCDateTimeField()
    used_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def usable(cls, token, now):
        return cls.get_or_none((cls.token_hash == hash_token(token or "")) & cls.used_at.is_null()
                               & (cls.expires_at > now))


def normalise_email(email):
    return (email or "").strip().lower()


def email_taken(email, by_other_than=None):
    query = User.select().where(User.email == normalise_email(email))
    if by_other_than is not None:
        query = query.where(User.id != by_other_than.id)
    return query.exists()


def request_email_change(user, new_email, now):
    """A pending change to `new_email`; returns the plain token for the emailed link. Earlier
    pending changes of this user stop working."""
    token = secrets.token_urlsafe(32)
    EmailChange.update(used_at=now).where((EmailChange.user == user) & EmailChange.used_at.is_null()).execute()
    EmailChange.create(user=user, new_email=normalise_email(new_email), token_hash=hash_token(token),
                       expires_at=now + timedelta(hours=EMAIL_CHANGE_HOURS))
    return token


def pending_email(user, now):
    """The new address waiting for its link to be opened, or None."""
    change = (EmailChange.select(EmailChange.new_email)
              .where((EmailChange.user == user) & EmailChange.used_at.is_null() & (EmailChange.expires_at > now))
              .order_by(EmailChange.id.desc()).first())
    return change.new_email if change else None


def confirm_email_change(change, now):
    """Apply a pending change; returns (user, old_email), or None if the link was used meanwhile
    or the address has been taken since. Call inside a transaction."""
    claimed = EmailChange.update(used_at=now).where(
        (EmailChange.id == change.id) & EmailChange.used_at.is_null()).execute()
    if not claimed or email_taken(change.new_email):
        return None
    user = User.get_by_id(change.user_id)
    old_email = user.email
    User.update(email=change.new_email).where(User.id == user.id).execute()
    user.email = change.new_email
    return user, old_email


def set_password(user, new_password):
    """New password, new session nonce: every copy of an old login cookie stops working."""
    with db.atomic():
        user.password_hash = hash_password(new_password)
        user.session_nonce = User.session_nonce.default()
        user.save()
