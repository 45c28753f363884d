"""The slot engine: which discovery-call start times a coach offers right now.

Pure functions over plain values, so the booking page, the booking transaction
and the calendar feed all get the same answer.  Every datetime in or out is
timezone-aware; outputs are UTC.

* Weekly hours and overrides are wall-clock times in the coach's zone, evaluated
  per coach-local date: 09:00 stays 09:00 local across DST, its UTC moves.
* A day's open ranges = (weekly - "block" overrides) + "extra" overrides, merged
  where they touch.  Extras come last, so "block the day + extra 18:00-19:00"
  means only 18:00-19:00.  Starts step from each resulting range's start.
* One-off starts need not lie in any range, but a "block" override whose hours
  they overlap removes them (a whole-day block removes all one-offs that day).
* Wall times skipped by a DST gap are never offered; repeated ones only at their
  first occurrence (fold=0).  A range edge inside a gap = when the clocks jump.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Iterable, Iterator
from zoneinfo import ZoneInfo

from scheduling.intervals import merge, require_aware, subtract
from scheduling.wallclock import MIDNIGHT, ONE_DAY, UTC, localize, steady_offset, wall_span, wall_to_instant

BLOCK, EXTRA = "block", "extra"

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class TimeRange:
    """Wall-clock range in the coach's zone; end == 00:00 means midnight at day end."""
    start: time
    end: time

    def __post_init__(self) -> None:
        if not isinstance(self.start, time) or not isinstance(self.end, time):
            raise ValueError("TimeRange needs datetime.time values")
        # A zone on a bare time cannot account for DST, so wall times must be naive.
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("TimeRange times are wall-clock times and must be naive")
        if not (self.end > self.start or self.end == MIDNIGHT):
            raise ValueError(f"TimeRange end {self.end} is not after start {self.start}")


@dataclass(frozen=True)
class WeeklyRange:
    """One range on one weekday (0 = Monday ... 6 = Sunday)."""
    weekday: int
    range: TimeRange

    def __post_init__(self) -> None:
        if self.weekday not in range(7):
            raise ValueError(f"weekday must be 0..6, got {self.weekday!r}")


@dataclass(frozen=True)
class DateRule:
    """On `day` (coach-local): "block" removes hours (None = whole day), "extra" adds them."""
    day: date
    kind: str
    range: TimeRange | None

    def __post_init__(self) -> None:
        # datetime is a date subclass but never equals a date, so it would silently never match.
        if not isinstance(self.day, date) or isinstance(self.day, datetime):
            raise ValueError("DateRule.day must be a datetime.date")
        if self.kind not in (BLOCK, EXTRA):
            raise ValueError(f"DateRule.kind must be 'block' or 'extra', got {self.kind!r}")
        if self.kind == EXTRA and self.range is None:
            raise ValueError("an 'extra' override needs a range")


@dataclass(frozen=True)
class CallRules:
    duration: timedelta = timedelta(minutes=30)
    step: timedelta = timedelta(minutes=30)
    buffer: timedelta = timedelta(0)
    min_notice: timedelta = timedelta(hours=12)
    horizon: timedelta = timedelta(days=60)
    max_per_day: int | None = None

    def __post_init__(self) -> None:
        if self.duration <= timedelta(0) or self.step <= timedelta(0):
            raise ValueError("duration and step must be positive")
        if min(self.buffer, self.min_notice, self.horizon) < timedelta(0):
            raise ValueError("buffer, min_notice and horizon must not be negative")
        if self.max_per_day is not None and self.max_per_day < 0:
            raise ValueError("max_per_day must be None or >= 0")


