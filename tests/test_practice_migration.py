"""Migration 012 makes the first coach of an existing install the practice's admin."""
import pytest

from database import db, make_database
from support.app import ON_POSTGRES


@pytest.mark.skipif(ON_POSTGRES, reason="needs a database at the schema before 012: a fresh SQLite file")
def test_the_first_coach_of_an_existing_install_becomes_admin(tmp_path):
    from commands import migration_router
    database = make_database(f"sqlite:///{tmp_path}/old.sqlite3")
    db.initialize(database)
    try:
        router = migration_router()
        names = router.todo
        # Rows written by an install of 008's time, so every later migration meets them.
        router.run("008_busy_source_reading")
        run = database.execute_sql
        run("INSERT INTO user (id, email, name, role, timezone, session_nonce, created_at) VALUES "
            "(1, 'jo@x', 'Jo', 'coach', 'UTC', 'n1', '2026-01-01'), (2, 'pat@x', 'Pat', 'coach', 'UTC', 'n2', '2026-01-01')")
        run("INSERT INTO coach_profile (user_id, slug, headline, intro_markdown, call_minutes, step_minutes, "
            "buffer_minutes, min_notice_hours, horizon_days, location_kind, location_detail, feed_token, "
            "feed_include_open_slots, availability_version, updated_at) VALUES "
            "(1, 'jo', 'h', 'i', 30, 30, 0, 12, 60, 'video', '', 't1', 0, 0, '2026-01-01'), "
            "(2, 'pat', 'h', 'i', 30, 30, 0, 12, 60, 'video', '', 't2', 0, 0, '2026-01-01')")
        router.run()
        from blueprints.auth.models import CoachProfile
        assert [(p.slug, p.is_admin) for p in CoachProfile.select().order_by(CoachProfile.id)] == [
            ("jo", True), ("pat", False)]
    finally:
        database.close()
