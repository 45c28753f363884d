"""What decides when a coach can be booked: the hours they offer, the appointments already
made, and the busy times read from their own calendars. Times of day are the coach's local
wall-clock times; instants are UTC.

Named queries live here (`Booking.upcoming(coach, now)` …): a filter on status and time
written out in a view is the next bug.
"""
import json
import secrets
from datetime import date, timedelta

import peewee as pw

from blueprints.auth.models import VIDEO, User, meeting_place_text
from database import BaseModel, UTCDateTimeField, utcnow

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --- what the coach offers ------------------------------------------------------------------

class WeeklyHours(BaseModel):
    coach = pw.ForeignKeyField(User, backref="weekly_hours", on_delete="CASCADE")
    weekday = pw.SmallIntegerField()  # 0 = Monday
    start_time = pw.TimeField()
    end_time = pw.TimeField()  # 00:00 means midnight at the end of the day

    class Meta:
        indexes = ((("coach", "weekday"), False),)

    @classmethod
    def for_coach(cls, coach):
        return cls.select().where(cls.coach == coach).order_by(cls.weekday, cls.start_time)


class DateOverride(BaseModel):
    BLOCK, EXTRA = "block", "extra"

    coach = pw.ForeignKeyField(User, backref="date_overrides", on_delete="CASCADE")
    day = pw.DateField()
    kind = pw.CharField(max_length=5, choices=[("block", "block"), ("extra", "extra")])
    start_time = pw.TimeField(null=True)  # both empty on a "block" = the whole day
    end_time = pw.TimeField(null=True)
    note = pw.CharField(max_length=200, default="")

    class Meta:
        indexes = ((("coach", "day"), False),)

    @classmethod
    def for_coach(cls, coach, since=None):
        query = cls.select().where(cls.coach == coach)
        if since is not None:
            query = query.where(cls.day >= since)
        return query.order_by(cls.day, cls.start_time)


class OneOffSlot(BaseModel):
    coach = pw.ForeignKeyField(User, backref="one_off_slots", on_delete="CASCADE")
    starts_at = UTCDateTimeField()
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("coach", "starts_at"), True),)

    @classmethod
    def upcoming(cls, coach, now):
        return cls.select().where((cls.coach == coach) & (cls.starts_at >= now)).order_by(cls.starts_at)


# --- appointments -----------------------------------------------------------------------------

class SessionType(BaseModel):
    """A kind of coaching session a coach offers their own clients (the discovery call is the
    practice's public kind: its length and meeting place are the coach's call settings)."""
    coach = pw.ForeignKeyField(User, backref="session_types", on_delete="CASCADE")
    name = pw.CharField(max_length=80)
    minutes = pw.IntegerField(default=60)
    location_kind = pw.CharField(max_length=10, default=VIDEO)
    location_detail = pw.CharField(max_length=500, default="")
    position = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def offered_by(cls, coach):
        return cls.select().where((cls.coach == coach) & cls.active).order_by(cls.position, cls.id)

    @classmethod
    def owned_active(cls, coach, type_id):
        return cls.get_or_none((cls.id == type_id) & (cls.coach == coach) & cls.active)

    def location_text(self):
        return meeting_place_text(self.location_kind, self.location_detail)

    @property
    def label(self):
        return f"{self.name}, {self.minutes} min"


CONFIRMED, CANCELLED, COMPLETED, NO_SHOW = "confirmed", "cancelled", "completed", "no_show"
# Every status but "cancelled" holds its time: the database refuses overlaps among them
# (PostgreSQL exclusion constraint; SQLite partial unique index + re-check in an IMMEDIATE transaction).
ACTIVE_STATUSES = (CONFIRMED, COMPLETED, NO_SHOW)
# No appointment lasts longer (the forms allow 8 hours). "Not over at t" then also means "started
# after t − LONGEST": a bound on starts_at that lets (coach_id, starts_at) skip a coach's history.
LONGEST = timedelta(hours=24)


def new_manage_token():
    return secrets.token_urlsafe(24)