@dataclass(frozen=True)
class Availability:
    tz: ZoneInfo
    weekly: tuple[WeeklyRange, ...] = ()
    overrides: tuple[DateRule, ...] = ()
    one_off_starts: tuple[datetime, ...] = ()
    rules: CallRules = CallRules()

    def __post_init__(self) -> None:
        if not isinstance(self.tz, tzinfo):
            raise ValueError("Availability.tz must be a tzinfo such as ZoneInfo")
        # Callers often pass lists from a query; freeze them so the value really is immutable.
        for name in ("weekly", "overrides", "one_off_starts"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for start in self.one_off_starts:
            require_aware(start, "one-off start")


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime
    end: datetime


# --- public API -------------------------------------------------------------


def free_slots(
    availability: Availability, *, bookings: Iterable[Interval], busy: Iterable[Interval],
    now: datetime, window_start: datetime, window_end: datetime,
) -> list[Slot]:
    """Slots bookable at `now` whose start lies in [window_start, window_end), sorted.

    `bookings` are the coach's active calls (they block with buffer and count
    toward max_per_day); pass every booking on the local days the window
    touches, or the daily cap undercounts.  `busy` are calendar blocks (they
    block with buffer but do not count).
    """
    query = _Query.build(availability, bookings, busy, now, window_start, window_end)
    # Keyed by start: one-offs may repeat weekly starts, and datetimes sort faster than Slots.
    found = {slot.start: slot for slot in _weekly_slots(query)}
    found.update((slot.start, slot) for slot in _one_off_slots(query))
    return [found[start] for start in sorted(found)]


def is_bookable(
    availability: Availability, *, bookings: Iterable[Interval], busy: Iterable[Interval],
    now: datetime, start: datetime,
) -> Slot | None:
    """The slot starting exactly at `start` if `free_slots` would offer it now, else None.

    Inside the booking transaction pass the *other* bookings only: the call
    being created must not block itself.
    """
    require_aware(start, "start")
    # Reusing free_slots on a one-instant window guarantees both always agree.
    slots = free_slots(
        availability, bookings=bookings, busy=busy, now=now,
        window_start=start, window_end=start + timedelta(microseconds=1),
    )
    return slots[0] if slots else None


def days_with_free_slots(slots: list[Slot], tz: tzinfo) -> dict[date, list[Slot]]:
    """Group slots by their local date in the viewer's `tz`, keeping their order."""
    grouped: dict[date, list[Slot]] = {}
    for slot in slots:
        grouped.setdefault(slot.start.astimezone(tz).date(), []).append(slot)
    return grouped


@dataclass(frozen=True)
class _Query:
    """One free_slots call: inputs checked, normalised to UTC and indexed once."""
    availability: Availability
    earliest: datetime  # max(window_start, now + min_notice)
    window_end: datetime  # exclusive
    latest: datetime  # now + horizon, inclusive
    conflicts: _Conflicts
    bookings_per_day: Counter
    weekly_by_day: dict[int, list[TimeRange]]
    overrides_by_day: dict[date, list[DateRule]]

    @classmethod
    def build(cls, availability, bookings, busy, now, window_start, window_end) -> _Query:
        rules, tz = availability.rules, availability.tz
        now, window_start, window_end = (
            require_aware(value, name).astimezone(UTC)
            for value, name in ((now, "now"), (window_start, "window_start"), (window_end, "window_end"))
        )
        booked = _checked_intervals(bookings, "booking")
        blocked = booked + _checked_intervals(busy, "busy interval")
        weekly_by_day: dict[int, list[TimeRange]] = {}
        overrides_by_day: dict[date, list[DateRule]] = {}
        for hours in availability.weekly:
            weekly_by_day.setdefault(hours.weekday, []).append(hours.range)
        for override in availability.overrides:
            overrides_by_day.setdefault(override.day, []).append(override)
        return cls(
            availability=availability,
            earliest=max(window_start, now + rules.min_notice),
            window_end=window_end,
            latest=now + rules.horizon,
            conflicts=_Conflicts(blocked),
            bookings_per_day=Counter(start.astimezone(tz).date() for start, _ in booked),
            weekly_by_day=weekly_by_day,
            overrides_by_day=overrides_by_day,
        )

    def local_days(self) -> Iterator[date]:
        """Coach-local dates on which an offered start can fall."""
        last = min(self.window_end, self.latest)
        if self.earliest > last:
            return
        tz = self.availability.tz
        day, last_day = self.earliest.astimezone(tz).date(), last.astimezone(tz).date()
        while day <= last_day:
            yield day
            day += ONE_DAY

    def day_is_full(self, day: date) -> bool:
        cap = self.availability.rules.max_per_day
        return cap is not None and self.bookings_per_day[day] >= cap

    def offer(self, start: datetime, day: date) -> Slot | None:
        """The slot at UTC `start` (on coach-local `day`) unless a rule refuses it."""
        rules = self.availability.rules
        if not (self.earliest <= start < self.window_end and start <= self.latest) or self.day_is_full(day):
            return None
        end = start + rules.duration
        # Padding the slot by the buffer equals padding every other interval by it.
        if self.conflicts.hit(start - rules.buffer, end + rules.buffer):
            return None
        return Slot(start, end)


class _Conflicts:
    """Bookings and busy blocks merged into sorted disjoint intervals for O(log n) checks."""
    def __init__(self, intervals: list[Interval]) -> None:
        merged = merge(intervals)
        self._starts, self._ends = [start for start, _ in merged], [end for _, end in merged]

    def hit(self, start: datetime, end: datetime) -> bool:
        # First interval ending after `start` is the only one that can overlap [start, end).
        index = bisect_right(self._ends, start)
        return index < len(self._starts) and self._starts[index] < end


# --- candidate generation -------------------------------------------------------


def _weekly_slots(query: _Query) -> Iterator[Slot]:
    tz, rules = query.availability.tz, query.availability.rules
    for day in query.local_days():
        if query.day_is_full(day):
            continue
        for wall_start, wall_end in _open_wall_ranges(day, query):
            for start in _starts_in_range(wall_start, wall_end, tz, rules):
                if start > query.latest:
                    break
                slot = query.offer(start, day)
                if slot is not None:
                    yield slot


def _starts_in_range(wall_start: datetime, wall_end: datetime, tz: tzinfo, rules: CallRules) -> Iterator[datetime]:
    """UTC starts stepping from wall_start whose call fits before the range ends, in order."""
    last_start = wall_to_instant(wall_end, tz) - rules.duration
    offset = steady_offset(wall_start, wall_end, tz)
    if offset is not None:
        # Fast path (nearly every range): without a DST change, stepping in UTC is stepping on the wall.
        start = (wall_start - offset).replace(tzinfo=UTC)
        while start <= last_start:
            yield start
            start += rules.step
        return
    wall = wall_start
    while wall < wall_end:
        start = localize(wall, tz)
        if start is not None:
            # Instants grow with wall time (gaps skipped, folds at fold=0): stop at the first misfit.
            if start > last_start:
                return
            yield start
        wall += rules.step


def _one_off_slots(query: _Query) -> Iterator[Slot]:
    tz, rules = query.availability.tz, query.availability.rules
    for one_off in query.availability.one_off_starts:
        wall = one_off.replace(tzinfo=None)
        if localize(wall, one_off.tzinfo) is None:
            continue  # its wall time was skipped by a DST gap: a typo, never a real start
        start = one_off.astimezone(UTC)
        if _overlaps_block(query, start, start + rules.duration):
            continue
        slot = query.offer(start, start.astimezone(tz).date())
        if slot is not None:
            yield slot


def _open_wall_ranges(day: date, query: _Query) -> list[tuple[datetime, datetime]]:
    """Open ranges of one coach-local date as naive wall-clock datetimes, merged."""
    weekly = [wall_span(day, r) for r in query.weekly_by_day.get(day.weekday(), ())]
    overrides = query.overrides_by_day.get(day, ())
    blocks = [o.range for o in overrides if o.kind == BLOCK]
    extras = [wall_span(day, o.range) for o in overrides if o.kind == EXTRA]
    if any(block is None for block in blocks):
        weekly = []
    else:
        weekly = subtract(merge(weekly), merge([wall_span(day, b) for b in blocks]))
    return merge(weekly + extras)


def _overlaps_block(query: _Query, start: datetime, end: datetime) -> bool:
    """Whether [start, end) overlaps the hours of any "block" override (in real time)."""
    tz = query.availability.tz
    local_day = start.astimezone(tz).date()
    # A call may straddle midnight, and DST can shift a day's edge, so look one day either side.
    for day in (local_day - ONE_DAY, local_day, local_day + ONE_DAY):
        for override in query.overrides_by_day.get(day, ()):
            if override.kind != BLOCK:
                continue
            wall_start, wall_end = wall_span(day, override.range or TimeRange(MIDNIGHT, MIDNIGHT))
            if wall_to_instant(wall_start, tz) < end and start < wall_to_instant(wall_end, tz):
                return True
    return False


# --- plain interval helpers -----------------------------------------------------


def _checked_intervals(intervals: Iterable[Interval], name: str) -> list[Interval]:
    checked = []
    for start, end in intervals:
        start = require_aware(start, f"{name} start").astimezone(UTC)
        end = require_aware(end, f"{name} end").astimezone(UTC)
        if end < start:
            raise ValueError(f"{name} ends before it starts: {start} > {end}")
        checked.append((start, end))
    return checked
