"""Coaching sessions: session types, clients booking at /me/book from the same slot engine,
the coach scheduling at any time, meeting places in emails and .ics, and who may do what."""
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from database import utcnow
from support.accounts import sign_in
from support.booking import book, bookings, free_slots, iso, open_all_week, profile_of
from support.mail import outbox
from support.pages import HX, unescaped

ROOM = "https://meet.example.com/jo-room"


def add_type(coach, name="Coaching session", minutes=60, kind="video", detail=ROOM):
    from scheduling.models import SessionType
    return SessionType.create(coach=coach, name=name, minutes=minutes, location_kind=kind, location_detail=detail)


@pytest.fixture
def practice(app, users):
    open_all_week(users["coach"])
    return add_type(users["coach"])


def session_slots(coach, minutes, days_ahead=2, hours=24):
    from scheduling import service
    start = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=days_ahead)
    return service.free_slots_for(profile_of(coach), start, start + timedelta(hours=hours), minutes=minutes)


# --- session types ---------------------------------------------------------------------------------

def test_coach_adds_a_session_type(client, users):
    sign_in(client, "coach@example.com")
    page = client.get("/coach/sessions")
    assert page.status_code == 200 and "Discovery call" in unescaped(page) and "public" in unescaped(page)
    assert "<html" not in unescaped(client.get("/coach/sessions", headers=HX))
    response = client.post("/coach/sessions", data={"name": "Coaching session", "minutes": 60,
                                                     "location_kind": "video", "location_detail": ROOM})
    assert response.status_code == 303
    html = unescaped(client.get("/coach/sessions"))
    assert "Coaching session</strong>, 60 min" in html and ROOM in html and "clients only" in html


def test_a_bad_session_type_is_422_and_keeps_the_input(client, users):
    sign_in(client, "coach@example.com")
    response = client.post("/coach/sessions", data={"name": "Deep dive\x00", "minutes": 100000,
                                                     "location_kind": "video", "location_detail": "zoom me"}, headers=HX)
    html = unescaped(response)
    assert response.status_code == 422 and "from 15 to 480" in html and "starting with https://" in html
    assert 'value="Deep dive"' in html
    from scheduling.models import SessionType
    assert SessionType.select().count() == 0


# --- the slot engine with several lengths -------------------------------------------------------------

def test_a_60_minute_session_and_30_minute_calls_interleave_without_overlap(client, users, practice):
    coach = users["coach"]
    call = free_slots(coach)[4]
    book(client, coach, call.start)
    [taken] = bookings()
    sixty = session_slots(coach, 60)
    assert sixty and all(s.end - s.start == timedelta(minutes=60) for s in sixty)
    assert all(s.end <= taken.starts_at or s.start >= taken.ends_at for s in sixty)
    # The hour just before the call is offered; the one straddling it is not.
    starts = {s.start for s in sixty}
    assert taken.starts_at - timedelta(minutes=60) in starts
    assert taken.starts_at - timedelta(minutes=30) not in starts
    thirty = {s.start for s in free_slots(coach)}
    assert taken.starts_at - timedelta(minutes=30) in thirty


# --- a client books at /me/book --------------------------------------------------------------------

def test_client_books_a_session_and_sees_it_on_me(client, users, practice):
    sign_in(client, "alex@example.com")
    page = client.get("/me/book")
    assert page.status_code == 200 and "Coaching session · 60 minutes" in unescaped(page)
    slot = session_slots(users["coach"], 60)[0]
    confirm = client.get(f"/me/book/{practice.id}/slot", query_string={"start": iso(slot.start), "tz": "Europe/London"})
    assert confirm.status_code == 200 and "Book this session" in unescaped(confirm)
    response = client.post("/me/book", data={"type": practice.id, "start": iso(slot.start), "tz": "Europe/London"})
    assert response.status_code == 303 and response.headers["Location"] == "/me"
    [booking] = bookings()
    assert booking.kind == "session" and booking.client_id == users["client_a"].id
    assert booking.ends_at - booking.starts_at == timedelta(minutes=60) and ROOM in booking.location
    home = unescaped(client.get("/me"))
    assert "Coaching session" in home and f"/booking/{booking.manage_token}.ics" in home
    manage = unescaped(client.get(f"/booking/{booking.manage_token}"))
    assert "Coaching session with Jo Whitfield" in manage and f'href="{ROOM}"' in manage
    mails = {m.to_addr: m for m in outbox()}
    assert "Your coaching session with Jo Whitfield" in mails["alex@example.com"].subject
    assert ROOM in mails["alex@example.com"].text_body
    sign_in(client, "coach@example.com")
    assert booking.starts_at.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") in unescaped(
        client.get(f"/coach/clients/{users['client_a'].id}"))


