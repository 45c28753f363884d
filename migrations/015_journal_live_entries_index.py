"""015 — an index of each client's live (undeleted) entries in journal order, carrying mood and
energy: the mood line of the last weeks is read from the index alone, and a filtered page walks
it without looking at deleted rows (bench/README.md, "The journal as it grows")."""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.sql("CREATE INDEX journal_entry_live ON journal_entry (client_id, created_at, id, mood, energy) "
                 "WHERE deleted_at IS NULL")


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.sql("DROP INDEX IF EXISTS journal_entry_live")
