"""Read the busy time out of a coach's calendar export (Google, Outlook, Apple, ...).

Pure: bytes and aware datetimes in, BusyInterval values out. Calendar files come from
strangers, so anything that goes wrong while reading one becomes CalendarUnreadable with
a message the coach can act on, and repeating events are expanded on a fixed work budget.
"""
from __future__ import annotations

import codecs
import re
import threading
import types
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import dateutil.rrule
import recurring_ical_events
from dateutil.tz.tz import _tzicalvtz
from icalendar import Calendar
from icalendar.timezone import is_utc, tzp

NOT_ICALENDAR = "This file is not an iCalendar file"
DAMAGED = "The calendar file is damaged and could not be read"
TOO_COMPLEX = "The calendar has repeating events that are too complex to read"

# Units of work (about 2 microseconds each) that expanding repeating events may cost per
# file. Real calendars use a few thousand; a rule that can never match would otherwise
# make dateutil scan every day up to the year 9999 (seconds per rule).
REPETITION_WORK_LIMIT = 500_000

# Outlook's busy status is more precise than TRANSP, so it wins when present.
MICROSOFT_BUSY = frozenset({"BUSY", "OOF", "TENTATIVE"})
MICROSOFT_FREE = frozenset({"FREE", "WORKINGELSEWHERE"})

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
    max_bytes: int = 2_000_000,
    max_events: int = 20_000,
) -> CalendarRead:
    """The busy intervals (as busy_intervals) and the event count, from one parse of the file."""
    _require_aware(window_start, "window_start")
    _require_aware(window_end, "window_end")
    if window_end < window_start:
        raise ValueError("window_end must not be before window_start")
    window = (window_start.astimezone(_UTC), window_end.astimezone(_UTC))
    budget = _WorkBudget(REPETITION_WORK_LIMIT)
    calendars = _read(ics, max_bytes=max_bytes, max_events=max_events, budget=budget)
    try:
        found = [span for calendar in calendars for span in _busy_spans(calendar, window, budget)]
    except _RepetitionTooCostly as error:
        raise CalendarUnreadable(TOO_COMPLEX) from error
    except Exception as error:  # noqa: BLE001 - hostile input may break any layer below
        raise CalendarUnreadable(DAMAGED) from error
    return CalendarRead(_merged(found), sum(len(calendar.events) for calendar in calendars))


def count_events(ics: bytes) -> int:
    """How many VEVENT components the file holds (for the coach's "N events" line)."""
    budget = _WorkBudget(REPETITION_WORK_LIMIT)  # nothing repeats here, but zones get one
    calendars = _read(ics, max_bytes=2_000_000, max_events=None, budget=budget)
    return sum(len(calendar.events) for calendar in calendars)


