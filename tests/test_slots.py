"""Unit tests for the slot engine (blueprints/availability/slots.py).

Expected times are written as aware datetimes in the zone a human would think
in, then converted to UTC before comparing: PEP 495 makes a datetime inside a
DST fold or gap compare unequal to every datetime in another zone, so comparing
a London wall time straight against a UTC output would fail on exactly the days
these tests care about.
"""

import random
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from scheduling.slots import (
    Availability,
    CallRules,
    DateRule,
    Slot,
    TimeRange,
    WeeklyRange,
    days_with_free_slots,
    free_slots,
    is_bookable,
)

UTC = timezone.utc
LON = ZoneInfo("Europe/London")
NY = ZoneInfo("America/New_York")
SYD = ZoneInfo("Australia/Sydney")
MON, TUE, SUN = 0, 1, 6
MINUTE = timedelta(minutes=1)


def at(hour, minute=0):
    return time(hour, minute)


def as_utc(*moments):
    return [moment.astimezone(UTC) for moment in moments]


def rules(**overrides):
    # Tests pick their own window, so notice is off unless a test is about notice.
    return CallRules(**{"min_notice": timedelta(0), **overrides})


def weekly(weekday, start, end):
    return WeeklyRange(weekday, TimeRange(start, end))


def every_day(start, end):
    return tuple(weekly(day, start, end) for day in range(7))


def extra(day, start, end):
    return DateRule(day, "extra", TimeRange(start, end))


def block(day, start=None, end=None):
    return DateRule(day, "block", None if start is None else TimeRange(start, end))


def starts_on(availability, day, *, bookings=(), busy=(), now=None):
    """Offered starts (UTC) whose start falls on coach-local `day`."""
    window_start = datetime.combine(day, time(0), tzinfo=availability.tz)
    window_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=availability.tz)
    slots = free_slots(
        availability,
        bookings=bookings,
        busy=busy,
        now=now or window_start - timedelta(days=1),
        window_start=window_start,
        window_end=window_end,
    )
    return [slot.start for slot in slots]


def free_from(availability, now, days, *, bookings=(), busy=()):
    """free_slots for a window running `days` days from `now`."""
    return free_slots(
        availability, bookings=bookings, busy=busy, now=now, window_start=now, window_end=now + timedelta(days=days)
    )


# --- basics ---------------------------------------------------------------------


def test_plain_weekday_offers_steps_of_the_range_in_utc():
    availability = Availability(LON, weekly=(weekly(MON, at(9), at(11)),), rules=rules())
    slots = free_slots(
        availability,
        bookings=[],
        busy=[],
        now=datetime(2026, 1, 1, tzinfo=UTC),
        window_start=datetime(2026, 1, 12, tzinfo=LON),
        window_end=datetime(2026, 1, 13, tzinfo=LON),
    )
    assert slots == [
        Slot(datetime(2026, 1, 12, 9, 0, tzinfo=UTC), datetime(2026, 1, 12, 9, 30, tzinfo=UTC)),
        Slot(datetime(2026, 1, 12, 9, 30, tzinfo=UTC), datetime(2026, 1, 12, 10, 0, tzinfo=UTC)),
        Slot(datetime(2026, 1, 12, 10, 0, tzinfo=UTC), datetime(2026, 1, 12, 10, 30, tzinfo=UTC)),
        Slot(datetime(2026, 1, 12, 10, 30, tzinfo=UTC), datetime(2026, 1, 12, 11, 0, tzinfo=UTC)),
    ]
    assert all(slot.start.tzinfo is UTC and slot.end.tzinfo is UTC for slot in slots)


def test_other_weekdays_offer_nothing():
    availability = Availability(LON, weekly=(weekly(MON, at(9), at(11)),), rules=rules())
    assert starts_on(availability, date(2026, 1, 13)) == []


def test_candidates_are_aligned_to_the_range_start_and_must_fit():
    availability = Availability(
        LON,
        weekly=(weekly(MON, at(9, 10), at(10, 30)),),
        rules=rules(step=timedelta(minutes=20), duration=timedelta(minutes=30)),
    )
    assert starts_on(availability, date(2026, 1, 12)) == as_utc(
        datetime(2026, 1, 12, 9, 10, tzinfo=LON),
        datetime(2026, 1, 12, 9, 30, tzinfo=LON),
        datetime(2026, 1, 12, 9, 50, tzinfo=LON),
    )


def test_window_start_is_inclusive_and_window_end_exclusive():
    availability = Availability(LON, weekly=(weekly(MON, at(9), at(12)),), rules=rules())
    slots = free_slots(
        availability,
        bookings=[],
        busy=[],
        now=datetime(2026, 1, 1, tzinfo=UTC),
        window_start=datetime(2026, 1, 12, 9, 30, tzinfo=LON),
        window_end=datetime(2026, 1, 12, 10, 30, tzinfo=LON),
    )
    assert [slot.start for slot in slots] == as_utc(
        datetime(2026, 1, 12, 9, 30, tzinfo=LON), datetime(2026, 1, 12, 10, 0, tzinfo=LON)
    )


# --- DST: wall-clock hours keep their local time --------------------------------


