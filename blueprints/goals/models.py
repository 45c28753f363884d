"""Goals across work and the rest of life: life areas, goals, steps, check-ins, comments,
suggested steps, and the wheel of life.

Privacy: a goal is shared with the coach unless the client makes it private; a wheel likewise.
Every query a coach's page uses is named here (`…_for_coach`) and filters on `shared` together
with the coach's own clients, so a private row cannot come back from it.
"""
import peewee as pw

from blueprints.auth.models import User
from database import BaseModel, UTCDateTimeField, utcnow

DEFAULT_AREAS = ["Work & career", "Money", "Home & place", "Relationships",
                 "Health & energy", "Growth & learning", "Fun & rest"]
STATUSES = {"active": "Active", "achieved": "Achieved", "paused": "Paused", "let_go": "Let go"}
CURRENT = ("active", "paused")
FINISHED = ("achieved", "let_go")


class LifeArea(BaseModel):
    """One of a coach's life areas; retired areas keep their goals and wheel history."""
    coach = pw.ForeignKeyField(User, backref="life_areas", on_delete="CASCADE")
    name = pw.CharField(max_length=60)
    position = pw.IntegerField(default=0)
    retired = pw.BooleanField(default=False)

    class Meta:
        indexes = ((("coach", "name"), True),)

    @classmethod
    def of_coach(cls, coach, include_retired=False):
        query = cls.select().where(cls.coach == coach)
        if not include_retired:
            query = query.where(~cls.retired)
        return query.order_by(cls.retired, cls.position, cls.id)


class Goal(BaseModel):
    client = pw.ForeignKeyField(User, backref="goals", on_delete="CASCADE")
    title = pw.CharField(max_length=200)
    why = pw.TextField(default="")
    life_area = pw.ForeignKeyField(LifeArea, null=True, backref="goals", on_delete="SET NULL")
    target_date = pw.DateField(null=True)
    status = pw.CharField(max_length=10, default="active")
    reflection = pw.TextField(default="")
    status_changed_at = UTCDateTimeField(null=True)  # when it was achieved, paused or let go
    manual_progress = pw.SmallIntegerField(null=True)  # 0–100 when the client sets it by hand
    shared = pw.BooleanField(default=True)
    created_at = UTCDateTimeField(default=utcnow)

    @property
    def status_label(self):
        return STATUSES.get(self.status, self.status)

    @property
    def area_name(self):
        return self.life_area.name if self.life_area_id else "No life area"

    @classmethod
    def of_client(cls, client):
        return (cls.select(cls, LifeArea).join(LifeArea, pw.JOIN.LEFT_OUTER)
                .where(cls.client == client).order_by(cls.created_at, cls.id))

    @classmethod
    def current_of(cls, client):
        return cls.of_client(client).where(cls.status.in_(CURRENT))

    @classmethod
    def finished_of(cls, client):
        return (cls.of_client(client).where(cls.status.in_(FINISHED))
                .order_by(cls.status_changed_at.desc(nulls="last"), cls.id.desc()))

    @classmethod
    def owned(cls, client, goal_id):
        return cls.get_or_none((cls.id == goal_id) & (cls.client == client))

    @classmethod
    def shared_for_coach(cls, coach, client):
        """The client's shared goals, only if the client is this coach's."""
        return (cls.select(cls, LifeArea).join(LifeArea, pw.JOIN.LEFT_OUTER).switch(cls)
                .join(User, on=(cls.client == User.id))
                .where(cls.shared & (User.coach == coach) & (cls.client == client))
                .order_by(cls.status.in_(FINISHED), cls.created_at, cls.id))

    @classmethod
    def shared_get_for_coach(cls, coach, goal_id):
        return (cls.select(cls).join(User, on=(cls.client == User.id))
                .where(cls.shared & (User.coach == coach) & (cls.id == goal_id)).first())


class Step(BaseModel):
    goal = pw.ForeignKeyField(Goal, backref="steps", on_delete="CASCADE")
    title = pw.CharField(max_length=200)
    position = pw.IntegerField(default=0)
    due_date = pw.DateField(null=True)
    done_at = UTCDateTimeField(null=True)
    suggested_by = pw.ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "step"

    @classmethod
    def of_goal(cls, goal):
        return cls.select().where(cls.goal == goal).order_by(cls.position, cls.id)

    @classmethod
    def of_goals(cls, goal_ids):
        return cls.select().where(cls.goal.in_(list(goal_ids))).order_by(cls.position, cls.id)

    @classmethod
    def open_due_by(cls, client, last_day):
        """Open steps of the client's active goals due on or before `last_day` (overdue included)."""
        return (cls.select(cls, Goal).join(Goal)
                .where((Goal.client == client) & (Goal.status == "active") & cls.done_at.is_null()
                       & cls.due_date.is_null(False) & (cls.due_date <= last_day))
                .order_by(cls.due_date, cls.position, cls.id))

    @classmethod
    def owned(cls, client, goal_id, step_id):
        return (cls.select(cls, Goal).join(Goal)
                .where((cls.id == step_id) & (cls.goal == goal_id) & (Goal.client == client)).first())