def _require_aware(value: datetime, field: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must be a timezone-aware datetime, got {value!r}")


# --- Reading the file -----------------------------------------------------------------


def _read(ics: bytes, *, max_bytes: int, max_events: int | None, budget: _WorkBudget) -> list[Calendar]:
    if not isinstance(ics, (bytes, bytearray)):
        raise TypeError(f"ics must be bytes, not {type(ics).__name__}")
    if len(ics) > max_bytes:
        raise CalendarUnreadable(f"The calendar is larger than {_size_in_words(max_bytes)}")
    text = _as_text(bytes(ics))
    if not text.lstrip()[:15].upper() == "BEGIN:VCALENDAR":
        raise CalendarUnreadable(NOT_ICALENDAR)
    # Counting lines first spares us parsing 80 000 tiny events only to refuse them.
    if max_events is not None and len(_VEVENT_LINE.findall(text)) > max_events:
        raise CalendarUnreadable(f"The calendar has more than {max_events:,} events")
    try:
        calendars = _parse(text, budget)
    except Exception as error:  # noqa: BLE001 - the parser raises many different types
        raise CalendarUnreadable(DAMAGED) from error
    if not calendars:  # e.g. a download cut off before END:VCALENDAR
        raise CalendarUnreadable(DAMAGED)
    if max_events is not None and sum(len(c.events) for c in calendars) > max_events:
        raise CalendarUnreadable(f"The calendar has more than {max_events:,} events")
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
                for vtimezone in calendar.timezones:
                    _meter_timezone(tzp.timezone(vtimezone.tz_name), budget)
        finally:
            _forget_cached_timezones()
    return calendars


def _forget_cached_timezones() -> None:
    tzp.use(tzp.name)  # re-selecting the provider starts an empty table


# --- Finding busy time ------------------------------------------------------------------


def _busy_spans(calendar: Calendar, window: tuple[datetime, datetime], budget: _WorkBudget):
    zone = _calendar_zone(calendar)
    _anchor_times(calendar, zone, move_utc="X-WR-TIMEZONE" in calendar)
    # Done above: recurring_ical_events' own X-WR-TIMEZONE pass (x_wr_timezone) takes any
    # zone without a name for floating, which wipes out Outlook's VTIMEZONE zones.
    calendar.pop("X-WR-TIMEZONE", None)
    calendar.subcomponents = [
        component for component in calendar.subcomponents
        if component.name != "VEVENT" or "DTSTART" in component  # nothing to block
    ]
    selection = recurring_ical_events.ComponentsWithName("VEVENT", series=_metered_series(budget))
    query = recurring_ical_events.of(calendar, components=[selection])
    # An all-day event sits up to 14 hours away from its UTC date, so ask for a wider range.
    margin = timedelta(days=1)
    for occurrence in query.between(window[0] - margin, window[1] + margin):
        span = _busy_span(occurrence, zone)
        if span is not None:
            start, end = max(span[0], window[0]), min(span[1], window[1])
            if start < end:
                yield start, end


def _calendar_zone(calendar: Calendar):
    name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    # tzp also understands Windows names ("W. Europe Standard Time"); unknown names mean UTC.
    return (tzp.timezone(name) if name else None) or _UTC


def _anchor_times(calendar: Calendar, zone, *, move_utc: bool) -> None:
    """Give floating times (no TZID, no Z) the calendar's zone, in place.

    Like recurring_ical_events, UTC times move to X-WR-TIMEZONE too (same instant): Google
    writes some repeating events in UTC and means them to repeat on the calendar's clock.
    """
    def anchored(value):
        if isinstance(value, tuple):  # RDATE;VALUE=PERIOD
            return tuple(anchored(part) for part in value)
        if not isinstance(value, datetime):
            return value
        if value.tzinfo is None:
            return value.replace(tzinfo=zone)
        return value.astimezone(zone) if move_utc and is_utc(value) else value

    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"):
            values = event.get(name, [])
            for value in values if isinstance(values, list) else [values]:
                for time_value in getattr(value, "dts", [value]):  # EXDATE/RDATE hold lists
                    time_value.dt = anchored(time_value.dt)


def _busy_span(occurrence, zone) -> tuple[datetime, datetime] | None:
    start, end = occurrence["DTSTART"].dt, occurrence["DTEND"].dt
    all_day = not isinstance(start, datetime)
    if not _blocks_time(occurrence, all_day=all_day):
        return None
    if all_day and not isinstance(end, datetime):
        end = max(end, start + timedelta(days=1))  # DTEND equal to DTSTART still means a day
    start, end = _as_utc(start, zone), _as_utc(end, zone)
    return (start, end) if start < end else None  # zero-length timed events block nothing


def _blocks_time(event, *, all_day: bool) -> bool:
    if _text(event, "STATUS") == "CANCELLED":
        return False
    microsoft = _text(event, "X-MICROSOFT-CDO-BUSYSTATUS") or _text(event, "X-MICROSOFT-CDO-INTENDEDSTATUS")
    if microsoft in MICROSOFT_BUSY:
        return True
    if microsoft in MICROSOFT_FREE:
        return False
    transparency = _text(event, "TRANSP")
    if transparency in ("OPAQUE", "TRANSPARENT"):
        return transparency == "OPAQUE"
    # Apple leaves TRANSP out: birthdays and holidays are all-day and should not block.
    return not all_day


def _text(event, name: str) -> str:
    value = event.get(name, "")
    if isinstance(value, list):  # a property repeated against the rules: use the first
        value = value[0] if value else ""
    return str(value).strip().upper()


def _as_utc(value: date | datetime, zone) -> datetime:
    if not isinstance(value, datetime):  # a whole day starts at midnight in the calendar's zone
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(_UTC)


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