@pytest.mark.parametrize(
    "tz, week_before, change_day, utc_before, utc_after",
    [
        pytest.param(
            LON, date(2026, 3, 22), date(2026, 3, 29),
            datetime(2026, 3, 22, 9, tzinfo=UTC), datetime(2026, 3, 29, 8, tzinfo=UTC),
            id="london-bst-starts",
        ),
        pytest.param(
            LON, date(2026, 10, 18), date(2026, 10, 25),
            datetime(2026, 10, 18, 8, tzinfo=UTC), datetime(2026, 10, 25, 9, tzinfo=UTC),
            id="london-bst-ends",
        ),
        pytest.param(
            NY, date(2026, 3, 1), date(2026, 3, 8),
            datetime(2026, 3, 1, 14, tzinfo=UTC), datetime(2026, 3, 8, 13, tzinfo=UTC),
            id="new-york-edt-starts",
        ),
        pytest.param(
            NY, date(2026, 10, 25), date(2026, 11, 1),
            datetime(2026, 10, 25, 13, tzinfo=UTC), datetime(2026, 11, 1, 14, tzinfo=UTC),
            id="new-york-edt-ends",
        ),
        pytest.param(  # southern hemisphere: summer time ends in April
            SYD, date(2026, 3, 29), date(2026, 4, 5),
            datetime(2026, 3, 28, 22, tzinfo=UTC), datetime(2026, 4, 4, 23, tzinfo=UTC),
            id="sydney-aedt-ends",
        ),
        pytest.param(
            SYD, date(2026, 9, 27), date(2026, 10, 4),
            datetime(2026, 9, 26, 23, tzinfo=UTC), datetime(2026, 10, 3, 22, tzinfo=UTC),
            id="sydney-aedt-starts",
        ),
    ],
)
def test_nine_oclock_stays_nine_oclock_local_across_a_dst_change(tz, week_before, change_day, utc_before, utc_after):
    availability = Availability(tz, weekly=(weekly(SUN, at(9), at(9, 30)),), rules=rules())
    assert starts_on(availability, week_before) == [utc_before]
    assert starts_on(availability, change_day) == [utc_after]
    assert [start.astimezone(tz).time() for start in (utc_before, utc_after)] == [at(9), at(9)]


@pytest.mark.parametrize(
    "tz, day, expected",
    [
        pytest.param(
            LON, date(2026, 3, 29),
            [
                datetime(2026, 3, 29, 0, 0, tzinfo=UTC), datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
                datetime(2026, 3, 29, 1, 0, tzinfo=UTC), datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
                datetime(2026, 3, 29, 2, 0, tzinfo=UTC), datetime(2026, 3, 29, 2, 30, tzinfo=UTC),
            ],
            id="london-01:00-GMT-jumps-to-02:00-BST",
        ),
        pytest.param(
            NY, date(2026, 3, 8),
            [
                datetime(2026, 3, 8, 5, 0, tzinfo=UTC), datetime(2026, 3, 8, 5, 30, tzinfo=UTC),
                datetime(2026, 3, 8, 6, 0, tzinfo=UTC), datetime(2026, 3, 8, 6, 30, tzinfo=UTC),
                datetime(2026, 3, 8, 7, 0, tzinfo=UTC), datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
            ],
            id="new-york-02:00-EST-jumps-to-03:00-EDT",
        ),
        pytest.param(
            SYD, date(2026, 10, 4),
            [
                datetime(2026, 10, 3, 14, 0, tzinfo=UTC), datetime(2026, 10, 3, 14, 30, tzinfo=UTC),
                datetime(2026, 10, 3, 15, 0, tzinfo=UTC), datetime(2026, 10, 3, 15, 30, tzinfo=UTC),
                datetime(2026, 10, 3, 16, 0, tzinfo=UTC), datetime(2026, 10, 3, 16, 30, tzinfo=UTC),
            ],
            id="sydney-02:00-AEST-jumps-to-03:00-AEDT",
        ),
    ],
)
def test_local_times_skipped_by_spring_forward_are_never_offered(tz, day, expected):
    availability = Availability(tz, overrides=(extra(day, at(0), at(4)),), rules=rules())
    offered = starts_on(availability, day)
    assert offered == expected
    local_walls = [start.astimezone(tz).time() for start in offered]
    gap_hour = {LON: 1, NY: 2, SYD: 2}[tz]
    assert all(wall.hour != gap_hour for wall in local_walls)


def test_spring_forward_examples_in_local_terms():
    availability = Availability(LON, overrides=(extra(date(2026, 3, 29), at(0), at(3)),), rules=rules())
    assert starts_on(availability, date(2026, 3, 29)) == as_utc(
        datetime(2026, 3, 29, 0, 0, tzinfo=LON),
        datetime(2026, 3, 29, 0, 30, tzinfo=LON),
        datetime(2026, 3, 29, 2, 0, tzinfo=LON),
        datetime(2026, 3, 29, 2, 30, tzinfo=LON),
    )


@pytest.mark.parametrize(
    "tz, day, expected",
    [
        pytest.param(
            LON, date(2026, 10, 25),
            [
                datetime(2026, 10, 24, 23, 0, tzinfo=UTC), datetime(2026, 10, 24, 23, 30, tzinfo=UTC),
                datetime(2026, 10, 25, 0, 0, tzinfo=UTC), datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
                datetime(2026, 10, 25, 2, 0, tzinfo=UTC), datetime(2026, 10, 25, 2, 30, tzinfo=UTC),
            ],
            id="london-repeats-01:00-02:00-BST-then-GMT",
        ),
        pytest.param(
            NY, date(2026, 11, 1),
            [
                datetime(2026, 11, 1, 4, 0, tzinfo=UTC), datetime(2026, 11, 1, 4, 30, tzinfo=UTC),
                datetime(2026, 11, 1, 5, 0, tzinfo=UTC), datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
                datetime(2026, 11, 1, 7, 0, tzinfo=UTC), datetime(2026, 11, 1, 7, 30, tzinfo=UTC),
            ],
            id="new-york-repeats-01:00-02:00-EDT-then-EST",
        ),
    ],
)
def test_repeated_local_times_after_fall_back_are_offered_once_first_occurrence(tz, day, expected):
    availability = Availability(tz, overrides=(extra(day, at(0), at(3)),), rules=rules())
    offered = starts_on(availability, day)
    assert offered == expected
    local_walls = [start.astimezone(tz).replace(tzinfo=None) for start in offered]
    assert len(set(local_walls)) == len(local_walls)
    assert all(start.astimezone(tz).fold == 0 for start in offered)


