"""Unit tests for the picker's pure helpers: reading ?date=, ?month= and slot starts, month layout."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from blueprints.booking.picker import (
    BadChoice,
    PickerChoice,
    add_months,
    choose,
    iso_utc,
    month_weeks,
    parse_day,
    parse_month,
    parse_start,
)

TODAY, LAST = date(2026, 3, 20), date(2026, 5, 19)


def test_a_date_inside_the_range_selects_its_day_and_month():
    assert choose("2026-04-02", None, TODAY, LAST) == PickerChoice(date(2026, 4, 1), date(2026, 4, 2))


def test_today_and_the_last_day_are_both_allowed():
    assert choose("2026-03-20", None, TODAY, LAST).day == TODAY
    assert choose("2026-05-19", None, TODAY, LAST).day == LAST


@pytest.mark.parametrize("text,words", [
    ("2026-03-19", "has already passed"),
    ("2026-05-20", "up to 19 May 2026"),
    ("2031-01-01", "up to 19 May 2026"),
    ("yesterday", "not a date we understand"),
    ("2026-02-30", "not a date we understand"),
])
def test_bad_dates_are_refused_with_a_reason(text, words):
    with pytest.raises(BadChoice, match=words):
        choose(text, None, TODAY, LAST)


def test_no_date_shows_the_current_month_or_the_chosen_one():
    assert choose(None, None, TODAY, LAST) == PickerChoice(date(2026, 3, 1), None)
    assert choose("", "2026-05", TODAY, LAST) == PickerChoice(date(2026, 5, 1), None)


@pytest.mark.parametrize("month", ["2026-02", "2026-06", "2026-13", "May"])
def test_months_outside_the_range_or_malformed_are_refused(month):
    with pytest.raises(BadChoice):
        choose(None, month, TODAY, LAST)


def test_a_date_wins_over_a_month():
    assert choose("2026-04-02", "2026-05", TODAY, LAST).month == date(2026, 4, 1)


@pytest.mark.parametrize("text,expected", [
    ("2026-03-29T09:00:00Z", datetime(2026, 3, 29, 9, tzinfo=timezone.utc)),
    ("2026-03-29T10:00:00+01:00", datetime(2026, 3, 29, 9, tzinfo=timezone.utc)),
])
def test_slot_starts_are_read_as_utc_instants(text, expected):
    parsed = parse_start(text)
    assert parsed == expected and parsed.tzinfo == timezone.utc


@pytest.mark.parametrize("text", ["", None, "tomorrow", "2026-03-29T09:00:00", "2026-03-29", "1' OR 1=1"])
def test_tampered_or_naive_starts_are_refused(text):
    with pytest.raises(BadChoice):
        parse_start(text)


def test_iso_utc_round_trips_through_parse_start():
    moment = datetime(2026, 3, 29, 9, 0, tzinfo=ZoneInfo("Europe/London"))  # first day of BST
    assert iso_utc(moment) == "2026-03-29T08:00:00Z"
    assert parse_start(iso_utc(moment)) == moment


def test_month_weeks_start_on_monday_and_blank_other_months():
    weeks = month_weeks(date(2026, 3, 1))  # 1 March 2026 is a Sunday
    assert weeks[0] == [None] * 6 + [date(2026, 3, 1)]
    assert all(len(week) == 7 for week in weeks)
    days = [day for week in weeks for day in week if day]
    assert days[0] == date(2026, 3, 1) and days[-1] == date(2026, 3, 31) and len(days) == 31


def test_add_months_crosses_years():
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


def test_parse_day_and_month_accept_absence():
    assert parse_day("") is None and parse_month(None) is None
