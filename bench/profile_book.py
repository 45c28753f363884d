"""Where GET /book spends its time: cProfile over a Flask test-client loop (no server, no wrk).

    .venv/bin/python bench/profile_book.py                 # cache warm, as under load
    .venv/bin/python bench/profile_book.py --cold          # every request after a booking-like change
    .venv/bin/python bench/profile_book.py --path /        # any other page

Same database as bench/run.py (temporary, migrated, seeded, with bookings).
"""
import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixtures  # noqa: E402


def loop(client, path, count, before_each=None, profiler=None):
    """Seconds spent in `count` GETs of `path`; `before_each` runs outside the clock and profile."""
    spent = 0.0
    for _ in range(count):
        if before_each:
            before_each()
        if profiler:
            profiler.enable()
        started = time.perf_counter()
        response = client.get(path)
        spent += time.perf_counter() - started
        if profiler:
            profiler.disable()
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
    return spent


def invalidator(side):
    """What a booking does to every cache keyed on the availability version: bump it."""
    from scheduling import service

    def bump():
        with side.app.app_context():
            service.bump_version(side.profile().user_id)
    return bump


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--cold", action="store_true",
                        help="raise the availability version before each request (as a booking does), "
                             "so every version-keyed cache misses")
    parser.add_argument("--path", help="default: /book?date=<a weekday with slots>&tz=Europe/Paris")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--limit", type=int, default=35)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="letstalk-profile-") as tmp:
        url = f"sqlite:///{tmp}/profile.sqlite3"
        fixtures.migrate_and_seed(url)
        side = fixtures.AppSide(url)
        day = side.pick_day()
        side.add_bookings(day)
        side.close()
        path = args.path or f"/book?date={day.isoformat()}&tz={fixtures.VIEWER_ZONE}"
        client = side.app.test_client(use_cookies=False)  # like wrk: every request a new visitor
        before_each = invalidator(side) if args.cold else None
        loop(client, path, 20, before_each)  # warm-up: imports, templates, first cache fill
        per_request = loop(client, path, args.requests, before_each) / args.requests * 1000
        profiler = cProfile.Profile()
        loop(client, path, args.requests, before_each, profiler)

    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(args.sort).print_stats(args.limit)
    print(out.getvalue())
    print(f"GET {path} ({'cold' if args.cold else 'warm'} caches): {per_request:.2f} ms per request "
          f"in-process, unprofiled, over {args.requests} requests (≈ {1000 / per_request:.0f} req/s on one core)")


if __name__ == "__main__":
    main()
