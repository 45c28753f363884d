"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from datetime import datetime, timedelta, timezone

import peewee as pw
import pytest

from database import db
from models import ALL_MODELS
from support.app import ON_POSTGRES


def columns(table):
    return {c.name: c for c in db.get_columns(table)}


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m._meta.table_name)
def test_migrated_columns_match_model(app, model):
    table = model._meta.table_name
    actual = columns(table)
    expected = {f.column_name: f for f in model._meta.sorted_fields}
    assert set(actual) == set(expected)
    for name, field in expected.items():
        assert actual[name].null == field.null, f"{table}.{name} nullability"
        assert actual[name].primary_key == field.primary_key, f"{table}.{name} primary key"


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m._meta.table_name)
def test_migrated_indexes_and_foreign_keys_match_model(app, model):
    table = model._meta.table_name
    indexes = db.get_indexes(table)
    unique_sets = {tuple(i.columns) for i in indexes if i.unique}
    all_sets = {tuple(i.columns) for i in indexes}
    for field in model._meta.sorted_fields:
        if field.unique and not field.primary_key:
            assert (field.column_name,) in unique_sets, f"{table}.{field.name} unique"
        elif field.index and not field.primary_key and not isinstance(field, pw.ForeignKeyField):
            assert (field.column_name,) in all_sets, f"{table}.{field.name} index"
    for fields, unique in model._meta.indexes:
        cols = tuple(model._meta.fields[f].column_name for f in fields)
        assert cols in (unique_sets if unique else all_sets), f"{table} index {cols}"
    expected_fks = {f.column_name: f.rel_model._meta.table_name
                    for f in model._meta.sorted_fields if isinstance(f, pw.ForeignKeyField)}
    actual_fks = {fk.column: fk.dest_table for fk in db.get_foreign_keys(table)}
    assert actual_fks == expected_fks


def test_no_table_is_missing_or_extra(app):
    # SQLite's full-text index is a virtual table with shadow tables of its own (journal_entry_fts*).
    tables = {t for t in db.get_tables() if not t.startswith("journal_entry_fts")} - {"migratehistory"}
    assert tables == {m._meta.table_name for m in ALL_MODELS}


