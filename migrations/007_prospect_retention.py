"""007 — prospect retention: when a discovery call's personal details were removed.

Booking.anonymised_at is set by the worker once a prospect who never became a client has had
their name, contact details and intake answers removed (PROSPECT_RETENTION_MONTHS after the call).
"""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields("booking", anonymised_at=pw.DateTimeField(null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields("booking", "anonymised_at")
