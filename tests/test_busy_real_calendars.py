"""busy.py against what real calendars do wrong (issue 14): each case a minimal file of our own."""
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from blueprints.calendar.busy import BusyInterval, CalendarUnreadable, SkippedEvent, read_calendar
from blueprints.calendar.ics_scan import skip_events_outside

UTC = timezone.utc
FIXTURES = Path(__file__).parent / "fixtures" / "ics"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def spans(*pairs):
    return [BusyInterval(at(start), at(end)) for start, end in pairs]


def read(name_or_bytes, start="2026-03-01 00:00", end="2026-06-01 00:00", **options):
    document = name_or_bytes if isinstance(name_or_bytes, bytes) else (FIXTURES / name_or_bytes).read_bytes()
    return read_calendar(document, window_start=at(start), window_end=at(end), **options)


def test_an_empty_timezone_without_a_name_is_skipped():
    # A real Zimbra export carries "BEGIN:VTIMEZONE / END:VTIMEZONE"; nothing refers to it.
    result = read("empty_vtimezone.ics")
    assert result.intervals == spans(("2026-04-02 09:00", "2026-04-02 10:00"))
    assert result.skipped == ()


def test_one_bad_event_is_skipped_and_reported_instead_of_refusing_the_file():
    result = read("broken_events.ics")

    assert result.intervals == spans(  # the two good events still block
        ("2026-04-02 09:00", "2026-04-02 10:00"),
        ("2026-04-08 09:00", "2026-04-08 10:00"),
    )
    assert result.event_count == 5
    assert result.skipped == (
        SkippedEvent("Birthday lunch", date(2026, 4, 3), "one of its extra dates could not be read"),  # RDATE:20131210Z
        SkippedEvent("Weekly review", date(2026, 4, 6), "its repeat rule could not be read"),  # UNTL=
        SkippedEvent("Lunch with Sam", date(2026, 4, 7), "it has 2 start times"),
    )


def test_a_file_whose_every_event_is_broken_is_still_refused():
    # Nothing could be read: refusing keeps the source's last good busy times in force.
    with pytest.raises(CalendarUnreadable, match="damaged"):
        read("bad_rrule.ics")


def test_two_events_sharing_a_uid_both_block():
    assert read("duplicate_uid.ics").intervals == spans(
        ("2026-04-02 09:00", "2026-04-02 10:00"),
        ("2026-04-03 14:00", "2026-04-03 15:00"),
    )


def test_an_event_that_ends_before_it_starts_blocks_the_time_between():
    # Kept on purpose: the safe side is to block, not to drop the appointment.
    assert read("end_before_start.ics").intervals == spans(("2026-04-02 09:00", "2026-04-02 11:00"))


def test_events_the_coach_declined_do_not_block():
    result = read("declined.ics", own_addresses=["coach@example.com"])
    assert result.intervals == spans(
        ("2026-04-02 13:00", "2026-04-02 14:00"),  # declined at an address we were not given
        ("2026-04-03 09:00", "2026-04-03 10:00"),  # someone else declined; the coach accepted
        ("2026-04-06 15:00", "2026-04-06 16:00"),  # weekly: the 13th was declined, the others not
        ("2026-04-20 15:00", "2026-04-20 16:00"),
    )


def test_declines_at_any_of_the_coach_addresses_count_and_none_given_means_all_block():
    both = read("declined.ics", own_addresses=["COACH@example.com", " jo.private@example.net "])
    assert spans(("2026-04-02 13:00", "2026-04-02 14:00"))[0] not in both.intervals
    assert spans(("2026-04-02 09:00", "2026-04-02 10:00"))[0] not in both.intervals
    nobody = read("declined.ics")
    assert spans(("2026-04-02 09:00", "2026-04-02 10:00"))[0] in nobody.intervals


def test_freebusy_periods_block_unless_free():
    assert read("freebusy.ics").intervals == spans(
        ("2026-04-02 09:00", "2026-04-02 10:00"),  # no FBTYPE: BUSY
        ("2026-04-02 13:00", "2026-04-02 13:30"),  # BUSY
        ("2026-04-03 09:00", "2026-04-03 09:30"),  # BUSY-TENTATIVE, two periods on one line
        ("2026-04-03 11:00", "2026-04-03 11:30"),
        ("2026-04-04 00:00", "2026-04-05 00:00"),  # BUSY-UNAVAILABLE; the FREE day blocks nothing
    )


def test_a_weekly_event_written_in_utc_follows_the_calendar_zone_across_dst():
    # Google's convention: 09:00Z in March (GMT) means 09:00 London, so 08:00Z after 29 March.
    assert read("utc_weekly_with_calendar_zone.ics", "2026-03-16 00:00", "2026-04-08 00:00").intervals == spans(
        ("2026-03-17 09:00", "2026-03-17 10:00"),
        ("2026-03-24 09:00", "2026-03-24 10:00"),
        ("2026-03-31 08:00", "2026-03-31 09:00"),
        ("2026-04-07 08:00", "2026-04-07 09:00"),
    )


def test_an_all_day_event_ending_on_or_before_its_start_lasts_one_day():
    assert read("all_day_end_not_after_start.ics").intervals == spans(
        ("2026-05-04 00:00", "2026-05-05 00:00"),
        ("2026-05-07 00:00", "2026-05-08 00:00"),
    )


def test_events_far_outside_the_window_are_not_parsed_but_still_counted():
    document = (FIXTURES / "duplicate_uid.ics").read_bytes()
    window = (at("2026-05-01 00:00"), at("2026-06-01 00:00"))
    assert b"Dentist" not in skip_events_outside(document.decode(), window).encode()
    result = read(document, "2026-05-01 00:00", "2026-06-01 00:00")
    assert (result.intervals, result.event_count) == ([], 2)


@pytest.mark.parametrize("name", ["google.ics", "outlook.ics", "apple.ics", "broken_events.ics", "declined.ics"])
def test_leaving_out_far_events_changes_no_busy_time(name, monkeypatch):
    from blueprints.calendar import busy
    for window in [("2026-03-01 00:00", "2026-06-01 00:00"), ("2026-04-05 00:00", "2026-04-06 00:00")]:
        quick = read(name, *window)
        monkeypatch.setattr(busy, "skip_events_outside", lambda text, window: text)
        slow = read(name, *window)
        monkeypatch.undo()
        assert quick.intervals == slow.intervals and quick.event_count == slow.event_count


@pytest.mark.parametrize("text", [
    # 20,000 BEGIN:VEVENT without an END (the look is one pass, so this costs no more than a read)
    "BEGIN:VCALENDAR\r\n" + "BEGIN:VEVENT\r\nDTSTART:20200101T000000Z\r\n" * 20_000 + "END:VCALENDAR\r\n",
    # an old event nested in another: cutting it would take the outer event's END with it
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260310T090000Z\r\nBEGIN:VEVENT\r\nDTSTART:20200101T000000Z\r\n"
    "DTEND:20200101T010000Z\r\nEND:VEVENT\r\nDTEND:20260310T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
])
def test_unclosed_or_nested_events_are_left_to_the_parser(text):
    assert skip_events_outside(text, (at("2026-03-01 00:00"), at("2026-04-01 00:00"))) == text