def test_upgrade_is_safe_to_repeat(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output
    status = runner.invoke(args=["db", "status"])
    assert "applied  001_initial" in status.output and "pending" not in status.output
    assert "applied  007_prospect_retention" in status.output


# peewee_migrate records an applied migration by its file name: renaming one that has shipped
# would run it again on every existing database. So the two 007s (from two branches landing the
# same day) keep their names, and are applied in name order; no other number may be taken twice.
SHIPPED_TWICE = {"007"}


def test_each_migration_number_is_taken_once():
    from commands import MIGRATIONS
    numbers = [path.name[:3] for path in MIGRATIONS.glob("[0-9][0-9][0-9]_*.py")]
    taken_twice = {number for number in numbers if numbers.count(number) > 1}
    assert taken_twice <= SHIPPED_TWICE, f"migration number {sorted(taken_twice - SHIPPED_TWICE)} taken twice: renumber yours"


@pytest.mark.skipif(ON_POSTGRES, reason="a fresh SQLite file; PostgreSQL's schema is migrated per session")
def test_upgrade_builds_an_empty_database(tmp_path):
    from app import create_app
    from support.app import TestConfig
    url = f"sqlite:///{tmp_path}/fresh.sqlite3"
    app = create_app(type("Cfg", (TestConfig,), {"DATABASE_URL": url}))
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    from commands import MIGRATIONS
    files = len([p for p in MIGRATIONS.glob("[0-9][0-9][0-9]_*.py")])
    assert result.exit_code == 0 and f"Applied {files} migration" in result.output
    assert "booking" in db.get_tables()


@pytest.mark.skipif(ON_POSTGRES, reason="a fresh SQLite file; PostgreSQL's schema is migrated per session")
def test_006_keeps_the_zone_the_slot_engine_used(tmp_path):
    """Before 006 a coach's zone was on coach_profile and user; the profile's is the one kept."""
    from commands import migration_router
    from database import make_database
    database = make_database(f"sqlite:///{tmp_path}/old.sqlite3")
    db.initialize(database)
    router = migration_router()
    router.run("001_initial")
    database.execute_sql("INSERT INTO \"user\" (email, name, role, timezone, session_nonce, created_at) VALUES "
                         "('c@example.com', 'C', 'coach', 'Europe/London', 'n', '2026-01-01 00:00:00'), "
                         "('k@example.com', 'K', 'client', 'Asia/Tokyo', 'm', '2026-01-01 00:00:00')")
    database.execute_sql("INSERT INTO coach_profile (user_id, slug, headline, intro_markdown, timezone, call_minutes, "
                         "step_minutes, buffer_minutes, min_notice_hours, horizon_days, location_kind, location_detail, "
                         "feed_token, feed_include_open_slots, availability_version, updated_at) VALUES (1, 'c', 'h', 'i', "
                         "'America/Chicago', 30, 30, 0, 12, 60, 'video', '', 't', 0, 0, '2026-01-01 00:00:00')")
    router.run()
    zones = dict(database.execute_sql('SELECT email, timezone FROM "user"').fetchall())
    assert zones == {"c@example.com": "America/Chicago", "k@example.com": "Asia/Tokyo"}
    assert "timezone" not in {column.name for column in database.get_columns("coach_profile")}
    database.close()


def test_database_refuses_two_active_bookings_at_the_same_time(app, users):
    from scheduling.models import Booking
    start = datetime(2030, 1, 7, 9, tzinfo=timezone.utc)

    def book(starts, minutes=30, status="confirmed", n=[0]):
        n[0] += 1
        return Booking.create(coach=users["coach"], name="V", email=f"v{n[0]}@example.com", timezone="UTC",
                              starts_at=starts, ends_at=starts + timedelta(minutes=minutes),
                              uid=f"u{n[0]}@test", status=status)

    book(start)
    with pytest.raises(pw.IntegrityError):
        with db.atomic():
            book(start)
    # Cancelled bookings do not hold the time; another coach's bookings never clash.
    book(start, status="cancelled")
    Booking.create(coach=users["other_coach"], name="W", email="w@example.com", timezone="UTC",
                   starts_at=start, ends_at=start + timedelta(minutes=30), uid="other@test")


@pytest.mark.skipif(not ON_POSTGRES, reason="the exclusion constraint is PostgreSQL's")
def test_postgres_refuses_overlapping_ranges_not_just_equal_starts(app, users):
    from scheduling.models import Booking
    start = datetime(2030, 1, 7, 9, tzinfo=timezone.utc)
    Booking.create(coach=users["coach"], name="V", email="a@example.com", timezone="UTC",
                   starts_at=start, ends_at=start + timedelta(minutes=60), uid="a@test")
    with pytest.raises(pw.IntegrityError):
        with db.atomic():
            Booking.create(coach=users["coach"], name="V", email="b@example.com", timezone="UTC",
                           starts_at=start + timedelta(minutes=30), ends_at=start + timedelta(minutes=90), uid="b@test")


@pytest.mark.skipif(ON_POSTGRES, reason="a fresh SQLite file; PostgreSQL's schema is migrated per session")
def test_013_rewords_only_the_untouched_default_intro(tmp_path):
    """The old default intro opened with the headline's words; a coach's own text is left alone."""
    import importlib.util

    from blueprints.auth.models import DEFAULT_INTRO
    from commands import MIGRATIONS, migration_router
    from database import make_database
    spec = importlib.util.spec_from_file_location("m013", MIGRATIONS / "013_landing_intro.py")
    m013 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m013)
    database = make_database(f"sqlite:///{tmp_path}/old.sqlite3")
    db.initialize(database)
    router = migration_router()
    router.run("008_busy_source_reading")
    database.execute_sql("INSERT INTO \"user\" (email, name, role, timezone, session_nonce, created_at) VALUES "
                         "('c@example.com', 'C', 'coach', 'Europe/London', 'n', '2026-01-01 00:00:00'), "
                         "('d@example.com', 'D', 'coach', 'Europe/London', 'm', '2026-01-01 00:00:00')")
    for user_id, intro in ((1, m013.OLD_START + m013.REST), (2, "My own words.")):
        database.execute_sql(
            "INSERT INTO coach_profile (user_id, slug, headline, intro_markdown, call_minutes, step_minutes, "
            "buffer_minutes, min_notice_hours, horizon_days, location_kind, location_detail, feed_token, "
            "feed_include_open_slots, availability_version, updated_at) VALUES "
            "(?, ?, 'h', ?, 30, 30, 0, 12, 60, 'video', '', ?, 0, 0, '2026-01-01 00:00:00')",
            (user_id, f"c{user_id}", intro, f"t{user_id}"))
    router.run()
    intros = dict(database.execute_sql("SELECT user_id, intro_markdown FROM coach_profile").fetchall())
    assert intros == {1: DEFAULT_INTRO, 2: "My own words."}
    database.close()
