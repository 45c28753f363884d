"""The coach's subscription feed: content, conditional requests, secrecy, cancelled events."""
from datetime import timedelta

import pytest
from werkzeug.http import http_date, parse_date

from support.booking import open_all_week, profile_of
from support.calendar import HOUR, add_booking, cancel, events_of, now, parse, settle_profiles

DAY = timedelta(days=1)


@pytest.fixture
def feed_url(app, users):
    settle_profiles()
    return f"/calendar/{profile_of(users['coach']).feed_token}.ics"


def test_feed_is_an_icalendar_document_with_every_booking_field(client, users, feed_url):
    start = (now() + 3 * DAY).replace(hour=10, minute=0, second=0, microsecond=0)
    booking = add_booking(users["coach"], start, sequence=2)

    response = client.get(feed_url)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(response.data)
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "Let's talk: bookings"
    assert calendar["REFRESH-INTERVAL"].dt == HOUR and str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    event = events_of(response.data)[booking.uid]
    assert event["DTSTART"].dt == start and event["DTEND"].dt == start + timedelta(minutes=30)
    assert event["DTSTAMP"].dt == booking.updated_at.replace(microsecond=0)
    assert int(event["SEQUENCE"]) == 2 and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["TRANSP"]) == "OPAQUE"
    assert str(event["SUMMARY"]) == "Discovery call: Robin Visitor"
    assert f"http://localhost/booking/{booking.manage_token}" in str(event["DESCRIPTION"])
    assert "robin@example.org" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == "Video call: https://meet.example.com/jo"
    assert str(event["URL"]) == "https://meet.example.com/jo"
    assert str(event["ORGANIZER"]) == "mailto:coach@example.com"
    assert str(event["ATTENDEE"]) == "mailto:robin@example.org"
    assert event["DTSTART"].params["TZID"] == "Europe/London"  # the coach's zone, not the visitor's


def test_intake_answers_reach_the_coach_in_the_description(client, users, feed_url):
    from blueprints.intake.models import IntakeAnswer
    booking = add_booking(users["coach"], now() + 3 * DAY)
    IntakeAnswer.create(booking=booking, question_label="What would you like to change?",
                        answer="More time for my family", position=0)
    description = str(events_of(client.get(feed_url).data)[booking.uid]["DESCRIPTION"])
    assert "What would you like to change?\nMore time for my family" in description


def test_identical_requests_get_the_same_etag_and_a_304(client, users, feed_url):
    add_booking(users["coach"], now() + 3 * DAY)
    first, second = client.get(feed_url), client.get(feed_url)
    assert first.headers["ETag"] == second.headers["ETag"] and first.data == second.data
    assert "private" in first.headers["Cache-Control"] and "max-age=300" in first.headers["Cache-Control"]

    again = client.get(feed_url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_if_modified_since_answers_304_until_a_booking_changes(client, users, feed_url):
    booking = add_booking(users["coach"], now() + 3 * DAY)
    first = client.get(feed_url)
    last_modified = first.headers["Last-Modified"]
    assert parse_date(last_modified) == booking.updated_at.replace(microsecond=0)

    assert client.get(feed_url, headers={"If-Modified-Since": last_modified}).status_code == 304
    cancel(booking)
    changed = client.get(feed_url, headers={"If-Modified-Since": last_modified})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]


def test_if_none_match_wins_over_if_modified_since(client, users, feed_url):
    add_booking(users["coach"], now() + 3 * DAY)
    first = client.get(feed_url)
    stale = client.get(feed_url, headers={"If-None-Match": '"something-else"',
                                          "If-Modified-Since": first.headers["Last-Modified"]})
    assert stale.status_code == 200 and stale.data == first.data


@pytest.mark.parametrize("change", ["cancel", "reschedule", "new booking"])
def test_any_change_gives_a_new_etag_and_never_a_stale_304(client, users, feed_url, change):
    from scheduling.models import Booking
    booking = add_booking(users["coach"], now() + 3 * DAY)
    first = client.get(feed_url)
    if change == "cancel":
        cancel(booking)
    elif change == "reschedule":
        Booking.update(starts_at=booking.starts_at + HOUR, ends_at=booking.ends_at + HOUR, updated_at=now(),
                       sequence=Booking.sequence + 1).where(Booking.id == booking.id).execute()
    else:
        add_booking(users["coach"], now() + 4 * DAY, updated_at=now())
    response = client.get(feed_url, headers={"If-None-Match": first.headers["ETag"],
                                             "If-Modified-Since": first.headers["Last-Modified"]})
    assert response.status_code == 200
    assert response.headers["ETag"] != first.headers["ETag"]


def test_an_event_ageing_out_moves_last_modified(client, users, feed_url):
    # Ended 95 days ago: it left the feed 5 days ago, later than the newest change to a shown booking.
    add_booking(users["coach"], now() - 95 * DAY, updated_at=now() - 100 * DAY)
    add_booking(users["coach"], now() + 3 * DAY, updated_at=now() - 10 * DAY)
    settle_profiles(ago=20 * DAY)
    response = client.get(feed_url, headers={"If-Modified-Since": http_date(now() - 7 * DAY)})
    assert response.status_code == 200
    assert parse_date(response.headers["Last-Modified"]) > now() - 6 * DAY