def test_a_taken_session_time_is_409_with_alternatives(client, users, practice):
    slot = session_slots(users["coach"], 60)[0]
    sign_in(client, "alex@example.com")
    client.post("/me/book", data={"type": practice.id, "start": iso(slot.start), "tz": "Europe/London"})
    sign_in(client, "sam@example.com")
    again = client.post("/me/book", data={"type": practice.id, "start": iso(slot.start + timedelta(minutes=30)),
                                          "tz": "Europe/London"}, headers=HX)
    assert again.status_code == 409 and "Choose another time" in unescaped(again)
    assert len(bookings()) == 1


@pytest.mark.parametrize("who, status", [(None, 302), ("coach@example.com", 403), ("olly@example.com", 404)])
def test_client_only_booking_is_refused_to_others(client, users, practice, who, status):
    add_type(users["other_coach"], name="Olly's coach's session")  # so Olly could book something
    if who:
        sign_in(client, who)
    slot = session_slots(users["coach"], 60)[0]
    response = client.post("/me/book", data={"type": practice.id, "start": iso(slot.start), "tz": "Europe/London"})
    assert response.status_code == status
    assert client.get(f"/me/book/{practice.id}").status_code == status
    assert bookings() == []


def test_an_archived_client_cannot_book(client, users, practice):
    from blueprints.clients.service import set_archived
    set_archived(users["coach"], users["client_a"], True)
    sign_in(client, "alex@example.com")
    assert "has finished" in unescaped(client.get("/me/book"))
    slot = session_slots(users["coach"], 60)[0]
    response = client.post("/me/book", data={"type": practice.id, "start": iso(slot.start), "tz": "Europe/London"})
    assert response.status_code == 403 and bookings() == []


def test_anonymous_book_page_still_offers_only_the_discovery_call(client, users, practice):
    html = unescaped(client.get("/book"))
    assert "Coaching session" not in html and "Book a free call" in html


# --- the coach schedules --------------------------------------------------------------------------------

def schedule(client, users, practice, when, **extra):
    local = when.astimezone(ZoneInfo("Europe/London"))
    return client.post(f"/coach/clients/{users['client_a'].id}/sessions", data={
        "session_type": practice.id, "day": local.date().isoformat(), "start_time": local.strftime("%H:%M"), **extra})


def test_coach_schedules_outside_weekly_hours(client, users):
    practice = add_type(users["coach"], kind="phone", detail="I'll call you on your mobile")
    sign_in(client, "coach@example.com")
    when = (utcnow() + timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)  # no hours, no notice
    response = schedule(client, users, practice, when)
    assert response.status_code == 303
    [booking] = bookings()
    assert booking.starts_at == when and booking.client_id == users["client_a"].id
    assert booking.location == "Phone call: I'll call you on your mobile"
    assert any(m.to_addr == "alex@example.com" for m in outbox())


