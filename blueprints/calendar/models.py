"""The coach's own calendars, read for busy times."""
import json
from datetime import date

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
    # What the last good reading had to leave out: how many, and the first few as JSON.
    skipped_count = pw.IntegerField(default=0)
    skipped_events = pw.TextField(default="")
    own_addresses = pw.TextField(default="")  # the coach's other addresses on this calendar, one a line

    SKIPPED_KEPT = 20  # events listed to the coach; the count covers them all

    @classmethod
    def for_coach(cls, coach):
        return cls.select().where(cls.coach == coach).order_by(cls.id)

    @staticmethod
    def skipped_as_text(skipped):
        """The first SKIPPED_KEPT of `skipped` (busy.SkippedEvent values) as stored."""
        return json.dumps([{"summary": event.summary, "day": event.day.isoformat() if event.day else None,
                            "reason": event.reason} for event in list(skipped)[:BusySource.SKIPPED_KEPT]])

    @property
    def skipped_list(self):
        """[{'summary', 'day' (a date or None), 'reason'}] of the events the last reading left out."""
        try:
            events = json.loads(self.skipped_events or "[]")
            return [{"summary": str(event.get("summary") or ""), "reason": str(event.get("reason") or ""),
                     "day": date.fromisoformat(event["day"]) if event.get("day") else None} for event in events]
        except (ValueError, TypeError, KeyError, AttributeError):
            return []

    @property
    def address_list(self):
        return [line for line in self.own_addresses.splitlines() if line.strip()]


class BusyBlock(BaseModel):
    """One busy interval read from a source; replaced whole on each successful refresh."""

    source = pw.ForeignKeyField(BusySource, backref="blocks", on_delete="CASCADE")
    starts_at = UTCDateTimeField()
    ends_at = UTCDateTimeField()

    class Meta:
        indexes = ((("source", "starts_at"), False),)
