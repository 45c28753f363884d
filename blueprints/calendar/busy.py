"""Read the busy time out of a coach's calendar export (Google, Outlook, Apple, ...).

Pure: bytes and aware datetimes in, BusyInterval values out. Calendar files come from
strangers, so anything that goes wrong while reading one becomes CalendarUnreadable with
a message the coach can act on, and each file is read in a child process with a time and a
memory budget (see `_in_child_process`).
"""
from __future__ import annotations

import codecs
import multiprocessing
import re
import resource
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import recurring_ical_events
from icalendar import Calendar
from icalendar.timezone import is_utc, tzp

from blueprints.calendar.limits import MAX_BYTES, MAX_EVENTS, READ_SECONDS, size_in_words
from scheduling.intervals import merge, require_aware

NOT_ICALENDAR = "This file is not an iCalendar file"
DAMAGED = "The calendar file is damaged and could not be read"
TOO_COMPLEX = "The calendar has repeating events that are too complex to read"

# Memory a reading may take beyond what the process already holds: real calendars need a few
# megabytes; FREQ=SECONDLY expanded over a year would take many gigabytes.
READ_MEMORY = 1 << 30

# Outlook's busy status is more precise than TRANSP, so it wins when present.
MICROSOFT_BUSY = frozenset({"BUSY", "OOF", "TENTATIVE"})
MICROSOFT_FREE = frozenset({"FREE", "WORKINGELSEWHERE"})

