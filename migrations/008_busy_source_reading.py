"""008 — what the last reading of each busy-time source found.

BusySource.skipped_count and skipped_events: events the last good reading had to leave out
(skipped_events keeps the first few as JSON: summary, day, reason) so the coach can fix them.
BusySource.own_addresses: the coach's other email addresses on that calendar, so events they
declined there do not block (their account email always counts).
"""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields(
        "busy_source",
        skipped_count=pw.IntegerField(default=0),
        skipped_events=pw.TextField(default=""),
        own_addresses=pw.TextField(default=""),
    )


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields("busy_source", "skipped_count", "skipped_events", "own_addresses")