def test_sydney_fall_back_offers_the_repeated_hour_once():
    # Sydney repeats 02:00-03:00 on 5 Apr 2026 (AEDT +11 then AEST +10).
    availability = Availability(SYD, overrides=(extra(date(2026, 4, 5), at(1, 30), at(3, 30)),), rules=rules())
    assert starts_on(availability, date(2026, 4, 5)) == as_utc(
        datetime(2026, 4, 5, 1, 30, tzinfo=SYD),
        datetime(2026, 4, 5, 2, 0, fold=0, tzinfo=SYD),
        datetime(2026, 4, 5, 2, 30, fold=0, tzinfo=SYD),
        datetime(2026, 4, 5, 3, 0, tzinfo=SYD),
    )


def test_a_range_ending_inside_the_gap_ends_when_the_clocks_jump():
    # 00:00-02:30 on New York's spring-forward day really ends at 02:00 EST = 07:00 UTC.
    availability = Availability(
        NY, overrides=(extra(date(2026, 3, 8), at(0), at(2, 30)),), rules=rules(duration=timedelta(hours=1))
    )
    assert starts_on(availability, date(2026, 3, 8)) == as_utc(
        datetime(2026, 3, 8, 0, 0, tzinfo=NY),
        datetime(2026, 3, 8, 0, 30, tzinfo=NY),
        datetime(2026, 3, 8, 1, 0, tzinfo=NY),
    )


def test_a_range_starting_inside_the_gap_begins_after_the_jump():
    availability = Availability(LON, overrides=(extra(date(2026, 3, 29), at(1, 30), at(3)),), rules=rules())
    assert starts_on(availability, date(2026, 3, 29)) == as_utc(
        datetime(2026, 3, 29, 2, 0, tzinfo=LON), datetime(2026, 3, 29, 2, 30, tzinfo=LON)
    )


def test_whole_day_on_the_25_hour_day_offers_each_wall_hour_once():
    availability = Availability(
        LON, weekly=(weekly(SUN, at(0), at(0)),), rules=rules(step=timedelta(hours=1), duration=timedelta(hours=1))
    )
    offered = starts_on(availability, date(2026, 10, 25))
    assert len(offered) == 24
    assert [start.astimezone(LON).hour for start in offered] == list(range(24))
    assert datetime(2026, 10, 25, 1, 0, tzinfo=UTC) not in offered  # 01:00 GMT, the second pass
    assert offered[-1] == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)


# --- ranges, merging, overrides -------------------------------------------------


def test_a_block_override_splits_a_range_and_slots_resume_after_it():
    day = date(2026, 1, 12)
    availability = Availability(
        LON,
        weekly=(weekly(MON, at(9), at(17)),),
        overrides=(block(day, at(12), at(13)),),
        rules=rules(duration=timedelta(hours=1)),
    )
    offered = starts_on(availability, day)
    assert offered == as_utc(
        *(datetime(2026, 1, 12, h, m, tzinfo=LON) for h, m in [(9, 0), (9, 30), (10, 0), (10, 30), (11, 0)]),
        *(datetime(2026, 1, 12, h, m, tzinfo=LON) for h in (13, 14, 15) for m in (0, 30)),
        datetime(2026, 1, 12, 16, 0, tzinfo=LON),
    )
    noon, one = datetime(2026, 1, 12, 12, tzinfo=LON), datetime(2026, 1, 12, 13, tzinfo=LON)
    assert not any(start < one and start + timedelta(hours=1) > noon for start in offered)


def test_block_on_another_date_changes_nothing():
    availability = Availability(
        LON, weekly=(weekly(MON, at(9), at(10)),), overrides=(block(date(2026, 1, 19)),), rules=rules()
    )
    assert starts_on(availability, date(2026, 1, 12)) == as_utc(
        datetime(2026, 1, 12, 9, 0, tzinfo=LON), datetime(2026, 1, 12, 9, 30, tzinfo=LON)
    )
    assert starts_on(availability, date(2026, 1, 19)) == []


def test_touching_ranges_merge_so_a_call_may_span_the_seam():
    availability = Availability(
        LON,
        weekly=(weekly(MON, at(10), at(11)), weekly(MON, at(9), at(10))),
        rules=rules(duration=timedelta(hours=1)),
    )
    assert starts_on(availability, date(2026, 1, 12)) == as_utc(
        datetime(2026, 1, 12, 9, 0, tzinfo=LON),
        datetime(2026, 1, 12, 9, 30, tzinfo=LON),
        datetime(2026, 1, 12, 10, 0, tzinfo=LON),
    )


