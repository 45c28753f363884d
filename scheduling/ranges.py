"""Wall-clock arithmetic for the availability editor (pure: no Flask, no database).

Times are the coach's local wall-clock times; an end of 00:00 means midnight at the end of the
day, exactly as the slot engine (`slots.TimeRange`) reads it.
"""
from datetime import date, datetime, time, tzinfo

from scheduling.wallclock import MIDNIGHT, localize
from timezones import format_clock

DAY_MINUTES = 24 * 60


def start_minute(value: time) -> int:
    return value.hour * 60 + value.minute


def end_minute(value: time) -> int:
    """Minutes since the day began; an end of 00:00 is the midnight that closes the day."""
    return DAY_MINUTES if value == MIDNIGHT else start_minute(value)


def minute_to_time(minute: int) -> time:
    return MIDNIGHT if minute >= DAY_MINUTES else time(minute // 60, minute % 60)


def ends_after(start: time, end: time) -> bool:
    """The rule the slot engine enforces, so nothing stored can break it."""
    return end_minute(end) > start_minute(start)


def merge_ranges(ranges):
    """[(start, end)] as the fewest ranges covering the same minutes, earliest first: ranges
    that overlap or touch are joined (09:00–12:00 and 11:00–13:00 become 09:00–13:00)."""
    merged = []
    for low, high in sorted((start_minute(s), end_minute(e)) for s, e in ranges):
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [(minute_to_time(low), minute_to_time(high)) for low, high in merged]


def format_time(value: time, is_end: bool = False, hour12: bool = False) -> str:
    """On the viewer's clock: "09:30" or "9:30 AM"; an end of 00:00 is "midnight"."""
    if is_end and value == MIDNIGHT:
        return "midnight"
    return format_clock(value, hour12)


def format_range(start: time, end: time, hour12: bool = False) -> str:
    return f"{format_time(start, hour12=hour12)}–{format_time(end, is_end=True, hour12=hour12)}"


def local_instant(day: date, wall: time, zone: tzinfo):
    """The UTC instant of a wall-clock time on `day` in `zone`, or None if the clocks skip it.

    A time that occurs twice (clocks going back) means its first occurrence, as in the engine.
    """
    return localize(datetime.combine(day, wall), zone)
