"""The store: one Peewee database chosen by DATABASE_URL, one connection per request.

SQLite (default) runs in WAL mode with foreign keys on and a busy timeout; PostgreSQL is
supported for a practice that runs several gunicorn workers.
"""
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

import peewee as pw
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

db = pw.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
}


def utcnow():
    return datetime.now(timezone.utc)


class UTCDateTimeField(pw.DateTimeField):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC.

    Refusing naive values keeps local times from ever being stored by mistake.
    """

    def db_value(self, value):
        if value is None:
            return None
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError(f"{self.name}: naive datetime refused ({value!r})")
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return super().db_value(value)

    def python_value(self, value):
        value = super().python_value(value)
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class BaseModel(pw.Model):
    class Meta:
        database = db
        legacy_table_names = False


# Connections are pooled: "close" at the end of a request hands the connection back, so a
# request does not pay for connecting (and SQLite's pragmas) every time.
POOL = {"max_connections": 32, "stale_timeout": 300, "timeout": 10}


def make_database(url):
    """Build the Peewee database for a DATABASE_URL (sqlite:///path or postgresql://…)."""
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        # sqlite:///relative.db and sqlite:////absolute/path.db, as SQLAlchemy spells them.
        path = url.split("://", 1)[1]
        path = path[1:] if path.startswith("/") else path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # A pooled connection is used by one thread at a time, but not always the one that opened it.
        return PooledSqliteDatabase(path, pragmas=SQLITE_PRAGMAS, check_same_thread=False, **POOL)
    if parsed.scheme in {"postgres", "postgresql"}:
        from playhouse.db_url import parseresult_to_dict
        return PooledPostgresqlDatabase(**parseresult_to_dict(parsed), **POOL)
    raise ValueError(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use sqlite:/// or postgresql://)")


def is_postgres():
    return isinstance(db.obj, pw.PostgresqlDatabase)


def write_transaction():
    """A transaction that holds the write lock from its first statement.

    SQLite: BEGIN IMMEDIATE, so a read-check-write sequence cannot interleave with another
    writer. PostgreSQL: a plain transaction; callers lock the rows they re-check.
    """
    return db.atomic() if is_postgres() else db.atomic(lock_type="IMMEDIATE")


def init_app(app):
    url = app.config.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'letstalk.sqlite3'}"
    app.config["DATABASE_URL"] = url
    if db.obj is not None:
        db.obj.close_all()  # a second app in one process (tests) must not strand pooled connections
    db.initialize(make_database(url))

    @app.before_request
    def open_connection():
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def close_connection(exc):
        if not db.is_closed():
            db.close()