def test_coach_scheduling_refuses_an_overlap_and_warns_about_busy_time(client, users):
    from scheduling.models import BusyBlock, BusySource
    practice = add_type(users["coach"])
    sign_in(client, "coach@example.com")
    when = (utcnow() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    source = BusySource.create(coach=users["coach"], name="Personal", kind="upload")
    BusyBlock.create(source=source, starts_at=when + timedelta(minutes=30), ends_at=when + timedelta(hours=2))
    warned = schedule(client, users, practice, when)
    assert warned.status_code == 422 and "overlaps something in your own calendar" in unescaped(warned)
    assert bookings() == []
    assert schedule(client, users, practice, when, clash_ok="y").status_code == 303
    clash = schedule(client, users, practice, when + timedelta(minutes=30), clash_ok="y")
    assert clash.status_code == 409 and "already have a booking" in unescaped(clash)
    assert len(bookings()) == 1


def test_coach_cannot_schedule_for_another_coachs_client(client, users):
    practice = add_type(users["coach"])
    sign_in(client, "coach@example.com")
    when = utcnow() + timedelta(days=3)
    response = client.post(f"/coach/clients/{users['other_client'].id}/sessions", data={
        "session_type": practice.id, "day": when.date().isoformat(), "start_time": "10:00"})
    assert response.status_code == 404 and bookings() == []


# --- meeting places in the calendar file ---------------------------------------------------------------

@pytest.mark.parametrize("kind, detail, location, url, conference", [
    ("video", ROOM, f"Video call: {ROOM}", ROOM, ROOM),
    ("phone", "I'll call you", "Phone call: I'll call you", None, None),
    ("address", "1 High Street, Bath", "In person: 1 High Street, Bath", None, None),
])
def test_ics_location_url_and_conference_per_meeting_place(client, users, kind, detail, location, url, conference):
    practice = add_type(users["coach"], kind=kind, detail=detail)
    sign_in(client, "coach@example.com")
    schedule(client, users, practice, (utcnow() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0))
    [booking] = bookings()
    body = client.get(f"/booking/{booking.manage_token}.ics").get_data()
    [event] = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["LOCATION"]) == location
    if url:
        assert str(event["URL"]) == url
    else:
        assert str(event["URL"]).endswith(f"/booking/{booking.manage_token}")
    assert (str(event["CONFERENCE"]) if "CONFERENCE" in event else None) == conference
    if conference:
        assert event["CONFERENCE"].params["FEATURE"] == "VIDEO"


# --- access matrix over the new addresses ----------------------------------------------------------------

@pytest.mark.parametrize("who, coach_status, client_status", [
    (None, 302, 302), ("alex@example.com", 403, 200), ("sam@example.com", 403, 200),
    ("other@example.com", 404, 403), ("olly@example.com", 403, 404), ("coach@example.com", 200, 403)])
def test_access_matrix(client, users, practice, who, coach_status, client_status):
    if who:
        sign_in(client, who)
    slot = session_slots(users["coach"], 60)[0]
    alex = users["client_a"].id
    coach_urls = [("GET", "/coach/sessions"), ("POST", f"/coach/sessions/{practice.id}/remove"),
                  ("POST", f"/coach/clients/{alex}/sessions")]
    for method, url in coach_urls:
        status = client.open(url, method=method).status_code
        expected = coach_status
        if who == "other@example.com" and url == "/coach/sessions":
            expected = 200  # their own (empty) list
        if who == "coach@example.com" and method == "POST":
            expected = status if status in (303, 422) else "303/422"
        assert status == expected, (who, url, status)
    client_urls = [f"/me/book/{practice.id}", f"/me/book/{practice.id}/slot?start={iso(slot.start)}&tz=UTC"]
    for url in client_urls:
        status = client.get(url).status_code
        assert status == client_status, (who, url, status)


# --- moving and cancelling ------------------------------------------------------------------------------

def scheduled_session(client, users, practice, when):
    sign_in(client, "coach@example.com")
    assert schedule(client, users, practice, when).status_code == 303
    [booking] = bookings()
    return booking


