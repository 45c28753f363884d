"""006 — a coach's time zone is stored once, on their user row (it was also on coach_profile).

The two were written together; where they differ, the profile's zone is the one the slot
engine used, so it is the one kept.
"""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.sql('UPDATE "user" SET timezone = (SELECT coach_profile.timezone FROM coach_profile '
                 'WHERE coach_profile.user_id = "user".id) '
                 'WHERE id IN (SELECT user_id FROM coach_profile)')
    migrator.remove_fields("coach_profile", "timezone")


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields("coach_profile", timezone=pw.CharField(default="Europe/London", max_length=64))
    migrator.sql('UPDATE coach_profile SET timezone = (SELECT "user".timezone FROM "user" '
                 'WHERE "user".id = coach_profile.user_id)')
