"""How long a page that still offers a just-booked slot can be served, measured under load.

While wrk keeps both workers busy with the page, a visitor books one listed slot after another
through POST /book; four connections keep reading the page meanwhile. For each booking, the
staleness is the start of the last read that still offered the slot minus the moment the
booking's answer arrived (0 when no read started after the booking offered it). Reads that
started before the answer arrived are not counted: they may rightly show the slot.
"""
import secrets
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from statistics import median

import check
import load
from browse import Browser
from fixtures import VIEWER_ZONE

WATCH_SECONDS = 3.0  # reads after each booking; far longer than any bound we expect


def _reader(url, stop, seen):
    while not stop.is_set():
        started = time.perf_counter()
        status, html = check._get(url)
        seen.append((started, status, html))


def _book(server_url, start):
    browser = Browser(server_url)
    status, _, final = browser.submit(
        f"/book/slot?start={start:%Y-%m-%dT%H:%M:%SZ}&tz={VIEWER_ZONE}", "/book",
        {"name": "Staleness Check", "email": f"stale-{secrets.token_hex(4)}@example.com"})
    return status == 200 and "/booking/" in final


def _one(server_url, url, start):
    stop, seen = threading.Event(), []
    with ThreadPoolExecutor(4) as pool:
        for _ in range(4):
            pool.submit(_reader, url, stop, seen)
        time.sleep(0.2)
        if not _book(server_url, start):
            stop.set()
            return None
        booked = time.perf_counter()
        time.sleep(WATCH_SECONDS)
        stop.set()
    stale = [t - booked for t, status, html in seen if t > booked and start in check.listed_starts(html)]
    return {"stale_ms": round(max(stale, default=0.0) * 1000, 1), "stale_reads": len(stale),
            "reads_after": sum(t > booked for t, _, _ in seen)}


def measure(server_url, page, app_side, day, bookings=5, load_connections=2):
    """Book `bookings` listed slots of `day` one by one while wrk loads the page."""
    url = server_url + page
    wrk = subprocess.Popen([load.wrk_path(), "-t1", f"-c{load_connections}", f"-d{int(bookings * 5 + 30)}s", url],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        listed = check.listed_starts(check._get(url)[1])
        starts = [s.start for s in app_side.day_slots(day) if s.start in listed][:bookings]
        runs = [r for r in (_one(server_url, url, start) for start in starts) if r is not None]
    finally:
        wrk.terminate()
        wrk.wait(timeout=10)
    worst = [r["stale_ms"] for r in runs]
    return {"bookings": len(runs), "max_ms": max(worst, default=None), "median_ms": median(worst) if worst else None,
            "stale_reads": sum(r["stale_reads"] for r in runs), "reads_after": sum(r["reads_after"] for r in runs),
            "runs": runs}
