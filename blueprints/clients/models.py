"""A coach's clients: invitations, the client record (archive, package) and private notes.

Private notes are the coach's own words about a client. They live in their own table, are read
only through `PrivateNote.of_coach_about`, which needs the coach, and no client-facing page or
export ever selects from this table.
"""
import secrets
from datetime import timedelta

import peewee as pw

from blueprints.auth.models import User, hash_token
from database import BaseModel, UTCDateTimeField, utcnow
from scheduling.models import Booking, SessionType

INVITATION_DAYS = 14


class Invitation(BaseModel):
    """One emailed link that lets a new client set their password; used once, undone while unused."""
    coach = pw.ForeignKeyField(User, backref="sent_invitations", on_delete="CASCADE")
    client = pw.ForeignKeyField(User, backref="invitations", on_delete="CASCADE")
    token_hash = pw.CharField(max_length=64, unique=True)
    note = pw.TextField(default="")  # the coach's welcome note, quoted in the email and on the page
    expires_at = UTCDateTimeField()
    accepted_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def issue(cls, coach, client, note="", now=None):
        """Create an invitation; return (row, plain token). The token is only ever emailed."""
        now = now or utcnow()
        token = secrets.token_urlsafe(32)
        row = cls.create(coach=coach, client=client, token_hash=hash_token(token), note=note,
                         expires_at=now + timedelta(days=INVITATION_DAYS), created_at=now)
        return row, token

    @classmethod
    def by_token(cls, token):
        return cls.get_or_none(cls.token_hash == hash_token(token or ""))

    @classmethod
    def of_client(cls, coach, client):
        return cls.select().where((cls.coach == coach) & (cls.client == client)).order_by(cls.created_at.desc())

    @classmethod
    def pending_for_coach(cls, coach):
        return cls.select().where((cls.coach == coach) & cls.accepted_at.is_null())

    def is_expired(self, now=None):
        return self.accepted_at is None and self.expires_at <= (now or utcnow())


class ClientRecord(BaseModel):
    """The coach's bookkeeping for one client: archived or not, and an optional package of sessions."""
    client = pw.ForeignKeyField(User, backref="client_records", unique=True, on_delete="CASCADE")
    coach = pw.ForeignKeyField(User, backref="client_record_list", on_delete="CASCADE")
    archived_at = UTCDateTimeField(null=True)
    package_sessions = pw.IntegerField(null=True)  # "6 sessions, paid": None = no package
    package_note = pw.CharField(max_length=200, default="")
    package_since = UTCDateTimeField(null=True)  # sessions from here on count toward the package
    updated_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def of(cls, coach, client):
        return cls.get_or_none((cls.coach == coach) & (cls.client == client))

    @classmethod
    def clients_of(cls, coach, archived=False, after=None):
        """The coach's clients, active (or archived) ones, by name; with `after` (a client),
        only those after them in that order: a keyset page, as quick deep down as on top."""
        archived_ids = cls.select(cls.client).where((cls.coach == coach) & cls.archived_at.is_null(False))
        query = User.select().where((User.coach == coach)
                                    & (User.id.in_(archived_ids) if archived else User.id.not_in(archived_ids)))
        if after is not None:
            query = query.where((User.name > after.name) | ((User.name == after.name) & (User.id > after.id)))
        return query.order_by(User.name, User.id)

    @classmethod
    def archived_count(cls, coach):
        return cls.select().where((cls.coach == coach) & cls.archived_at.is_null(False)).count()

    @classmethod
    def archived_ids(cls, coach):
        return {r.client_id for r in cls.select(cls.client).where((cls.coach == coach) & cls.archived_at.is_null(False))}


class PrivateNote(BaseModel):
    """The coach's private note about a client, optionally about one session. Never shown to the client."""
    coach = pw.ForeignKeyField(User, backref="private_notes_written", on_delete="CASCADE")
    client = pw.ForeignKeyField(User, backref="private_notes_about", on_delete="CASCADE")
    booking = pw.ForeignKeyField(Booking, null=True, backref="private_notes", on_delete="SET NULL")
    body = pw.TextField()
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def of_coach_about(cls, coach, client):
        """The only way notes are read: by their author, about one of their clients, newest first."""
        # With the session each note is about, and its type: the list names them without a query per note.
        return (cls.select(cls, Booking, SessionType).join(Booking, pw.JOIN.LEFT_OUTER)
                .join(SessionType, pw.JOIN.LEFT_OUTER).switch(cls)
                .where((cls.coach == coach) & (cls.client == client))
                .order_by(cls.created_at.desc(), cls.id.desc()))
