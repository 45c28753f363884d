"""017 — the session prep email: the coach's choice (CoachProfile.prep_email, off until they turn
it on) and one row per prep email queued (JournalPrepEmail), so each session gets one."""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields("coach_profile", prep_email=pw.BooleanField(default=False))

    @migrator.create_model
    class JournalPrepEmail(pw.Model):
        id = pw.AutoField()
        booking = pw.ForeignKeyField(column_name="booking_id", field="id", model=migrator.orm["booking"],
                                     on_delete="CASCADE")
        starts_at = pw.DateTimeField()
        queued_at = pw.DateTimeField()

        class Meta:
            table_name = "journal_prep_email"
            indexes = [(("booking", "starts_at"), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("journal_prep_email")
    migrator.remove_fields("coach_profile", "prep_email")
