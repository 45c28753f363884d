"""Session types: the kinds of appointment a coach offers their own clients.

The discovery call is the practice's public type; its length and meeting place live in the
coach's call settings (CoachProfile). Every type here is for the coach's clients only.
"""
import peewee as pw

from blueprints.auth.models import User
from database import BaseModel, UTCDateTimeField, utcnow

VIDEO, PHONE, ADDRESS = "video", "phone", "address"
MEETING_PLACES = {VIDEO: "Video call", PHONE: "Phone call", ADDRESS: "In person"}


def meeting_place_text(kind, detail):
    """What a booking snapshots as its location: 'Video call: https://…', 'In person: 1 High St'."""
    label = MEETING_PLACES.get(kind, "Call")
    detail = (detail or "").strip()
    return f"{label}: {detail}" if detail else label


class SessionType(BaseModel):
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
