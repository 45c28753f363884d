"""`flask --app app backup` / `restore`, and the restore drill on SQLite and PostgreSQL.

The drill is what an operator would live through: visitors keep booking through the real
gunicorn server while the backup runs, the database is lost, the backup is restored, and every
booking a visitor was told about before the backup began is back — readable on its own page.
"""
import os
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import timedelta

import pytest

from support.app import ON_POSTGRES, ROOT
from support.booking import free_slots, iso, make_booking, open_all_week, questions
from support.servers import form_page, http_visitor, post_booking

pytestmark = pytest.mark.slow


def flask_cli(database_url, *args, input=None):
    """The real command line, in its own process, as cron or an operator runs it."""
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="drill-secret")
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                          input=input, capture_output=True, text=True, timeout=120)


class Visitors:
    """Two visitors booking one slot after another; each acknowledged booking is remembered."""

    def __init__(self, base, coach, slots):
        change, heard = questions(coach)[:2]
        self.base, self.slots, self.acknowledged = base, slots, []
        self.fields = {"tz": "Europe/London", "consent": "y", f"q{change.id}": "Drill answer", f"q{heard.id}": ""}
        self.lock = threading.Lock()

    def run(self, lane):
        opener = http_visitor()
        for index, slot in enumerate(self.slots[lane::2]):
            token = form_page(opener, self.base, slot.start)
            data = dict(self.fields, csrf_token=token, start=iso(slot.start), name=f"Drill visitor {lane}-{index}",
                        email=f"drill{lane}-{index}@example.org")
            status, body = post_booking(opener, self.base, data)
            assert status == 303, body[:300]
            with self.lock:
                self.acknowledged.append((time.monotonic(), data["name"]))

    def start(self):
        self.threads = [threading.Thread(target=self.run, args=(lane,)) for lane in (0, 1)]
        for thread in self.threads:
            thread.start()

    def join(self):
        for thread in self.threads:
            thread.join(timeout=120)

    def before(self, moment):
        with self.lock:
            return {name for at, name in self.acknowledged if at < moment}


def wipe(database_url):
    """The disaster: every table gone."""
    from database import db, make_database
    if db.obj is not None:
        db.obj.close_all()
    database = make_database(database_url)
    if ON_POSTGRES:
        database.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    else:
        database.execute_sql("PRAGMA foreign_keys = OFF")  # drop in any order, as a disaster would
        for table in database.get_tables():
            # IF EXISTS: dropping a full-text (virtual) table drops its shadow tables with it.
            database.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
    assert database.get_tables() == []
    database.close()


def restored_bookings(database_url):
    """name -> (booking, answers, outbox rows to the visitor), read from the restored database."""
    from database import make_database
    database = make_database(database_url)
    rows = database.execute_sql(
        "SELECT b.name, b.manage_token, (SELECT COUNT(*) FROM intake_answer a WHERE a.booking_id = b.id),"
        " (SELECT COUNT(*) FROM outbox_message m WHERE m.to_addr = b.email) FROM booking b").fetchall()
    database.close()
    return {name: (token, answers, mails) for name, token, answers, mails in rows}


def page(base, path):
    with urllib.request.urlopen(base + path, timeout=20) as response:
        return response.status, response.read().decode()


def test_restore_drill_every_acknowledged_booking_survives(live_server, users, database_url, tmp_path):
    coach = users["coach"]
    open_all_week(coach)
    slots = free_slots(coach, hours=48)[:30]
    visitors = Visitors(live_server, coach, slots)
    visitors.start()
    while len(visitors.before(time.monotonic())) < 6:
        time.sleep(0.05)

    backup_started = time.monotonic()
    result = flask_cli(database_url, "backup", str(tmp_path / "drill.backup"))
    assert result.returncode == 0, result.stderr
    assert "Backed up to" in result.stdout
    visitors.join()

    promised = visitors.before(backup_started)
    assert len(promised) >= 6
    assert len(visitors.acknowledged) == len(slots)  # the site kept taking bookings during the backup

    wipe(database_url)
    restore = flask_cli(database_url, "restore", str(tmp_path / "drill.backup"), "--yes")
    assert restore.returncode == 0, restore.stderr

    restored = restored_bookings(database_url)
    assert promised <= set(restored)
    # A consistent snapshot: each booking came back with its answers and its confirmation email.
    for name, (token, answers, mails) in restored.items():
        assert answers >= 1 and mails >= 1, name
    # The running site serves the restored bookings to the people holding their links.
    for name in promised:
        status, body = page(live_server, f"/booking/{restored[name][0]}")
        assert status == 200 and name in body


def test_backup_refuses_to_overwrite_without_force(app, users, database_url, tmp_path):
    target = tmp_path / "existing.backup"
    target.write_text("yesterday's backup")
    result = flask_cli(database_url, "backup", str(target))
    assert result.returncode != 0 and "--force" in result.stderr
    assert target.read_text() == "yesterday's backup"
    forced = flask_cli(database_url, "backup", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_bytes() != b"yesterday's backup"


def test_restore_asks_first_and_keeps_data_when_declined(app, users, database_url, tmp_path):
    assert flask_cli(database_url, "backup", str(tmp_path / "b")).returncode == 0
    make_booking(users["coach"], _soon(), name="After Backup")
    declined = flask_cli(database_url, "restore", str(tmp_path / "b"), input="n\n")
    assert declined.returncode != 0 and "Nothing restored" in declined.stderr
    assert "After Backup" in restored_bookings(database_url)

    accepted = flask_cli(database_url, "restore", str(tmp_path / "b"), input="y\n")
    assert accepted.returncode == 0, accepted.stderr
    assert "After Backup" not in restored_bookings(database_url)
    assert {"coach@example.com", "alex@example.com"} <= emails(database_url)


def test_restore_refuses_a_file_that_is_not_a_backup(app, users, database_url, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database at all\n" * 100)
    result = flask_cli(database_url, "restore", str(junk), "--yes")
    assert result.returncode != 0
    assert "not" in result.stderr.lower()
    assert "coach@example.com" in emails(database_url)  # nothing was touched
    missing = flask_cli(database_url, "restore", str(tmp_path / "nope.backup"), "--yes")
    assert missing.returncode != 0 and "does not exist" in missing.stderr


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump is PostgreSQL's")
def test_postgres_without_pg_dump_explains_how(database_url, app, tmp_path):
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="x", PATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "backup", str(tmp_path / "b")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "pg_dump is not installed" in result.stderr and "pg_dump --format=custom" in result.stderr


def _soon():
    from database import utcnow
    return utcnow().replace(microsecond=0) + timedelta(days=3)


def emails(database_url):
    from database import make_database
    database = make_database(database_url)
    found = {row[0] for row in database.execute_sql('SELECT email FROM "user"').fetchall()}
    database.close()
    return found
