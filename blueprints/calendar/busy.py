"""Read the busy time out of a coach's calendar export (Google, Outlook, Apple, ...).

Pure: bytes and aware datetimes in, BusyInterval values out. Calendar files come from
strangers, so an event that cannot be read is left out and reported (busy_events.py), anything
else that goes wrong becomes CalendarUnreadable with a message the coach can act on, and
repeating events are expanded on a budget of work and of time (see `_Budget`).
"""
from __future__ import annotations

import codecs
import re
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import dateutil.rrule
import recurring_ical_events
from icalendar import Calendar
from icalendar.timezone import tzp

from blueprints.calendar.busy_events import Reading, SkippedEvent, address_of  # noqa: F401 - SkippedEvent is ours too
from blueprints.calendar.ics_scan import skip_events_outside
from blueprints.calendar.limits import MAX_BYTES, MAX_EVENTS, READ_SECONDS, size_in_words
from scheduling.intervals import merge, require_aware

NOT_ICALENDAR = "This file is not an iCalendar file"
DAMAGED = "The calendar file is damaged and could not be read"
TOO_COMPLEX = "The calendar has repeating events that are too complex to read"

# Steps (Python calls made by dateutil while it works out occurrences: two to five per
# occurrence, about one per day it scans) that a file's repeating events may cost. A 2 MB
# export with 200 repeating series takes about 160,000; a rule that can never match would
# otherwise make dateutil scan every day up to the year 9999 (millions of steps, seconds).
REPETITION_WORK_LIMIT = 1_000_000

