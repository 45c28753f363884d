"""A client's reflection journal: private unless an entry is shared with the coach.

Every query that a coach-facing page may use is named here and can only return shared,
undeleted entries of that coach's own clients (`shared_with`, `shared_by`).
"""
import json
from datetime import timedelta

import peewee as pw

from blueprints.auth.models import CoachProfile, User
from database import BaseModel, UTCDateTimeField, is_postgres, utcnow
from scheduling.models import CONFIRMED, Booking

MOODS = {1: "Low", 2: "Uneasy", 3: "Steady", 4: "Good", 5: "Great"}
ENERGIES = {1: "Drained", 2: "Tired", 3: "Okay", 4: "Lively", 5: "Buzzing"}
UNDO_WINDOW = timedelta(minutes=10)  # a deleted entry can be brought back this long
HOLD_FOR = timedelta(hours=12)  # a save kept across a sign-in waits this long


class JournalPrompt(BaseModel):
    """A question in the coach's library. Seeded ones carry a `seed_key` so seeding is idempotent."""
    coach = pw.ForeignKeyField(User, backref="journal_prompts", on_delete="CASCADE")
    text = pw.CharField(max_length=300)
    seed_key = pw.CharField(max_length=20, null=True)
    retired_at = UTCDateTimeField(null=True)
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("coach", "seed_key"), True),)

    @classmethod
    def library(cls, coach):
        return cls.select().where(cls.coach == coach).order_by(cls.retired_at.is_null(False), cls.id)

    @classmethod
    def active(cls, coach):
        return cls.select().where((cls.coach == coach) & cls.retired_at.is_null()).order_by(cls.id)


class JournalEntry(BaseModel):
    client = pw.ForeignKeyField(User, backref="journal_entries", on_delete="CASCADE")
    prompt = pw.CharField(max_length=300, default="")  # the question as it was asked
    prompt_source = pw.ForeignKeyField(JournalPrompt, null=True, on_delete="SET NULL")
    body = pw.TextField()
    mood = pw.SmallIntegerField(null=True)  # 1–5, see MOODS
    energy = pw.SmallIntegerField(null=True)  # 1–5, see ENERGIES
    tags = pw.CharField(max_length=600, default="")  # display copy of the entry's JournalTag names
    shared = pw.BooleanField(default=False)
    deleted_at = UTCDateTimeField(null=True)  # undo window; the worker purges it for good
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "created_at", "id"), False),)

    @property
    def tag_list(self):
        return [t for t in (s.strip() for s in self.tags.split(",")) if t]

    @property
    def mood_label(self):
        return MOODS.get(self.mood, "")

    @property
    def energy_label(self):
        return ENERGIES.get(self.energy, "")

    @classmethod
    def of_client(cls, client):
        """The client's own live entries, newest first (the author's view)."""
        return (cls.select().where((cls.client == client) & cls.deleted_at.is_null())
                .order_by(cls.created_at.desc(), cls.id.desc()))

    @classmethod
    def owned(cls, client, entry_id):
        return cls.get_or_none((cls.id == entry_id) & (cls.client == client) & cls.deleted_at.is_null())

    @classmethod
    def recently_deleted(cls, client, entry_id, now=None):
        cutoff = (now or utcnow()) - UNDO_WINDOW
        return cls.get_or_none((cls.id == entry_id) & (cls.client == client) & (cls.deleted_at > cutoff))

    @classmethod
    def purgeable(cls, now):
        return cls.delete().where(cls.deleted_at < now - UNDO_WINDOW)

    @classmethod
    def recently_saved(cls, client, body, since):
        """Was this exact text saved since `since`? (A late autosave must not bring it back as a draft.)"""
        return cls.select().where((cls.client == client) & (cls.updated_at >= since) & (cls.body == body)).exists()

    @classmethod
    def days_noted(cls, entries, since):
        """Per day of `entries` (a query of this model) from `since` on, counted from `since`:
        (day number, mood total, moods, energy total, energies, entries), in day order.

        At most one row a day, summed by the database: the mood line costs the same whether a
        day holds one entry or fifty, and no entry's text is read."""
        start = int(since.timestamp())
        if is_postgres():
            seconds = pw.fn.FLOOR(pw.fn.date_part("epoch", cls.created_at)).cast("BIGINT")
        else:
            seconds = pw.fn.strftime("%s", cls.created_at).cast("INTEGER")
        day = (seconds - start) / 86400
        return (entries.select(day.alias("day"), pw.fn.COALESCE(pw.fn.SUM(cls.mood), 0), pw.fn.COUNT(cls.mood),
                               pw.fn.COALESCE(pw.fn.SUM(cls.energy), 0), pw.fn.COUNT(cls.energy), pw.fn.COUNT(cls.id))
                .where(cls.created_at >= since).group_by(day).order_by(day).tuples())

    @classmethod
    def shared_with(cls, coach):
        """Entries the coach may read: shared, undeleted, of the coach's own clients."""
        return (
            cls.select(cls, User).join(User, on=(cls.client == User.id))
            .where(cls.shared & cls.deleted_at.is_null() & (User.coach == coach) & (User.role == "client"))
            .order_by(cls.created_at.desc(), cls.id.desc())
        )

    @classmethod
    def shared_by(cls, client, coach):
        """One client's entries as their coach may see them."""
        return cls.shared_with(coach).where(cls.client == client)


