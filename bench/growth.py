"""A practice as it grows: the coach's pages with 100 bookings and with 100,000.

    .venv/bin/python bench/growth.py                        # SQLite
    .venv/bin/python bench/growth.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

Each size is a fresh migrated database with five coaches. Every coach has the same recent diary
(16 calls from 80 days ago to 55 days ahead: discovery calls with answers, sessions with a
session type, two cancelled) — a coach's diary holds what their week holds, however long they
have practised. The rest is history, older than the feed's 90 days: 20 calls at the small size,
99,920 at the large one (a call an hour per coach, going back years; completed, no-shows,
cancellations, half of them discovery calls with answers). Clients: 100 at the small size,
10,000 at the large one, shared out among the coaches.

Measured, signed in as the first coach, through the whole Flask app in-process (as
bench/journal.py, whose timing and database helpers this reuses): the bookings list (upcoming,
and the first page of past calls), the client list, one client's page (a client with history),
the subscription feed and the dashboard. Median of 40 after 5 warm-ups, best of the rounds,
rounds alternating between the sizes. Target: 100,000 at most 1.3× the time of 100.
"""
import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import journal as bench  # noqa: E402 - its measure(), use() and postgres_database()

PASSWORD = "bench-growth-password"
COACHES = 5
RECENT_PER_COACH = 16
SIZES = {100: 100, 100_000: 10_000}  # bookings: clients


def fill(app, bookings, clients, seed=11):
    from blueprints.coach.service import create_coach
    from database import db
    from scheduling.models import SessionType
    rng = random.Random(seed)
    with app.app_context():
        db.connect(reuse_if_open=True)
        coaches = [create_coach(f"coach{i}@bench.example", f"Coach {i}", PASSWORD) for i in range(COACHES)]
        types = {c.id: SessionType.create(coach=c, name="Deep dive", minutes=60).id for c in coaches}
        with db.atomic():
            client_ids = _clients(coaches, clients)
            history = bookings - RECENT_PER_COACH * COACHES
            rows = [*_recent(coaches, client_ids, types), *_history(coaches, client_ids, types, history, rng)]
            _insert_bookings(rows)
        db.execute_sql("ANALYZE")  # a bulk load leaves the planner without statistics
        if not db.is_closed():
            db.close()
    return coaches[0]


def _clients(coaches, n):
    from blueprints.auth.models import CLIENT, User
    by_coach = {c.id: [] for c in coaches}
    rows = [dict(email=f"client{i}@bench.example", name=f"Client {i:05d}", role=CLIENT,
                 coach=coaches[i % COACHES].id, timezone="Europe/London") for i in range(n)]
    for start in range(0, n, 500):
        User.insert_many(rows[start:start + 500]).execute()
    for user in User.select(User.id, User.coach).where(User.role == CLIENT).order_by(User.id):
        by_coach[user.coach_id].append(user.id)
    return by_coach


def _booking(coach, start, minutes, n, kind="discovery", client=None, type_id=None, status="confirmed"):
    from database import utcnow
    now = utcnow()
    return dict(coach=coach.id, client=client, kind=kind, session_type=type_id if kind == "session" else None,
                name=f"Visitor {n}", email=f"visitor{n}@bench.example", timezone="Europe/Paris", starts_at=start,
                ends_at=start + timedelta(minutes=minutes), status=status, location="Video call",
                location_kind="video", manage_token=f"bench-{n}", uid=f"bench-{n}@bench.example",
                cancelled_at=now - timedelta(days=2) if status == "cancelled" else None,
                cancelled_by="visitor" if status == "cancelled" else "", created_at=start - timedelta(days=7),
                updated_at=start - timedelta(days=7) if start < now else now - timedelta(days=1))


def _recent(coaches, client_ids, types):
    from database import utcnow
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    n = 0
    for coach in coaches:
        for i in range(RECENT_PER_COACH):
            n += 1
            start = now + timedelta(days=-80 + i * 9, hours=i % 8)
            status = "cancelled" if i in (3, 12) else ("completed" if start < now else "confirmed")
            if i % 2:
                yield _booking(coach, start, 60, f"r{n}", "session", client_ids[coach.id][0], types[coach.id], status)
            else:
                yield _booking(coach, start, 30, f"r{n}", status=status)


