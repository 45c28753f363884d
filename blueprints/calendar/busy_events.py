"""What each event of a parsed calendar blocks: the event-by-event half of busy.py.

Pure, like busy.py. One event that cannot be read is left out and reported (SkippedEvent)
instead of costing the coach the whole calendar; everything else in the file still counts.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import recurring_ical_events
from icalendar import Calendar
from icalendar.timezone import is_utc, tzp

# Outlook's busy status is more precise than TRANSP, so it wins when present.
MICROSOFT_BUSY = frozenset({"BUSY", "OOF", "TENTATIVE"})
MICROSOFT_FREE = frozenset({"FREE", "WORKINGELSEWHERE"})
# FBTYPE values of a VFREEBUSY period that mean "not available" (RFC 5545 3.2.9); BUSY is
# the default. FREE, and types we do not know, block nothing.
FREEBUSY_BUSY = frozenset({"BUSY", "BUSY-TENTATIVE", "BUSY-UNAVAILABLE"})

# The properties that decide when an event happens: only a broken one of these loses an event.
TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "RRULE", "RDATE", "EXDATE")
SINGLE_PROPERTIES = {"DTSTART": "start times", "DTEND": "end times", "DURATION": "lengths",
                     "RECURRENCE-ID": "original times"}
UNREADABLE = {"DTSTART": "its start could not be read", "DTEND": "its end could not be read",
              "DURATION": "its length could not be read", "RECURRENCE-ID": "its original time could not be read",
              "RRULE": "its repeat rule could not be read", "RDATE": "one of its extra dates could not be read",
              "EXDATE": "one of its left-out dates could not be read"}
NOT_READ = "its dates could not be read"
RULE_PARTS = frozenset({"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
                        "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"})
REPEATS = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")

_UTC = timezone.utc
# An all-day event sits up to 14 hours away from its UTC date, so ask for a wider range.
_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class SkippedEvent:
    """An event that could not be read, as the coach would recognise it."""

    summary: str  # "" when it has none
    day: date | None  # the day it starts, as written in the file, when that much can be read
    reason: str  # why, in words the coach understands ("it has two start times")


class Reading:
    """Reads the busy spans of calendars, collecting the events it had to leave out."""

    def __init__(self, window: tuple[datetime, datetime], series: type[recurring_ical_events.Series],
                 own_addresses: frozenset[str], fatal: tuple[type[BaseException], ...] = ()) -> None:
        self.window = window
        self.series = occurrences_without_copies(series)  # Series, or a subclass with a work budget
        self.own_addresses = own_addresses
        self.fatal = fatal  # errors that must stop the whole reading, not just one event
        self.skipped: list[SkippedEvent] = []

    def busy_spans(self, calendar: Calendar):
        """(start, end) pairs in UTC, clipped to the window, of everything that blocks time."""
        zone = calendar_zone(calendar)
        move_utc = "X-WR-TIMEZONE" in calendar
        by_uid: dict[str, list] = defaultdict(list)
        for event in calendar.walk("VEVENT"):
            problem = unreadable_because(event)
            if problem:
                self.skip(event, problem)
            elif "DTSTART" in event:  # without a start there is nothing to block
                _anchor_times(event, zone, move_utc=move_utc)
                by_uid[str(event.get("UID", ""))].append(event)
        for group in by_uid.values():
            for series in _separate_series(group):
                yield from self._series_spans(series, zone)
        for component in calendar.walk("VFREEBUSY"):
            yield from self._freebusy_spans(component)

    def skip(self, event, reason: str) -> None:
        self.skipped.append(SkippedEvent(_summary(event), _start_day(event), reason))

    def _series_spans(self, components: list, zone) -> list[tuple[datetime, datetime]]:
        try:
            if len(components) == 1 and not any(name in components[0] for name in REPEATS):
                event = components[0]  # most events happen once: no expansion needed
                start = event["DTSTART"].dt
                occurrences = [(event, start, _end_of(event, start))]
            else:
                series = self.series([_EventAdapter(component) for component in components])
                occurrences = [(occurrence.event, occurrence.start, occurrence.end) for occurrence in
                               series.between(self.window[0] - _MARGIN, self.window[1] + _MARGIN)]
            return [span for span in (self._clipped(self._span(*o, zone)) for o in occurrences) if span]
        except self.fatal:
            raise
        except Exception:  # noqa: BLE001 - a stranger's event may break any layer below
            self.skip(components[0], NOT_READ)
            return []

    def _span(self, event, start, end, zone) -> tuple[datetime, datetime] | None:
        all_day = not isinstance(start, datetime)
        if not self._blocks_time(event, all_day=all_day):
            return None
        if all_day and not isinstance(end, datetime):
            # An all-day event lasts at least its day, even when DTEND is on or before DTSTART.
            end = max(end, start + timedelta(days=1))
        start, end = _as_utc(start, zone), _as_utc(end, zone)
        # DTEND before DTSTART: block the time between them anyway. The author meant some time
        # there, and being booked on top of a real appointment is worse than one slot too few.
        start, end = min(start, end), max(start, end)
        return (start, end) if start < end else None  # zero-length timed events block nothing

    def _clipped(self, span):
        if span is None:
            return None
        start, end = max(span[0], self.window[0]), min(span[1], self.window[1])
        return (start, end) if start < end else None

    def _blocks_time(self, event, *, all_day: bool) -> bool:
        if _text(event, "STATUS") == "CANCELLED" or self._declined(event):
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

    def _declined(self, event) -> bool:
        """The calendar's owner is an attendee who said no (their invitation stays in the calendar)."""
        if not self.own_addresses:
            return False
        attendees = event.get("ATTENDEE", [])
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            parameters = getattr(attendee, "params", None) or {}  # an unreadable line says nothing
            if (address_of(str(attendee)) in self.own_addresses
                    and str(parameters.get("PARTSTAT", "")).strip().upper() == "DECLINED"):
                return True
        return False

    def _freebusy_spans(self, component):
        """Busy periods published as VFREEBUSY (some servers publish busy time only this way)."""
        periods = component.get("FREEBUSY", [])
        for period in periods if isinstance(periods, list) else [periods]:
            try:
                kind = str(period.params.get("FBTYPE", "BUSY")).strip().upper()
                if kind not in FREEBUSY_BUSY:
                    continue
                start, end_or_length = period.dt
                end = start + end_or_length if isinstance(end_or_length, timedelta) else end_or_length
                span = self._clipped((_as_utc(min(start, end), _UTC), _as_utc(max(start, end), _UTC)))
            except Exception:  # noqa: BLE001 - e.g. a period that is not one
                self.skipped.append(SkippedEvent("Free/busy times", None, NOT_READ))
                continue
            if span:
                yield span


