"""Goals across work and personal life, with milestones and check-ins."""
import peewee as pw

from blueprints.auth.models import User
from database import BaseModel, UTCDateTimeField, utcnow

AREAS = {"work": "Work", "life": "Personal life"}


class Goal(BaseModel):
    client = pw.ForeignKeyField(User, backref="goals", on_delete="CASCADE")
    title = pw.CharField(max_length=200)
    area = pw.CharField(max_length=10, default="work")
    why = pw.TextField(default="")
    target_date = pw.DateField(null=True)
    shared = pw.BooleanField(default=True)
    archived = pw.BooleanField(default=False)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def of_client(cls, client):
        return cls.select().where((cls.client == client) & ~cls.archived).order_by(cls.area, cls.created_at)

    def progress(self):
        """Share of milestones done, 0–100 (no milestones: 0)."""
        milestones = list(self.milestones)
        if not milestones:
            return 0
        return round(100 * sum(1 for m in milestones if m.done_at) / len(milestones))


class Milestone(BaseModel):
    goal = pw.ForeignKeyField(Goal, backref="milestones", on_delete="CASCADE")
    title = pw.CharField(max_length=200)
    position = pw.IntegerField(default=0)
    done_at = UTCDateTimeField(null=True)


class CheckIn(BaseModel):
    goal = pw.ForeignKeyField(Goal, backref="check_ins", on_delete="CASCADE")
    note = pw.TextField(default="")
    confidence = pw.SmallIntegerField(null=True)  # 1–10: how sure the client feels now
    created_at = UTCDateTimeField(default=utcnow)
