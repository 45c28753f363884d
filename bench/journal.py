"""Journal at scale: the first page of /journal and a search, with 100 entries and with 100,000.

    .venv/bin/python bench/journal.py                       # SQLite
    .venv/bin/python bench/journal.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

For each size, a fresh migrated database (SQLite file, or a PostgreSQL database of its own that
is dropped afterwards) gets one coach and one client whose journal spans the years (one entry
every ~30 minutes, three of ten tags each, Markdown bodies of 40–120 words drawn from a
1,500-word vocabulary, a quarter of them containing the searched word), so every measured page
shows a full page of 20 entries at both sizes. Requests go through the whole Flask app in-process (test client, signed in as the
client, CSRF and rate limits as configured), so the number is the app's own cost: routing,
queries, template rendering — no network and no gunicorn. Each URL: 5 warm-up requests, then
40 measured, in 5 rounds that alternate between the sizes (a busy moment of the machine hits
both); the best round's median is reported. Target: 100,000 entries at most 1.3x the time of 100.
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ["DOTENV_PATH"] = os.devnull
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-journal-password"
WORD = "lighthouse"  # in a quarter of the entries: every size fills a whole page of results
URLS = {
    "first page": "/journal",
    "search (a word in 25% of entries)": f"/journal?q={WORD}",
    "search, word prefix": f"/journal?q={WORD[:5]}",
    "tag filter (30% of entries)": "/journal?tag=family",
    "50th page (keyset cursor)": None,  # filled in once the data exists; compared with the first page
}


def vocabulary(rng):
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "sen", "dar", "pel", "tri", "gon", "shi", "bel"]
    words = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(3000)}
    return sorted(words)[:1500] + ["work", "home", "manager", "team", "sleep", "family", "money", "time"]


def make_entries(client_id, n, rng, words):
    from database import utcnow
    now = utcnow()
    tags_pool = ["work", "family", "health", "money", "team", "sleep", "learning", "boundaries", "kids", "ideas"]
    for i in range(n):
        body_words = [rng.choice(words) for _ in range(rng.randint(40, 120))]
        if rng.random() < 0.25:
            body_words.insert(rng.randrange(len(body_words)), WORD)
        body = " ".join(body_words[:20]) + ".\n\n- " + " ".join(body_words[20:]) + " *really*."
        tags = rng.sample(tags_pool, 3)
        at = now - timedelta(minutes=30 * i + rng.randint(0, 20))
        yield dict(client=client_id, body=body, prompt="", mood=rng.randint(1, 5), energy=rng.randint(1, 5),
                   tags=", ".join(tags), shared=rng.random() < 0.2, created_at=at, updated_at=at), tags


def fill(app, n, seed=7):
    from blueprints.auth.service import create_client
    from blueprints.coach.service import create_coach
    from blueprints.journal.models import JournalEntry, JournalTag
    from database import db
    rng = random.Random(seed)
    words = vocabulary(rng)
    with app.app_context():
        db.connect(reuse_if_open=True)
        coach = create_coach("coach@bench.example", "Bench Coach", PASSWORD, "Europe/London")
        client = create_client(coach, "client@bench.example", "Bench Client", PASSWORD)
        batch = []
        with db.atomic():
            for row, tags in make_entries(client.id, n, rng, words):
                batch.append((row, tags))
                if len(batch) == 500:
                    _insert(batch, client.id, JournalEntry, JournalTag)
                    batch = []
            if batch:
                _insert(batch, client.id, JournalEntry, JournalTag)
            if db.obj.__class__.__name__.startswith("Pooled" + "Postgres"):
                db.execute_sql("SELECT setval(pg_get_serial_sequence('journal_entry', 'id'), MAX(id)) FROM journal_entry")
        # A bulk load leaves the planner without statistics (autovacuum would gather them later):
        # without them PostgreSQL re-computes every row's tsvector instead of using the GIN index.
        db.execute_sql("ANALYZE")
        if not db.is_closed():
            db.close()


def _insert(batch, client_id, JournalEntry, JournalTag):
    # Explicit ids so a whole batch is one INSERT (the database keeps its sequence in step below).
    first = (JournalEntry.select(JournalEntry.id).order_by(JournalEntry.id.desc()).scalar() or 0) + 1
    ids = list(range(first, first + len(batch)))
    JournalEntry.insert_many([{**row, "id": entry_id} for entry_id, (row, _) in zip(ids, batch)]).execute()
    JournalTag.insert_many([{"entry": entry_id, "client": client_id, "name": name}
                            for entry_id, (_, tags) in zip(ids, batch) for name in tags]).execute()


def measure(client, url, warmup=5, runs=40):
    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return statistics.median(times) * 1000


def page_50_url(client):
    import re
    url = "/journal"
    for _ in range(49):
        html = client.get(url).get_data(as_text=True)
        url = re.search(r'<a class="button" href="([^"]+)"[^>]*>Older entries', html).group(1).replace("&amp;", "&")
    return url


def prepare(url, n):
    """A migrated, filled database and a signed-in client for it: (test client, urls)."""
    from app import create_app
    from commands import migration_router
    from database import db, make_database

    class Cfg:
        DATABASE_URL = url
        SECRET_KEY = "bench"
        RATELIMIT_ENABLED = False
        WTF_CSRF_ENABLED = False  # the bench only reads; sign-in is its one POST
        SITE_URL = "http://bench.local"

    database = make_database(url)
    db.initialize(database)
    migration_router().run()
    database.close()
    app = create_app(Cfg)
    import logging
    logging.getLogger("letstalk.requests").setLevel(logging.WARNING)  # one JSON line per request: not here
    started = time.perf_counter()
    fill(app, n)
    print(f"  {n:>7,} entries written in {time.perf_counter() - started:.1f} s", flush=True)
    client = app.test_client()
    response = client.post("/login", data={"email": "client@bench.example", "password": PASSWORD})
    assert response.status_code in (302, 303), "sign-in failed (CSRF on? the bench sets no token)"
    urls = dict(URLS)
    # With too few entries for 50 pages, "page 50" is the first page: the ratio then says what
    # the 50th page of a long journal costs next to the first page of a short one.
    urls["50th page (keyset cursor)"] = page_50_url(client) if n >= 20 * 50 else "/journal"
    return client, urls


def use(url):
    """Point the app's database at `url` (the bench keeps several filled databases)."""
    from database import db, make_database
    if db.obj is not None:
        db.obj.close_all()
    db.initialize(make_database(url))


