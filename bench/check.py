"""Correctness under caching, against the running server: a taken slot is never offered again.

Every worker has cached the page during the load. We book a listed slot (and then block the
day, a rule change) and read the page again from several connections at once, so both workers
answer. The slot cache also keys on the current minute, so a check that straddles a minute
boundary proves nothing; it is repeated instead.
"""
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from urllib.parse import unquote

from browse import Browser
from fixtures import DEMO_PASSWORD, VIEWER_ZONE

COACH_EMAIL = "coach@example.com"  # seed-demo's coach

# Slot starts as links and fields carry them: ISO 8601 with Z or an offset, maybe URL-encoded.
_START = re.compile(r"\d{4}-\d\d-\d\dT\d\d(?::|%3A)\d\d(?:(?::|%3A)\d\d)?(?:Z|(?:[+-]|%2B)\d\d(?::|%3A)?\d\d)", re.I)


def listed_starts(html):
    found = set()
    for text in _START.findall(html):
        text = unquote(text).upper().replace("Z", "+00:00")
        try:
            found.add(datetime.fromisoformat(text).astimezone(timezone.utc))
        except ValueError:
            continue
    return found


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def read_page(url, count, parallel=4):
    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(_get, [url] * count))


def _minute():
    return int(time.time() // 60)


def _wait_for_fresh_minute(margin=8):
    if time.time() % 60 > 60 - margin:
        time.sleep(60 - time.time() % 60 + 0.2)


class CheckFailed(Exception):
    """The change itself could not be made: the check cannot pass."""


def _observe(url, change, is_gone, attempts=3):
    """Read, change, read again within one minute; is_gone(pages_after) → list of problems."""
    for _ in range(attempts):
        _wait_for_fresh_minute()
        minute = _minute()
        before = read_page(url, 8)
        try:
            detail = change(before)
        except CheckFailed as exc:
            return {"ok": False, "detail": str(exc)}
        after = read_page(url, 24)
        if _minute() != minute:
            continue  # a new minute means a fresh computation anyway: not a proof, try again
        problems = is_gone(after)
        statuses = sorted({status for status, _ in after})
        if statuses != [200]:
            problems.append(f"statuses after the change: {statuses}")
        return {"ok": not problems, "detail": "; ".join(problems) or detail, "responses": len(after)}
    return {"ok": False, "detail": "every attempt straddled a minute boundary"}


def _book(server_url, app_side, slot):
    """Book through the visitor's form (POST /book); the app's own code if the page has no form."""
    start = slot.start.strftime("%Y-%m-%dT%H:%M:%SZ")
    browser = Browser(server_url)
    try:
        status, _, final = browser.submit(f"/book/slot?start={start}&tz={VIEWER_ZONE}", "/book",
                                          {"name": "Bench Check", "email": "bench-check@example.com"})
    except LookupError:
        app_side.book(slot, name="Bench Check")
        return "via the app's code (no booking form found)"
    if status != 200 or "/booking/" not in final:
        raise CheckFailed(f"POST /book did not book the free slot {start}: {status} at {final}")
    return "via POST /book"


def _block(server_url, app_side, day):
    """Block the day in the coach's availability editor; the app's own code if that form is missing."""
    browser = Browser(server_url)
    try:
        browser.submit("/login", "/login", {"email": COACH_EMAIL, "password": DEMO_PASSWORD})
        status, html, _ = browser.submit("/coach/availability/overrides", "/coach/availability/overrides",
                                         {"day": day.isoformat(), "kind": "block", "start": "", "end": "",
                                          "note": "bench"})
    except LookupError:
        app_side.block_day(day)
        return "via the app's code (no override form found)"
    if status != 200:
        raise CheckFailed(f"POST /coach/availability/overrides answered {status}")
    return "via the coach's availability editor"


def booked_slot_disappears(server_url, page, app_side, day):
    """Book a slot every response listed; no response afterwards may list it."""
    taken = {}

    def change(before):
        common = set.intersection(*(listed_starts(html) for _, html in before))
        slot = next((s for s in reversed(app_side.day_slots(day)) if s.start in common), None)
        if slot is None:
            raise CheckFailed(f"no free slot of {day} was listed on all {len(before)} pages")
        how = _book(server_url, app_side, slot)
        taken["start"] = slot.start
        return f"booked {slot.start:%Y-%m-%d %H:%M} UTC {how}; no response offered it afterwards"

    def is_gone(after):
        stale = sum(taken["start"] in listed_starts(html) for _, html in after)
        return [f"{stale}/{len(after)} responses still offered the booked slot"] if stale else []

    return _observe(server_url + page, change, is_gone)


def blocked_day_disappears(server_url, page, app_side, day):
    """Block the whole day (a rule change); none of its slots may still be offered."""
    offered = {}

    def change(before):
        offered["starts"] = {s.start for s in app_side.day_slots(day)}
        if not offered["starts"] & listed_starts(before[0][1]):
            raise CheckFailed(f"no slot of {day} was listed before the change")
        how = _block(server_url, app_side, day)
        return f"blocked {day} {how}; none of its {len(offered['starts'])} slots was offered afterwards"

    def is_gone(after):
        stale = sum(bool(offered["starts"] & listed_starts(html)) for _, html in after)
        return [f"{stale}/{len(after)} responses still offered slots of the blocked day"] if stale else []

    return _observe(server_url + page, change, is_gone)
