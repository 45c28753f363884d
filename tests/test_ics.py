"""ics.py: every document is parsed back with icalendar and checked field by field."""
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from blueprints.calendar.busy import BusyInterval, read_calendar
from blueprints.calendar.ics import (
    CalendarEvent,
    event_calendar,
    feed_calendar,
    google_calendar_link,
    outlook_calendar_link,
)

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
STAMP = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ICS_MODULE = Path(__file__).resolve().parent.parent / "blueprints" / "calendar" / "ics.py"


def booking(**changes) -> CalendarEvent:
    event = CalendarEvent(
        uid="booking-42-7f3a@coach.example",
        sequence=0,
        start=datetime(2026, 4, 7, 9, 0, tzinfo=UTC),
        end=datetime(2026, 4, 7, 10, 0, tzinfo=UTC),
        summary="Coaching session with Alex",
        description="Manage your booking: https://coach.example/b/42/manage",
        location="https://meet.example/abc-defg-hij",
        url="https://meet.example/abc-defg-hij",
        organizer_email="jo@coach.example",
        organizer_name="Jo Coach",
        attendee_email="alex@example.org",
        attendee_name="Alex Client",
        stamp=STAMP,
    )
    return replace(event, **changes)


def only_event(document: bytes):
    events = Calendar.from_ical(document).events
    assert len(events) == 1
    return events[0]


def content_lines(document: bytes) -> list[str]:
    """Unfolded lines, so tests can look at exactly what was written."""
    return document.decode().replace("\r\n ", "").split("\r\n")


# --- Invitations, cancellations, exports ---------------------------------------------------------


def test_a_published_booking_carries_every_field():
    document = event_calendar([booking()], method="PUBLISH")
    calendar = Calendar.from_ical(document)
    event = only_event(document)

    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Lets Talk//Booking//EN"
    assert str(event["UID"]) == "booking-42-7f3a@coach.example"
    assert event["DTSTAMP"].dt == STAMP
    assert event["DTSTART"].dt == datetime(2026, 4, 7, 9, 0, tzinfo=UTC)
    assert event["DTEND"].dt == datetime(2026, 4, 7, 10, 0, tzinfo=UTC)
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "Coaching session with Alex"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["TRANSP"]) == "OPAQUE"
    assert str(event["DESCRIPTION"]) == "Manage your booking: https://coach.example/b/42/manage"
    assert str(event["LOCATION"]) == "https://meet.example/abc-defg-hij"
    assert str(event["URL"]) == "https://meet.example/abc-defg-hij"
    assert str(event["ORGANIZER"]) == "mailto:jo@coach.example"
    assert str(event["ATTENDEE"]) == "mailto:alex@example.org"


def test_empty_optional_fields_are_left_out():
    bare = booking(description="", location="", url="", organizer_email="", attendee_email="")
    event = only_event(event_calendar([bare], method="PUBLISH"))

    for name in ("DESCRIPTION", "LOCATION", "URL", "ORGANIZER", "ATTENDEE", "LAST-MODIFIED"):
        assert name not in event


def test_a_request_invites_the_attendee():
    document = event_calendar([booking()], method="REQUEST")
    event = only_event(document)

    assert str(Calendar.from_ical(document)["METHOD"]) == "REQUEST"
    assert str(event["ORGANIZER"]) == "mailto:jo@coach.example"
    assert event["ORGANIZER"].params["CN"] == "Jo Coach"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:alex@example.org"
    assert dict(attendee.params) == {
        "CN": "Alex Client", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE",
    }


