"""A client's reflection journal: private unless an entry is shared with the coach."""
import peewee as pw

from blueprints.auth.models import User
from database import BaseModel, UTCDateTimeField, utcnow

MOODS = {1: "Low", 2: "Uneasy", 3: "Steady", 4: "Good", 5: "Great"}


class JournalEntry(BaseModel):
    client = pw.ForeignKeyField(User, backref="journal_entries", on_delete="CASCADE")
    prompt = pw.CharField(max_length=300, default="")
    body = pw.TextField()
    mood = pw.SmallIntegerField(null=True)  # 1–5, see MOODS
    tags = pw.CharField(max_length=300, default="")  # comma-separated, lower-case
    shared = pw.BooleanField(default=False)
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)

    @property
    def tag_list(self):
        return [t for t in (s.strip() for s in self.tags.split(",")) if t]

    @property
    def mood_label(self):
        return MOODS.get(self.mood, "")

    @classmethod
    def of_client(cls, client):
        return cls.select().where(cls.client == client).order_by(cls.created_at.desc())

    @classmethod
    def shared_with(cls, coach):
        """Entries the coach may read: shared ones, of the coach's own clients."""
        return (
            cls.select(cls, User).join(User)
            .where(cls.shared & (User.coach == coach))
            .order_by(cls.created_at.desc())
        )


class JournalComment(BaseModel):
    entry = pw.ForeignKeyField(JournalEntry, backref="comments", on_delete="CASCADE")
    author = pw.ForeignKeyField(User, on_delete="CASCADE")
    body = pw.TextField()
    created_at = UTCDateTimeField(default=utcnow)