def test_head_answers_like_get_without_a_body(client, users, feed_url):
    add_booking(users["coach"], now() + 3 * DAY)
    get, head = client.get(feed_url), client.head(feed_url)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Type"] == "text/calendar; charset=utf-8"


def test_window_past_bookings_and_cancelled_ones(client, users, feed_url):
    coach = users["coach"]
    upcoming = add_booking(coach, now() + 30 * DAY)
    recent = add_booking(coach, now() - 80 * DAY, status="completed")
    too_old = add_booking(coach, now() - 100 * DAY, status="completed")
    cancelled_recently = cancel(add_booking(coach, now() + 5 * DAY), when=now() - 10 * DAY)
    cancelled_long_ago = cancel(add_booking(coach, now() + 6 * DAY), when=now() - 40 * DAY)

    events = events_of(client.get(feed_url).data)

    assert set(events) == {upcoming.uid, recent.uid, cancelled_recently.uid}
    gone = events[cancelled_recently.uid]
    assert str(gone["STATUS"]) == "CANCELLED" and int(gone["SEQUENCE"]) == 1
    assert str(gone["TRANSP"]) == "TRANSPARENT"
    assert too_old.uid not in events and cancelled_long_ago.uid not in events


def test_a_coach_feed_never_shows_another_coachs_bookings(client, users, feed_url):
    mine = add_booking(users["coach"], now() + 3 * DAY)
    theirs = add_booking(users["other_coach"], now() + 3 * DAY, name="Secret Prospect", email="secret@example.org")
    body = client.get(feed_url).data
    assert set(events_of(body)) == {mine.uid}
    assert b"Secret Prospect" not in body and b"secret@example.org" not in body

    other = client.get(f"/calendar/{profile_of(users['other_coach']).feed_token}.ics").data
    assert set(events_of(other)) == {theirs.uid}


@pytest.mark.parametrize("token", ["not-the-token", "x" * 32, ""])
def test_a_wrong_token_is_404(client, users, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_regenerating_the_secret_retires_the_old_address(client, auth, users, feed_url):
    add_booking(users["coach"], now() + 3 * DAY)
    auth.login()
    response = client.post("/coach/calendar/feed/regenerate", data={"confirm": "y"})
    assert response.status_code == 303
    assert client.get(feed_url).status_code == 404
    new_url = f"/calendar/{profile_of(users['coach']).feed_token}.ics"
    assert new_url != feed_url and client.get(new_url).status_code == 200


def test_open_slots_option_adds_free_events(client, users, feed_url):
    from blueprints.auth.models import CoachProfile
    coach = users["coach"]
    open_all_week(coach)
    CoachProfile.update(feed_include_open_slots=True, horizon_days=3, min_notice_hours=1).where(
        CoachProfile.user == coach).execute()
    booking = add_booking(coach, (now() + 2 * DAY).replace(minute=0, second=0, microsecond=0))

    events = events_of(client.get(feed_url).data)

    open_events = [e for uid, e in events.items() if uid.startswith("open-")]
    assert len(open_events) > 10
    assert all(str(e["TRANSP"]) == "TRANSPARENT" for e in open_events)
    assert str(events[booking.uid]["TRANSP"]) == "OPAQUE"
    booked = booking.starts_at
    assert not any(e["DTSTART"].dt <= booked < e["DTEND"].dt for e in open_events)  # the booked time is not open
    assert client.get(feed_url).headers["ETag"] == client.get(feed_url).headers["ETag"]

    CoachProfile.update(feed_include_open_slots=False).where(CoachProfile.user == coach).execute()
    assert set(events_of(client.get(feed_url).data)) == {booking.uid}


def test_empty_feed_is_still_a_valid_calendar(client, users, feed_url):
    response = client.get(feed_url)
    assert response.status_code == 200
    assert parse(response.data).walk("VEVENT") == []


def test_a_change_in_the_current_second_hands_out_no_date_to_trust(app):
    # Dates have whole seconds: a second change within this second would look "not modified".
    from blueprints.calendar.feeds import Feed
    from blueprints.calendar.views import feed_response
    feed = Feed(body=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", etag="abc", last_modified=now() + HOUR)
    with app.test_request_context(headers={"If-Modified-Since": http_date(now() + 2 * HOUR)}):
        response = feed_response(feed, "x.ics")
    assert response.status_code == 200 and "Last-Modified" not in response.headers
    with app.test_request_context(headers={"If-None-Match": '"abc"'}):
        assert feed_response(feed, "x.ics").status_code == 304


@pytest.mark.parametrize("validator", ["If-None-Match", "If-Modified-Since"])
def test_a_repeat_request_is_answered_304_without_building_the_feed(client, users, feed_url, monkeypatch, validator):
    from blueprints.calendar import feeds
    for days in (3, 4, 5):
        add_booking(users["coach"], now() + days * DAY, updated_at=now() - HOUR)
    settle_profiles()
    first = client.get(feed_url)
    built = []
    monkeypatch.setattr(feeds, "feed_calendar", lambda *a, **k: built.append(1) or b"")
    value = first.headers["ETag"] if validator == "If-None-Match" else first.headers["Last-Modified"]
    again = client.get(feed_url, headers={validator: value})
    assert again.status_code == 304 and again.data == b""
    assert built == []  # nothing was built for the 304
    client.get(feed_url)
    assert built == [1]  # a full answer still builds it
