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

    # The LoginSession key of the browser this user object was loaded for.
    session_key = None

    def get_id(self):
        return f"{self.id}:{self.session_nonce}:{self.session_key or ''}"

    def start_login_session(self):
        """Flask-Login's `id_attribute` (set in app.py): every `login_user()`, wherever it is
        called, opens a server-side session and puts its key into the login cookie."""
        self.session_key = LoginSession.start(self)
        return self.get_id()

    @classmethod
    def by_email(cls, email):
        return cls.get_or_none(cls.email == (email or "").strip().lower())

    @classmethod
    def coaches(cls):
        return cls.select().where(cls.role == COACH).order_by(cls.id)

    @classmethod
    def from_session_id(cls, session_id):
        """The user of a login cookie, if its session is still open (one query)."""
        user_id, nonce, key = ((session_id or "") + "::").split(":")[:3]
        if not (user_id.isascii() and user_id.isdigit() and nonce.isascii() and key) or len(user_id) > 18:
            return None
        user = (cls.select().join(LoginSession, on=(LoginSession.user == cls.id))
                .where((cls.id == int(user_id)) & (LoginSession.key_hash == hash_token(key))).first())
        if user is None or not secrets.compare_digest(user.session_nonce, nonce):
            return None
        user.session_key = key
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


class LoginSession(BaseModel):
    """One signed-in browser. Its key is in the login cookie (stored here only as a digest);
    deleting the row signs that browser out, whatever copies of its cookies exist."""

    user = pw.ForeignKeyField(User, backref="login_sessions", on_delete="CASCADE")
    key_hash = pw.CharField(max_length=64, unique=True)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def start(cls, user):
        """A new session for `user`; returns the plain key (it goes into the cookie only)."""
        key = secrets.token_urlsafe(24)
        cls.create(user=user, key_hash=hash_token(key))
        return key

    @classmethod
    def end(cls, key):
        cls.delete().where(cls.key_hash == hash_token(key or "")).execute()

    @classmethod
    def end_all(cls, user):
        return cls.delete().where(cls.user == user).execute()

    @classmethod
    def count_for(cls, user):
        return cls.select().where(cls.user == user).count()


class LoginThrottle(BaseModel):
    """Failed sign-ins per email address (known or not: the answer must not tell them apart).

    Keyed by a digest of the address, so the table holds no addresses of strangers."""

    email_hash = pw.CharField(max_length=64, primary_key=True)
    failures = pw.IntegerField(default=0)
    blocked_until = UTCDateTimeField(null=True)
    updated_at = UTCDateTimeField(default=utcnow)


class AccountNotice(BaseModel):
    """Account email to work out in the worker: a reset request or a sign-in warning.

    Queued alike for known and unknown addresses, so the web request does the same work (and
    takes the same time) either way; the worker looks the address up."""

    RESET, LOGIN_WARNING = "reset", "login_warning"

    kind = pw.CharField(max_length=20)
    email = pw.CharField(max_length=254)
    created_at = UTCDateTimeField(default=utcnow, index=True)
