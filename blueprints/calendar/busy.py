"""Read the busy time out of a coach's calendar export (Google, Outlook, Apple, ...).

Pure: bytes and aware datetimes in, BusyInterval values out. Calendar files come from
strangers, so an event that cannot be read is left out and reported (busy_events.py), anything
else that goes wrong becomes CalendarUnreadable with a message the coach can act on, and
repeating events are expanded on a fixed work budget.
"""
from __future__ import annotations

import codecs
import re
import threading
import types
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

import dateutil.rrule
import recurring_ical_events
from dateutil.tz.tz import _tzicalvtz
from icalendar import Calendar
from icalendar.timezone import tzp

from blueprints.calendar.busy_events import Reading, SkippedEvent, address_of  # noqa: F401 - SkippedEvent is ours too
from blueprints.calendar.ics_scan import skip_events_outside

NOT_ICALENDAR = "This file is not an iCalendar file"
DAMAGED = "The calendar file is damaged and could not be read"
TOO_COMPLEX = "The calendar has repeating events that are too complex to read"

# Units of work (about 2 microseconds each) that expanding repeating events may cost per
# file. Real calendars use a few thousand; a rule that can never match would otherwise
# make dateutil scan every day up to the year 9999 (seconds per rule).
REPETITION_WORK_LIMIT = 500_000

