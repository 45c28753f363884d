"""Journal at scale: the first page of /journal and a search, with 100 entries and with 100,000.

    .venv/bin/python bench/journal.py                       # SQLite
    .venv/bin/python bench/journal.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

For each size, a fresh migrated database (SQLite file, or a PostgreSQL database of its own that
is dropped afterwards) gets one coach and one client whose journal spans the years (one entry
every ~30 minutes, three tags each, Markdown bodies of 40–120 words drawn from a 1,500-word
vocabulary). Requests go through the whole Flask app in-process (test client, signed in as the
client, CSRF and rate limits as configured), so the number is the app's own cost: routing,
queries, template rendering — no network and no gunicorn. Each URL: 30 warm-up requests, then
300 measured; the median is reported. Target: 100,000 entries at most 1.3x the time of 100.
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

SIZES = (100, 100_000)
PASSWORD = "bench-journal-password"
RARE = "lighthouse"  # in about 1% of entries: a search with many hits at 100,000
URLS = {
    "first page": "/journal",
    "search (1% of entries match)": f"/journal?q={RARE}",
    "search + tag filter": f"/journal?q={RARE}&tag=family",
    "page 50 (keyset cursor)": None,  # filled in once the data exists
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
        if rng.random() < 0.01:
            body_words.insert(rng.randrange(len(body_words)), RARE)
        body = " ".join(body_words[:20]) + ".\n\n- " + " ".join(body_words[20:]) + " *really*."
        tags = rng.sample(tags_pool, 3)
        at = now - timedelta(minutes=30 * i + rng.randint(0, 20))
        yield dict(client=client_id, body=body, prompt="", mood=rng.randint(1, 5), energy=rng.randint(1, 5),
                   tags=", ".join(tags), shared=rng.random() < 0.2, created_at=at, updated_at=at), tags


def fill(app, n, seed=7):
    from blueprints.auth.accounts import create_client, create_coach
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
        if not db.is_closed():
            db.close()


def _insert(batch, client_id, JournalEntry, JournalTag):
    ids = [JournalEntry.insert(**row).execute() for row, _ in batch]
    JournalTag.insert_many([{"entry": entry_id, "client": client_id, "name": name}
                            for entry_id, (_, tags) in zip(ids, batch) for name in tags]).execute()


def measure(client, url, warmup=30, runs=300):
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


def run_size(url, n):
    from app import create_app
    from commands import migration_router
    from database import db, make_database

    class Cfg:
        DATABASE_URL = url
        SECRET_KEY = "bench"
        RATELIMIT_ENABLED = False
        SITE_URL = "http://bench.local"

    database = make_database(url)
    db.initialize(database)
    migration_router().run()
    database.close()
    app = create_app(Cfg)
    started = time.perf_counter()
    fill(app, n)
    print(f"  {n:>7,} entries written in {time.perf_counter() - started:.1f} s", flush=True)
    client = app.test_client()
    response = client.post("/login", data={"email": "client@bench.example", "password": PASSWORD})
    assert response.status_code in (302, 303), "sign-in failed (CSRF on? the bench sets no token)"
    urls = dict(URLS)
    urls["page 50 (keyset cursor)"] = page_50_url(client) if n >= 20 * 50 else "/journal"
    return {name: measure(client, target) for name, target in urls.items()}


def postgres_database(base_url):
    from urllib.parse import urlsplit, urlunsplit

    import psycopg2
    parts = urlsplit(base_url)
    name = f"letstalk_journal_bench_{os.getpid()}"
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
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    backends = [] if args.postgres and args.sqlite_only else ["sqlite"]
    if args.postgres:
        backends.append("postgres")
    report = {}
    for backend in backends:
        print(f"{backend}:", flush=True)
        results = {}
        for n in SIZES:
            if backend == "sqlite":
                tmp = tempfile.mkdtemp(prefix="journal-bench-")
                results[n] = run_size(f"sqlite:///{tmp}/bench.sqlite3", n)
            else:
                url, drop = postgres_database(args.postgres)
                try:
                    results[n] = run_size(url, n)
                finally:
                    drop()
        report[backend] = results
    print()
    print("| measure | database | 100 entries | 100,000 entries | ratio (target ≤ 1.3×) |")
    print("|---|---|---|---|---|")
    for backend, results in report.items():
        small, large = results[SIZES[0]], results[SIZES[1]]
        for name in small:
            print(f"| {name} | {backend} | {small[name]:.2f} ms | {large[name]:.2f} ms | "
                  f"**{large[name] / small[name]:.2f}×** |")


if __name__ == "__main__":
    main()