def test_a_cancellation_marks_the_booking_cancelled():
    cancelled = booking(sequence=2)  # status still says CONFIRMED: CANCEL must override it
    document = event_calendar([cancelled], method="CANCEL")
    event = only_event(document)

    assert str(Calendar.from_ical(document)["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert event["SEQUENCE"] == 2
    assert str(event["UID"]) == "booking-42-7f3a@coach.example"
    assert "PARTSTAT" not in event["ATTENDEE"].params
    assert event["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"


def test_a_reschedule_keeps_the_uid_and_raises_the_sequence():
    first = only_event(event_calendar([booking()], method="REQUEST"))
    moved = booking(sequence=1, start=datetime(2026, 4, 9, 14, 0, tzinfo=UTC),
                    end=datetime(2026, 4, 9, 15, 0, tzinfo=UTC))
    second = only_event(event_calendar([moved], method="REQUEST"))

    assert str(second["UID"]) == str(first["UID"])
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert second["DTSTART"].dt == datetime(2026, 4, 9, 14, 0, tzinfo=UTC)
    assert second["DTEND"].dt == datetime(2026, 4, 9, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
@pytest.mark.parametrize("missing", ["organizer_email", "attendee_email"])
def test_scheduling_messages_need_both_people(method, missing):
    with pytest.raises(ValueError, match="organizer_email and attendee_email"):
        event_calendar([booking(**{missing: ""})], method=method)


def test_a_request_is_about_one_booking():
    other = booking(uid="booking-43-0c1d@coach.example")
    with pytest.raises(ValueError, match="one booking"):
        event_calendar([booking(), other], method="REQUEST")


@pytest.mark.parametrize("method", ["publish", "REPLY", "COUNTER", ""])
def test_unknown_methods_are_refused(method):
    with pytest.raises(ValueError, match="method"):
        event_calendar([booking()], method=method)


def test_an_empty_invitation_is_refused():
    with pytest.raises(ValueError, match="at least one event"):
        event_calendar([], method="PUBLISH")


def test_without_a_zone_times_are_written_in_utc():
    lines = content_lines(event_calendar([booking()], method="PUBLISH"))

    assert "DTSTART:20260407T090000Z" in lines
    assert "DTEND:20260407T100000Z" in lines
    assert "DTSTAMP:20260301T120000Z" in lines
    assert not any("TZID" in line or line == "BEGIN:VTIMEZONE" for line in lines)


def test_a_zone_given_in_another_zone_is_converted():
    in_tokyo = datetime(2026, 4, 7, 18, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 09:00 UTC
    event = only_event(event_calendar(
        [booking(start=in_tokyo, end=in_tokyo + timedelta(hours=1), tz=LONDON)], method="PUBLISH"))

    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt.replace(tzinfo=None) == datetime(2026, 4, 7, 10, 0)  # BST
    assert event["DTSTART"].dt == in_tokyo


def test_last_modified_is_written_in_utc():
    changed = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
    lines = content_lines(event_calendar([booking(last_modified=changed)], method="PUBLISH"))
    assert "LAST-MODIFIED:20260302T100000Z" in lines


def test_the_stamp_defaults_to_now_in_utc():
    before = datetime.now(UTC).replace(microsecond=0)
    event = only_event(event_calendar([booking(stamp=None)], method="PUBLISH"))
    after = datetime.now(UTC)

    assert before <= event["DTSTAMP"].dt <= after


# --- Time zones and daylight saving time ------------------------------------------------------

DST_DAYS = [
    # London springs forward at 01:00 UTC and falls back at 01:00 UTC.
    (LONDON, datetime(2026, 3, 29, 0, 30, tzinfo=UTC)),  # 00:30 GMT, just before
    (LONDON, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # 02:00 BST, first minute after
    (LONDON, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
    (LONDON, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # 01:30 BST, the first 01:30
    (LONDON, datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),  # 01:30 GMT, the second 01:30
    (LONDON, datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
    # New York springs forward at 07:00 UTC and falls back at 06:00 UTC.
    (NEW_YORK, datetime(2026, 3, 8, 6, 30, tzinfo=UTC)),  # 01:30 EST
    (NEW_YORK, datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),  # 03:00 EDT
    (NEW_YORK, datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
    (NEW_YORK, datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),  # 01:30 EDT, the first 01:30
    (NEW_YORK, datetime(2026, 11, 1, 6, 30, tzinfo=UTC)),  # 01:30 EST, the second 01:30
    (NEW_YORK, datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize("zone, start", DST_DAYS)
def test_times_on_dst_days_read_back_as_the_same_instant(zone, start):
    end = start + timedelta(minutes=45)
    document = event_calendar([booking(start=start, end=end, tz=zone)], method="REQUEST")
    event = only_event(document)

    # Compare in UTC: Python never calls a repeated-hour time equal to one in another zone.
    assert event["DTSTART"].dt.astimezone(UTC) == start
    assert event["DTEND"].dt.astimezone(UTC) == end
    calendar = Calendar.from_ical(document)
    assert [vtimezone.tz_name for vtimezone in calendar.timezones] == [zone.key]
    assert calendar.get_missing_tzids() == set()


def test_wall_clock_times_carry_the_tzid():
    start = datetime(2026, 4, 7, 10, 0, tzinfo=LONDON)
    document = event_calendar([booking(start=start, end=start + timedelta(hours=1), tz=LONDON)],
                              method="PUBLISH")
    lines = content_lines(document)

    assert "DTSTART;TZID=Europe/London:20260407T100000" in lines
    assert "DTEND;TZID=Europe/London:20260407T110000" in lines
    # The VTIMEZONE comes before the event that uses it.
    assert lines.index("BEGIN:VTIMEZONE") < lines.index("BEGIN:VEVENT")


def test_the_second_of_two_equal_wall_clock_times_is_written_in_utc():
    # RFC 5545 readers take the first 01:30 for TZID times; the second one needs UTC.
    start = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    lines = content_lines(event_calendar(
        [booking(start=start, end=start + timedelta(hours=1), tz=LONDON)], method="PUBLISH"))

    assert "DTSTART:20261025T013000Z" in lines
    assert "DTEND;TZID=Europe/London:20261025T023000" in lines


@pytest.mark.parametrize("zone", [LONDON, NEW_YORK, ZoneInfo("Australia/Sydney")])
def test_vtimezone_onsets_are_where_the_clocks_really_change(zone):
    """RFC 5545: an onset is written as wall-clock time in TZOFFSETFROM."""
    start = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    document = event_calendar([booking(start=start, end=start + timedelta(hours=1), tz=zone)],
                              method="PUBLISH")
    (vtimezone,) = Calendar.from_ical(document).timezones

    changes = []
    for observance in vtimezone.subcomponents:
        offset_from, offset_to = observance.TZOFFSETFROM, observance.TZOFFSETTO
        if offset_from == offset_to:
            continue  # the opening observance at the start of the covered range
        for onset in [observance.DTSTART] + [day for day, _ in observance.rdates]:
            instant = (onset - offset_from).replace(tzinfo=UTC)
            assert (instant - timedelta(seconds=1)).astimezone(zone).utcoffset() == offset_from
            assert instant.astimezone(zone).utcoffset() == offset_to
            changes.append(instant)
    assert len(changes) == 2  # both 2026 changes, no more, no fewer


def test_naive_times_are_refused():
    naive = datetime(2026, 4, 7, 9, 0)
    for field in ("start", "end", "stamp", "last_modified"):
        with pytest.raises(ValueError, match="timezone-aware"):
            booking(**{field: naive})


@pytest.mark.parametrize("changes, message", [
    ({"end": datetime(2026, 4, 7, 8, 0, tzinfo=UTC)}, "end must be after start"),
    ({"status": "confirmed"}, "status"),
    ({"status": "DONE"}, "status"),
    ({"sequence": -1}, "sequence"),
    ({"uid": " "}, "uid"),
    ({"uid": "a\r\nATTENDEE:mailto:x@y"}, "uid"),
    ({"attendee_email": "not an email"}, "attendee_email"),
    ({"tz": timezone(timedelta(hours=2))}, "tz"),
])
def test_bad_bookings_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        booking(**changes)


# --- Text and line format -------------------------------------------------------------------


def test_awkward_text_survives_the_round_trip():
    summary = "Séance d’essai; coût: 50€, \\ backslash — " + "très longue " * 10
    description = "Line one\nLine two, with; punctuation\nhttps://coach.example/b/42/manage?x=1&y=2"
    event = only_event(event_calendar(
        [booking(summary=summary, description=description, attendee_name='Alex "AJ" O\'Neil')],
        method="REQUEST"))

    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == description
    assert event["ATTENDEE"].params["CN"] == 'Alex "AJ" O\'Neil'


def test_lines_end_in_crlf_and_are_folded_at_75_octets():
    document = event_calendar([booking(summary="Long summary ✓ " * 20, tz=LONDON)], method="REQUEST")

    assert document.endswith(b"\r\n")
    for line in document.split(b"\r\n")[:-1]:
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75


# --- The subscription feed -------------------------------------------------------------------


def test_the_feed_describes_itself():
    document = feed_calendar([booking()], name="Jo's coaching sessions",
                             refresh=timedelta(minutes=15))
    calendar = Calendar.from_ical(document)
    lines = content_lines(document)

    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["NAME"]) == "Jo's coaching sessions"
    assert str(calendar["X-WR-CALNAME"]) == "Jo's coaching sessions"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT15M" in lines
    assert "X-PUBLISHED-TTL:PT15M" in lines
    assert calendar.refresh_interval == timedelta(minutes=15)


def test_the_feed_refreshes_hourly_by_default():
    lines = content_lines(feed_calendar([], name="Sessions"))
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines


def test_the_feed_keeps_cancelled_bookings_and_marks_free_time():
    confirmed = booking()
    open_slot = booking(uid="slot-2026-04-08T09@coach.example", summary="Open slot",
                        start=datetime(2026, 4, 8, 9, 0, tzinfo=UTC),
                        end=datetime(2026, 4, 8, 10, 0, tzinfo=UTC), transparent=True)
    cancelled = booking(uid="booking-44-9e8d@coach.example", sequence=3, status="CANCELLED",
                        start=datetime(2026, 4, 9, 9, 0, tzinfo=UTC),
                        end=datetime(2026, 4, 9, 10, 0, tzinfo=UTC))
    events = Calendar.from_ical(feed_calendar([confirmed, open_slot, cancelled], name="S")).events
    by_uid = {str(event["UID"]): event for event in events}

    assert str(by_uid[confirmed.uid]["TRANSP"]) == "OPAQUE"
    assert str(by_uid[open_slot.uid]["TRANSP"]) == "TRANSPARENT"
    assert str(by_uid[cancelled.uid]["STATUS"]) == "CANCELLED"
    assert str(by_uid[cancelled.uid]["TRANSP"]) == "TRANSPARENT"
    assert by_uid[cancelled.uid]["SEQUENCE"] == 3


def feed_of_two_zones() -> list[CalendarEvent]:
    in_london = datetime(2026, 4, 7, 10, 0, tzinfo=LONDON)
    in_new_york = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK)
    return [
        booking(start=in_london, end=in_london + timedelta(hours=1), tz=LONDON),
        booking(uid="booking-50-aaaa@coach.example", start=in_new_york,
                end=in_new_york + timedelta(hours=1), tz=NEW_YORK),
    ]


def test_the_feed_is_the_same_bytes_for_the_same_bookings():
    first = feed_calendar(feed_of_two_zones(), name="Sessions")
    assert feed_calendar(feed_of_two_zones(), name="Sessions") == first
    changed = feed_of_two_zones()
    changed[0] = replace(changed[0], sequence=1)
    assert feed_calendar(changed, name="Sessions") != first


def test_the_feed_is_the_same_bytes_in_every_worker_process():
    # Python randomises set order per process; an ETag must not depend on it.
    program = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('ics_copy', {str(ICS_MODULE)!r})\n"
        "ics = importlib.util.module_from_spec(spec); sys.modules['ics_copy'] = ics\n"
        "spec.loader.exec_module(ics)\n"
        "from datetime import datetime, timedelta, timezone\n"
        "from zoneinfo import ZoneInfo\n"
        "stamp = datetime(2026, 3, 1, tzinfo=timezone.utc)\n"
        "events = [ics.CalendarEvent(uid=f'b{i}@x', sequence=0, summary='S', stamp=stamp,\n"
        "    start=datetime(2026, 4, 7, 9, tzinfo=timezone.utc) + timedelta(days=i),\n"
        "    end=datetime(2026, 4, 7, 10, tzinfo=timezone.utc) + timedelta(days=i), tz=ZoneInfo(zone))\n"
        "    for i, zone in enumerate(['Europe/London', 'America/New_York', 'Asia/Tokyo', 'Europe/Paris'])]\n"
        "sys.stdout.buffer.write(ics.feed_calendar(events, name='Sessions'))\n"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", program], check=True, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_the_feed_expands_with_recurring_ical_events():
    document = feed_calendar(feed_of_two_zones(), name="Sessions")
    query = recurring_ical_events.of(Calendar.from_ical(document))

    found = query.between(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))

    assert sorted(event["DTSTART"].dt.astimezone(UTC) for event in found) == [
        datetime(2026, 4, 7, 9, 0, tzinfo=UTC),  # 10:00 BST
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),  # the second 01:30 in New York
    ]


def test_the_feed_reads_back_as_busy_time():
    open_slot = booking(uid="slot@coach.example", transparent=True,
                        start=datetime(2026, 4, 8, 9, 0, tzinfo=UTC),
                        end=datetime(2026, 4, 8, 10, 0, tzinfo=UTC))
    cancelled = booking(uid="gone@coach.example", status="CANCELLED",
                        start=datetime(2026, 4, 9, 9, 0, tzinfo=UTC),
                        end=datetime(2026, 4, 9, 10, 0, tzinfo=UTC))
    document = feed_calendar(feed_of_two_zones() + [open_slot, cancelled], name="Sessions")

    busy = read_calendar(document, window_start=datetime(2026, 4, 1, tzinfo=UTC),
                         window_end=datetime(2026, 12, 1, tzinfo=UTC)).intervals

    assert busy == [
        BusyInterval(datetime(2026, 4, 7, 9, 0, tzinfo=UTC), datetime(2026, 4, 7, 10, 0, tzinfo=UTC)),
        BusyInterval(datetime(2026, 11, 1, 6, 30, tzinfo=UTC), datetime(2026, 11, 1, 7, 30, tzinfo=UTC)),
    ]


# --- "Add to calendar" links -------------------------------------------------------------------


def link_parts(link: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(link)
    query = parse_qs(parts.query, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values())
    return f"{parts.scheme}://{parts.netloc}{parts.path}", {key: values[0] for key, values in query.items()}


def test_the_google_link_fills_in_the_booking():
    address, query = link_parts(google_calendar_link(booking(tz=LONDON)))

    assert address == "https://calendar.google.com/calendar/render"
    assert query == {
        "action": "TEMPLATE",
        "text": "Coaching session with Alex",
        "dates": "20260407T090000Z/20260407T100000Z",
        "details": "Manage your booking: https://coach.example/b/42/manage\n\nhttps://meet.example/abc-defg-hij",
        "location": "https://meet.example/abc-defg-hij",
        "ctz": "Europe/London",
    }


def test_the_outlook_link_fills_in_the_booking():
    address, query = link_parts(outlook_calendar_link(booking()))

    assert address == "https://outlook.live.com/calendar/0/deeplink/compose"
    assert query == {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": "Coaching session with Alex",
        "startdt": "2026-04-07T09:00:00Z",
        "enddt": "2026-04-07T10:00:00Z",
        "body": "Manage your booking: https://coach.example/b/42/manage\n\nhttps://meet.example/abc-defg-hij",
        "location": "https://meet.example/abc-defg-hij",
    }


def test_links_survive_characters_that_mean_something_in_urls():
    tricky = booking(summary="Tom & Jerry: 50% #1 + more?", location="Café, Rue d'Alésia 5",
                     url="", description="a=b&c=d")
    _, google = link_parts(google_calendar_link(tricky))
    _, outlook = link_parts(outlook_calendar_link(tricky))

    assert google["text"] == outlook["subject"] == "Tom & Jerry: 50% #1 + more?"
    assert google["location"] == outlook["location"] == "Café, Rue d'Alésia 5"
    assert google["details"] == outlook["body"] == "a=b&c=d"


def test_links_leave_out_empty_fields():
    bare = booking(description="", location="", url="")
    _, google = link_parts(google_calendar_link(bare))
    _, outlook = link_parts(outlook_calendar_link(bare))

    assert "details" not in google and "location" not in google and "ctz" not in google
    assert "body" not in outlook and "location" not in outlook
