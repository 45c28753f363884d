"""011 — indexes that match the queries of long lists (bench/growth.py: 100 → 100,000 bookings).

- booking (coach_id, ends_at): a coach's upcoming calls (ends_at > now) and their feed's window
  (ends_at ≥ now − 90 days) without reading their whole history;
- booking (coach_id, status, starts_at): the cancelled tab, newest first, a page at a time;
- booking (coach_id, cancelled_at): when a cancelled call last left the feed;
- user (coach_id, name, id): the coach's clients by name, a keyset page at a time.
"""
import peewee as pw
from peewee_migrate import Migrator

INDEXES = (
    ("booking", ("coach_id", "ends_at")),
    ("booking", ("coach_id", "status", "starts_at")),
    ("booking", ("coach_id", "cancelled_at")),
    ("user", ("coach_id", "name", "id")),
)


def _name(table, columns):
    return f"{table}_{'_'.join(columns)}"


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    for table, columns in INDEXES:
        migrator.sql(f'CREATE INDEX IF NOT EXISTS "{_name(table, columns)}" ON "{table}" '
                     f'({", ".join(columns)})')


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    for table, columns in INDEXES:
        migrator.sql(f'DROP INDEX IF EXISTS "{_name(table, columns)}"')