def test_overlapping_ranges_merge_without_duplicates_on_the_first_ranges_grid():
    availability = Availability(
        LON,
        weekly=(weekly(MON, at(9), at(10, 30)), weekly(MON, at(9, 45), at(11))),
        overrides=(extra(date(2026, 1, 12), at(10), at(10, 15)),),
        rules=rules(),
    )
    assert starts_on(availability, date(2026, 1, 12)) == as_utc(
        *(datetime(2026, 1, 12, h, m, tzinfo=LON) for h, m in [(9, 0), (9, 30), (10, 0), (10, 30)])
    )


def test_extra_override_adds_hours_on_a_weekday_without_any():
    day = date(2026, 1, 17)  # a Saturday
    availability = Availability(
        LON, weekly=(weekly(MON, at(9), at(17)),), overrides=(extra(day, at(10), at(11)),), rules=rules()
    )
    assert starts_on(availability, day) == as_utc(
        datetime(2026, 1, 17, 10, 0, tzinfo=LON), datetime(2026, 1, 17, 10, 30, tzinfo=LON)
    )
    assert starts_on(availability, day + timedelta(days=7)) == []


def test_extra_hours_apply_after_blocks_so_they_can_replace_a_blocked_day():
    day = date(2026, 1, 12)
    availability = Availability(
        LON,
        weekly=(weekly(MON, at(9), at(17)),),
        overrides=(block(day), extra(day, at(18), at(19))),
        rules=rules(),
    )
    assert starts_on(availability, day) == as_utc(
        datetime(2026, 1, 12, 18, 0, tzinfo=LON), datetime(2026, 1, 12, 18, 30, tzinfo=LON)
    )


def test_extra_hours_reopen_part_of_a_partial_block():
    day = date(2026, 1, 12)
    availability = Availability(
        LON,
        weekly=(weekly(MON, at(9), at(12)),),
        overrides=(block(day, at(10), at(11)), extra(day, at(10, 30), at(11))),
        rules=rules(),
    )
    assert starts_on(availability, day) == as_utc(
        *(datetime(2026, 1, 12, h, m, tzinfo=LON) for h, m in [(9, 0), (9, 30), (10, 30), (11, 0), (11, 30)])
    )


def test_range_ending_at_midnight_offers_the_last_slot_of_the_day():
    short = Availability(LON, weekly=(weekly(MON, at(22), time(0)),), rules=rules())
    assert starts_on(short, date(2026, 1, 12)) == as_utc(
        *(datetime(2026, 1, 12, h, m, tzinfo=LON) for h, m in [(22, 0), (22, 30), (23, 0), (23, 30)])
    )
    long = Availability(LON, weekly=(weekly(MON, at(22), time(0)),), rules=rules(duration=timedelta(hours=1)))
    assert starts_on(long, date(2026, 1, 12))[-1] == datetime(2026, 1, 12, 23, 0, tzinfo=UTC)
    assert starts_on(long, date(2026, 1, 13)) == []


def test_leap_day_gets_its_weekday_hours_and_its_overrides():
    leap_day = date(2028, 2, 29)  # a Tuesday
    availability = Availability(LON, weekly=(weekly(TUE, at(9), at(10)),), rules=rules())
    assert starts_on(availability, leap_day) == as_utc(
        datetime(2028, 2, 29, 9, 0, tzinfo=LON), datetime(2028, 2, 29, 9, 30, tzinfo=LON)
    )
    blocked = Availability(
        LON, weekly=(weekly(TUE, at(9), at(10)),), overrides=(block(leap_day),), rules=rules()
    )
    assert starts_on(blocked, leap_day) == []
    assert starts_on(blocked, date(2028, 3, 7)) == as_utc(
        datetime(2028, 3, 7, 9, 0, tzinfo=LON), datetime(2028, 3, 7, 9, 30, tzinfo=LON)
    )


def test_leap_day_within_a_multi_day_window():
    availability = Availability(LON, weekly=every_day(at(9), at(9, 30)), rules=rules())
    slots = free_slots(
        availability,
        bookings=[],
        busy=[],
        now=datetime(2028, 2, 1, tzinfo=UTC),
        window_start=datetime(2028, 2, 28, tzinfo=LON),
        window_end=datetime(2028, 3, 2, tzinfo=LON),
    )
    assert [slot.start for slot in slots] == as_utc(
        datetime(2028, 2, 28, 9, tzinfo=LON), datetime(2028, 2, 29, 9, tzinfo=LON), datetime(2028, 3, 1, 9, tzinfo=LON)
    )


# --- one-off starts ---------------------------------------------------------------


def test_one_off_start_outside_weekly_hours_is_offered():
    one_off = datetime(2026, 1, 17, 15, 15, tzinfo=LON)
    availability = Availability(
        LON, weekly=(weekly(MON, at(9), at(10)),), one_off_starts=(one_off,), rules=rules()
    )
    assert free_slots(
        availability,
        bookings=[],
        busy=[],
        now=datetime(2026, 1, 1, tzinfo=UTC),
        window_start=datetime(2026, 1, 17, tzinfo=LON),
        window_end=datetime(2026, 1, 18, tzinfo=LON),
    ) == [Slot(datetime(2026, 1, 17, 15, 15, tzinfo=UTC), datetime(2026, 1, 17, 15, 45, tzinfo=UTC))]


def test_one_off_equal_to_a_weekly_start_is_offered_once():
    availability = Availability(
        LON,
        weekly=(weekly(MON, at(9), at(10)),),
        one_off_starts=(datetime(2026, 1, 12, 9, 30, tzinfo=UTC), datetime(2026, 1, 12, 9, 30, tzinfo=LON)),
        rules=rules(),
    )
    assert starts_on(availability, date(2026, 1, 12)) == as_utc(
        datetime(2026, 1, 12, 9, 0, tzinfo=LON), datetime(2026, 1, 12, 9, 30, tzinfo=LON)
    )


