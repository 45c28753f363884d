"""The coach's intake questions, and the answers given with each booking."""
import peewee as pw

from blueprints.auth.models import User
from database import BaseModel
from scheduling.models import Booking


class IntakeQuestion(BaseModel):
    coach = pw.ForeignKeyField(User, backref="intake_questions", on_delete="CASCADE")
    label = pw.CharField(max_length=200)
    help_text = pw.CharField(max_length=300, default="")
    required = pw.BooleanField(default=False)
    multiline = pw.BooleanField(default=True)
    position = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)  # never deleted: answers already given point at it

    @classmethod
    def for_coach(cls, coach):
        return cls.select().where((cls.coach == coach) & cls.active).order_by(cls.position, cls.id)


class IntakeAnswer(BaseModel):
    booking = pw.ForeignKeyField(Booking, backref="answers", on_delete="CASCADE")
    question = pw.ForeignKeyField(IntakeQuestion, null=True, on_delete="SET NULL")
    question_label = pw.CharField(max_length=200)  # kept as asked, even if the coach edits it later
    answer = pw.TextField(default="")
    position = pw.IntegerField(default=0)

    @classmethod
    def of_bookings(cls, booking_ids):
        """The answers of these bookings, each booking's in the order asked."""
        return cls.select().where(cls.booking.in_(list(booking_ids))).order_by(cls.booking, cls.position, cls.id)
