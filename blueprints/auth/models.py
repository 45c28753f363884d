"""Accounts: one user table; a role says whether someone is a coach or a client."""
import hashlib
import secrets
from datetime import timedelta

import peewee as pw
from flask_login import UserMixin

from database import BaseModel, UTCDateTimeField, utcnow

COACH, CLIENT = "coach", "client"
ROLES = (COACH, CLIENT)


def hash_token(token):
    """Store only a digest of emailed tokens: a leaked table leaks no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(UserMixin, BaseModel):
    email = pw.CharField(max_length=254, unique=True)  # stored lower-cased
    name = pw.CharField(max_length=120)
    role = pw.CharField(max_length=10, choices=[(r, r) for r in ROLES], index=True)
    password_hash = pw.CharField(max_length=255, null=True)
    # A client belongs to one coach; a coach has none.
    coach = pw.ForeignKeyField("self", null=True, backref="clients", on_delete="SET NULL")
    timezone = pw.CharField(max_length=64, default="Europe/London")
    # Part of the login cookie: changing it (password reset) signs out every other session.
    session_nonce = pw.CharField(max_length=32, default=lambda: secrets.token_hex(8))
    # Secret for the client's personal calendar feed (coaches keep theirs on CoachProfile).
    feed_token = pw.CharField(max_length=64, null=True, unique=True)
    created_at = UTCDateTimeField(default=utcnow)

    @property
    def is_coach(self):
        return self.role == COACH

    @property
    def is_client(self):
        return self.role == CLIENT

    def get_id(self):
        return f"{self.id}:{self.session_nonce}"

    @classmethod
    def by_email(cls, email):
        return cls.get_or_none(cls.email == (email or "").strip().lower())

    @classmethod
    def coaches(cls):
        return cls.select().where(cls.role == COACH).order_by(cls.id)

    @classmethod
    def from_session_id(cls, session_id):
        user_id, _, nonce = (session_id or "").partition(":")
        if not user_id.isdigit():
            return None
        user = cls.get_or_none(cls.id == int(user_id))
        if user is None or not secrets.compare_digest(user.session_nonce, nonce):
            return None
        return user


class PasswordReset(BaseModel):
    user = pw.ForeignKeyField(User, backref="password_resets", on_delete="CASCADE")
    token_hash = pw.CharField(max_length=64, unique=True)
    expires_at = UTCDateTimeField()
    used_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def issue(cls, user, hours):
        """Create a reset for `user`; return the plain token (only ever sent by email)."""
        token = secrets.token_urlsafe(32)
        cls.create(user=user, token_hash=hash_token(token), expires_at=utcnow() + timedelta(hours=hours))
        return token

    @classmethod
    def usable(cls, token):
        """The unexpired, unused reset for `token`, or None."""
        return cls.get_or_none(
            (cls.token_hash == hash_token(token or ""))
            & cls.used_at.is_null()
            & (cls.expires_at > utcnow())
        )
