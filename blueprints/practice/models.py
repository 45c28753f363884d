"""The practice several coaches share: its name and a line about it, and the invitations an
admin coach sends to new coaches. Imports nothing of the web."""
import secrets
from datetime import timedelta

import peewee as pw

from blueprints.auth.models import User, hash_token
from database import BaseModel, UTCDateTimeField, utcnow

COACH_INVITATION_DAYS = 7


class Practice(BaseModel):
    """One row (created on the first save): what the home page says once there are several coaches."""
    name = pw.CharField(max_length=120)
    about = pw.CharField(max_length=300, default="")
    updated_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def current(cls, default_name):
        """The practice's row, or an unsaved one named `default_name` (the site's name)."""
        return cls.select().order_by(cls.id).first() or cls(name=default_name, about="")


class CoachInvitation(BaseModel):
    """An emailed link that lets a new coach join the practice: expires, works once."""
    email = pw.CharField(max_length=254)  # stored lower-cased
    name = pw.CharField(max_length=120)
    token_hash = pw.CharField(max_length=64, unique=True)
    invited_by = pw.ForeignKeyField(User, backref="coach_invitations_sent", on_delete="CASCADE")
    expires_at = UTCDateTimeField()
    accepted_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def issue(cls, invited_by, email, name, now=None):
        """A new invitation; returns (row, plain token). The token is only ever emailed."""
        now = now or utcnow()
        token = secrets.token_urlsafe(32)
        row = cls.create(email=email.strip().lower(), name=name.strip(), token_hash=hash_token(token),
                         invited_by=invited_by, expires_at=now + timedelta(days=COACH_INVITATION_DAYS),
                         created_at=now)
        return row, token

    @classmethod
    def by_token(cls, token):
        return cls.get_or_none(cls.token_hash == hash_token(token or ""))

    @classmethod
    def pending(cls, now=None):
        return (cls.select().where(cls.accepted_at.is_null() & (cls.expires_at > (now or utcnow())))
                .order_by(cls.created_at.desc()))