_UTC = timezone.utc
_VEVENT_LINE = re.compile(r"^BEGIN:VEVENT[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
# icalendar keeps VTIMEZONE definitions in one process-wide table; see _parse.
_TIMEZONE_TABLE_LOCK = threading.Lock()


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


def busy_intervals(
    ics: bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    max_bytes: int = 2_000_000,
    max_events: int = 20_000,
) -> list[BusyInterval]:
    """Merged, sorted busy intervals of the calendar, clipped to [window_start, window_end)."""
    return read_calendar(ics, window_start=window_start, window_end=window_end,
                         max_bytes=max_bytes, max_events=max_events).intervals


def read_calendar(
    ics: bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    own_addresses: Iterable[str] = (),
    max_bytes: int = 2_000_000,
    max_events: int = 20_000,
) -> CalendarRead:
    """The busy intervals (as busy_intervals), the event count and the events left out.

    `own_addresses`: the calendar owner's email addresses; events they declined do not block.
    One broken event is left out and reported; the file is refused only when nothing in it
    can be read.
    """
    _require_aware(window_start, "window_start")
    _require_aware(window_end, "window_end")
    if window_end < window_start:
        raise ValueError("window_end must not be before window_start")
    window = (window_start.astimezone(_UTC), window_end.astimezone(_UTC))
    budget = _WorkBudget(REPETITION_WORK_LIMIT)
    text, event_count = _checked_text(ics, max_bytes=max_bytes, max_events=max_events)
    calendars = _read(skip_events_outside(text, window), budget=budget)
    reading = Reading(window, _metered_series(budget), frozenset(address_of(a) for a in own_addresses),
                      fatal=(_RepetitionTooCostly,))
    try:
        found = [span for calendar in calendars for span in reading.busy_spans(calendar)]
    except _RepetitionTooCostly as error:
        raise CalendarUnreadable(TOO_COMPLEX) from error
    except Exception as error:  # noqa: BLE001 - hostile input may break any layer below
        raise CalendarUnreadable(DAMAGED) from error
    if reading.skipped and len(reading.skipped) >= event_count:
        raise CalendarUnreadable(DAMAGED)  # nothing could be read: keep what we had before
    return CalendarRead(_merged(found), event_count, tuple(reading.skipped))


def count_events(ics: bytes) -> int:
    """How many VEVENT components the file holds (for the coach's "N events" line)."""
    text, count = _checked_text(ics, max_bytes=2_000_000, max_events=None)
    _read(text, budget=_WorkBudget(REPETITION_WORK_LIMIT))  # nothing repeats here, but zones get one
    return count


def _require_aware(value: datetime, field: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must be a timezone-aware datetime, got {value!r}")


# --- Reading the file -----------------------------------------------------------------


def _checked_text(ics: bytes, *, max_bytes: int, max_events: int | None) -> tuple[str, int]:
    """The file as text and its number of events, if it can be a calendar we read."""
    if not isinstance(ics, (bytes, bytearray)):
        raise TypeError(f"ics must be bytes, not {type(ics).__name__}")
    if len(ics) > max_bytes:
        raise CalendarUnreadable(f"The calendar is larger than {_size_in_words(max_bytes)}")
    text = _as_text(bytes(ics))
    if not text.lstrip()[:15].upper() == "BEGIN:VCALENDAR":
        raise CalendarUnreadable(NOT_ICALENDAR)
    # Counting lines first spares us parsing 80 000 tiny events only to refuse them.
    event_count = len(_VEVENT_LINE.findall(text))
    if max_events is not None and event_count > max_events:
        raise CalendarUnreadable(f"The calendar has more than {max_events:,} events")
    return text, event_count


def _read(text: str, *, budget: _WorkBudget) -> list[Calendar]:
    try:
        calendars = _parse(text, budget)
    except Exception as error:  # noqa: BLE001 - the parser raises many different types
        raise CalendarUnreadable(DAMAGED) from error
    if not calendars:  # e.g. a download cut off before END:VCALENDAR
        raise CalendarUnreadable(DAMAGED)
    return calendars


def _size_in_words(size: int) -> str:
    return f"{size / 1_000_000:g} MB" if size >= 1_000_000 else f"{size / 1_000:g} KB"


def _as_text(raw: bytes) -> str:
    # Busy time does not depend on the wording of titles, so text in a legacy encoding
    # (Windows-1252 exports) is read with replacement characters rather than refused.
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace")
    return raw.decode("utf-8-sig", errors="replace")


def _parse(text: str, budget: _WorkBudget) -> list[Calendar]:
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
            for calendar in calendars:
                for vtimezone in calendar.walk("VTIMEZONE"):
                    # Zimbra writes an empty VTIMEZONE; nothing can refer to a zone without a name.
                    if "TZID" in vtimezone:
                        _meter_timezone(tzp.timezone(vtimezone.tz_name), budget)
        finally:
            _forget_cached_timezones()
    return calendars


def _forget_cached_timezones() -> None:
    tzp.use(tzp.name)  # re-selecting the provider starts an empty table


# --- Merging ------------------------------------------------------------------------------


def _merged(spans: list[tuple[datetime, datetime]]) -> list[BusyInterval]:
    merged: list[list[datetime]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:  # overlapping or back to back
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [BusyInterval(start, end) for start, end in merged]


# --- Bounding the cost of repeating events -----------------------------------------------
#
# dateutil checks UNTIL and the query range only when a rule *produces* a date, so a rule
# that never matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) scans day by day to the year
# 9999, and FREQ=SECONDLY fills memory. Neither can be interrupted from outside. We run
# dateutil's own loop with one substitution: the helper it asks for each period's days
# charges a shared budget first, and every produced date is charged too.


class _RepetitionTooCostly(Exception):
    pass


class _WorkBudget:
    def __init__(self, units: int) -> None:
        self.remaining = units

    def spend(self, units: int) -> None:
        self.remaining -= units
        if self.remaining < 0:
            raise _RepetitionTooCostly()


class _MeteredIterInfo(dateutil.rrule._iterinfo):
    """dateutil calls one of these once per period it examines, matching or not.

    Charges are rough relative costs: a year of days takes ~16 times a single day.
    """

    def ydayset(self, *args):
        self.rrule.budget.spend(16)
        return super().ydayset(*args)

    def mdayset(self, *args):
        self.rrule.budget.spend(3)
        return super().mdayset(*args)

    def wdayset(self, *args):
        self.rrule.budget.spend(2)
        return super().wdayset(*args)

    def ddayset(self, *args):
        self.rrule.budget.spend(1)
        return super().ddayset(*args)


if "_iterinfo" not in dateutil.rrule.rrule._iter.__code__.co_names:
    raise ImportError("dateutil.rrule changed; busy.py's repetition budget must be reviewed")
# dateutil's unchanged loop, looking up _MeteredIterInfo where it names _iterinfo.
_metered_loop = types.FunctionType(
    dateutil.rrule.rrule._iter.__code__,
    {**vars(dateutil.rrule), "_iterinfo": _MeteredIterInfo},
    "_iter",
)


class _MeteredRule(dateutil.rrule.rrule):
    budget: _WorkBudget

    def _iter(self):
        for occurrence in _metered_loop(self):
            self.budget.spend(1)
            yield occurrence


def _meter_rule(rule, budget: _WorkBudget):
    if isinstance(rule, dateutil.rrule.rruleset):
        for inner in rule._rrule + rule._exrule:
            _meter_rule(inner, budget)
        return rule
    if not isinstance(rule, dateutil.rrule.rrule):
        raise TypeError(f"cannot bound the cost of {type(rule).__name__}")
    rule.__class__ = _MeteredRule  # same layout, only _iter differs
    rule.budget = budget
    rule._invalidate_cache()  # a cached rule already holds a generator from the old _iter
    return rule


def _meter_timezone(zone, budget: _WorkBudget) -> None:
    # Zones built from a file's VTIMEZONE evaluate their RRULEs on every offset lookup.
    if isinstance(zone, _tzicalvtz):
        for observance in zone._comps:
            if observance.rrule is not None:
                _meter_rule(observance.rrule, budget)


def _metered_series(budget: _WorkBudget) -> type[recurring_ical_events.Series]:
    class MeteredRecurrenceRules(recurring_ical_events.Series.RecurrenceRules):
        def rrulestr(self, rule_string):
            return _meter_rule(super().rrulestr(rule_string), budget)

    return type("MeteredSeries", (recurring_ical_events.Series,), {"RecurrenceRules": MeteredRecurrenceRules})
