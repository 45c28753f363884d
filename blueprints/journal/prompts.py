"""The prompt library every coach starts with, in the practice's voice: work and the rest of
life, together. Seeded once per coach; the coach then edits, adds and retires their own."""
import peewee as pw

from blueprints.journal.models import JournalPrompt
from database import db

SEED_PROMPTS = [
    "What do you need from work right now that you aren't getting?",
    "What have you been tolerating?",
    "What would need to be true for Monday morning to feel okay?",
    "Where did work and home pull against each other this week — and where did they help each other?",
    "What went differently than you expected?",
    "What do you most want from our next session?",
    "When did you feel most like yourself this week, at work or away from it?",
    "What gave you energy this week, and what drained it?",
    "What are you saying yes to that you would rather say no to?",
    "If your working week had one more free hour, what would you do with it?",
    "What would the people closest to you say you need right now?",
    "Which part of your job would you keep if you could keep only one?",
    "What did you avoid this week, and what did avoiding it cost you?",
    "What small step did you take toward what you want — however small?",
    "What does a good enough week look like for you, at work and at home?",
    "Whose expectations are you living up to at the moment — and are they yours?",
    "What are you learning about yourself from a difficult moment this week?",
    "What would you try if you knew it couldn't go badly wrong?",
    "Where did you notice your body telling you something about your work?",
    "What would you like to have said, and to whom?",
]


def ensure_library(coach):
    """Seed the coach's library if it never was; safe to call on every visit and concurrently."""
    coach_id = getattr(coach, "id", coach)
    if JournalPrompt.select().where(
            (JournalPrompt.coach == coach_id) & JournalPrompt.seed_key.is_null(False)).exists():
        return
    try:
        with db.atomic():
            for number, text in enumerate(SEED_PROMPTS, start=1):
                JournalPrompt.create(coach=coach_id, text=text, seed_key=f"seed-{number:02d}")
    except pw.IntegrityError:
        pass  # another request seeded it a moment ago (unique coach + seed_key)
