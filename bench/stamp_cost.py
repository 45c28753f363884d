"""What one check of a coach's stamp costs, for each way /book could know it is still current.

    .venv/bin/python bench/stamp_cost.py [--postgres URL] [--redis 127.0.0.1:6379] [--calls 20000]

Each way is timed over many calls in this process: wall time, this process's CPU, and the CPU of
the server that answered (the PostgreSQL backend or redis-server, from /proc): on a 2-core machine
the server's CPU is taken from gunicorn's workers just the same. The stamp is read from a migrated
database with one coach. Redis is spoken to over a plain socket (RESP), so no client library is
needed to measure it.
"""
import argparse
import os
import socket
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixtures  # noqa: E402
from servers import proc_cpu_seconds  # noqa: E402

SQL = "SELECT id, availability_version, updated_at FROM coach_profile ORDER BY id LIMIT 1"


def timed(name, call, calls, server_pid=None):
    for _ in range(200):
        call()
    server_before = proc_cpu_seconds(server_pid) if server_pid else 0.0
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        call()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    server = (proc_cpu_seconds(server_pid) - server_before) if server_pid else 0.0
    row = {"way": name, "wall_us": wall / calls * 1e6, "cpu_us": cpu / calls * 1e6,
           "server_cpu_us": server / calls * 1e6}
    print(f"  {name:<58} wall {row['wall_us']:7.1f} µs  our CPU {row['cpu_us']:6.1f} µs  "
          f"server CPU {row['server_cpu_us']:6.1f} µs", flush=True)
    return row


def peewee_ways(url, calls):
    from database import db
    from scheduling import stamps
    side = fixtures.AppSide(url)  # noqa: F841 - initialises the database proxy for `url`
    rows = [timed("peewee pool: check out, SELECT, hand back (/book before)",
                  stamps.ReadEachTime().primary, calls, _backend_pid(db) if "postgres" in url else None)]
    db.close_all()
    return rows


def _backend_pid(db):
    with db.connection_context():
        return db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]


def sqlite_ways(path, calls):
    rows = peewee_ways(f"sqlite:///{path}", calls)
    conn = sqlite3.connect(path, isolation_level=None)
    rows.append(timed("sqlite3, one connection kept, autocommit SELECT", lambda: conn.execute(SQL).fetchone(), calls))
    wal = f"{path}-wal"
    rows.append(timed("os.stat of the WAL file (a change detector, not a read)", lambda: os.stat(wal), calls))
    return rows


def postgres_ways(url, calls):
    import psycopg2
    rows = peewee_ways(url, calls)
    conn = psycopg2.connect(url)
    cursor = conn.cursor()
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
    conn.commit()

    def in_transaction():
        cursor.execute(SQL)  # psycopg2 sends BEGIN first
        cursor.fetchone()
        conn.rollback()
    rows.append(timed("psycopg2: BEGIN; SELECT; ROLLBACK", in_transaction, calls, pid))
    conn.autocommit = True

    def autocommit():
        cursor.execute(SQL)
        cursor.fetchone()
    rows.append(timed("psycopg2 autocommit: one SELECT", autocommit, calls, pid))
    cursor.execute(f"PREPARE stamp AS {SQL}")

    def prepared():
        cursor.execute("EXECUTE stamp")
        cursor.fetchone()
    rows.append(timed("psycopg2 autocommit: EXECUTE of a prepared SELECT", prepared, calls, pid))
    conn.close()
    from scheduling import stamps
    listened = stamps.Listened(lambda: psycopg2.connect(url))
    fixtures.AppSide(url)
    deadline = time.monotonic() + 10
    listened.primary()
    while not listened.healthy() and time.monotonic() < deadline:
        time.sleep(0.05)
    listened.primary()
    rows.append(timed("LISTEN/NOTIFY: the stamp kept in this worker (chosen)", listened.primary, calls))
    listened.stop()
    return rows


def redis_ways(address, calls):
    host, port = address.rsplit(":", 1)
    try:
        sock = socket.create_connection((host, int(port)), timeout=2)
    except OSError as exc:
        print(f"  redis at {address}: {exc} — skipped")
        return []
    sock.sendall(b"SET letstalk:bench:stamp 1:42:2026-11-29T10:00:00\r\n")
    sock.recv(64)
    pid = _redis_pid(sock)

    def get():
        sock.sendall(b"GET letstalk:bench:stamp\r\n")
        sock.recv(256)
    rows = [timed("redis GET over loopback (a shared version store)", get, calls, pid)]
    sock.sendall(b"DEL letstalk:bench:stamp\r\n")
    sock.recv(64)
    sock.close()
    return rows


def _redis_pid(sock):
    sock.sendall(b"INFO server\r\n")
    time.sleep(0.05)
    info = sock.recv(65536).decode("latin-1")
    line = next((ln for ln in info.splitlines() if ln.startswith("process_id:")), None)
    return int(line.split(":")[1]) if line else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL")
    parser.add_argument("--redis", default="127.0.0.1:6379")
    parser.add_argument("--calls", type=int, default=20000)
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="letstalk-stamp-") as tmp:
        path = f"{tmp}/stamp.sqlite3"
        fixtures.migrate_and_seed(f"sqlite:///{path}")
        print("SQLite:")
        sqlite_ways(path, args.calls)
    if args.postgres:
        with fixtures.postgres_database(args.postgres) as url:
            fixtures.migrate_and_seed(url)
            print("PostgreSQL:")
            postgres_ways(url, args.calls)
    print("Redis:")
    redis_ways(args.redis, args.calls)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