def test_whole_day_block_removes_one_offs_on_that_day_only():
    availability = Availability(
        LON,
        overrides=(block(date(2026, 1, 17)),),
        one_off_starts=(datetime(2026, 1, 17, 15, tzinfo=LON), datetime(2026, 1, 18, 15, tzinfo=LON)),
        rules=rules(),
    )
    assert starts_on(availability, date(2026, 1, 17)) == []
    assert starts_on(availability, date(2026, 1, 18)) == as_utc(datetime(2026, 1, 18, 15, tzinfo=LON))


def test_partial_block_removes_one_offs_that_overlap_it_but_not_those_touching_it():
    availability = Availability(
        LON,
        overrides=(block(date(2026, 1, 17), at(15), at(16)),),
        one_off_starts=(
            datetime(2026, 1, 17, 14, 30, tzinfo=LON),  # ends as the block starts
            datetime(2026, 1, 17, 14, 45, tzinfo=LON),  # runs into the block
            datetime(2026, 1, 17, 15, 30, tzinfo=LON),  # inside the block
            datetime(2026, 1, 17, 16, 0, tzinfo=LON),  # starts as the block ends
        ),
        rules=rules(),
    )
    assert starts_on(availability, date(2026, 1, 17)) == as_utc(
        datetime(2026, 1, 17, 14, 30, tzinfo=LON), datetime(2026, 1, 17, 16, 0, tzinfo=LON)
    )


def test_one_offs_obey_notice_busy_and_cap():
    now = datetime(2026, 1, 17, 8, 0, tzinfo=LON)
    availability = Availability(
        LON,
        one_off_starts=(
            datetime(2026, 1, 17, 12, tzinfo=LON),  # inside the 12 h notice
            datetime(2026, 1, 18, 12, tzinfo=LON),  # busy
            datetime(2026, 1, 19, 12, tzinfo=LON),  # the day is already full
            datetime(2026, 1, 20, 12, tzinfo=LON),  # fine
        ),
        rules=CallRules(max_per_day=1),
    )
    slots = free_slots(
        availability,
        bookings=[(datetime(2026, 1, 19, 8, tzinfo=LON), datetime(2026, 1, 19, 8, 30, tzinfo=LON))],
        busy=[(datetime(2026, 1, 18, 11, tzinfo=LON), datetime(2026, 1, 18, 13, tzinfo=LON))],
        now=now,
        window_start=now,
        window_end=now + timedelta(days=7),
    )
    assert [slot.start for slot in slots] == as_utc(datetime(2026, 1, 20, 12, tzinfo=LON))


def test_one_off_at_a_local_time_that_does_not_exist_is_dropped():
    availability = Availability(
        LON,
        # 01:15 London never happens that day (zoneinfo would read it as 02:15 BST).
        one_off_starts=(datetime(2026, 3, 29, 1, 15, tzinfo=LON), datetime(2026, 3, 29, 2, 30, tzinfo=LON)),
        rules=rules(),
    )
    assert starts_on(availability, date(2026, 3, 29)) == as_utc(datetime(2026, 3, 29, 2, 30, tzinfo=LON))


# --- bookings, busy time and buffers ---------------------------------------------


@pytest.mark.parametrize("kind", ["bookings", "busy"])
def test_buffer_keeps_free_time_around_bookings_and_busy_blocks(kind):
    availability = Availability(
        LON,
        weekly=(weekly(MON, at(9), at(12)),),
        rules=rules(step=timedelta(minutes=15), buffer=timedelta(minutes=15)),
    )
    taken = [(datetime(2026, 1, 12, 10, 0, tzinfo=LON), datetime(2026, 1, 12, 10, 30, tzinfo=LON))]
    offered = starts_on(availability, date(2026, 1, 12), **{kind: taken})
    assert offered == as_utc(
        *(datetime(2026, 1, 12, h, m, tzinfo=LON) for h, m in [(9, 0), (9, 15), (10, 45), (11, 0), (11, 15), (11, 30)])
    )


def test_without_buffer_slots_may_touch_a_booking():
    availability = Availability(LON, weekly=(weekly(MON, at(9), at(12)),), rules=rules())
    booked = [(datetime(2026, 1, 12, 10, 0, tzinfo=LON), datetime(2026, 1, 12, 10, 30, tzinfo=LON))]
    assert starts_on(availability, date(2026, 1, 12), bookings=booked) == as_utc(
        *(datetime(2026, 1, 12, h, m, tzinfo=LON) for h, m in [(9, 0), (9, 30), (10, 30), (11, 0), (11, 30)])
    )


def test_unsorted_overlapping_busy_intervals_in_mixed_zones():
    availability = Availability(LON, weekly=(weekly(MON, at(9), at(13)),), rules=rules())
    busy = [
        (datetime(2026, 1, 12, 11, 0, tzinfo=LON), datetime(2026, 1, 12, 11, 45, tzinfo=LON)),
        (datetime(2026, 1, 12, 4, 10, tzinfo=NY), datetime(2026, 1, 12, 4, 20, tzinfo=NY)),  # 09:10-09:20 London
        (datetime(2026, 1, 12, 11, 30, tzinfo=UTC), datetime(2026, 1, 12, 12, 0, tzinfo=UTC)),
        (datetime(2026, 1, 12, 9, 15, tzinfo=LON), datetime(2026, 1, 12, 9, 40, tzinfo=LON)),
        (datetime(2026, 1, 12, 12, 40, tzinfo=LON), datetime(2026, 1, 12, 12, 40, tzinfo=LON)),  # empty: blocks nothing
    ]
    assert starts_on(availability, date(2026, 1, 12), busy=busy) == as_utc(
        *(datetime(2026, 1, 12, h, m, tzinfo=LON) for h, m in [(10, 0), (10, 30), (12, 0), (12, 30)])
    )


