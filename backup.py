"""Backups and restores of the practice's database.

SQLite: SQLite's online backup API copies the live database page by page into a new file; the
copy is one consistent snapshot even while gunicorn keeps writing (WAL mode lets readers and
the backup run beside a writer). Restoring uses the same API the other way round, so a running
site sees the restored data on its next query instead of a file swapped under its feet.

PostgreSQL: `pg_dump --format=custom` (a consistent snapshot too: it runs in one repeatable-read
transaction) and `pg_restore --clean`. When the client tools are not installed we say how to
get and use them instead of guessing.
"""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says what to do."""


def sqlite_path(url):
    """The file behind a sqlite:/// URL (same spelling rules as database.make_database)."""
    path = url.split("://", 1)[1]
    path = path[1:] if path.startswith("/") else path
    if path in ("", ":memory:"):
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(path)


def is_postgres_url(url):
    return urlsplit(url).scheme in {"postgres", "postgresql"}


# --- SQLite ---------------------------------------------------------------------------------

def _check_sqlite_file(path):
    """Refuse anything that is not a healthy database of this app."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be opened as an SQLite database: {exc}") from exc
    try:
        (result,) = conn.execute("PRAGMA integrity_check").fetchone()
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not an SQLite database: {exc}") from exc
    finally:
        conn.close()
    if result != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}")
    if not {"migratehistory", "user", "booking"} <= tables:
        raise BackupError(f"{path} is not a backup of this site (its tables are missing).")


def backup_sqlite(source, destination):
    """Copy the live database `source` to `destination` (written beside it, then renamed in)."""
    destination = Path(destination)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        # pages=-1: the whole database in one step, so no writer can slip in between steps
        # and make the backup start over.
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
    finally:
        dst.close()
        src.close()
    _check_sqlite_file(partial)
    os.replace(partial, destination)
    return destination


def restore_sqlite(backup, target):
    """Replace the contents of the database `target` with the backup file, in one transaction."""
    _check_sqlite_file(backup)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=WAL")  # the site runs in WAL mode (database.SQLITE_PRAGMAS)
    finally:
        dst.close()
        src.close()


# --- PostgreSQL -----------------------------------------------------------------------------

PG_HELP = (
    "PostgreSQL is backed up with its own tools; install the client tools matching your server "
    "(Debian/Ubuntu: apt-get install postgresql-client) and run\n"
    "  pg_dump --format=custom --file=letstalk.dump \"$DATABASE_URL\"\n"
    "and to restore\n"
    "  pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" letstalk.dump\n"
    "`flask --app app backup PATH` and `restore PATH` run exactly these when the tools are installed."
)


def _pg_tool(name):
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed.\n{PG_HELP}")
    return tool


def _libpq_url(url):
    """pg_dump understands postgresql:// but not SQLAlchemy's postgres:// spelling."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


def _run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed:\n{result.stderr.strip()}")
    return result


def backup_postgres(url, destination):
    destination = Path(destination)
    partial = destination.with_name(destination.name + ".partial")
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", _libpq_url(url)])
    os.replace(partial, destination)
    return destination


def restore_postgres(url, backup):
    _run([_pg_tool("pg_restore"), "--list", str(backup)])  # refuses a file that is not a dump
    _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          f"--dbname={_libpq_url(url)}", str(backup)])


# --- what the commands call -----------------------------------------------------------------

def backup(url, destination):
    if is_postgres_url(url):
        return backup_postgres(url, destination)
    return backup_sqlite(sqlite_path(url), destination)


def restore(url, backup_file):
    if not Path(backup_file).is_file():
        raise BackupError(f"{backup_file} does not exist.")
    if is_postgres_url(url):
        return restore_postgres(url, backup_file)
    return restore_sqlite(backup_file, sqlite_path(url))


def describe(url):
    """The database named for a person: a file path, or host/name without the password."""
    if is_postgres_url(url):
        parts = urlsplit(url)
        return f"PostgreSQL database {parts.path.lstrip('/')} on {parts.hostname or 'localhost'}"
    return str(sqlite_path(url))
