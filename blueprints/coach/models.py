"""A coach's practice settings: public page text, call settings, feed secret."""
import secrets

import peewee as pw
from flask_login import current_user

from blueprints.auth.models import User
from database import BaseModel, UTCDateTimeField, utcnow
from web import or_404

LOCATION_KINDS = ("video", "phone", "address")

DEFAULT_HEADLINE = "Whether you call it a job or a career — let's talk."
DEFAULT_INTRO = """\
Whether you call it a job or a career, what matters is that work gives you what you need
for your whole life: enough money, yes, but also time, energy, people you like and a reason
to get up in the morning.

If something about your working life doesn't fit any more — or you're not sure what you want
next — a short, free discovery call is a good place to start. We'll talk about where you
are, where you'd like to be, and whether coaching with me is the right way to get there.

No preparation, no obligation.
"""


def new_secret():
    return secrets.token_urlsafe(24)


class CoachProfile(BaseModel):
    user = pw.ForeignKeyField(User, backref="coach_profiles", unique=True, on_delete="CASCADE")
    slug = pw.CharField(max_length=60, unique=True)
    headline = pw.CharField(max_length=200, default=DEFAULT_HEADLINE)
    intro_markdown = pw.TextField(default=DEFAULT_INTRO)
    timezone = pw.CharField(max_length=64, default="Europe/London")

    # Discovery-call settings (minutes unless named otherwise).
    call_minutes = pw.IntegerField(default=30)
    step_minutes = pw.IntegerField(default=30)
    buffer_minutes = pw.IntegerField(default=0)
    min_notice_hours = pw.IntegerField(default=12)
    horizon_days = pw.IntegerField(default=60)
    max_per_day = pw.IntegerField(null=True)
    location_kind = pw.CharField(max_length=10, default="video", choices=[(k, k) for k in LOCATION_KINDS])
    location_detail = pw.CharField(max_length=500, default="")

    # Subscription feed of bookings; rotating it makes the old address answer 404.
    feed_token = pw.CharField(max_length=64, unique=True, default=new_secret)
    feed_include_open_slots = pw.BooleanField(default=False)

    # Bumped on every change that alters free slots; part of the slot cache key.
    availability_version = pw.IntegerField(default=0)
    updated_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def primary(cls):
        """The practice's first coach: the one the landing page and /book speak for."""
        return cls.select(cls, User).join(User).order_by(cls.id).first()

    @classmethod
    def primary_stamp(cls):
        """(id, availability_version, updated_at) of the primary coach, or None: what /book's
        cached pages depend on. Plain SQL: on a cache hit it is the request's only query."""
        return cls._meta.database.execute_sql(
            f"SELECT id, availability_version, updated_at FROM {cls._meta.table_name} ORDER BY id LIMIT 1"
        ).fetchone()

    @classmethod
    def for_user(cls, user):
        return cls.get_or_none(cls.user == user)

    @classmethod
    def of_signed_in_coach(cls):
        """The profile of the coach signed in (views behind @coach_required); else 404."""
        return or_404(cls.for_user(current_user.id))

    def location_text(self):
        labels = {"video": "Video call", "phone": "Phone call", "address": "In person"}
        label = labels.get(self.location_kind, "Call")
        return f"{label}: {self.location_detail}" if self.location_detail else label