def test_many_busy_blocks_over_sixty_days_match_a_brute_force_check():
    rng = random.Random(7)
    availability = Availability(
        NY, weekly=every_day(at(8), at(18)), rules=CallRules(step=timedelta(minutes=15), buffer=timedelta(minutes=10))
    )
    now = datetime(2026, 2, 1, 12, tzinfo=NY)
    busy = []
    for _ in range(300):
        # Step from a UTC instant: aware arithmetic in New York would be wall-clock arithmetic.
        start = now.astimezone(UTC) + timedelta(minutes=5 * rng.randrange(0, 12 * 24 * 62))
        busy.append((start, start + timedelta(minutes=rng.choice([15, 30, 50, 90, 240]))))
    slots = free_from(availability, now, 60, busy=busy)
    pad = timedelta(minutes=10)
    clashes = lambda s, e: any(b_start < e + pad and s - pad < b_end for b_start, b_end in busy)  # noqa: E731
    assert slots and not any(clashes(slot.start, slot.end) for slot in slots)
    offered = {slot.start for slot in slots}
    day = date(2026, 2, 2)
    while day < date(2026, 4, 1):
        for quarter in range(40):  # 08:00 .. 17:45 New York wall time
            start = datetime.combine(day, at(8), tzinfo=NY) + quarter * timedelta(minutes=15)
            start = start.astimezone(UTC)
            if start + timedelta(minutes=30) <= datetime.combine(day, at(18), tzinfo=NY):
                assert (start in offered) == (not clashes(start, start + timedelta(minutes=30))), start
        day += timedelta(days=1)


# --- notice, horizon, daily cap ------------------------------------------------------


def test_min_notice_crossing_midnight_pushes_first_slot_to_next_morning():
    availability = Availability(LON, weekly=every_day(at(6), at(12)), rules=CallRules(min_notice=timedelta(hours=12)))
    now = datetime(2026, 1, 12, 20, 0, tzinfo=LON)
    slots = free_from(availability, now, 2)
    assert slots[0].start == datetime(2026, 1, 13, 8, 0, tzinfo=UTC)
    assert [slot.start for slot in slots[:3]] == as_utc(
        datetime(2026, 1, 13, 8, 0, tzinfo=LON),
        datetime(2026, 1, 13, 8, 30, tzinfo=LON),
        datetime(2026, 1, 13, 9, 0, tzinfo=LON),
    )
    assert all(slot.start >= now + timedelta(hours=12) for slot in slots)

    later = now + timedelta(minutes=10)
    slots = free_from(availability, later, 2)
    assert slots[0].start == datetime(2026, 1, 13, 8, 30, tzinfo=UTC)


def test_window_before_the_notice_is_clipped_not_rejected():
    availability = Availability(NY, weekly=every_day(at(9), at(10)), rules=CallRules(min_notice=timedelta(hours=24)))
    now = datetime(2026, 1, 12, 9, 15, tzinfo=NY)
    slots = free_slots(
        availability, bookings=[], busy=[], now=now,
        window_start=now - timedelta(days=3), window_end=now + timedelta(days=2),
    )
    assert [slot.start for slot in slots] == as_utc(
        datetime(2026, 1, 13, 9, 30, tzinfo=NY), datetime(2026, 1, 14, 9, 0, tzinfo=NY)
    )


def test_horizon_is_inclusive_and_clips_long_windows():
    availability = Availability(
        LON, weekly=every_day(at(9), at(10)), rules=rules(horizon=timedelta(days=2))
    )
    now = datetime(2026, 1, 5, 9, 0, tzinfo=LON)
    slots = free_from(availability, now, 30)
    assert [slot.start for slot in slots] == as_utc(
        datetime(2026, 1, 5, 9, 0, tzinfo=LON),
        datetime(2026, 1, 5, 9, 30, tzinfo=LON),
        datetime(2026, 1, 6, 9, 0, tzinfo=LON),
        datetime(2026, 1, 6, 9, 30, tzinfo=LON),
        datetime(2026, 1, 7, 9, 0, tzinfo=LON),
    )


def test_empty_or_inverted_window_gives_nothing():
    availability = Availability(LON, weekly=every_day(at(9), at(10)), rules=rules())
    moment = datetime(2026, 1, 5, 9, 0, tzinfo=LON)
    for days in (0, -1):
        assert free_from(availability, moment, days) == []


def test_daily_cap_counts_bookings_by_coach_local_date():
    # 21:00 New York on Monday is already Tuesday in UTC; it must fill Monday.
    availability = Availability(
        NY, weekly=(weekly(MON, at(9), at(11)), weekly(TUE, at(9), at(11))), rules=rules(max_per_day=1)
    )
    evening_call = [(datetime(2026, 1, 12, 21, 0, tzinfo=NY), datetime(2026, 1, 12, 21, 30, tzinfo=NY))]
    assert starts_on(availability, date(2026, 1, 12), bookings=evening_call) == []
    assert starts_on(availability, date(2026, 1, 13), bookings=evening_call) == as_utc(
        *(datetime(2026, 1, 13, h, m, tzinfo=NY) for h, m in [(9, 0), (9, 30), (10, 0), (10, 30)])
    )


