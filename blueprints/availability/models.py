"""What the coach offers: weekly hours, date overrides and one-off slots (coach's local time)."""
import peewee as pw

from blueprints.auth.models import User
from database import BaseModel, UTCDateTimeField, utcnow

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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
