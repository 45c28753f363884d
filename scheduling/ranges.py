"""Wall-clock arithmetic for the availability editor (pure: no Flask, no database).

Times are the coach's local wall-clock times; an end of 00:00 means midnight at the end of the
day, exactly as the slot engine (`slots.TimeRange`) reads it.
"""
from datetime import date, datetime, time, tzinfo

from scheduling.wallclock import MIDNIGHT, localize

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


def join_overlapping(existing, start: time, end: time):
    """Join the new range [start, end) with every existing range it overlaps or touches.

    `existing` holds (key, start, end) triples. Returns (start, end, keys_absorbed). Repeats
    until nothing more joins, so even overlapping stored rows end up in one range.
    """
    low, high = start_minute(start), end_minute(end)
    absorbed = set()
    grew = True
    while grew:
        grew = False
        for key, other_start, other_end in existing:
            if key in absorbed:
                continue
            if start_minute(other_start) <= high and end_minute(other_end) >= low:
                absorbed.add(key)
                low, high = min(low, start_minute(other_start)), max(high, end_minute(other_end))
                grew = True
    return minute_to_time(low), minute_to_time(high), absorbed


def covers(start: time, end: time, inner_start: time, inner_end: time) -> bool:
    return start_minute(start) <= start_minute(inner_start) and end_minute(inner_end) <= end_minute(end)


def format_time(value: time, is_end: bool = False) -> str:
    if is_end and value == MIDNIGHT:
        return "midnight"
    return value.strftime("%H:%M")


def format_range(start: time, end: time) -> str:
    return f"{format_time(start)}–{format_time(end, is_end=True)}"


def local_instant(day: date, wall: time, zone: tzinfo):
    """The UTC instant of a wall-clock time on `day` in `zone`, or None if the clocks skip it.

    A time that occurs twice (clocks going back) means its first occurrence, as in the engine.
    """
    return localize(datetime.combine(day, wall), zone)
