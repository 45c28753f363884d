"""Each coach's stamp — (profile id, availability_version, updated_at) — which cached pages key on.

Every change that can alter a coach's public pages raises `availability_version` or `updated_at`
on their profile row in its own transaction, so a page cached under a stamp is current exactly
while the stamp is. Reading it costs a query per request: a few microseconds on SQLite (a file
read in this process, on a connection each thread keeps), but on PostgreSQL a round trip plus the
server's CPU on the same cores (bench/stamp_cost.py).

So on PostgreSQL each worker keeps the stamps in memory, and a listener thread forgets them when
the database announces a change: a trigger on the profile table (migration 010) NOTIFYs on
every insert, update or delete, delivered when the change commits. Stamps are kept only while
the listener is known to be connected (it proves it at least every HEARTBEAT seconds); otherwise
every request reads from the database, as on SQLite. How long a stale page can be served after
a booking: the notification's trip to the worker (milliseconds, measured by bench/staleness.py);
at worst, when the listener's connection dies silently, 2 × HEARTBEAT. A stale page never books a
taken slot: every booking re-checks its time under the coach's lock.
"""
import logging
import os
import select
import sqlite3
import threading
import time

from database import db, is_postgres

CHANNEL = "letstalk_coach_stamp"
HEARTBEAT = 1.0  # seconds; trust in cached stamps lapses after 2 × HEARTBEAT without proof
log = logging.getLogger("letstalk.stamps")


def _read_primary():
    from blueprints.auth.models import CoachProfile
    return CoachProfile.primary_stamp()


def _read_of(profile_id):
    from blueprints.auth.models import CoachProfile
    return CoachProfile.stamp_of(profile_id)


def _reading(read, *args):
    """Run `read` on this thread's connection, opening (and closing) one only if needed."""
    if not db.is_closed():
        return read(*args)
    with db.connection_context():
        return read(*args)


class ReadEachTime:
    """Stamps straight from the database on every call (SQLite; PostgreSQL without a listener)."""

    def primary(self):
        return _reading(_read_primary)

    def of(self, profile_id):
        return _reading(_read_of, profile_id)

    def forget(self):
        pass

    def healthy(self):
        return False

    def stop(self):
        pass


class SqliteReads(ReadEachTime):
    """SQLite: each thread keeps a connection of its own for stamps (autocommit: every read
    sees the last commit); a read costs a few microseconds instead of a pool check-out."""

    def __init__(self, path):
        from blueprints.auth.models import CoachProfile
        self._path, self._sql = path, CoachProfile.stamp_sql("?")
        self._local = threading.local()

    def _connection(self):
        local = self._local
        if getattr(local, "pid", None) != os.getpid():  # never a connection from before a fork
            local.conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=True)
            local.conn.execute("PRAGMA busy_timeout = 10000")
            local.pid = os.getpid()
        return local.conn

    def primary(self):
        return self._connection().execute(self._sql[0]).fetchone()

    def of(self, profile_id):
        return self._connection().execute(self._sql[1], (profile_id,)).fetchone()


class Listened(ReadEachTime):
    """Stamps kept in this worker, forgotten on each NOTIFY; read through while not connected.

    `connect()` returns a new psycopg2 connection for the listener. The thread starts on first
    use in each process (gunicorn forks workers; threads do not survive a fork).
    """

    def __init__(self, connect, heartbeat=HEARTBEAT):
        self._connect, self._heartbeat = connect, heartbeat
        self._stamps, self._generation, self._trusted_until = {}, 0, 0.0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread, self._pid, self.backend_pid = None, None, None

    # --- what requests call ---------------------------------------------------------------

    def primary(self):
        return self._get("primary", _read_primary)

    def of(self, profile_id):
        return self._get(profile_id, _read_of, profile_id)

    def healthy(self):
        return time.monotonic() < self._trusted_until

    def forget(self):
        """This worker changed a stamp: its own next request must not see the old one."""
        with self._lock:
            self._generation += 1
            self._stamps.clear()

    def _get(self, key, read, *args):
        self._ensure_started()
        if not self.healthy():
            return _reading(read, *args)
        try:
            return self._stamps[key]
        except KeyError:
            pass
        generation = self._generation
        value = _reading(read, *args)
        with self._lock:
            # A NOTIFY that arrived during the read may be about this very row: keep nothing.
            if generation == self._generation and self.healthy():
                self._stamps[key] = value
                if value is not None:
                    self._stamps[value[0]] = value  # the primary coach's stamp is also theirs by id
        return value

    # --- the listener thread --------------------------------------------------------------

    def _ensure_started(self):
        if self._pid == os.getpid() or self._stopping.is_set():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid, self._trusted_until, self._stamps = os.getpid(), 0.0, {}
            self._thread = threading.Thread(target=self._run, name="stamp-listener", daemon=True)
            self._thread.start()

    def stop(self):
        self._stopping.set()
        self._distrust()
        if self._thread is not None and self._pid == os.getpid():
            self._thread.join(timeout=5 * self._heartbeat)

    def _distrust(self):
        with self._lock:
            self._trusted_until = 0.0
            self._generation += 1
            self._stamps.clear()

    def _run(self):
        while not self._stopping.is_set():
            conn = None
            try:
                conn = self._connect()
                conn.autocommit = True
                with conn.cursor() as cursor:
                    cursor.execute(f"LISTEN {CHANNEL}")
                self.backend_pid = conn.get_backend_pid()
                self._distrust()  # whatever changed while we were not listening is forgotten
                self._listen(conn)
            except Exception as exc:  # noqa: BLE001 - any failure: distrust, reconnect
                if not self._stopping.is_set():
                    log.warning("stamp listener lost its connection (%s); reading stamps each time", exc)
            finally:
                self._distrust()
                if conn is not None:
                    try:
                        conn.close()
                    except Exception:  # noqa: BLE001
                        pass
            self._stopping.wait(self._heartbeat)

    def _listen(self, conn):
        while not self._stopping.is_set():
            self._trust()
            readable, _, _ = select.select([conn], [], [], self._heartbeat)
            if readable:
                conn.poll()
            else:
                with conn.cursor() as cursor:  # proof of life; a dead connection raises
                    cursor.execute("SELECT 1")
            if conn.notifies:
                conn.notifies.clear()
                self.forget()

    def _trust(self):
        self._trusted_until = time.monotonic() + 2 * self._heartbeat


_store = ReadEachTime()


def store():
    return _store


def primary():
    """The stamp of the practice's first coach (the one /book speaks for), or None."""
    return _store.primary()


def of(profile_id):
    """The stamp of one coach's profile, or None when there is no such coach."""
    return _store.of(profile_id)


def forget():
    _store.forget()


def _postgres_connector():
    import psycopg2
    database = db.obj
    return lambda: psycopg2.connect(dbname=database.database, **database.connect_params)


def init_app(app):
    """Listen on PostgreSQL unless STAMP_LISTEN is off; read each time otherwise."""
    global _store
    _store.stop()
    if is_postgres():
        listen = app.config.get("STAMP_LISTEN", True)
        _store = Listened(_postgres_connector(), app.config.get("STAMP_HEARTBEAT", HEARTBEAT)) \
            if listen else ReadEachTime()
    elif db.obj.database != ":memory:":
        _store = SqliteReads(db.obj.database)
    else:
        _store = ReadEachTime()