def _history(coaches, client_ids, types, count, rng):
    from database import utcnow
    oldest_recent = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(days=92)
    for n in range(count):
        coach = coaches[n % COACHES]
        start = oldest_recent - timedelta(hours=n // COACHES)
        status = rng.choices(["completed", "no_show", "cancelled"], [8, 1, 1])[0]
        if n % 2:
            yield _booking(coach, start, 30, f"h{n}", status=status)
        else:
            yield _booking(coach, start, 60, f"h{n}", "session", rng.choice(client_ids[coach.id]), types[coach.id],
                           status)


def _insert_bookings(rows):
    from blueprints.intake.models import IntakeAnswer
    from scheduling.models import Booking
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == 500:
            _insert_batch(batch, Booking, IntakeAnswer)
            batch = []
    if batch:
        _insert_batch(batch, Booking, IntakeAnswer)


def _insert_batch(batch, Booking, IntakeAnswer):
    Booking.insert_many(batch).execute()
    tokens = [row["manage_token"] for row in batch if row["kind"] == "discovery"]
    ids = [b.id for b in Booking.select(Booking.id).where(Booking.manage_token.in_(tokens))]
    IntakeAnswer.insert_many([dict(booking=i, question_label="What would you like to change in your working life?",
                                   answer="More meaning, fewer meetings.", position=0) for i in ids]).execute()


def prepare(url, bookings, clients):
    from app import create_app
    from blueprints.auth.models import CoachProfile, User
    from commands import migration_router
    from database import db, make_database

    class Cfg:
        DATABASE_URL = url
        SECRET_KEY = "bench"
        RATELIMIT_ENABLED = False
        WTF_CSRF_ENABLED = False  # the bench only reads; sign-in is its one POST
        SITE_URL = "http://bench.local"
        REQUEST_LOG = False

    database = make_database(url)
    db.initialize(database)
    migration_router().run()
    database.close()
    app = create_app(Cfg)
    started = time.perf_counter()
    coach = fill(app, bookings, clients)
    print(f"  {bookings:>7,} bookings, {clients:,} clients written in {time.perf_counter() - started:.1f} s",
          flush=True)
    with app.app_context(), db.connection_context():
        token = CoachProfile.get(CoachProfile.user == coach.id).feed_token
        client_id = User.select(User.id).where(User.coach == coach.id).order_by(User.id).scalar()
    client = app.test_client()
    response = client.post("/login", data={"email": coach.email, "password": PASSWORD})
    assert response.status_code in (302, 303), "sign-in failed"
    return client, {
        "bookings list (upcoming)": "/coach/bookings",
        "bookings list (past, first page)": "/coach/bookings?show=past",
        "client list": "/coach/clients",
        "a client's page": f"/coach/clients/{client_id}",
        "the coach's feed": f"/calendar/{token}.ics",
        "dashboard": "/coach",
    }


def run_sizes(urls_by_size, rounds):
    prepared = {n: (url, *prepare(url, n, SIZES[n])) for n, url in urls_by_size.items()}
    best = {n: {} for n in prepared}
    for _ in range(rounds):
        for n, (url, client, targets) in prepared.items():
            bench.use(url)
            for name, target in targets.items():
                median = bench.measure(client, target)
                best[n][name] = min(best[n].get(name, median), median)
    return best


def arguments(doc, **options):
    """A bench's command line: --postgres URL, and --NAME N for each option (its default)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="also run on PostgreSQL (a database is created next to this URL's)")
    for name, default in options.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    return parser.parse_args()


def table(header, rows):
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def on_each_database(measure, postgres, label, *args):
    """{"sqlite": measure(url, *args)[, "postgres": …]}: a fresh database each (PostgreSQL's is
    created next to `postgres` and dropped afterwards), with the load average before and after."""
    print(f"load average: {os.getloadavg()[0]:.2f}", flush=True)
    results = {"sqlite": measure(f"sqlite:///{tempfile.mkdtemp(prefix=f'{label}-bench-')}/bench.sqlite3", *args)}
    if postgres:
        url, drop = bench.postgres_database(postgres, label)
        try:
            results["postgres"] = measure(url, *args)
        finally:
            drop()
    print(f"load average: {os.getloadavg()[0]:.2f}\n")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="also run on PostgreSQL (a database is created next to this URL's)")
    parser.add_argument("--postgres-only", action="store_true", help="skip SQLite")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    backends = [] if args.postgres and args.postgres_only else ["sqlite"]
    if args.postgres:
        backends.append("postgres")
    print(f"load average: {os.getloadavg()[0]:.2f}", flush=True)
    report = {}
    for backend in backends:
        print(f"{backend}:", flush=True)
        cleanups, urls_by_size = [], {}
        for n in SIZES:
            if backend == "sqlite":
                urls_by_size[n] = f"sqlite:///{tempfile.mkdtemp(prefix='growth-bench-')}/bench.sqlite3"
            else:
                urls_by_size[n], drop = bench.postgres_database(args.postgres, f"growth_{n}")
                cleanups.append(drop)
        try:
            report[backend] = run_sizes(urls_by_size, args.rounds)
        finally:
            for drop in cleanups:
                drop()
    small, large = SIZES
    print(f"\nload average: {os.getloadavg()[0]:.2f}\n")
    print(f"| page | database | {small:,} bookings | {large:,} bookings | ratio (target ≤ 1.3×) |")
    print("|---|---|---|---|---|")
    for backend, results in report.items():
        for name in results[small]:
            a, b = results[small][name], results[large][name]
            print(f"| {name} | {backend} | {a:.2f} ms | {b:.2f} ms | **{b / a:.2f}×**{'' if b / a <= 1.3 else ' ❌'} |")


if __name__ == "__main__":
    main()
