"""The visitor books a call: month view, day's slots, the form, the booking itself, bad input."""
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from support.booking import CHANGE, VISITOR, book, booking_form, bookings, free_slots, iso, profile_of, questions
from support.mail import outbox
from support.pages import HX, readable, unescaped

LONDON, NEW_YORK, TOKYO = ZoneInfo("Europe/London"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")


def day_of(slot, zone=LONDON):
    return slot.start.astimezone(zone).date()


# --- choosing a day and a time -------------------------------------------------------------

def test_book_page_shows_the_month_with_free_days_as_links(client, open_coach):
    slot = free_slots(open_coach)[0]
    page = client.get(f"/book?month={day_of(slot):%Y-%m}&tz=Europe/London")
    assert page.status_code == 200
    html = unescaped(page)
    assert "<h1>Book a free call with Jo Whitfield</h1>" in html
    assert 'class="calendar-month"' in html
    # Without JavaScript the link jumps to the day's times; htmx fetches the same address.
    url = f"/book?date={day_of(slot).isoformat()}&tz=Europe/London"
    assert f'href="{url}#day-heading" hx-get="{url}"' in html
    assert "All times are shown in <strong>London</strong> time (United Kingdom Time)." in html
    assert '<option value="Europe/London" selected>' in html
    assert "js/book.js" in html  # the zone detection script, on booking pages only


def test_book_page_without_zone_uses_the_coach_zone_and_says_so(client, open_coach):
    html = readable(client.get("/book"))
    assert ("All times are shown in London time (United Kingdom Time), Jo Whitfield's time zone. "
            "Elsewhere? Choose your time zone above.") in html


def test_past_days_are_not_links(client, open_coach):
    yesterday = date.today() - timedelta(days=1)
    html = unescaped(client.get(f"/book?month={yesterday:%Y-%m}&tz=Europe/London"))
    assert f"date={yesterday.isoformat()}" not in html


def test_a_day_lists_its_slots_in_the_visitors_zone(client, open_coach):
    slot = free_slots(open_coach)[0]
    day = day_of(slot, NEW_YORK)
    page = client.get(f"/book?date={day}&tz=America/New_York")
    assert page.status_code == 200
    html = unescaped(page)
    assert "<html" in html and 'id="day-slots"' in html
    assert "Times in New York time" in html
    local = slot.start.astimezone(NEW_YORK).strftime("%H:%M")
    assert re.search(rf'<a class="slot" href="/book/slot\?start={iso(slot.start)}&tz=America/New_York#step-start"[^>]*>'
                     rf'<time[^>]*>{local}</time>', html)
    assert 'aria-current="date"' in html  # the chosen day is marked in the month


def test_day_slots_as_an_htmx_fragment(client, open_coach):
    day = day_of(free_slots(open_coach)[0])
    fragment = client.get(f"/book?date={day}&tz=Europe/London", headers={**HX, "HX-Target": "day-slots"})
    html = unescaped(fragment)
    assert fragment.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<section id="day-slots"')
    assert 'class="slot"' in html and "calendar-month" not in html
    assert "HX-Request" in fragment.headers.get("Vary", "")


def test_month_and_zone_changes_swap_the_whole_picker_under_htmx(client, open_coach):
    day = day_of(free_slots(open_coach)[0])
    fragment = client.get(f"/book?date={day}&tz=Asia/Tokyo", headers={**HX, "HX-Target": "booking-step"})
    html = unescaped(fragment)
    assert "<html" not in html and html.lstrip().startswith('<div id="booking-step"')
    assert "calendar-month" in html and 'id="day-slots"' in html
    assert '<option value="Asia/Tokyo" selected>' in html


def test_next_month_link_and_navigation(client, open_coach):
    this_month = date.today().replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    html = unescaped(client.get("/book?tz=Europe/London"))
    assert f"/book?month={next_month:%Y-%m}&tz=Europe/London" in html
    page = client.get(f"/book?month={next_month:%Y-%m}&tz=Europe/London")
    assert page.status_code == 200 and next_month.strftime("%B %Y") in unescaped(page)


@pytest.mark.parametrize("query,words", [
    ("tz=Mars/Olympus_Mons", "We don't know the time zone “Mars/Olympus_Mons”"),
    ("date=2001-01-01", "has already passed"),
    ("date=2999-01-01", "Calls can be booked up to"),
    ("date=next-tuesday", "not a date we understand"),
    ("month=1999-12", "has already passed"),
])
def test_bad_choices_get_a_clear_message_and_400(client, open_coach, query, words):
    page = client.get(f"/book?{query}")
    assert page.status_code == 400
    assert words in unescaped(page)
    assert 'class="calendar-month"' in unescaped(page)  # the visitor can carry on from here
    fragment = client.get(f"/book?{query}", headers={**HX, "HX-Target": "day-slots"})
    assert fragment.status_code == 400 and words in unescaped(fragment) and "<html" not in unescaped(fragment)


def test_no_coach_yet_means_no_booking_page(client):
    assert client.get("/book").status_code == 404


def next_transition(zone, after):
    """The first local date after `after` whose noon UTC offset differs from the day before."""
    day = after
    while day < after + timedelta(days=400):
        before = datetime.combine(day, time(12), zone).utcoffset()
        if datetime.combine(day + timedelta(days=1), time(12), zone).utcoffset() != before:
            return day + timedelta(days=1)
        day += timedelta(days=1)
    raise AssertionError("no DST change within 400 days")


def test_a_0900_london_slot_stays_0900_london_across_dst_for_every_viewer(client, users):
    from blueprints.auth.models import CoachProfile
    from scheduling.models import WeeklyHours
    from scheduling.service import bump_version
    coach = users["coach"]
    for weekday in range(7):
        WeeklyHours.create(coach=coach, weekday=weekday, start_time=time(9), end_time=time(10))
    CoachProfile.update(horizon_days=400).where(CoachProfile.user == coach).execute()
    bump_version(coach.id)
    soon = date.today() + timedelta(days=3)
    seen_in_tokyo = set()
    for change in (next_transition(LONDON, soon), next_transition(NEW_YORK, soon)):
        for day in (change - timedelta(days=2), change + timedelta(days=1)):
            london_starts = [datetime.combine(day, time(9), LONDON), datetime.combine(day, time(9, 30), LONDON)]
            for viewer in ("Europe/London", "America/New_York", "Asia/Tokyo"):
                html = unescaped(client.get(f"/book?date={day}&tz={viewer}", headers={**HX, "HX-Target": "day-slots"}))
                shown = re.findall(r"<time[^>]*>(\d\d:\d\d)</time>", html)
                expected = [start.astimezone(ZoneInfo(viewer)).strftime("%H:%M") for start in london_starts]
                assert shown == expected, (day, viewer)
                if viewer == "Europe/London":
                    assert shown == ["09:00", "09:30"]
                if viewer == "Asia/Tokyo":
                    seen_in_tokyo.add(shown[0])
    assert seen_in_tokyo == {"17:00", "18:00"}  # Tokyo has no DST: only London's change moves it


# --- the form ------------------------------------------------------------------------------

def test_choosing_a_slot_opens_the_form_with_the_coachs_questions(client, open_coach):
    from blueprints.intake.models import IntakeQuestion
    IntakeQuestion.create(coach=open_coach, label="Which sector do you work in?", required=False,
                          multiline=False, position=5)
    slot = free_slots(open_coach)[0]
    page = client.get(f"/book/slot?start={iso(slot.start)}&tz=America/New_York")
    assert page.status_code == 200
    html = unescaped(page)
    assert "<html" in html
    for label in ("Your name", "Email", "Phone (optional)", "What would you like to change in your working life?",
                  "How did you hear about me?", "Which sector do you work in?", "privacy notice"):
        assert label in html
    assert slot.start.astimezone(NEW_YORK).strftime("%A %-d %B %Y, %H:%M") in html
    assert "New York time" in html
    assert f"{slot.start.astimezone(LONDON):%H:%M} for Jo Whitfield in London" in html
    assert "Video call. Jo Whitfield will email you the link to join before the call." in readable(html)
    assert f'name="start" type="hidden" value="{iso(slot.start)}"' in html
    assert re.search(r'<div class="hp" aria-hidden="true">\s*<label for="website">', html)
    assert 'tabindex="-1"' in html


def test_the_form_as_an_htmx_fragment(client, open_coach):
    slot = free_slots(open_coach)[0]
    fragment = client.get(f"/book/slot?start={iso(slot.start)}&tz=Europe/London", headers=HX)
    html = unescaped(fragment)
    assert fragment.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="booking-step"')
    assert 'hx-post="/book"' in html and 'action="/book"' in html


def test_an_inactive_question_is_not_asked(client, open_coach):
    from blueprints.intake.models import IntakeQuestion
    IntakeQuestion.create(coach=open_coach, label="Retired question", active=False, position=9)
    slot = free_slots(open_coach)[0]
    assert "Retired question" not in unescaped(client.get(f"/book/slot?start={iso(slot.start)}&tz=Europe/London"))


@pytest.mark.parametrize("start", ["yesterday", "2026-03-29T09:00:00", "%00", ""])
def test_tampered_slot_in_the_link_is_a_400(client, open_coach, start):
    page = client.get(f"/book/slot?start={start}&tz=Europe/London")
    assert page.status_code == 400
    assert "choose a time from the list" in unescaped(page)


def test_unknown_zone_in_the_slot_link_is_a_400_naming_it(client, open_coach):
    slot = free_slots(open_coach)[0]
    page = client.get(f"/book/slot?start={iso(slot.start)}&tz=Nowhere/Town")
    assert page.status_code == 400 and "Nowhere/Town" in unescaped(page)


def test_a_slot_that_is_not_offered_shows_fresh_times_with_409(client, open_coach):
    slot = free_slots(open_coach)[0]
    off_grid = slot.start + timedelta(minutes=7)
    page = client.get(f"/book/slot?start={iso(off_grid)}&tz=Europe/London")
    assert page.status_code == 409
    html = unescaped(page)
    assert "is not available" in html
    assert f'value="{iso(slot.start)}"' in html  # a fresh time to pick instead


# --- booking -------------------------------------------------------------------------------

def test_booking_stores_the_call_and_shows_the_confirmation(client, open_coach):
    slot = free_slots(open_coach)[0]
    response = book(client, open_coach, slot.start, tz="America/New_York")
    assert response.status_code == 303
    assert re.fullmatch(r"/booking/[A-Za-z0-9_-]{32}\?new=1", response.headers["Location"])
    [booking] = bookings()
    assert (booking.name, booking.email, booking.phone) == (VISITOR["name"], VISITOR["email"], VISITOR["phone"])
    assert booking.starts_at == slot.start and booking.ends_at == slot.end
    assert booking.timezone == "America/New_York" and booking.status == "confirmed"
    assert booking.sequence == 0 and booking.consent_at is not None
    assert booking.location == profile_of(open_coach).location_text()
    assert re.fullmatch(r"booking-[A-Za-z0-9_-]+@localhost", booking.uid)
    assert booking.manage_token not in booking.uid  # the UID travels in files; it must not open the booking
    answers = {a.question_label: a.answer for a in booking.answers}
    assert answers["What would you like to change in your working life?"] == CHANGE
    assert answers["How did you hear about me?"] == "A friend"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Your call is booked" in unescaped(page)


def test_booking_under_htmx_redirects_the_whole_page(client, open_coach):
    slot = free_slots(open_coach)[0]
    response = client.post("/book", data=booking_form(open_coach, slot.start), headers=HX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/booking/")


def test_booking_freshens_the_slot_list_at_once(client, open_coach):
    slot = free_slots(open_coach)[0]
    url = f"/book?date={day_of(slot)}&tz=Europe/London"
    assert iso(slot.start) in unescaped(client.get(url))
    book(client, open_coach, slot.start)
    assert iso(slot.start) not in unescaped(client.get(url))


def test_honeypot_pretends_success_and_stores_nothing(client, open_coach):
    slot = free_slots(open_coach)[0]
    response = book(client, open_coach, slot.start, website="http://spam.example")
    assert response.status_code == 303 and response.headers["Location"] == "/book/received"
    assert bookings() == [] and outbox() == []
    assert "Thank you" in unescaped(client.get("/book/received"))


@pytest.mark.parametrize("field,value,message", [
    ("email", "not-an-email", "Enter an email address like name@example.com."),
    ("email", "", "Please enter your email address"),
    ("name", "", "Please tell us your name."),
    ("name", "N" * 121, "Please keep this under 120 characters."),
    ("phone", "0" * 41, "Please keep this under 40 characters."),
    ("consent", None, "Please agree"),
    ("change", "", "Please answer this question."),
    ("change", "x" * 5001, "Please keep this under 5,000 characters."),
])
def test_invalid_input_is_a_422_with_the_message_by_the_field(client, open_coach, field, value, message):
    slot = free_slots(open_coach)[0]
    if field == "change":
        field = f"q{questions(open_coach)[0].id}"
    response = book(client, open_coach, slot.start, **{field: value})
    assert response.status_code == 422
    html = unescaped(response)
    assert re.search(rf'<p class="error" id="{field}-error">{re.escape(message)}', html), html[-3000:]
    assert "Please check the highlighted field" in html
    # What was typed is kept: the name (the refused one, when that is the field) and the refused value.
    typed_name = value if field == "name" else VISITOR["name"]
    if typed_name:
        assert re.search(rf'<input[^>]*name="name"[^>]*value="{typed_name}"', html)
    if value and field != "consent":
        assert re.search(rf'(value="|<textarea[^>]*>\s*){value}("|</textarea>)', html)
    assert bookings() == [] and outbox() == []


def test_invalid_input_under_htmx_is_a_422_fragment(client, open_coach):
    slot = free_slots(open_coach)[0]
    response = client.post("/book", data=booking_form(open_coach, slot.start, email="nope"), headers=HX)
    assert response.status_code == 422
    html = unescaped(response)
    assert "<html" not in html and 'id="booking-step"' in html and "nope" in html and CHANGE in html


@pytest.mark.parametrize("start", ["garbage", "2030-01-01T09:00:00", "2030-01-01"])
def test_tampered_start_in_the_form_is_a_400_and_stores_nothing(client, open_coach, start):
    slot = free_slots(open_coach)[0]
    data = booking_form(open_coach, slot.start)
    data["start"] = start
    response = client.post("/book", data=data)
    assert response.status_code == 400
    assert "choose a time from the list" in unescaped(response)
    assert bookings() == []


def test_unknown_zone_in_the_form_is_a_400(client, open_coach):
    slot = free_slots(open_coach)[0]
    response = book(client, open_coach, slot.start, tz="Atlantis/Capital")
    assert response.status_code == 400 and "Atlantis/Capital" in unescaped(response)
    assert bookings() == []


@pytest.mark.parametrize("how,words", [
    ("past", "has already passed"),
    ("too_soon", "is too soon"),
    ("far_future", "is too far ahead"),
    ("off_grid", "is not available"),
])
def test_slots_outside_availability_are_refused_with_409_and_input_kept(client, open_coach, how, words):
    from database import utcnow
    now = utcnow().replace(second=0, microsecond=0, minute=0)
    start = {"past": now - timedelta(days=1), "too_soon": now + timedelta(hours=2),
             "far_future": now + timedelta(days=400),
             "off_grid": free_slots(open_coach)[0].start + timedelta(minutes=10)}[how]
    response = book(client, open_coach, start)
    assert response.status_code == 409
    html = unescaped(response)
    assert words in html and CHANGE in html and VISITOR["email"] in html
    assert bookings() == [] and outbox() == []


def test_closed_hours_are_refused(client, users):
    from scheduling.models import WeeklyHours
    coach = users["coach"]
    for weekday in range(7):
        WeeklyHours.create(coach=coach, weekday=weekday, start_time=time(9), end_time=time(10))
    day = date.today() + timedelta(days=3)
    response = book(client, coach, datetime.combine(day, time(14), LONDON))
    assert response.status_code == 409 and "is not available" in unescaped(response)
    assert bookings() == []


def test_losing_the_race_keeps_everything_typed_and_offers_fresh_times(client, open_coach):
    first, second = free_slots(open_coach)[:2]
    assert book(client, open_coach, first.start, email="winner@example.org").status_code == 303
    loser = book(client, open_coach, first.start, email="second@example.org")
    assert loser.status_code == 409
    html = unescaped(loser)
    when = first.start.astimezone(LONDON).strftime("%A %-d %B, %H:%M")
    assert f"Sorry — {when} was just taken by someone else." in html
    assert "Everything you wrote is still here." in html
    assert "second@example.org" in html and CHANGE in html and VISITOR["phone"] in html
    assert f'value="{iso(second.start)}"' in html and f'value="{iso(first.start)}"' not in html
    assert len(bookings()) == 1
    # Picking one of the fresh times and sending the same form again books it.
    retry = book(client, open_coach, second.start, email="second@example.org")
    assert retry.status_code == 303
    assert [b.email for b in bookings()] == ["winner@example.org", "second@example.org"]


def test_losing_the_race_under_htmx_is_a_409_fragment(client, open_coach):
    slot = free_slots(open_coach)[0]
    book(client, open_coach, slot.start)
    response = client.post("/book", data=booking_form(open_coach, slot.start, email="late@example.org"), headers=HX)
    assert response.status_code == 409
    html = unescaped(response)
    assert "<html" not in html and "was just taken" in html and "late@example.org" in html


def test_too_many_bookings_from_one_address_get_429_with_the_text_handed_back(make_app, open_coach):
    client = make_app(BOOKING_RATE_LIMIT="2 per minute").test_client()
    slots = free_slots(open_coach)
    for slot in slots[:2]:
        assert book(client, open_coach, slot.start, email=f"{slot.start:%H%M}@example.org").status_code == 303
    blocked = book(client, open_coach, slots[2].start)
    assert blocked.status_code == 429
    html = unescaped(blocked)
    assert "Please slow down" in html and CHANGE in html
    assert len(bookings()) == 2
    # Looking at the calendar is never limited.
    assert client.get("/book").status_code == 200


# --- emails --------------------------------------------------------------------------------

def test_visitor_and_coach_are_emailed_with_calendar_invitations(mail_app, smtp_server, open_coach):
    from support.mail import deliver_mail
    client = mail_app.test_client()
    slot = free_slots(open_coach)[0]
    book(client, open_coach, slot.start, tz="America/New_York")
    [booking] = bookings()
    assert deliver_mail(mail_app) == 2
    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    visitor, coach = messages[VISITOR["email"]], messages["coach@example.com"]

    assert "Your call with Jo Whitfield" in visitor["Subject"]
    body = visitor.get_body(("plain",)).get_content()
    assert slot.start.astimezone(NEW_YORK).strftime("%A %-d %B %Y, %H:%M") in body
    assert "America/New York time" in body
    assert f"http://localhost/booking/{booking.manage_token}" in body
    ics = attachment(visitor)
    assert "METHOD:REQUEST" in ics and f"UID:{booking.uid}" in ics and "SEQUENCE:0" in ics

    assert "New discovery call: Robin Visitor" in coach["Subject"]
    coach_body = coach.get_body(("plain",)).get_content()
    assert CHANGE in coach_body and "A friend" in coach_body and VISITOR["phone"] in coach_body
    assert slot.start.astimezone(LONDON).strftime("%A %-d %B %Y, %H:%M") in coach_body
    assert "METHOD:REQUEST" in attachment(coach)


def attachment(message):
    for part in message.iter_attachments():
        if part.get_filename() == "invite.ics":
            return part.get_content().decode() if isinstance(part.get_content(), bytes) else part.get_content()
    raise AssertionError("no .ics attached")


def test_utc_is_a_zone_too_and_is_selected_in_the_list(client, open_coach):
    html = unescaped(client.get("/book?tz=UTC"))
    assert '<option value="UTC" selected>' in html and "<strong>UTC</strong>" in html
