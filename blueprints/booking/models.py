"""Discovery-call bookings and the intake questions asked when booking."""
import secrets

import peewee as pw

from blueprints.auth.models import User
from blueprints.sessions.models import SessionType
from database import BaseModel, UTCDateTimeField, utcnow

CONFIRMED, CANCELLED, COMPLETED, NO_SHOW = "confirmed", "cancelled", "completed", "no_show"
STATUSES = (CONFIRMED, CANCELLED, COMPLETED, NO_SHOW)
# Every status but "cancelled" holds its time: the database refuses overlaps among them
# (PostgreSQL exclusion constraint; SQLite partial unique index + re-check in an IMMEDIATE transaction).
ACTIVE_STATUSES = (CONFIRMED, COMPLETED, NO_SHOW)


def new_manage_token():
    return secrets.token_urlsafe(24)


class IntakeQuestion(BaseModel):
    coach = pw.ForeignKeyField(User, backref="intake_questions", on_delete="CASCADE")
    label = pw.CharField(max_length=200)
    help_text = pw.CharField(max_length=300, default="")
    required = pw.BooleanField(default=False)
    multiline = pw.BooleanField(default=True)
    position = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)

    @classmethod
    def for_coach(cls, coach):
        return cls.select().where((cls.coach == coach) & cls.active).order_by(cls.position, cls.id)


class Booking(BaseModel):
    coach = pw.ForeignKeyField(User, backref="bookings", on_delete="CASCADE")
    client = pw.ForeignKeyField(User, null=True, backref="client_bookings", on_delete="SET NULL")
    kind = pw.CharField(max_length=20, default="discovery")  # or "session": a client's coaching session
    session_type = pw.ForeignKeyField(SessionType, null=True, backref="bookings", on_delete="SET NULL")
    name = pw.CharField(max_length=120)
    email = pw.CharField(max_length=254, index=True)
    phone = pw.CharField(max_length=40, default="")
    timezone = pw.CharField(max_length=64)  # the visitor's zone, for their emails
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
    # Set when a prospect's personal details were removed after the retention period (retention.py).
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

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @classmethod
    def active_for_coach(cls, coach, start, end):
        """Active bookings of `coach` that overlap [start, end)."""
        return cls.select().where(
            (cls.coach == coach)
            & cls.status.in_(ACTIVE_STATUSES)
            & (cls.starts_at < end)
            & (cls.ends_at > start)
        )

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
        return cls.select().where((cls.client == client) & cls.status.in_(ACTIVE_STATUSES)).order_by(cls.starts_at)

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


class IntakeAnswer(BaseModel):
    booking = pw.ForeignKeyField(Booking, backref="answers", on_delete="CASCADE")
    question = pw.ForeignKeyField(IntakeQuestion, null=True, on_delete="SET NULL")
    question_label = pw.CharField(max_length=200)  # kept as asked, even if the coach edits it later
    answer = pw.TextField(default="")
    position = pw.IntegerField(default=0)