class CheckIn(BaseModel):
    goal = pw.ForeignKeyField(Goal, backref="check_ins", on_delete="CASCADE")
    progress = pw.SmallIntegerField(default=0)  # 0–100 %, as the client sees it
    confidence = pw.SmallIntegerField(null=True)  # 1–10: how sure the client feels now
    note = pw.TextField(default="")
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def of_goal(cls, goal):
        return cls.select().where(cls.goal == goal).order_by(cls.created_at, cls.id)

    @classmethod
    def of_goals(cls, goal_ids):
        return cls.select().where(cls.goal.in_(list(goal_ids))).order_by(cls.created_at, cls.id)


class GoalComment(BaseModel):
    goal = pw.ForeignKeyField(Goal, backref="comments", on_delete="CASCADE")
    author = pw.ForeignKeyField(User, on_delete="CASCADE")
    body = pw.TextField()
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def of_goals(cls, goal_ids):
        return (cls.select(cls, User).join(User).where(cls.goal.in_(list(goal_ids)))
                .order_by(cls.created_at, cls.id))


class StepSuggestion(BaseModel):
    """A step the coach proposes; it becomes a step only when the client accepts it."""
    goal = pw.ForeignKeyField(Goal, backref="suggestions", on_delete="CASCADE")
    author = pw.ForeignKeyField(User, on_delete="CASCADE")
    title = pw.CharField(max_length=200)
    due_date = pw.DateField(null=True)
    status = pw.CharField(max_length=10, default="pending")  # pending, accepted, declined
    created_at = UTCDateTimeField(default=utcnow)
    decided_at = UTCDateTimeField(null=True)

    @classmethod
    def of_goals(cls, goal_ids):
        return cls.select().where(cls.goal.in_(list(goal_ids))).order_by(cls.created_at, cls.id)

    @classmethod
    def pending_owned(cls, client, goal_id, suggestion_id):
        return (cls.select(cls, Goal).join(Goal)
                .where((cls.id == suggestion_id) & (cls.goal == goal_id) & (Goal.client == client)
                       & (cls.status == "pending")).first())


class Wheel(BaseModel):
    """One wheel of life: how satisfied the client is with each life area, 0–10."""
    client = pw.ForeignKeyField(User, backref="wheels", on_delete="CASCADE")
    shared = pw.BooleanField(default=True)
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def of_client(cls, client):
        return cls.select().where(cls.client == client).order_by(cls.created_at.desc(), cls.id.desc())

    @classmethod
    def owned(cls, client, wheel_id):
        return cls.get_or_none((cls.id == wheel_id) & (cls.client == client))

    @classmethod
    def shared_for_coach(cls, coach, client):
        return (cls.select(cls).join(User, on=(cls.client == User.id))
                .where(cls.shared & (User.coach == coach) & (cls.client == client))
                .order_by(cls.created_at.desc(), cls.id.desc()))


class WheelScore(BaseModel):
    wheel = pw.ForeignKeyField(Wheel, backref="scores", on_delete="CASCADE")
    life_area = pw.ForeignKeyField(LifeArea, null=True, on_delete="SET NULL")
    area_name = pw.CharField(max_length=60)  # as the area was called when rated
    score = pw.SmallIntegerField()
    word = pw.CharField(max_length=40, default="")

    @classmethod
    def of_wheels(cls, wheel_ids):
        return cls.select().where(cls.wheel.in_(list(wheel_ids))).order_by(cls.id)


class WheelRequest(BaseModel):
    """The coach asks for a fresh wheel (say, before a session); answered by the next wheel."""
    client = pw.ForeignKeyField(User, backref="wheel_requests", on_delete="CASCADE")
    coach = pw.ForeignKeyField(User, on_delete="CASCADE")
    message = pw.CharField(max_length=300, default="")
    created_at = UTCDateTimeField(default=utcnow)
    answered_at = UTCDateTimeField(null=True)

    @classmethod
    def open_for(cls, client):
        return (cls.select().where((cls.client == client) & cls.answered_at.is_null())
                .order_by(cls.created_at.desc()))


GOAL_MODELS = [LifeArea, Goal, Step, CheckIn, GoalComment, StepSuggestion, Wheel, WheelScore, WheelRequest]