def run_sizes(urls_by_size, rounds):
    """Alternate between the sizes round after round, so a busy moment of the machine hits both;
    each (size, URL) keeps its best round's median."""
    prepared = {}
    for n, url in urls_by_size.items():
        prepared[n] = (url, *prepare(url, n))
    best = {n: {} for n in prepared}
    for _ in range(rounds):
        for n, (url, client, targets) in prepared.items():
            use(url)
            for name, target in targets.items():
                median = measure(client, target)
                best[n][name] = min(best[n].get(name, median), median)
    return best


def postgres_database(base_url, n):
    from urllib.parse import urlsplit, urlunsplit

    import psycopg2
    parts = urlsplit(base_url)
    name = f"letstalk_journal_bench_{os.getpid()}_{n}"
    conn = psycopg2.connect(base_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()

    def drop():
        from database import db
        if db.obj is not None:
            db.obj.close_all()
        conn = psycopg2.connect(base_url)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()
    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="also run on PostgreSQL (a database is created next to this URL's)")
    parser.add_argument("--postgres-only", action="store_true", help="skip SQLite")
    parser.add_argument("--sizes", default="100,100000", help="journal sizes to compare (small,large)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sizes = tuple(int(n) for n in args.sizes.split(","))
    backends = [] if args.postgres and args.postgres_only else ["sqlite"]
    if args.postgres:
        backends.append("postgres")
    header = (f"| measure | database | {sizes[0]:,} entries | {sizes[1]:,} entries | ratio (target ≤ 1.3×) |\n"
              "|---|---|---|---|---|")
    for backend in backends:
        print(f"{backend}:", flush=True)
        cleanups, urls_by_size = [], {}
        for n in sizes:
            if backend == "sqlite":
                urls_by_size[n] = f"sqlite:///{tempfile.mkdtemp(prefix='journal-bench-')}/bench.sqlite3"
            else:
                urls_by_size[n], drop = postgres_database(args.postgres, n)
                cleanups.append(drop)
        try:
            results = run_sizes(urls_by_size, args.rounds)
        finally:
            for drop in cleanups:
                drop()
        small, large = results[sizes[0]], results[sizes[1]]
        print(header)
        for name in small:  # each database's table as soon as it is known
            print(f"| {name} | {backend} | {small[name]:.2f} ms | {large[name]:.2f} ms | "
                  f"**{large[name] / small[name]:.2f}×** |", flush=True)


if __name__ == "__main__":
    main()