def test_daily_cap_below_the_limit_still_offers_the_day_and_busy_does_not_count():
    availability = Availability(NY, weekly=(weekly(MON, at(9), at(11)),), rules=rules(max_per_day=2))
    day = date(2026, 1, 12)
    one_call = [(datetime(2026, 1, 12, 9, 0, tzinfo=NY), datetime(2026, 1, 12, 9, 30, tzinfo=NY))]
    calendar = [(datetime(2026, 1, 12, 15, 0, tzinfo=NY), datetime(2026, 1, 12, 16, 0, tzinfo=NY))] * 3
    assert starts_on(availability, day, bookings=one_call, busy=calendar) == as_utc(
        *(datetime(2026, 1, 12, h, m, tzinfo=NY) for h, m in [(9, 30), (10, 0), (10, 30)])
    )
    assert starts_on(availability, day, bookings=one_call * 2) == []


def test_daily_cap_of_zero_offers_nothing():
    availability = Availability(NY, weekly=(weekly(MON, at(9), at(11)),), rules=rules(max_per_day=0))
    assert starts_on(availability, date(2026, 1, 12)) == []


# --- is_bookable --------------------------------------------------------------------


def test_is_bookable_returns_the_utc_slot_for_an_offered_start_in_any_zone():
    availability = Availability(LON, weekly=(weekly(MON, at(9), at(11)),), rules=rules())
    now = datetime(2026, 1, 1, tzinfo=UTC)
    start_seen_from_new_york = datetime(2026, 1, 12, 4, 30, tzinfo=NY)  # 09:30 London
    assert is_bookable(availability, bookings=[], busy=[], now=now, start=start_seen_from_new_york) == Slot(
        datetime(2026, 1, 12, 9, 30, tzinfo=UTC), datetime(2026, 1, 12, 10, 0, tzinfo=UTC)
    )


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 1, 12, 9, 30, 1, tzinfo=LON),  # tampered seconds
        datetime(2026, 1, 12, 9, 15, tzinfo=LON),  # off the grid
        datetime(2026, 1, 12, 10, 30, tzinfo=LON),  # on the grid, but a 45 min call would end at 11:15
        datetime(2026, 1, 13, 9, 0, tzinfo=LON),  # a Tuesday
    ],
)
def test_is_bookable_rejects_starts_that_are_not_offered(start):
    availability = Availability(
        LON, weekly=(weekly(MON, at(9), at(11)),), rules=rules(duration=timedelta(minutes=45))
    )
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert is_bookable(availability, bookings=[], busy=[], now=now, start=start) is None
    # Control: the last start that does fit is accepted, so the rejection above is specific.
    last_fitting = datetime(2026, 1, 12, 10, tzinfo=LON)
    assert is_bookable(availability, bookings=[], busy=[], now=now, start=last_fitting) == Slot(
        datetime(2026, 1, 12, 10, 0, tzinfo=UTC), datetime(2026, 1, 12, 10, 45, tzinfo=UTC)
    )


def test_is_bookable_rejects_a_start_that_became_taken():
    availability = Availability(LON, weekly=(weekly(MON, at(9), at(11)),), rules=rules())
    start = datetime(2026, 1, 12, 10, 0, tzinfo=LON)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert is_bookable(availability, bookings=[], busy=[], now=now, start=start) is not None
    taken = [(start, start + timedelta(minutes=30))]
    assert is_bookable(availability, bookings=taken, busy=[], now=now, start=start) is None


