"""busy.py against hand-written exports in the shapes Google, Outlook and Apple produce."""
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from icalendar import Calendar, Event

from blueprints.calendar import busy as busy_module
from blueprints.calendar.busy import BusyInterval, CalendarUnreadable, read_calendar

UTC = timezone.utc
FIXTURES = Path(__file__).parent / "fixtures" / "ics"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def at(text: str) -> datetime:
    """'2026-04-07 09:00' as an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def spans(*pairs: tuple[str, str]) -> list[BusyInterval]:
    return [BusyInterval(at(start), at(end)) for start, end in pairs]


def busy(ics: bytes, start: str, end: str, **limits) -> list[BusyInterval]:
    return read_calendar(ics, window_start=at(start), window_end=at(end), **limits).intervals


def count_events(ics: bytes) -> int:
    return read_calendar(ics, window_start=at("2026-01-01 00:00"), window_end=at("2026-01-02 00:00")).event_count


# --- Google -------------------------------------------------------------------------------------


def test_google_export():
    assert busy(fixture("google.ics"), "2026-03-23 00:00", "2026-04-27 00:00") == spans(
        ("2026-03-24 10:00", "2026-03-24 11:00"),  # weekly meeting, 10:00 GMT
        ("2026-04-07 09:00", "2026-04-07 10:00"),  # same meeting, 10:00 BST
        ("2026-04-09 15:00", "2026-04-09 17:00"),  # dentist and an overlapping call, merged
        ("2026-04-15 13:00", "2026-04-15 14:00"),  # the 14 April meeting, moved to Wednesday
        ("2026-04-22 23:00", "2026-04-23 23:00"),  # all-day workshop, marked busy, London day
    )


def test_a_london_meeting_moves_an_hour_earlier_in_utc_after_the_clocks_change():
    google = fixture("google.ics")
    assert busy(google, "2026-03-24 00:00", "2026-03-25 00:00") == spans(("2026-03-24 10:00", "2026-03-24 11:00"))
    assert busy(google, "2026-04-07 00:00", "2026-04-08 00:00") == spans(("2026-04-07 09:00", "2026-04-07 10:00"))


def test_google_instances_removed_moved_or_cancelled_are_free():
    google = fixture("google.ics")
    assert busy(google, "2026-03-31 00:00", "2026-04-01 00:00") == []  # EXDATE
    assert busy(google, "2026-04-14 00:00", "2026-04-15 00:00") == []  # moved to the 15th
    assert busy(google, "2026-04-21 00:00", "2026-04-22 00:00") == []  # cancelled instance


def test_events_shown_as_free_do_not_block():
    google = fixture("google.ics")
    assert busy(google, "2026-04-08 00:00", "2026-04-09 00:00") == []  # timed, TRANSPARENT
    assert busy(google, "2026-04-10 00:00", "2026-04-11 00:00") == []  # all-day, TRANSPARENT


def test_intervals_are_clipped_to_the_window():
    assert busy(fixture("google.ics"), "2026-04-07 09:30", "2026-04-09 16:00") == spans(
        ("2026-04-07 09:30", "2026-04-07 10:00"),
        ("2026-04-09 15:00", "2026-04-09 16:00"),
    )


# --- Outlook ----------------------------------------------------------------------------------


def test_outlook_export_with_windows_zone_names():
    assert busy(fixture("outlook.ics"), "2026-03-01 00:00", "2026-05-01 00:00") == spans(
        ("2026-03-10 13:00", "2026-03-10 14:00"),  # TENTATIVE, 09:00 Eastern (EDT since 8 March)
        ("2026-03-19 14:00", "2026-03-19 14:30"),  # weekly 1:1, 14:00 GMT Standard Time (GMT)
        ("2026-03-26 14:00", "2026-03-26 14:30"),
        ("2026-04-02 13:00", "2026-04-02 13:30"),  # ... now BST
        ("2026-04-06 00:00", "2026-04-07 00:00"),  # all-day out of office, UTC day
        ("2026-04-07 12:00", "2026-04-07 13:00"),  # BUSY, 14:00 W. Europe (CEST)
        ("2026-04-09 13:00", "2026-04-09 13:30"),
        ("2026-04-16 13:00", "2026-04-16 13:30"),  # last one: UNTIL 16 April 13:00Z
    )


def test_outlook_free_status_does_not_block():
    outlook = fixture("outlook.ics")
    assert busy(outlook, "2026-04-08 00:00", "2026-04-09 00:00") == []  # FREE focus time
    assert busy(outlook, "2026-04-13 00:00", "2026-04-18 00:00") == spans(  # FREE all-day week
        ("2026-04-16 13:00", "2026-04-16 13:30"),
    )


def test_windows_zone_names_resolve_without_a_vtimezone():
    # No VTIMEZONE in the file: icalendar maps Windows names to IANA zones (CLDR table).
    assert busy(fixture("outlook_without_vtimezone.ics"), "2026-10-01 00:00", "2026-12-01 00:00") == spans(
        ("2026-10-26 08:00", "2026-10-26 09:00"),  # 09:00 CET, the day after Europe's change
        ("2026-11-02 14:00", "2026-11-02 15:00"),  # 09:00 EST, the day after America's change
    )


def test_a_zone_defined_in_one_file_does_not_leak_into_the_next():
    # Both files call their zone "Customized Time Zone"; icalendar alone would reuse the first.
    plus2, minus5 = fixture("customized_zone_plus2.ics"), fixture("customized_zone_minus5.ics")
    window = ("2026-04-01 00:00", "2026-04-03 00:00")

    assert busy(plus2, *window) == spans(("2026-04-02 07:00", "2026-04-02 08:00"))
    assert busy(minus5, *window) == spans(("2026-04-02 14:00", "2026-04-02 15:00"))
    assert busy(plus2, *window) == spans(("2026-04-02 07:00", "2026-04-02 08:00"))


# --- Apple --------------------------------------------------------------------------------------


def test_apple_export():
    assert busy(fixture("apple.ics"), "2026-03-23 00:00", "2026-05-01 00:00") == spans(
        ("2026-03-25 17:00", "2026-03-25 18:30"),  # timed without TRANSP: busy (18:00 CET)
        ("2026-03-27 08:00", "2026-03-27 08:45"),  # DURATION:PT45M instead of DTEND
        ("2026-04-01 15:00", "2026-04-01 16:00"),  # 17:00 CEST, then two RDATEs
        ("2026-04-15 15:00", "2026-04-15 16:00"),
        ("2026-04-19 22:00", "2026-04-20 22:00"),  # all-day, TRANSP:OPAQUE, Paris day
        ("2026-04-29 15:00", "2026-04-29 16:00"),
    )


def test_all_day_events_without_transp_are_free():
    # The yearly birthday (2 April) has no TRANSP, as Apple writes it: not busy.
    assert busy(fixture("apple.ics"), "2026-04-02 00:00", "2026-04-03 00:00") == []


def test_an_event_without_end_or_duration_blocks_nothing():
    assert busy(fixture("apple.ics"), "2026-03-30 00:00", "2026-03-31 00:00") == []


# --- What events mean -----------------------------------------------------------------------------


def small_calendar(*events: Event, **properties) -> bytes:
    calendar = Calendar()
    calendar.add("PRODID", "-//Tests//Busy//EN")
    calendar.add("VERSION", "2.0")
    for name, value in properties.items():
        calendar.add(name.replace("_", "-"), value)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def all_day(day: str, **properties) -> Event:
    event = Event()
    event.add("UID", f"{day}-{sorted(properties.items())}@tests")
    event.add("DTSTAMP", at("2026-01-01 00:00"))
    event.add("DTSTART", datetime.fromisoformat(day).date())
    for name, value in properties.items():
        event.add(name.replace("_", "-"), value)
    return event


@pytest.mark.parametrize("properties, blocks", [
    ({}, False),
    ({"TRANSP": "TRANSPARENT"}, False),
    ({"TRANSP": "OPAQUE"}, True),
    ({"X_MICROSOFT_CDO_BUSYSTATUS": "BUSY"}, True),
    ({"X_MICROSOFT_CDO_BUSYSTATUS": "OOF"}, True),
    ({"X_MICROSOFT_CDO_BUSYSTATUS": "TENTATIVE"}, True),
    ({"X_MICROSOFT_CDO_BUSYSTATUS": "FREE", "TRANSP": "OPAQUE"}, False),
    ({"TRANSP": "OPAQUE", "STATUS": "CANCELLED"}, False),
])
def test_when_an_all_day_event_blocks_the_day(properties, blocks):
    # No DTEND and no DURATION: an all-day event lasts one day.
    document = small_calendar(all_day("2026-05-04", **properties))
    expected = spans(("2026-05-04 00:00", "2026-05-05 00:00")) if blocks else []
    assert busy(document, "2026-05-01 00:00", "2026-05-08 00:00") == expected


def test_all_day_events_use_the_calendar_zone():
    document = small_calendar(all_day("2026-05-04", TRANSP="OPAQUE"), X_WR_TIMEZONE="Asia/Tokyo")
    assert busy(document, "2026-05-01 00:00", "2026-05-08 00:00") == spans(
        ("2026-05-03 15:00", "2026-05-04 15:00"),
    )


def test_floating_times_use_the_calendar_zone():
    assert busy(fixture("floating_with_calendar_zone.ics"), "2026-03-09 00:00", "2026-03-10 00:00") == spans(
        ("2026-03-09 13:00", "2026-03-09 14:00"),  # 09:00 in New York (EDT since 8 March)
        ("2026-03-09 18:00", "2026-03-09 19:00"),  # UTC stays UTC
    )


def test_floating_times_without_a_calendar_zone_are_utc():
    assert busy(fixture("floating_without_zone.ics"), "2026-03-09 00:00", "2026-03-10 00:00") == spans(
        ("2026-03-09 09:00", "2026-03-09 10:00"),
    )


def test_a_rule_without_end_is_expanded_only_inside_the_window():
    weekly_since_2015 = fixture("endless_weekly.ics")
    assert busy(weekly_since_2015, "2026-03-01 00:00", "2026-03-22 00:00") == spans(
        ("2026-03-02 09:00", "2026-03-02 09:15"),
        ("2026-03-09 09:00", "2026-03-09 09:15"),
        ("2026-03-16 09:00", "2026-03-16 09:15"),
    )
    assert len(busy(weekly_since_2015, "2035-01-01 00:00", "2036-01-01 00:00")) == 53  # 2035 starts on a Monday


def test_results_are_sorted_disjoint_and_aware_utc():
    result = busy(fixture("outlook.ics"), "2026-01-01 00:00", "2027-01-01 00:00")

    assert result
    for interval in result:
        assert interval.start.utcoffset() == timedelta(0) and interval.end.utcoffset() == timedelta(0)
        assert interval.start < interval.end
    assert all(earlier.end < later.start for earlier, later in zip(result, result[1:]))


def test_an_empty_window_has_no_busy_time():
    assert busy(fixture("google.ics"), "2026-04-07 09:30", "2026-04-07 09:30") == []


def test_the_window_must_be_aware_and_in_order():
    with pytest.raises(ValueError, match="timezone-aware"):
        read_calendar(fixture("google.ics"), window_start=datetime(2026, 4, 1), window_end=at("2026-05-01 00:00"))
    with pytest.raises(ValueError, match="before"):
        busy(fixture("google.ics"), "2026-05-01 00:00", "2026-04-01 00:00")


def test_events_are_counted():
    assert count_events(fixture("google.ics")) == 8
    assert count_events(fixture("outlook.ics")) == 6
    assert count_events(fixture("apple.ics")) == 6


# --- Broken, huge and hostile files ----------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(busy_module.Calendar, "from_ical", lambda *a, **k: pytest.fail("parsed"))
    over_two_mb = fixture("google.ics").ljust(2_000_001, b" ")
    ten_mb = b"BEGIN:VCALENDAR\r\n" * 600_000

    for document in (over_two_mb, ten_mb):
        with pytest.raises(CalendarUnreadable, match="^The calendar is larger than 2 MB$"):
            busy(document, "2026-04-01 00:00", "2026-05-01 00:00")
        with pytest.raises(CalendarUnreadable, match="larger than 2 MB"):
            count_events(document)


def test_the_size_limit_can_be_chosen():
    with pytest.raises(CalendarUnreadable, match="^The calendar is larger than 1 KB$"):
        busy(fixture("google.ics"), "2026-04-01 00:00", "2026-05-01 00:00", max_bytes=1000)


def many_events(count: int) -> bytes:
    """A huge file: one serialised event repeated, as a hostile file would be made."""
    event = all_day("2026-05-04").to_ical()
    return b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + event * count + b"END:VCALENDAR\r\n"


def test_a_file_with_too_many_events_is_refused(monkeypatch):
    from blueprints.calendar import busy as busy_module

    def never_parse(*args, **kwargs):
        raise AssertionError("a file with too many events must be refused before it is parsed")

    monkeypatch.setattr(busy_module, "_parse", never_parse)  # refused by counting lines, not by parsing
    with pytest.raises(CalendarUnreadable, match="^The calendar has more than 20,000 events$"):
        busy(many_events(50_000), "2026-05-01 00:00", "2026-06-01 00:00", max_bytes=10_000_000)
    monkeypatch.undo()
    with pytest.raises(CalendarUnreadable, match="more than 3 events"):
        busy(fixture("google.ics"), "2026-04-01 00:00", "2026-05-01 00:00", max_events=3)


@pytest.mark.parametrize("document", [
    b"",
    bytes(range(256)) * 40,
    b"\xff\xfe\x00garbage\x00\x00",
    "not a calendar at all".encode(),
    fixture("not_a_calendar.html"),
    b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Alex\r\nEND:VCARD\r\n",
])
def test_files_that_are_not_calendars_say_so(document):
    with pytest.raises(CalendarUnreadable, match="^This file is not an iCalendar file$"):
        busy(document, "2026-04-01 00:00", "2026-05-01 00:00")


@pytest.mark.parametrize("name", ["truncated.ics", "bad_rrule.ics", "bad_dtstart.ics"])
def test_damaged_files_say_so(name):
    with pytest.raises(CalendarUnreadable, match="^The calendar file is damaged and could not be read$"):
        busy(fixture(name), "2026-03-01 00:00", "2026-05-01 00:00")


@pytest.mark.parametrize("name", ["never_matching_rule.ics", "every_second.ics", "bad_timezone_rule.ics"])
def test_runaway_repetition_is_stopped(name):
    # Unchecked, the first scans every day to the year 9999 and the second fills memory:
    # the work budget (counted in steps, not seconds) stops both.
    with pytest.raises(CalendarUnreadable, match="^The calendar has repeating events that are too complex"):
        busy(fixture(name), "2026-03-01 00:00", "2026-05-01 00:00")


def series(uid: str, start: datetime, rule: dict) -> Event:
    event = Event()
    event.add("UID", uid)
    event.add("DTSTAMP", start)
    event.add("DTSTART", start)
    event.add("DTEND", start + timedelta(minutes=30))
    event.add("RRULE", rule)
    return event


@pytest.mark.parametrize("rule", [
    {"FREQ": "SECONDLY", "COUNT": 2_000_000_000},  # produces without end, every one before the window
    {"FREQ": "SECONDLY", "BYMONTH": 2, "BYMONTHDAY": 30},  # never produces: scans to the year 9999
    {"FREQ": "MINUTELY", "BYMONTH": 2, "BYMONTHDAY": 29, "BYHOUR": 3, "BYMINUTE": 0, "BYDAY": "MO"},
])
def test_hostile_rules_are_refused(rule):
    # The third matches only on a leap day that is a Monday (next in 2044): rare but harmless,
    # so the file is read (nothing in the window).
    document = small_calendar(series("hostile", at("2026-01-01 00:00"), rule))
    if rule["FREQ"] == "MINUTELY":
        assert busy(document, "2026-03-01 00:00", "2026-05-01 00:00") == []
        return
    with pytest.raises(CalendarUnreadable, match="^The calendar has repeating events that are too complex"):
        busy(document, "2026-03-01 00:00", "2026-05-01 00:00")


def test_the_time_budget_stops_what_the_work_budget_would_allow(monkeypatch):
    # Unbounded work: only the clock, read between dateutil's steps, can stop the scan to 9999.
    monkeypatch.setattr(busy_module, "REPETITION_WORK_LIMIT", 10**12)
    with pytest.raises(CalendarUnreadable, match="^The calendar has repeating events that are too complex"):
        busy(fixture("never_matching_rule.ics"), "2026-03-01 00:00", "2026-05-01 00:00", seconds=0.2)


def test_a_debuggers_trace_function_is_given_back():
    def tracer(frame, event, arg):
        return None

    sys.settrace(tracer)
    try:
        busy(fixture("google.ics"), "2026-03-23 00:00", "2026-04-27 00:00")
        with pytest.raises(CalendarUnreadable):
            busy(fixture("never_matching_rule.ics"), "2026-03-01 00:00", "2026-05-01 00:00")
        assert sys.gettrace() is tracer
    finally:
        sys.settrace(None)


def test_long_running_real_series_stay_well_inside_the_work_limit():
    document = small_calendar(
        series("daily-since-2000", at("2000-01-03 07:00"), {"FREQ": "DAILY", "BYDAY": ["MO", "TU", "WE", "TH", "FR"]}),
        series("weekly-since-2010", at("2010-01-05 10:00"), {"FREQ": "WEEKLY"}),
        *[series(f"yearly-{n}", at("1950-01-01 12:00") + timedelta(days=7 * n), {"FREQ": "YEARLY"})
          for n in range(50)],
    )
    result = busy(document, "2026-03-02 00:00", "2026-03-09 00:00")
    assert len(result) == 5 + 1 + 1  # five weekdays, one weekly, one yearly in that week


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks_are_understood(encoding):
    document = fixture("apple.ics").decode("utf-8").encode(encoding)
    assert busy(document, "2026-03-25 00:00", "2026-03-26 00:00") == spans(("2026-03-25 17:00", "2026-03-25 18:30"))


def test_titles_in_a_legacy_encoding_do_not_stop_the_reading():
    document = fixture("apple.ics").replace(b"SUMMARY:Yoga", "SUMMARY:Yoga au café".encode("latin-1"))
    assert busy(document, "2026-03-25 00:00", "2026-03-26 00:00") == spans(("2026-03-25 17:00", "2026-03-25 18:30"))


HOSTILE = [
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:99999999T999999Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nX-WR-TIMEZONE:Nowhere/Land\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260402T090000\r\n"
    b"DTEND:20260402T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nX-WR-TIMEZONE:../../../../etc/passwd\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Nowhere/Land:20260402T090000\r\n"
    b"DURATION:forever\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260402T090000Z\r\nDTEND:20260401T090000Z\r\n"
    b"RECURRENCE-ID:garbage\r\nEXDATE:also garbage\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260402T090000Z\r\n"
    b"RRULE:FREQ=DAILY;COUNT=-1;UNTIL=never;INTERVAL=0\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:00010101T000000Z\r\nDTEND:99991231T235959Z\r\n"
    b"RRULE:FREQ=YEARLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * 5000 + b"END:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+99\r\n"
    b"END:STANDARD\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\n" + b"X-" + b"A" * 100_000 + b":1\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260402\r\nDTEND:20260403T100000Z\r\n"
    b"TRANSP:OPAQUE\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n\x00\x01\x02:\x03\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:b\r\n"
    b"DTSTART:20260402T090000Z\r\nDTEND:20260402T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
]


@pytest.mark.parametrize("document", HOSTILE)
def test_hostile_files_give_intervals_or_calendar_unreadable_only(document):
    try:
        result = busy(document, "2026-03-01 00:00", "2026-05-01 00:00")
    except CalendarUnreadable as error:
        assert str(error)  # a message for the coach, never empty
    else:
        assert all(isinstance(interval, BusyInterval) for interval in result)
