"""Unit tests of the editor's wall-clock arithmetic (scheduling/ranges.py)."""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from scheduling.ranges import ends_after, format_range, local_instant, merge_ranges, minute_to_time

LONDON = ZoneInfo("Europe/London")


def at(hour, minute=0):
    return time(hour, minute)


@pytest.mark.parametrize("start,end,expected", [
    (at(9), at(10), True), (at(10), at(9), False), (at(9), at(9), False),
    (at(23), at(0), True), (at(0), at(0), True), (at(0), at(0, 1), True), (at(23, 59), at(0), True),
])
def test_ends_after_reads_an_end_of_midnight_as_the_end_of_the_day(start, end, expected):
    assert ends_after(start, end) is expected


def test_merge_leaves_separate_ranges_alone_and_sorts_them():
    assert merge_ranges([(at(13), at(14)), (at(9), at(10))]) == [(at(9), at(10)), (at(13), at(14))]


def test_merge_joins_overlapping_and_touching_ranges():
    ranges = [(at(9), at(10)), (at(12), at(13)), (at(15), at(16)), (at(10), at(12, 30))]
    assert merge_ranges(ranges) == [(at(9), at(13)), (at(15), at(16))]


def test_merge_follows_chains_of_overlapping_ranges():
    ranges = [(at(8), at(9, 30)), (at(9), at(11)), (at(13), at(14)), (at(10, 30), at(13))]
    assert merge_ranges(ranges) == [(at(8), at(14))]


def test_merge_keeps_midnight_as_the_end_of_the_day():
    assert merge_ranges([(at(22), at(0)), (at(20), at(22))]) == [(at(20), at(0))]
    assert merge_ranges([(at(22), at(0)), (at(0), at(1))]) == [(at(0), at(1)), (at(22), at(0))]
    assert merge_ranges([(at(0), at(0)), (at(9), at(10))]) == [(at(0), at(0))]  # the whole day
    assert merge_ranges([]) == []


def test_minute_to_time_wraps_the_end_of_the_day_to_midnight():
    assert minute_to_time(24 * 60) == at(0) and minute_to_time(9 * 60 + 30) == at(9, 30)


def test_format_range_says_midnight():
    assert format_range(at(9), at(17, 30)) == "09:00–17:30"
    assert format_range(at(22), at(0)) == "22:00–midnight"


def test_format_range_on_a_12_hour_clock():
    def spaced(text):  # Babel may use a narrow no-break space before AM/PM
        return text.replace("\u202f", " ")
    assert spaced(format_range(at(9), at(17, 30), hour12=True)) == "9:00 AM–5:30 PM"
    assert spaced(format_range(at(0), at(0), hour12=True)) == "12:00 AM–midnight"


def test_local_instant_in_winter_and_summer():
    assert local_instant(date(2026, 1, 12), at(9), LONDON) == datetime(2026, 1, 12, 9, tzinfo=timezone.utc)
    assert local_instant(date(2026, 7, 13), at(9), LONDON) == datetime(2026, 7, 13, 8, tzinfo=timezone.utc)


def test_local_instant_refuses_a_time_the_clocks_skip():
    assert local_instant(date(2026, 3, 29), at(1, 30), LONDON) is None
    assert local_instant(date(2026, 3, 29), at(2), LONDON) == datetime(2026, 3, 29, 1, tzinfo=timezone.utc)


def test_local_instant_takes_the_first_of_a_repeated_time():
    assert local_instant(date(2026, 10, 25), at(1, 30), LONDON) == datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)
