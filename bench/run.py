"""Benchmark GET /book against a minimal Flask app under the same gunicorn, on loopback.

    make bench                       # or: .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --postgres postgresql://postgres@127.0.0.1:5432/postgres

One run: a temporary database (migrated, seeded, with bookings), both apps served by gunicorn
with identical settings, wrk against each (warm-up, then timed, alternating rounds), worker
memory after the load, the page weight of /book with its CSS and JS, and a check that a slot
that was just booked (or whose day was blocked) is never offered again. Writes
bench/results.json and bench/RESULTS.md. Exit status 1 if a target is missed or a check fails.
"""
import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import check  # noqa: E402
import fixtures  # noqa: E402
import load  # noqa: E402
import report  # noqa: E402
import staleness  # noqa: E402
from servers import ROOT, Server  # noqa: E402
from weight import page_weight  # noqa: E402

HERE = Path(__file__).resolve().parent


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement (default 10)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up before each (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating hello, /book rounds; best kept (default 3)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: leave the cores to gunicorn)")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for both apps (default 2)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class for both apps (default sync)")
    parser.add_argument("--postgres", metavar="URL", help="also run on PostgreSQL (a temporary database is "
                        "created next to URL's and dropped afterwards)")
    parser.add_argument("--out", type=Path, default=HERE, help="where results.json and RESULTS.md go")
    return parser.parse_args(argv)


def git(*args):
    done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu, "python": platform.python_version(),
            "kernel": platform.release()}


def probe_page(server, page, app_side, day):
    """The page must answer 200 and list slots of `day`, or the numbers measure an error page."""
    try:
        with urllib.request.urlopen(server.url + page, timeout=10) as response:
            html = response.read().decode("utf-8", "replace")
            status, kind = response.status, response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"GET {page} answered {exc.code}; the app's log says:\n{server.output()}") from None
    offered = {slot.start for slot in app_side.day_slots(day)}
    listed = len(offered & check.listed_starts(html))
    notes = []
    if "html" not in kind:
        notes.append(f"/book answered {kind!r}, not an HTML page: the booking view may still be a placeholder")
    if not listed:
        notes.append(f"/book lists none of the {len(offered)} free slots of {day}")
    return {"status": status, "content_type": kind, "bytes": len(html), "free_slots": len(offered),
            "slots_listed": listed, "notes": notes}


def measure_pair(args, hello, app, page):
    runs = {"hello": [], "book": []}
    for number in range(1, args.rounds + 1):
        for name, server, path in (("hello", hello, "/"), ("book", app, page)):
            print(f"  round {number}/{args.rounds}: wrk {name} ({args.warmup}s warm-up + {args.duration}s)", flush=True)
            runs[name].append(load.measure(server.url + path, args.duration, args.warmup, args.threads,
                                           args.connections, server.cpu_seconds))
    return runs


def bench_backend(args, stack, name, database_url):
    print(f"[{name}] migrating and seeding a temporary database", flush=True)
    fixtures.migrate_and_seed(database_url)
    app_side = fixtures.AppSide(database_url)
    stack.callback(app_side.close)
    day = app_side.pick_day()
    bookings = app_side.add_bookings(day)
    env = fixtures.server_env(database_url)
    app = Server("app", "app:create_app()", env, args.workers, args.worker_class)
    hello = Server("hello", "bench.hello_app:app", env, args.workers, args.worker_class)
    for server, ready in ((app, "/healthz"), (hello, "/")):
        stack.callback(server.stop)  # registered before start: a failed start is cleaned up too
        server.start(ready)
    page = f"/book?date={day.isoformat()}&tz={fixtures.VIEWER_ZONE}"
    probe = probe_page(app, page, app_side, day)
    print(f"[{name}] {page}: {probe['status']}, {probe['slots_listed']} slots listed, {len(bookings)} bookings stored")
    for note in probe["notes"]:
        print(f"  WARNING: {note}")
    runs = measure_pair(args, hello, app, page)
    memory = {"app": app.worker_memory(), "hello": hello.worker_memory()}
    weight = page_weight(app.url + page)
    print(f"[{name}] measuring how long a just-booked slot stays offered (under load)", flush=True)
    stale = staleness.measure(app.url, page, app_side, day)
    print(f"[{name}] checking that taken slots are never served", flush=True)
    checks = {"booked_slot_disappears": check.booked_slot_disappears(app.url, page, app_side, day),
              "blocked_day_disappears": check.blocked_day_disappears(app.url, page, app_side, day)}
    settings = " ".join(app.settings)
    app.stop()
    hello.stop()
    return report.summarise(page, day, len(bookings), probe, runs, memory, weight, checks, settings, stale)


def main(argv=None):
    args = parse_args(argv)
    if load.wrk_path() is None:
        print(load.INSTALL_HINT, file=sys.stderr)
        return 2
    # `kill` and Ctrl-C both unwind through the ExitStack, which stops every server we started
    # (SIGINT too when the shell started us with it ignored, as it does for background jobs).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    results = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": git("rev-parse", "--short", "HEAD") + ("+changes" if git("status", "--porcelain") else ""),
        "machine": machine(),
        "load": {"tool": "wrk", "threads": args.threads, "connections": args.connections,
                 "duration_s": args.duration, "warmup_s": args.warmup, "rounds": args.rounds},
        "backends": {},
    }
    with ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="letstalk-bench-"))
        backends = [("sqlite", f"sqlite:///{tmp}/bench.sqlite3")]
        if args.postgres:
            backends.append(("postgresql", stack.enter_context(fixtures.postgres_database(args.postgres))))
        for name, url in backends:
            with ExitStack() as servers:
                results["backends"][name] = bench_backend(args, servers, name, url)
    results["gunicorn"] = next(iter(results["backends"].values()))["gunicorn"]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "RESULTS.md").write_text(report.markdown(results))
    print(report.table(results))
    print(f"wrote {args.out / 'results.json'} and {args.out / 'RESULTS.md'}")
    return 0 if report.all_passed(results) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted: servers stopped, temporary database removed", file=sys.stderr)
        sys.exit(130)
