"""How long reading a coach's big calendar takes: parsing (icalendar) and expanding (busy time).

    .venv/bin/python bench/calendar_read.py              # best of 5 reads of a 2 MB calendar
    .venv/bin/python bench/calendar_read.py --profile    # and where the time goes (cProfile)

The calendar is made here, with icalendar, in the shape of a Google export: 10,000 events of which
200 repeat (and 50 moved instances of those) (weekly, daily on weekdays, monthly; some with moved or cancelled instances), times in
UTC and in a zone with a VTIMEZONE, descriptions filling it to just under the 2 MB limit. The read
is busy.read_calendar over the window the worker uses (a day back, 400 days ahead).
"""
import argparse
import cProfile
import pstats
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from icalendar import Calendar, Event, Timezone  # noqa: E402

from blueprints.calendar import busy  # noqa: E402
from blueprints.calendar.sources import READ_FROM, READ_UNTIL  # noqa: E402

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)
EVENTS, RECURRING, TARGET_BYTES = 10_000, 200, 1_990_000
RULES = [{"FREQ": "WEEKLY"}, {"FREQ": "DAILY", "BYDAY": ["MO", "TU", "WE", "TH", "FR"]},
         {"FREQ": "MONTHLY", "BYMONTHDAY": 15}, {"FREQ": "WEEKLY", "INTERVAL": 2, "COUNT": 40}]


def big_calendar(padding: int = 60, seed: int = 14) -> bytes:
    """A Google-shaped export: EVENTS events, RECURRING of them repeating."""
    rng = random.Random(seed)
    calendar = Calendar()
    calendar.add("PRODID", "-//Google Inc//Google Calendar 70.9054//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("X-WR-TIMEZONE", "Europe/London")
    calendar.add_component(Timezone.from_tzinfo(LONDON, first_date=datetime(2020, 1, 1).date()))
    for number in range(EVENTS):
        start = NOW + timedelta(days=rng.randint(-700, 400), hours=rng.randint(-1, 9))
        start = start.replace(minute=rng.choice([0, 15, 30, 45]))
        event = Event()
        event.add("UID", f"{number:05d}{rng.getrandbits(32):08x}@google.com")
        event.add("DTSTAMP", NOW)
        if number % 3:
            event.add("DTSTART", start.astimezone(LONDON))
            event.add("DTEND", (start + timedelta(minutes=rng.choice([30, 45, 60, 90]))).astimezone(LONDON))
        else:
            event.add("DTSTART", start)
            event.add("DTEND", start + timedelta(minutes=rng.choice([30, 60])))
        event.add("SUMMARY", f"Meeting {number}")
        if padding:
            event.add("DESCRIPTION", "x" * padding)
        if number % 11 == 0:
            event.add("TRANSP", "TRANSPARENT")
        if number < RECURRING:
            event.add("RRULE", RULES[number % len(RULES)])
            if number % 5 == 0:
                event.add("EXDATE", event["DTSTART"].dt + timedelta(days=7))
        calendar.add_component(event)
        if number < RECURRING and number % 4 == 0:  # one instance moved an hour later
            moved = Event()
            moved.add("UID", event["UID"])
            moved.add("DTSTAMP", NOW)
            moved.add("RECURRENCE-ID", event["DTSTART"].dt + timedelta(days=14))
            moved.add("DTSTART", event["DTSTART"].dt + timedelta(days=14, hours=1))
            moved.add("DTEND", event["DTEND"].dt + timedelta(days=14, hours=1))
            moved.add("SUMMARY", f"Meeting {number} (moved)")
            calendar.add_component(moved)
    return calendar.to_ical()


def sized_calendar() -> bytes:
    """big_calendar with descriptions long enough to bring it just under TARGET_BYTES."""
    small = big_calendar(padding=0)
    # Long lines are folded every 75 octets with 3 more (CRLF and a space).
    per_event = (TARGET_BYTES - len(small)) * 75 // 78 // EVENTS - len("DESCRIPTION:\r\n")
    document = big_calendar(padding=max(0, per_event))
    assert len(document) <= busy_limit(), len(document)
    return document


def busy_limit() -> int:
    from blueprints.calendar.sources import MAX_BYTES
    return MAX_BYTES


def read(document: bytes):
    return busy.read_calendar(document, window_start=NOW - READ_FROM, window_end=NOW + READ_UNTIL)


def parse_only(document: bytes):
    return Calendar.from_ical(document, multiple=True)


def best_of(rounds: int, function, *args) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        function(*args)
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print where one read spends its time")
    options = parser.parse_args()

    document = sized_calendar()
    result = read(document)
    print(f"calendar: {len(document):,} bytes, {result.event_count:,} events, "
          f"{len(result.intervals):,} busy intervals in the window")
    parse = best_of(options.rounds, parse_only, document)
    whole = best_of(options.rounds, read, document)
    print(f"icalendar parse alone: {parse:.2f} s")
    print(f"read_calendar (parse + expand): {whole:.2f} s")
    # The machine's speed cancels out of this one: what reading costs per full icalendar parse.
    print(f"read_calendar ÷ icalendar parse of the whole file: {whole / parse:.2f}×")
    if options.profile:
        profile = cProfile.Profile()
        profile.runcall(read, document)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