class Booking(BaseModel):
    coach = pw.ForeignKeyField(User, backref="bookings", on_delete="CASCADE")
    client = pw.ForeignKeyField(User, null=True, backref="client_bookings", on_delete="SET NULL")
    kind = pw.CharField(max_length=20, default="discovery")  # or "session": a client's coaching session
    session_type = pw.ForeignKeyField(SessionType, null=True, backref="bookings", on_delete="SET NULL")
    name = pw.CharField(max_length=120)
    email = pw.CharField(max_length=254, index=True)
    phone = pw.CharField(max_length=40, default="")
    timezone = pw.CharField(max_length=64)  # the visitor's zone, for their emails
    hour12 = pw.BooleanField(default=False)  # and their clock: 9:00 AM (True) or 09:00
    starts_at = UTCDateTimeField()
    ends_at = UTCDateTimeField()
    status = pw.CharField(max_length=12, default=CONFIRMED, index=True)
    location = pw.CharField(max_length=600, default="")  # snapshot of where the call happens
    location_kind = pw.CharField(max_length=10, default="")  # "video", "phone" or "address" (snapshot)
    manage_token = pw.CharField(max_length=64, unique=True, default=new_manage_token)
    uid = pw.CharField(max_length=200, unique=True)  # iCalendar UID: one event, one identity
    sequence = pw.IntegerField(default=0)  # iCalendar SEQUENCE: rises on reschedule and cancel
    consent_at = UTCDateTimeField(null=True)
    cancel_reason = pw.TextField(default="")
    cancelled_by = pw.CharField(max_length=10, default="")  # "visitor" or "coach"
    cancelled_at = UTCDateTimeField(null=True)
    reminder_sent_at = UTCDateTimeField(null=True)
    # Set when a prospect's personal details were removed after the retention period
    # (blueprints/booking/service.py, forget_old_prospects).
    anonymised_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("coach", "starts_at"), False),)

    @property
    def minutes(self):
        """How long this appointment is: a move keeps the length (a 60-minute session stays 60)."""
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def session_label(self):
        """What this appointment is called: "Discovery call", or its session type's name."""
        if self.kind == "discovery":
            return "Discovery call"
        return self.session_type.name if self.session_type_id else "Coaching session"

    @classmethod
    def holding_time(cls):
        """Bookings whose time is taken (every status but cancelled)."""
        return cls.select().where(cls.status.in_(ACTIVE_STATUSES))

    @classmethod
    def of_coach(cls, coach, client=None):
        """The coach's bookings (with one client only, if given), each with its session type
        (one LEFT JOIN: `session_label` never costs a query per row)."""
        query = (cls.select(cls, SessionType).join(SessionType, pw.JOIN.LEFT_OUTER).switch(cls)
                 .where(cls.coach == coach))
        return query if client is None else query.where(cls.client == client)

    @classmethod
    def upcoming(cls, coach, now, until=None, client=None):
        """The coach's calls not yet over at `now` (started before `until`, if given), soonest first."""
        query = cls.of_coach(coach, client).where(cls.status.in_(ACTIVE_STATUSES) & (cls.ends_at > now)
                                                  & (cls.starts_at > now - LONGEST))
        if until is not None:
            query = query.where(cls.starts_at < until)
        return query.order_by(cls.starts_at, cls.id)

    @classmethod
    def past(cls, coach, now, client=None):
        """The coach's calls over by `now`, latest first."""
        return (cls.of_coach(coach, client).where(cls.status.in_(ACTIVE_STATUSES) & (cls.ends_at <= now))
                .order_by(cls.starts_at.desc(), cls.id.desc()))

    @classmethod
    def booked_since(cls, coach, since, now):
        """The coach's bookings made after `since` that are still to come: what is new to them."""
        return cls.of_coach(coach).where((cls.created_at > since) & (cls.status == CONFIRMED) & (cls.ends_at > now))

    @classmethod
    def discovery_call(cls, coach, client):
        """The client's first discovery call with the coach, or None."""
        return cls.of_coach(coach, client).where(cls.kind == "discovery").order_by(cls.starts_at).first()

    @classmethod
    def cancelled(cls, coach):
        return cls.of_coach(coach).where(cls.status == CANCELLED).order_by(cls.starts_at.desc(), cls.id.desc())

    @classmethod
    def after(cls, booking, newest_first):
        """Keyset condition: the bookings after `booking` in (starts_at, id) order, or before it
        when newest first. A page costs the same on the 500th page as on the first."""
        if newest_first:
            return (cls.starts_at < booking.starts_at) | ((cls.starts_at == booking.starts_at) & (cls.id < booking.id))
        return (cls.starts_at > booking.starts_at) | ((cls.starts_at == booking.starts_at) & (cls.id > booking.id))

    @classmethod
    def next_for_client(cls, client, now):
        """The client's next call not yet over, or None."""
        return cls.holding_time().where((cls.client == client) & (cls.ends_at > now)).order_by(cls.starts_at).first()

    @classmethod
    def due_reminders(cls, now, ahead):
        """Confirmed calls starting within `ahead` of `now` whose reminder has not gone out."""
        return cls.select().where(
            (cls.status == CONFIRMED) & cls.reminder_sent_at.is_null()
            & (cls.starts_at > now) & (cls.starts_at <= now + ahead)
        ).order_by(cls.starts_at)

    @classmethod
    def active_for_coach(cls, coach, start, end):
        """Active bookings of `coach` that overlap [start, end)."""
        return cls.holding_time().where((cls.coach == coach) & (cls.starts_at < end) & (cls.ends_at > start))

    @classmethod
    def upcoming_discovery_for_email(cls, email, now):
        """Active discovery calls still ahead, booked with `email` (any case)."""
        return cls.select().where(
            (pw.fn.LOWER(cls.email) == (email or "").strip().lower())
            & (cls.kind == "discovery") & (cls.status == CONFIRMED) & (cls.starts_at > now)
        )

    @classmethod
    def sessions_of_client(cls, client):
        """A client's sessions that hold their time (any coach of theirs), oldest first."""
        return cls.holding_time().where(cls.client == client).order_by(cls.starts_at)

    @classmethod
    def prospect_calls_before(cls, cutoff):
        """Calls before `cutoff` with someone who never became a client (by link or by email),
        whose details are still there."""
        clients = User.select(User.id).where(pw.fn.LOWER(User.email) == pw.fn.LOWER(cls.email))
        return cls.select().where(
            (cls.starts_at < cutoff) & cls.client.is_null() & cls.anonymised_at.is_null()
            & ~pw.fn.EXISTS(clients)
        )

    @classmethod
    def by_token(cls, token):
        return cls.get_or_none(cls.manage_token == (token or ""))


# --- busy times from the coach's own calendars ----------------------------------------------

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

    @classmethod
    def of_coach(cls, coach, start, end):
        """(start, end) of the coach's busy blocks that overlap [start, end)."""
        return (cls.select(cls.starts_at, cls.ends_at).join(BusySource)
                .where((BusySource.coach == coach) & (cls.starts_at < end) & (cls.ends_at > start)))
