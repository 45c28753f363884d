"""What a client may know and decide about their data: when their coach looked at what they
shared (`CoachView`), and a request to delete their account (`AccountDeletion`)."""
from datetime import timedelta

import peewee as pw

from blueprints.auth.models import User
from database import BaseModel, UTCDateTimeField, utcnow

JOURNAL, GOALS, WHEELS = "journal", "goals", "wheels"
VIEW_KINDS = {JOURNAL: "your shared journal entries", GOALS: "your goals", WHEELS: "your wheels of life"}
REFRESH_AFTER = timedelta(minutes=15)  # a day's row notes the latest look at most this often

GRACE = timedelta(days=7)
KEEP, DELETE = "keep", "delete"


class CoachView(BaseModel):
    """A coach looked at what a client shares: one row per coach, client, kind and (UTC) day,
    so opening the client page again and again costs a read, not a write."""
    coach = pw.ForeignKeyField(User, on_delete="CASCADE")
    client = pw.ForeignKeyField(User, backref="coach_views", on_delete="CASCADE")
    kind = pw.CharField(max_length=10)
    day = pw.DateField()
    first_at = UTCDateTimeField()
    last_at = UTCDateTimeField()
    count = pw.IntegerField(default=1)  # looks after the first, counted at most once per REFRESH_AFTER

    class Meta:
        indexes = ((("coach", "client", "kind", "day"), True), (("client", "day"), False))

    @property
    def what(self):
        return VIEW_KINDS.get(self.kind, self.kind)

    @classmethod
    def of_client(cls, client, limit=30):
        """The latest looks at the client's shared things, newest first, with the coach's name."""
        return (cls.select(cls, User).join(User, on=(cls.coach == User.id))
                .where(cls.client == client).order_by(cls.day.desc(), cls.last_at.desc()).limit(limit))


class AccountDeletion(BaseModel):
    """A client asked to delete their account. Until `erase_after`, signing in cancels it; then
    the worker erases the client and sets `erased_at`. The row stays (it holds nothing of the
    client's) so the coach can still be asked what to do with their own private notes."""
    user = pw.ForeignKeyField(User, unique=True, backref="deletions", on_delete="CASCADE")
    coach = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")
    requested_at = UTCDateTimeField(default=utcnow)
    erase_after = UTCDateTimeField(index=True)
    erased_at = UTCDateTimeField(null=True)
    notes_decision = pw.CharField(max_length=10, default="")  # "", "keep" or "delete": the coach's

    @classmethod
    def pending_for(cls, user):
        return cls.get_or_none((cls.user == user) & cls.erased_at.is_null())

    @classmethod
    def due(cls, now):
        return cls.select().where(cls.erased_at.is_null() & (cls.erase_after <= now)).order_by(cls.id)

    @classmethod
    def of_client(cls, coach, client):
        return cls.get_or_none((cls.user == client) & (cls.coach == coach))


PRIVACY_MODELS = [CoachView, AccountDeletion]