_UTC = timezone.utc
_VEVENT_LINE = re.compile(r"^BEGIN:VEVENT[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


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


def read_calendar(
    ics: bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    max_bytes: int = MAX_BYTES,
    max_events: int = MAX_EVENTS,
    seconds: float = READ_SECONDS,
) -> CalendarRead:
    """Merged, sorted busy intervals clipped to [window_start, window_end), and the event count."""
    require_aware(window_start, "window_start")
    require_aware(window_end, "window_end")
    if window_end < window_start:
        raise ValueError("window_end must not be before window_start")
    window = (window_start.astimezone(_UTC), window_end.astimezone(_UTC))
    text = _checked_text(ics, max_bytes=max_bytes, max_events=max_events)
    return _in_child_process(seconds, _read, text, window, max_events)


def _read(text: str, window: tuple[datetime, datetime], max_events: int) -> CalendarRead:
    calendars = _parse(text, max_events)
    try:
        found = [span for calendar in calendars for span in _busy_spans(calendar, window)]
    except MemoryError:
        raise CalendarUnreadable(TOO_COMPLEX) from None
    except Exception as error:  # noqa: BLE001 - hostile input may break any layer below
        raise CalendarUnreadable(DAMAGED) from error
    intervals = [BusyInterval(start, end) for start, end in merge(found)]
    return CalendarRead(intervals, sum(len(calendar.events) for calendar in calendars))


# --- Reading the file -----------------------------------------------------------------


def _checked_text(ics: bytes, *, max_bytes: int, max_events: int) -> str:
    """The file as text, if it can be a calendar we read; checked before any parsing."""
    if not isinstance(ics, (bytes, bytearray)):
        raise TypeError(f"ics must be bytes, not {type(ics).__name__}")
    if len(ics) > max_bytes:
        raise CalendarUnreadable(f"The calendar is larger than {size_in_words(max_bytes)}")
    text = _as_text(bytes(ics))
    if not text.lstrip()[:15].upper() == "BEGIN:VCALENDAR":
        raise CalendarUnreadable(NOT_ICALENDAR)
    # Counting lines first spares us parsing 80 000 tiny events only to refuse them.
    if len(_VEVENT_LINE.findall(text)) > max_events:
        raise CalendarUnreadable(f"The calendar has more than {max_events:,} events")
    return text


def _as_text(raw: bytes) -> str:
    # Busy time does not depend on the wording of titles, so text in a legacy encoding
    # (Windows-1252 exports) is read with replacement characters rather than refused.
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace")
    return raw.decode("utf-8-sig", errors="replace")


def _parse(text: str, max_events: int) -> list[Calendar]:
    """Parse, with no time zone definitions but the file's own.

    icalendar caches every VTIMEZONE by TZID for the whole process, first definition wins.
    Outlook names many different zones "Customized Time Zone", so a definition read earlier
    in this process would otherwise decide the times in this file. The table is emptied first.
    """
    tzp.use(tzp.name)  # re-selecting the provider starts an empty table
    try:
        # Bytes, not str: a one-line str is first tried as a file path by icalendar.
        calendars = Calendar.from_ical(text.encode("utf-8"), multiple=True)
    except MemoryError:
        raise CalendarUnreadable(TOO_COMPLEX) from None
    except Exception as error:  # noqa: BLE001 - the parser raises many different types
        raise CalendarUnreadable(DAMAGED) from error
    if not calendars:  # e.g. a download cut off before END:VCALENDAR
        raise CalendarUnreadable(DAMAGED)
    if sum(len(c.events) for c in calendars) > max_events:
        raise CalendarUnreadable(f"The calendar has more than {max_events:,} events")
    return calendars


# --- Finding busy time ------------------------------------------------------------------


def _busy_spans(calendar: Calendar, window: tuple[datetime, datetime]):
    zone = _calendar_zone(calendar)
    _anchor_times(calendar, zone, move_utc="X-WR-TIMEZONE" in calendar)
    # Done above: recurring_ical_events' own X-WR-TIMEZONE pass (x_wr_timezone) takes any
    # zone without a name for floating, which wipes out Outlook's VTIMEZONE zones.
    calendar.pop("X-WR-TIMEZONE", None)
    calendar.subcomponents = [
        component for component in calendar.subcomponents
        if component.name != "VEVENT" or "DTSTART" in component  # nothing to block
    ]
    query = recurring_ical_events.of(calendar, components=["VEVENT"])
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


# --- The budget ------------------------------------------------------------------------------
#
# dateutil checks UNTIL and the query range only when a rule *produces* a date, so a rule that
# never matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30, in an event or in a VTIMEZONE) scans day
# by day to the year 9999 without handing back control, and FREQ=SECONDLY fills memory. No
# check inside the process could interrupt that. A child process can be stopped from outside
# with public APIs only, so it survives library upgrades, and it bounds the parse as well.


def _in_child_process(seconds: float, function, *args):
    """function(*args) in a forked child with `seconds` of wall time and READ_MEMORY to spare.

    Exceptions it raises come back as they are; running out of either budget is TOO_COMPLEX.
    """
    context = multiprocessing.get_context("fork")  # the child starts with the data in memory
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(sender, function, args), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise CalendarUnreadable(TOO_COMPLEX)
        succeeded, value = receiver.recv()
    except EOFError:  # the child died without an answer: over its memory
        raise CalendarUnreadable(TOO_COMPLEX) from None
    finally:
        child.kill()
        child.join()
        receiver.close()
    if succeeded:
        return value
    raise value


def _child_main(sender, function, args) -> None:
    _limit_memory(READ_MEMORY)
    try:
        outcome = (True, function(*args))
    except MemoryError:
        outcome = (False, CalendarUnreadable(TOO_COMPLEX))
    except CalendarUnreadable as error:
        outcome = (False, CalendarUnreadable(str(error)))  # without its cause: that may not pickle
    except Exception:  # noqa: BLE001 - anything else in a stranger's file is damage
        outcome = (False, CalendarUnreadable(DAMAGED))
    sender.send(outcome)
    sender.close()


def _limit_memory(extra: int) -> None:
    """Cap the child's address space at what it holds now plus `extra` bytes (Linux)."""
    try:
        with open("/proc/self/statm") as statm:
            held = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        return
    resource.setrlimit(resource.RLIMIT_AS, (held + extra, resource.RLIM_INFINITY))