class JournalTag(BaseModel):
    """One tag on one entry: autocomplete and the tag filter read these, not the display copy."""
    entry = pw.ForeignKeyField(JournalEntry, backref="tag_rows", on_delete="CASCADE")
    client = pw.ForeignKeyField(User, on_delete="CASCADE")
    name = pw.CharField(max_length=40)

    class Meta:
        indexes = ((("entry", "name"), True), (("client", "name"), False))

    @classmethod
    def names_of(cls, client, recent=300):
        """The tags of the client's latest `recent` entries, A–Z: what autocomplete offers.

        Bounded on purpose, so the journal page costs the same after years of writing."""
        latest = JournalEntry.of_client(client).select(JournalEntry.id).limit(recent)
        return [row.name for row in cls.select(cls.name).where(cls.entry.in_(latest))
                .group_by(cls.name).order_by(cls.name)]



class JournalComment(BaseModel):
    entry = pw.ForeignKeyField(JournalEntry, backref="comments", on_delete="CASCADE")
    author = pw.ForeignKeyField(User, on_delete="CASCADE")
    body = pw.TextField()
    created_at = UTCDateTimeField(default=utcnow)

    @classmethod
    def on_entries(cls, entry_ids):
        """Comments grouped by entry id, oldest first."""
        grouped = {}
        if entry_ids:
            query = (cls.select(cls, User).join(User).where(cls.entry.in_(list(entry_ids)))
                     .order_by(cls.created_at, cls.id))
            for comment in query:
                grouped.setdefault(comment.entry_id, []).append(comment)
        return grouped


class JournalAssignment(BaseModel):
    """The prompt a coach asked a client to think about before the next session."""
    client = pw.ForeignKeyField(User, backref="journal_assignments", on_delete="CASCADE")
    coach = pw.ForeignKeyField(User, on_delete="CASCADE")
    prompt = pw.ForeignKeyField(JournalPrompt, on_delete="CASCADE")
    assigned_at = UTCDateTimeField(default=utcnow)
    cleared_at = UTCDateTimeField(null=True)

    class Meta:
        indexes = ((("client", "assigned_at"), False),)

    @classmethod
    def current(cls, client):
        return (cls.select(cls, JournalPrompt).join(JournalPrompt)
                .where((cls.client == client) & cls.cleared_at.is_null())
                .order_by(cls.assigned_at.desc(), cls.id.desc()).first())


class JournalDraft(BaseModel):
    """Autosaved form values (JSON) for a new entry (`key` "new") or an edit ("entry-<id>")."""
    client = pw.ForeignKeyField(User, on_delete="CASCADE")
    key = pw.CharField(max_length=40)
    data = pw.TextField()
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("client", "key"), True),)

    @property
    def values(self):
        return json.loads(self.data)

    @classmethod
    def find(cls, client, key):
        return cls.get_or_none((cls.client == client) & (cls.key == key))


class JournalHeldSave(BaseModel):
    """A save that arrived signed out (expired login or form): kept until the writer signs in.

    Only the browser that sent it holds the token (a cookie), so nobody can plant text in
    another person's journal by sending them a link.
    """
    token_hash = pw.CharField(max_length=64, unique=True)
    target = pw.CharField(max_length=20)  # "new" or the id of the entry being edited
    data = pw.TextField()
    trusted = pw.BooleanField(default=False)  # sent from our own pages (Origin/Referer checked)
    created_at = UTCDateTimeField(default=utcnow)

    @property
    def values(self):
        return json.loads(self.data)

    @classmethod
    def purgeable(cls, now):
        return cls.delete().where(cls.created_at < now - HOLD_FOR)


class JournalPrepEmail(BaseModel):
    """A session prep email that went to the coach: one per session and start time (a moved session
    gets its own). Written in the transaction that queues the email, so two workers send it once."""
    booking = pw.ForeignKeyField(Booking, on_delete="CASCADE")
    starts_at = UTCDateTimeField()
    queued_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("booking", "starts_at"), True),)

    @classmethod
    def unsent_sessions(cls, now, ahead):
        """Confirmed coaching sessions starting within `ahead` of `now`, whose coach asked for prep
        emails and has not had one for this session at this time yet; soonest first."""
        sent = cls.select(cls.id).where((cls.booking == Booking.id) & (cls.starts_at == Booking.starts_at))
        wants = CoachProfile.select(CoachProfile.id).where((CoachProfile.user == Booking.coach) & CoachProfile.prep_email)
        return (Booking.select().where(
            (Booking.kind == "session") & (Booking.status == CONFIRMED) & Booking.client.is_null(False)
            & (Booking.starts_at > now) & (Booking.starts_at <= now + ahead)
            & pw.fn.EXISTS(wants) & ~pw.fn.EXISTS(sent)).order_by(Booking.starts_at))


JOURNAL_MODELS = [JournalPrompt, JournalEntry, JournalTag, JournalComment, JournalAssignment,
                  JournalDraft, JournalHeldSave, JournalPrepEmail]