class _EventAdapter(recurring_ical_events.EventAdapter):
    """Keeps its event where our occurrences can find it."""

    def __init__(self, component) -> None:
        super().__init__(component)
        self.event = component


class _Occurrence(recurring_ical_events.Occurrence):
    """An occurrence that knows its event without copying it (copies were half the reading time)."""

    def __init__(self, adapter: _EventAdapter, *args, **kwargs) -> None:
        super().__init__(adapter, *args, **kwargs)
        self.event = adapter.event


def occurrences_without_copies(series: type[recurring_ical_events.Series]) -> type[recurring_ical_events.Series]:
    """`series`, giving occurrences that point at their event (`occurrence.event`)."""
    def occurrence(self, adapter, start=None, end=None):
        return _Occurrence(adapter, start, end, sequence=self.sequence)

    return type("SeriesWithoutCopies", (series,), {"occurrence": occurrence})


def address_of(value: str) -> str:
    """'mailto:Coach@Example.com' -> 'coach@example.com' (how addresses are compared)."""
    value = value.strip()
    if value[:7].lower() == "mailto:":
        value = value[7:]
    return value.strip().lower()


def unreadable_because(event) -> str:
    """Why this event cannot be read, or "" when it can."""
    broken = {name for name, _ in getattr(event, "errors", [])}
    for name in TIME_PROPERTIES:
        if name in broken:
            return UNREADABLE[name]
    for name, plural in SINGLE_PROPERTIES.items():
        if isinstance(event.get(name), list):
            return f"it has {len(event[name])} {plural}"
    rules = event.get("RRULE", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        if not set(rule) <= RULE_PARTS or "FREQ" not in rule:
            return UNREADABLE["RRULE"]  # e.g. a typo like UNTL=, which would otherwise repeat forever
    return ""


def calendar_zone(calendar: Calendar):
    name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    # tzp also understands Windows names ("W. Europe Standard Time"); unknown names mean UTC.
    return (tzp.timezone(name) if name else None) or _UTC


def _separate_series(components: list) -> list[list]:
    """The series in one UID's components: normally one; one per original if the UID is reused.

    Two different events sharing a UID (both without RECURRENCE-ID) would be read as one, and
    the other dropped; for busy time both must block. Changed instances go with the first.
    """
    originals = [c for c in components if "RECURRENCE-ID" not in c]
    changes = [c for c in components if "RECURRENCE-ID" in c]
    if len(originals) <= 1:
        return [components]
    return [[originals[0], *changes], *([original] for original in originals[1:])]


def _anchor_times(event, zone, *, move_utc: bool) -> None:
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

    for name in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"):
        values = event.get(name, [])
        for value in values if isinstance(values, list) else [values]:
            for time_value in getattr(value, "dts", [value]):  # EXDATE/RDATE hold lists
                time_value.dt = anchored(time_value.dt)


def _end_of(event, start):
    """DTEND, or DTSTART + DURATION, or a day for an all-day event, or the start itself."""
    if "DTEND" in event:
        return event["DTEND"].dt
    if "DURATION" in event:
        length = event["DURATION"].dt
        if not isinstance(start, datetime) and length.seconds:
            start = datetime.combine(start, time())
        return start + length
    return start + timedelta(days=1) if not isinstance(start, datetime) else start


def _text(event, name: str) -> str:
    value = event.get(name, "")
    if isinstance(value, list):  # a property repeated against the rules: use the first
        value = value[0] if value else ""
    return str(value).strip().upper()


def _summary(event) -> str:
    value = event.get("SUMMARY", "")
    if isinstance(value, list):
        value = value[0] if value else ""
    text = "".join(character if character.isprintable() else " " for character in str(value))
    return " ".join(text.split())[:120]


def _start_day(event) -> date | None:
    value = event.get("DTSTART")
    if isinstance(value, list):
        value = value[0] if value else None
    when = getattr(value, "dt", None)
    if isinstance(when, datetime):
        return when.date()
    return when if isinstance(when, date) else None


def _as_utc(value: date | datetime, zone) -> datetime:
    if not isinstance(value, datetime):  # a whole day starts at midnight in the calendar's zone
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(_UTC)