def _random_availability(rng, tz, first_day):
    """A messy but valid availability around `first_day` (used by the agreement test)."""
    def random_range():
        start, end = sorted(rng.sample(range(0, 97), 2))
        return TimeRange(time(start // 4, start % 4 * 15), time(end // 4 % 24, end % 4 * 15))
    weekly_hours = tuple(WeeklyRange(rng.randrange(7), random_range()) for _ in range(rng.randrange(1, 10)))
    overrides = []
    for _ in range(rng.randrange(0, 6)):
        day = first_day + timedelta(days=rng.randrange(0, 4))
        kind = rng.choice(["block", "extra"])
        whole_day = kind == "block" and rng.random() < 0.3
        overrides.append(DateRule(day, kind, None if whole_day else random_range()))
    base = datetime.combine(first_day, time(0), tzinfo=tz)
    # Odd minutes on purpose: one-offs need not sit on any grid.
    one_offs = tuple(base + timedelta(minutes=rng.randrange(0, 3 * 24 * 60)) for _ in range(rng.randrange(0, 6)))
    step = timedelta(minutes=rng.choice([15, 20, 30, 45]))
    rule_set = CallRules(
        duration=timedelta(minutes=rng.choice([30, 45, 60])),
        step=step,
        buffer=timedelta(minutes=rng.choice([0, 10, 15])),
        min_notice=timedelta(hours=rng.choice([0, 6, 12])),
        horizon=timedelta(days=rng.choice([1, 2, 60])),
        max_per_day=rng.choice([None, 1, 3]),
    )
    return Availability(tz, tuple(weekly_hours), tuple(overrides), one_offs, rule_set)


@pytest.mark.parametrize(
    "tz, first_day",
    [(LON, date(2026, 3, 28)), (LON, date(2026, 10, 24)), (NY, date(2026, 3, 7)), (NY, date(2026, 10, 31)),
     (SYD, date(2026, 4, 4)), (SYD, date(2026, 10, 3)), (LON, date(2028, 2, 28))],
)
def test_is_bookable_agrees_with_free_slots_everywhere(tz, first_day):
    rng = random.Random(f"{tz.key}{first_day}")
    offered_total = rejected_total = 0
    for _ in range(4):
        availability = _random_availability(rng, tz, first_day)
        base = datetime.combine(first_day, time(0), tzinfo=tz).astimezone(UTC)
        now = base + timedelta(minutes=15 * rng.randrange(-48, 48))
        taken = []
        for _ in range(rng.randrange(0, 8)):
            start = base + timedelta(minutes=5 * rng.randrange(0, 12 * 24 * 3))
            taken.append((start, start + timedelta(minutes=rng.choice([30, 60, 120]))))
        bookings, busy = taken[: len(taken) // 2], taken[len(taken) // 2:]
        window_start, window_end = base, base + timedelta(days=3)
        slots = free_slots(
            availability, bookings=bookings, busy=busy, now=now, window_start=window_start, window_end=window_end
        )
        assert slots == sorted(set(slots))
        by_start = {slot.start: slot for slot in slots}
        probes = {window_start + timedelta(minutes=5 * i) for i in range(12 * 24 * 3)}
        probes |= {one_off.astimezone(UTC) for one_off in availability.one_off_starts} | set(by_start)
        for start in sorted(probes):
            expected = by_start.get(start)
            assert is_bookable(availability, bookings=bookings, busy=busy, now=now, start=start) == expected, start
            offered_total += expected is not None
            rejected_total += expected is None
    # Guard against a vacuous pass: both answers must actually occur.
    assert offered_total > 20 and rejected_total > 20


# --- grouping for display -----------------------------------------------------------


def test_days_with_free_slots_groups_by_the_viewers_local_date_keeping_order():
    slots = [
        Slot(datetime(2026, 1, 12, 23, 30, tzinfo=UTC), datetime(2026, 1, 13, 0, 0, tzinfo=UTC)),
        Slot(datetime(2026, 1, 13, 0, 30, tzinfo=UTC), datetime(2026, 1, 13, 1, 0, tzinfo=UTC)),
        Slot(datetime(2026, 1, 13, 10, 0, tzinfo=UTC), datetime(2026, 1, 13, 10, 30, tzinfo=UTC)),
    ]
    tokyo = days_with_free_slots(slots, ZoneInfo("Asia/Tokyo"))
    assert tokyo == {date(2026, 1, 13): slots}
    los_angeles = days_with_free_slots(slots, ZoneInfo("America/Los_Angeles"))
    assert list(los_angeles) == [date(2026, 1, 12), date(2026, 1, 13)]
    assert los_angeles[date(2026, 1, 12)] == slots[:2]
    assert los_angeles[date(2026, 1, 13)] == slots[2:]
    assert days_with_free_slots([], UTC) == {}


# --- validation ---------------------------------------------------------------------


NAIVE = datetime(2026, 1, 12, 9, 0)
AWARE = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "arguments",
    [
        {"now": NAIVE},
        {"window_start": NAIVE},
        {"window_end": NAIVE},
        {"bookings": [(NAIVE, AWARE)]},
        {"busy": [(AWARE, NAIVE)]},
    ],
)
def test_naive_datetimes_are_rejected(arguments):
    availability = Availability(LON, weekly=every_day(at(9), at(10)), rules=rules())
    call = {"bookings": [], "busy": [], "now": AWARE, "window_start": AWARE, "window_end": AWARE + timedelta(days=1)}
    with pytest.raises(ValueError, match="timezone-aware"):
        free_slots(availability, **{**call, **arguments})


def test_naive_start_and_one_off_are_rejected():
    availability = Availability(LON, weekly=every_day(at(9), at(10)), rules=rules())
    with pytest.raises(ValueError, match="timezone-aware"):
        is_bookable(availability, bookings=[], busy=[], now=AWARE, start=NAIVE)
    with pytest.raises(ValueError, match="timezone-aware"):
        Availability(LON, one_off_starts=(NAIVE,))


def test_interval_ending_before_it_starts_is_rejected():
    availability = Availability(LON, weekly=every_day(at(9), at(10)), rules=rules())
    with pytest.raises(ValueError, match="ends before it starts"):
        free_from(availability, AWARE, 1, bookings=[(AWARE, AWARE - MINUTE)])


@pytest.mark.parametrize(
    "build",
    [
        lambda: TimeRange(at(10), at(9)),
        lambda: TimeRange(at(10), at(10)),
        lambda: TimeRange(time(9, tzinfo=UTC), at(10)),
        lambda: WeeklyRange(7, TimeRange(at(9), at(10))),
        lambda: DateRule(date(2026, 1, 12), "maybe", None),
        lambda: DateRule(date(2026, 1, 12), "extra", None),
        lambda: DateRule(datetime(2026, 1, 12), "block", None),
        lambda: CallRules(duration=timedelta(0)),
        lambda: CallRules(step=timedelta(minutes=-5)),
        lambda: CallRules(max_per_day=-1),
    ],
)
def test_invalid_building_blocks_are_rejected(build):
    with pytest.raises(ValueError):
        build()


def test_valid_edge_building_blocks_are_accepted():
    assert TimeRange(time(0), time(0)).end == time(0)
    assert TimeRange(at(22), time(0)).start == at(22)
    availability = Availability(LON, weekly=[weekly(MON, at(9), at(10))], overrides=[block(date(2026, 1, 12))])
    assert availability.weekly == (weekly(MON, at(9), at(10)),)
    assert availability.overrides == (block(date(2026, 1, 12)),)
