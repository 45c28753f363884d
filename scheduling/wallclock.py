"""Wall-clock times in a zone <-> instants, the DST-aware way (pure: no Flask, no database).

Shared by the slot engine and the availability editor, so both read a coach's local times
alike: a time the clocks skip does not exist; a time they repeat means its first occurrence.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo

UTC = timezone.utc
ONE_DAY = timedelta(days=1)
MIDNIGHT = time(0)


def wall_span(day: date, time_range) -> tuple[datetime, datetime]:
    """A `TimeRange`-like (start, end) on `day` as naive wall datetimes; end 00:00 = next midnight."""
    end_day = day + ONE_DAY if time_range.end == MIDNIGHT else day
    return datetime.combine(day, time_range.start), datetime.combine(end_day, time_range.end)


def localize(wall: datetime, tz: tzinfo) -> datetime | None:
    """UTC instant of a naive wall time in `tz`; None if a DST gap skips it; folds -> first."""
    offset_first = wall.replace(tzinfo=tz, fold=0).utcoffset()
    offset_second = wall.replace(tzinfo=tz, fold=1).utcoffset()
    # PEP 495: inside a gap fold=0 reports the smaller, pre-jump offset; in a fold the larger one.
    if offset_first < offset_second:
        return None
    return (wall - offset_first).replace(tzinfo=UTC)


def steady_offset(wall_start: datetime, wall_end: datetime, tz: tzinfo) -> timedelta | None:
    """The UTC offset if it is the same, unambiguous one at both ends of the range, else None."""
    # Equal ends could hide two DST changes cancelling out within one day; no zone does that.
    offsets = {wall.replace(tzinfo=tz, fold=fold).utcoffset() for wall in (wall_start, wall_end) for fold in (0, 1)}
    return offsets.pop() if len(offsets) == 1 else None


def wall_to_instant(wall: datetime, tz: tzinfo) -> datetime:
    """Like `localize`, but a time inside a gap maps to the instant the clocks jump."""
    instant = localize(wall, tz)
    return instant if instant is not None else gap_jump_instant(wall, tz)


def gap_jump_instant(wall: datetime, tz: tzinfo) -> datetime:
    before = wall.replace(tzinfo=tz, fold=0).utcoffset()
    after = wall.replace(tzinfo=tz, fold=1).utcoffset()
    # Read with the new offset the wall time lies before the jump, with the old one after it;
    # bisect between the two.  Only range edges inside a gap get here, so cost is irrelevant.
    low, high = (wall - after).replace(tzinfo=UTC), (wall - before).replace(tzinfo=UTC)
    while high - low > timedelta(microseconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == before:
            low = middle
        else:
            high = middle
    return high