_UTC = timezone.utc
_VEVENT_LINE = re.compile(r"^BEGIN:VEVENT[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
# icalendar keeps VTIMEZONE definitions in one process-wide table; see _parse.
_TIMEZONE_TABLE_LOCK = threading.Lock()
# How far past the window a file's own time zones are worked out on the budget (see _parse).
_ZONE_HORIZON = timedelta(days=400)


class CalendarUnreadable(ValueError):
    """The file cannot be used; str() says why in words the coach understands."""


@dataclass(frozen=True)
class BusyInterval:
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC


@dataclass(frozen=True)
class CalendarRead:
    intervals: list[BusyInterval]  # merged and sorted
    event_count: int  # VEVENT components in the file
    skipped: tuple[SkippedEvent, ...] = ()  # events left out because they could not be read


def read_calendar(
    ics: bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    own_addresses: Iterable[str] = (),
    max_bytes: int = MAX_BYTES,
    max_events: int = MAX_EVENTS,
    seconds: float = READ_SECONDS,
) -> CalendarRead:
    """Merged, sorted busy intervals clipped to [window_start, window_end), the event count
    and the events left out.

    `own_addresses`: the calendar owner's email addresses; events they declined do not block.
    One broken event is left out and reported; the file is refused only when nothing in it
    can be read. Repeating events may cost REPETITION_WORK_LIMIT steps, the reading `seconds`.
    """
    require_aware(window_start, "window_start")
    require_aware(window_end, "window_end")
    if window_end < window_start:
        raise ValueError("window_end must not be before window_start")
    window = (window_start.astimezone(_UTC), window_end.astimezone(_UTC))
    budget = _Budget(REPETITION_WORK_LIMIT, seconds)
    text, event_count = _checked_text(ics, max_bytes=max_bytes, max_events=max_events)
    calendars = _read(skip_events_outside(text, window), budget=budget, horizon=window[1] + _ZONE_HORIZON)
    reading = Reading(window, _budgeted_series(budget), frozenset(address_of(a) for a in own_addresses),
                      fatal=(_RepetitionTooCostly,))
    try:
        found = [span for calendar in calendars for span in reading.busy_spans(calendar)]
    except _RepetitionTooCostly as error:
        raise CalendarUnreadable(TOO_COMPLEX) from error
    except Exception as error:  # noqa: BLE001 - hostile input may break any layer below
        raise CalendarUnreadable(DAMAGED) from error
    if reading.skipped and len(reading.skipped) >= event_count:
        raise CalendarUnreadable(DAMAGED)  # nothing could be read: keep what we had before
    intervals = [BusyInterval(start, end) for start, end in merge(found)]
    return CalendarRead(intervals, event_count, tuple(reading.skipped))


# --- Reading the file -----------------------------------------------------------------


def _checked_text(ics: bytes, *, max_bytes: int, max_events: int) -> tuple[str, int]:
    """The file as text and its number of events, if it can be a calendar we read."""
    if not isinstance(ics, (bytes, bytearray)):
        raise TypeError(f"ics must be bytes, not {type(ics).__name__}")
    if len(ics) > max_bytes:
        raise CalendarUnreadable(f"The calendar is larger than {size_in_words(max_bytes)}")
    text = _as_text(bytes(ics))
    if not text.lstrip()[:15].upper() == "BEGIN:VCALENDAR":
        raise CalendarUnreadable(NOT_ICALENDAR)
    # Counting lines first spares us parsing 80 000 tiny events only to refuse them.
    event_count = len(_VEVENT_LINE.findall(text))
    if event_count > max_events:
        raise CalendarUnreadable(f"The calendar has more than {max_events:,} events")
    return text, event_count


def _read(text: str, *, budget: _Budget, horizon: datetime) -> list[Calendar]:
    try:
        calendars = _parse(text, budget, horizon)
    except _RepetitionTooCostly as error:  # a time zone's rules
        raise CalendarUnreadable(TOO_COMPLEX) from error
    except Exception as error:  # noqa: BLE001 - the parser raises many different types
        raise CalendarUnreadable(DAMAGED) from error
    if not calendars:  # e.g. a download cut off before END:VCALENDAR
        raise CalendarUnreadable(DAMAGED)
    return calendars


def _as_text(raw: bytes) -> str:
    # Busy time does not depend on the wording of titles, so text in a legacy encoding
    # (Windows-1252 exports) is read with replacement characters rather than refused.
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace")
    return raw.decode("utf-8-sig", errors="replace")


def _parse(text: str, budget: _Budget, horizon: datetime) -> list[Calendar]:
    """Parse, keeping each file's time zone definitions to itself.

    icalendar caches every VTIMEZONE by TZID for the whole process, first definition wins.
    Outlook names many different zones "Customized Time Zone", so one coach's file would
    otherwise decide the times in the next coach's file. We empty that table around each
    parse; the zones stay attached to the parsed datetimes.
    """
    with _TIMEZONE_TABLE_LOCK:
        _forget_cached_timezones()
        try:
            # Bytes, not str: a one-line str is first tried as a file path by icalendar.
            calendars = Calendar.from_ical(text.encode("utf-8"), multiple=True)
            # Zimbra writes an empty VTIMEZONE; nothing can refer to a zone without a name.
            zones = [tzp.timezone(vtimezone.tz_name) for calendar in calendars
                     for vtimezone in calendar.walk("VTIMEZONE") if "TZID" in vtimezone]
        finally:
            _forget_cached_timezones()
    for zone in zones:
        _work_out_once(zone, horizon, budget)
    return calendars


def _forget_cached_timezones() -> None:
    tzp.use(tzp.name)  # re-selecting the provider starts an empty table


# --- Bounding the cost of repeating events -----------------------------------------------
#
# dateutil checks UNTIL and the query range only when a rule *produces* a date, so a rule
# that never matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) scans day by day to the year
# 9999, and FREQ=SECONDLY (or a huge COUNT) produces without end. With public APIs only:
# each rule is walked through its own iterator, one occurrence at a time, and the budget is
# charged between occurrences; while dateutil works out the next one, a trace function
# (sys.settrace, this thread only) charges every Python call it makes, so a scan that never
# produces is stopped as well. A time zone defined in the file runs its RRULEs when a time
# is converted: each is worked out once on the budget, up to a horizon past the window.


class _RepetitionTooCostly(Exception):
    pass


class _Budget:
    """Steps that repeating events may still take, and the moment the reading must end by."""

    def __init__(self, steps: int, seconds: float) -> None:
        self.steps_left = steps
        self.deadline = time.monotonic() + seconds

    def spend(self, *_trace_arguments) -> None:
        self.steps_left -= 1
        # Reading the clock costs more than a step: every 1024 steps is often enough.
        if self.steps_left < 0 or (not self.steps_left & 1023 and time.monotonic() > self.deadline):
            raise _RepetitionTooCostly()
        return None  # as a trace function: no line-by-line tracing of the called code

    def charging_each_call(self, work, *args):
        """work(*args), charging one step per Python call it makes (a trace function on this thread)."""
        previous = sys.gettrace()  # a debugger's or coverage's: given back when done
        sys.settrace(self.spend)
        try:
            return work(*args)
        finally:
            sys.settrace(previous)


class _BudgetedRule:
    """A dateutil rule whose `between` walks the rule's public iterator on the budget.

    Stands in for the rule in recurring_ical_events' Series, which uses `between` and `until`.
    """

    def __init__(self, rule, budget: _Budget) -> None:
        self.until = getattr(rule, "until", None)  # recurring_ical_events' own attributes
        self.string = getattr(rule, "string", None)
        # Without a cache: a cached rule keeps every occurrence it ever produced.
        self._rule = rule.replace(cache=False) if isinstance(rule, dateutil.rrule.rrule) else rule
        self._budget = budget

    def between(self, after: datetime, before: datetime, inc: bool = False):
        occurrences = iter(self._rule)
        while True:
            occurrence = self._budget.charging_each_call(next, occurrences, None)
            if occurrence is None:
                return
            self._budget.spend()
            if occurrence > before or (occurrence == before and not inc):
                return
            if occurrence > after or (occurrence == after and inc):
                yield occurrence


def _work_out_once(zone, horizon: datetime, budget: _Budget) -> None:
    """Convert one time in `zone` on the budget: a zone from the file runs its RRULEs up to
    that time (and on to its next change), then answers earlier times from its cache."""
    local = horizon.replace(tzinfo=None).replace(tzinfo=zone)
    budget.charging_each_call(local.utcoffset)


def _budgeted_series(budget: _Budget) -> type[recurring_ical_events.Series]:
    class BudgetedRecurrenceRules(recurring_ical_events.Series.RecurrenceRules):
        def rrulestr(self, rule_string):
            return _BudgetedRule(super().rrulestr(rule_string), budget)

    return type("BudgetedSeries", (recurring_ical_events.Series,), {"RecurrenceRules": BudgetedRecurrenceRules})