def test_coach_moves_a_session_with_a_message(client, users):
    practice = add_type(users["coach"])
    when = (utcnow() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    booking = scheduled_session(client, users, practice, when)
    page = client.get(f"/coach/bookings/{booking.id}/move")
    assert page.status_code == 200 and "Move it" in unescaped(page) and "Cancel it" in unescaped(page)
    assert "<html" not in unescaped(client.get(f"/coach/bookings/{booking.id}/move", headers=HX))
    new = when + timedelta(days=1, hours=10)  # late evening: outside any hours, and that's fine
    local = new.astimezone(ZoneInfo("Europe/London"))
    response = client.post(f"/coach/bookings/{booking.id}/move", data={
        "day": local.date().isoformat(), "start_time": local.strftime("%H:%M"), "message": "Train strike, sorry!"})
    assert response.status_code == 303 and response.headers["Location"] == f"/coach/clients/{users['client_a'].id}"
    [moved] = bookings()
    assert moved.starts_at == new and moved.ends_at - moved.starts_at == timedelta(minutes=60) and moved.sequence == 1
    [mail] = [m for m in outbox() if m.to_addr == "alex@example.com" and "moved" in m.subject]
    assert "Train strike, sorry!" in mail.text_body and "Jo Whitfield has moved your coaching session" in mail.text_body


def test_coach_move_onto_another_booking_is_409_and_keeps_the_message(client, users):
    practice = add_type(users["coach"])
    when = (utcnow() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    first = scheduled_session(client, users, practice, when)
    schedule(client, users, practice, when + timedelta(hours=3))
    local = (when + timedelta(hours=2, minutes=30)).astimezone(ZoneInfo("Europe/London"))
    response = client.post(f"/coach/bookings/{first.id}/move", data={
        "day": local.date().isoformat(), "start_time": local.strftime("%H:%M"), "message": "Keep me"}, headers=HX)
    assert response.status_code == 409 and "already have a booking" in unescaped(response) and "Keep me" in unescaped(response)
    from scheduling.models import Booking
    assert Booking.get_by_id(first.id).starts_at == when


def test_another_coach_cannot_move_my_booking(client, users):
    practice = add_type(users["coach"])
    booking = scheduled_session(client, users, practice, utcnow() + timedelta(days=3))
    sign_in(client, "other@example.com")
    assert client.get(f"/coach/bookings/{booking.id}/move").status_code == 404
    assert client.post(f"/coach/bookings/{booking.id}/move", data={"day": "2030-01-01", "start_time": "10:00"}).status_code == 404
    sign_in(client, "alex@example.com")
    assert client.get(f"/coach/bookings/{booking.id}/move").status_code == 403


def test_client_cancels_a_session_only_within_the_notice_rule(client, users):
    practice = add_type(users["coach"])  # the coach's notice: 12 hours
    soon = scheduled_session(client, users, practice, (utcnow() + timedelta(hours=5)).replace(second=0, microsecond=0))
    page = client.get(f"/booking/{soon.manage_token}")
    assert "up to 12 hours before" in unescaped(page)
    refused = client.post(f"/booking/{soon.manage_token}/cancel", data={"reason": ""})
    assert refused.status_code == 409 and "up to 12 hours before" in unescaped(refused)
    later = utcnow().replace(second=0, microsecond=0) + timedelta(days=4)
    schedule(client, users, practice, later)
    from scheduling.models import Booking
    far = Booking.get(Booking.starts_at == later)
    assert client.post(f"/booking/{far.manage_token}/cancel", data={"reason": "Ill"}).status_code == 303
    assert Booking.get_by_id(far.id).status == "cancelled" and Booking.get_by_id(soon.id).status == "confirmed"
    # The coach, though, may cancel the near one.
    sign_in(client, "coach@example.com")
    response = client.post(f"/coach/bookings/{soon.id}/cancel", data={"message": "Sorry"})
    assert response.status_code == 303 and Booking.get_by_id(soon.id).status == "cancelled"


def test_client_moves_a_session_and_it_keeps_its_length(client, users, practice):
    sign_in(client, "alex@example.com")
    first, *_ = session_slots(users["coach"], 60)
    client.post("/me/book", data={"type": practice.id, "start": iso(first.start), "tz": "Europe/London"})
    [booking] = bookings()
    picker_page = unescaped(client.get(f"/booking/{booking.manage_token}/reschedule"))
    assert "<h1>Move your coaching session with Jo Whitfield</h1>" in picker_page
    later = session_slots(users["coach"], 60, days_ahead=3)[0]
    response = client.post(f"/booking/{booking.manage_token}/reschedule", data={"start": iso(later.start),
                                                                               "tz": "Europe/London"})
    assert response.status_code == 303
    [moved] = bookings()
    assert moved.starts_at == later.start and moved.ends_at - moved.starts_at == timedelta(minutes=60)


@pytest.mark.parametrize("day, start_time, message", [
    ("0001-01-01", "10:00", "from today up to two years ahead"),
    ("9999-12-31", "23:59", "from today up to two years ahead"),
    ("2026-02-30", "10:00", "Not a valid date"),
    ("", "25:99", "Enter the date."),
])
def test_impossible_dates_are_422_not_500(client, users, day, start_time, message):
    practice = add_type(users["coach"])
    sign_in(client, "coach@example.com")
    response = client.post(f"/coach/clients/{users['client_a'].id}/sessions", data={
        "session_type": practice.id, "day": day, "start_time": start_time}, headers=HX)
    assert response.status_code == 422 and message in unescaped(response) and bookings() == []


def test_a_time_in_the_past_is_refused(client, users):
    practice = add_type(users["coach"])
    sign_in(client, "coach@example.com")
    response = schedule(client, users, practice, utcnow() - timedelta(hours=2))
    assert response.status_code == 422 and "has passed" in unescaped(response) and bookings() == []


# --- sessions in feeds and reminders, like discovery calls --------------------------------------------

def test_a_session_is_in_the_coachs_and_the_clients_feeds_and_gets_a_reminder(app, client, users, practice):
    from blueprints.auth.models import User
    from blueprints.booking.service import send_due_reminders
    sign_in(client, "alex@example.com")
    slot = session_slots(users["coach"], 60, days_ahead=3)[0]
    client.post("/me/book", data={"type": practice.id, "start": iso(slot.start), "tz": "Europe/London"})
    [booking] = bookings()
    User.update(feed_token="alex-feed").where(User.id == users["client_a"].id).execute()
    feeds = [client.get("/calendar/client/alex-feed.ics"),
             client.get(f"/calendar/{profile_of(users['coach']).feed_token}.ics")]
    for feed in feeds:
        assert feed.status_code == 200
        [event] = [e for e in Calendar.from_ical(feed.get_data()).walk("VEVENT") if str(e["UID"]) == booking.uid]
        assert str(event["LOCATION"]) == f"Video call: {ROOM}" and str(event["CONFERENCE"]) == ROOM
        assert "Coaching session" in str(event["SUMMARY"])
    assert send_due_reminders(app, now=booking.starts_at - timedelta(hours=23)) == 1
    [reminder] = [m for m in outbox() if m.subject.startswith("Reminder:")]
    assert reminder.to_addr == "alex@example.com" and "Reminder: your coaching session with Jo Whitfield" in reminder.subject
    assert ROOM in reminder.text_body


def test_coach_edits_a_session_type_and_booked_sessions_keep_their_place(client, users, practice):
    sign_in(client, "alex@example.com")
    slot = session_slots(users["coach"], 60)[0]
    client.post("/me/book", data={"type": practice.id, "start": iso(slot.start), "tz": "Europe/London"})
    sign_in(client, "coach@example.com")
    url = f"/coach/sessions/{practice.id}/edit"
    assert f'value="{ROOM}"' in unescaped(client.get(url)) and "<html" not in unescaped(client.get(url, headers=HX))
    bad = client.post(url, data={"name": "Walk and talk", "minutes": 90, "location_kind": "address",
                                 "location_detail": ""}, headers=HX)
    assert bad.status_code == 422 and "Enter the address" in unescaped(bad) and 'value="Walk and talk"' in unescaped(bad)
    ok = client.post(url, data={"name": "Walk and talk", "minutes": 90, "location_kind": "address",
                                "location_detail": "Victoria Park gate"})
    assert ok.status_code == 303
    assert "Walk and talk</strong>, 90 min · In person: Victoria Park gate" in unescaped(client.get("/coach/sessions"))
    [booked] = bookings()
    assert booked.location == f"Video call: {ROOM}" and booked.ends_at - booked.starts_at == timedelta(minutes=60)
    sign_in(client, "other@example.com")
    assert client.get(url).status_code == 404


def test_me_book_as_page_and_as_htmx_fragments(client, users, practice):
    sign_in(client, "alex@example.com")
    page = unescaped(client.get(f"/me/book/{practice.id}"))
    assert "<html" in page and 'id="booking-step"' in page and page.count("<h1") == 1
    fragment = client.get(f"/me/book/{practice.id}", headers=HX)
    assert fragment.status_code == 200 and "<html" not in unescaped(fragment) and 'id="booking-step"' in unescaped(fragment)
    day = session_slots(users["coach"], 60)[0].start.date().isoformat()
    day_only = unescaped(client.get(f"/me/book/{practice.id}?date={day}&tz=UTC", headers={**HX, "HX-Target": "day-slots"}))
    assert 'id="day-slots"' in day_only and 'id="booking-step"' not in day_only and "a class=\"slot\"" in day_only
    bad = client.get(f"/me/book/{practice.id}?tz=Mars/Olympus")
    assert bad.status_code == 400 and "We don't know the time zone" in unescaped(bad)


def test_several_session_types_are_offered_to_choose_from(client, users, practice):
    add_type(users["coach"], name="Intensive", minutes=120, kind="address", detail="1 High Street, Bath")
    sign_in(client, "alex@example.com")
    html = unescaped(client.get("/me/book"))
    assert "What would you like to book?" in html and "Intensive" in html and "Coaching session" in html
    assert "120 min · In person: 1 High Street, Bath" in html
