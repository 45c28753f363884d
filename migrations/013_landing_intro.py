"""013 — the default landing-page intro no longer repeats the headline as its first sentence.

Only profiles still carrying the old default word for word are changed; a coach's own text is theirs.
"""
import peewee as pw
from peewee_migrate import Migrator

OLD_START = ("Whether you call it a job or a career, what matters is that work gives you what you need\n"
             "for your whole life: enough money, yes, but also time, energy, people you like and a reason\n"
             "to get up in the morning.\n")
NEW_START = ("What matters is that work gives you what you need for your whole life: enough money, yes,\n"
             "but also time, energy, people you like and a reason to get up in the morning.\n")
REST = """
If something about your working life doesn't fit any more — or you're not sure what you want
next — a short, free discovery call is a good place to start. We'll talk about where you
are, where you'd like to be, and whether coaching with me is the right way to get there.

No preparation, no obligation.
"""


def _replace(migrator, database, old, new):
    mark = database.param  # "?" on SQLite, "%s" on PostgreSQL
    migrator.sql(f"UPDATE coach_profile SET intro_markdown = {mark} WHERE intro_markdown = {mark}",
                 new + REST, old + REST)


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    _replace(migrator, database, OLD_START, NEW_START)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    _replace(migrator, database, NEW_START, OLD_START)
