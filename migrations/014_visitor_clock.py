"""014 — Booking.hour12: the clock the visitor reads (12- or 24-hour), so their emails, sent later
by the worker, show times as their pages did."""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields("booking", hour12=pw.BooleanField(default=False))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields("booking", "hour12")
