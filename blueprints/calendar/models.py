"""The coach's own calendars, read for busy times."""
import peewee as pw

from blueprints.auth.models import User
from database import BaseModel, UTCDateTimeField, utcnow


class BusySource(BaseModel):
    URL, UPLOAD = "url", "upload"

    coach = pw.ForeignKeyField(User, backref="busy_sources", on_delete="CASCADE")
    name = pw.CharField(max_length=120)
    kind = pw.CharField(max_length=6, default=URL)
    url = pw.CharField(max_length=2000, default="")
    etag = pw.CharField(max_length=300, null=True)
    last_modified_header = pw.CharField(max_length=100, null=True)
    event_count = pw.IntegerField(default=0)
    last_attempt_at = UTCDateTimeField(null=True)
    last_success_at = UTCDateTimeField(null=True)
    last_error = pw.TextField(default="")
    next_refresh_at = UTCDateTimeField(null=True, index=True)
    failure_count = pw.IntegerField(default=0)  # failed refreshes in a row: the back-off grows with it
    failing_since = UTCDateTimeField(null=True)  # first failure of the current streak
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def for_coach(cls, coach):
        return cls.select().where(cls.coach == coach).order_by(cls.id)


class BusyBlock(BaseModel):
    """One busy interval read from a source; replaced whole on each successful refresh."""

    source = pw.ForeignKeyField(BusySource, backref="blocks", on_delete="CASCADE")
    starts_at = UTCDateTimeField()
    ends_at = UTCDateTimeField()

    class Meta:
        indexes = ((("source", "starts_at"), False),)
