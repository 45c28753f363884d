"""010 — PostgreSQL announces every change of a coach's profile row (scheduling/stamps.py).

Cached public pages key on the row's availability_version and updated_at. A trigger NOTIFYs
channel `letstalk_coach_stamp` (payload: the profile id) on every insert, update or delete;
the notification is delivered when the change commits, and each worker forgets its stamps.
SQLite reads the stamp on every request and needs nothing.
"""
import peewee as pw
from peewee_migrate import Migrator

FUNCTION = """
CREATE OR REPLACE FUNCTION letstalk_coach_stamp_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('letstalk_coach_stamp', COALESCE(NEW.id, OLD.id)::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
TRIGGER = """
CREATE TRIGGER coach_profile_stamp_notify
AFTER INSERT OR UPDATE OR DELETE ON coach_profile
FOR EACH ROW EXECUTE FUNCTION letstalk_coach_stamp_notify()
"""


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    if isinstance(database, pw.PostgresqlDatabase):
        migrator.sql(FUNCTION)
        migrator.sql(TRIGGER)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    if isinstance(database, pw.PostgresqlDatabase):
        migrator.sql("DROP TRIGGER IF EXISTS coach_profile_stamp_notify ON coach_profile")
        migrator.sql("DROP FUNCTION IF EXISTS letstalk_coach_stamp_notify()")
