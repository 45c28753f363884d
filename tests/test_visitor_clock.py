"""A visitor reads times on their own clock (12-hour for en-US, 24-hour for en-GB), can switch and
is remembered; without JavaScript their zone is guessed from their language where that is safe,
or the page says plainly that times are in the coach's zone."""
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from support.booking import VISITOR, booking_form, free_slots, iso, token_from
from support.mail import deliver_mail, outbox
from support.pages import HX, readable, unescaped

NEW_YORK, LONDON = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")
US, GB = {"Accept-Language": "en-US,en;q=0.9"}, {"Accept-Language": "en-GB,en;q=0.8"}


def twelve(moment, zone):
    """9:00 AM: how an en-US reader sees a time."""
    local = moment.astimezone(zone)
    return f"{local.hour % 12 or 12}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"


def slot_times(html):
    return re.findall(r'<a class="slot"[^>]*><time[^>]*>([^<]+)</time>', html)


@pytest.fixture
def slot(open_coach):
    return free_slots(open_coach)[0]


def day_url(slot, zone="America/New_York"):
    return f"/book?date={slot.start.astimezone(ZoneInfo(zone)).date()}&tz={zone}"


# --- the clock on pages -------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, HX | {"HX-Target": "day-slots"}])
def test_a_us_visitor_reads_12_hour_times_a_british_one_24_hour(client, slot, headers):
    us = unescaped(client.get(day_url(slot), headers={**US, **headers}))
    gb = unescaped(client.get(day_url(slot), headers={**GB, **headers}))
    assert twelve(slot.start, NEW_YORK) in slot_times(us)
    assert slot.start.astimezone(NEW_YORK).strftime("%H:%M") in slot_times(gb)
    assert not [t for t in slot_times(gb) if "M" in t] and all(t.endswith(("AM", "PM")) for t in slot_times(us))


def test_without_a_language_the_clock_is_24_hour(client, slot):
    assert slot.start.astimezone(NEW_YORK).strftime("%H:%M") in slot_times(unescaped(client.get(day_url(slot))))


def test_the_shared_page_cache_keeps_clocks_apart(client, slot):
    """/book is cached whole for strangers: a British visitor must not get the American page."""
    first = client.get(day_url(slot), headers=US)
    second = client.get(day_url(slot), headers=GB)
    assert slot_times(unescaped(first)) != slot_times(unescaped(second))
    assert "Accept-Language" in first.headers["Vary"] and "Cookie" in first.headers["Vary"]
    again = client.get(day_url(slot), headers=US)  # from the cache now
    assert slot_times(unescaped(again)) == slot_times(unescaped(first)) and "Accept-Language" in again.headers["Vary"]
    client.set_cookie("clock", "24")  # a chosen clock, through Flask: not the cookie-less page
    chosen = client.get(day_url(slot), headers=US)
    assert slot_times(unescaped(chosen)) == slot_times(unescaped(second))


def test_the_form_summary_follows_the_clock(client, slot):
    url = f"/book/slot?start={iso(slot.start)}&tz=America/New_York"
    for headers in ({}, HX):
        text = readable(client.get(url, headers={**US, **headers}))
        assert f"{slot.start.astimezone(NEW_YORK):%A %-d %B %Y}, {twelve(slot.start, NEW_YORK)}–" in text
        assert f"{twelve(slot.start, LONDON)} for Jo Whitfield in London" in text


def test_the_zone_list_shows_the_time_there_on_the_visitors_clock(client, slot):
    us = unescaped(client.get(day_url(slot), headers=US))
    assert re.search(r'<option value="Asia/Tokyo">Tokyo — Japan Time, UTC\+9, now \d{1,2}:\d\d [AP]M', us)
    gb = unescaped(client.get(day_url(slot), headers=GB))
    assert re.search(r'<option value="Asia/Tokyo">Tokyo — Japan Time, UTC\+9, now \d\d:\d\d<', gb)


# --- switching, and being remembered --------------------------------------------------------------

def test_the_switch_is_remembered_over_the_language(client, slot):
    page = unescaped(client.get(day_url(slot), headers=US))
    switch = re.search(r'<a class="clock-switch" href="([^"]+)"[^>]*>Use the 24-hour clock', page).group(1)
    response = client.get(switch, headers=US)
    assert response.status_code == 303 and response.headers["Location"] == day_url(slot)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("clock=24;") and "Max-Age=31536000" in cookie and "HttpOnly" in cookie
    after = unescaped(client.get(day_url(slot), headers=US))
    assert slot.start.astimezone(NEW_YORK).strftime("%H:%M") in slot_times(after)
    assert "Use the 12-hour clock" in after
    client.get("/clock?to=12&next=/book", headers=GB)
    assert twelve(slot.start, NEW_YORK) in slot_times(unescaped(client.get(day_url(slot), headers=GB)))


@pytest.mark.parametrize("query, location", [
    ("to=12&next=//evil.example/", "/"), ("to=12&next=https://evil.example/", "/"), ("to=12", "/"),
])
def test_the_switch_only_returns_to_this_site(client, users, query, location):
    response = client.get(f"/clock?{query}")
    assert response.status_code == 303 and response.headers["Location"] == location


def test_a_bogus_choice_sets_nothing(client, users):
    assert "Set-Cookie" not in client.get("/clock?to=13&next=/book").headers


# --- the clock in emails --------------------------------------------------------------------------

def test_emails_use_the_visitors_clock_and_the_coach_keeps_theirs(mail_app, smtp_server, open_coach):
    client = mail_app.test_client()
    slot = free_slots(open_coach)[0]
    response = client.post("/book", data=booking_form(open_coach, slot.start, tz="America/New_York"), headers=US)
    assert response.status_code == 303
    from scheduling.models import Booking
    assert Booking.get().hour12 is True
    deliver_mail(mail_app)
    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    visitor = messages[VISITOR["email"]]
    assert twelve(slot.start, NEW_YORK) in visitor["Subject"]
    assert twelve(slot.start, NEW_YORK) in visitor.get_body(("plain",)).get_content()
    coach = messages["coach@example.com"]
    assert slot.start.astimezone(LONDON).strftime("%H:%M") in coach["Subject"]
    assert " AM" not in coach.get_body(("plain",)).get_content().split("When:")[1].splitlines()[0]


def test_the_reminder_sent_by_the_worker_keeps_the_visitors_clock(app, mail_app, open_coach):
    from blueprints.booking.service import send_due_reminders
    from database import utcnow
    from scheduling.models import Booking
    client = mail_app.test_client()
    slot = free_slots(open_coach, days_ahead=2)[0]
    token = token_from(client.post("/book", data=booking_form(open_coach, slot.start, tz="America/New_York"),
                                   headers=US))
    booking = Booking.by_token(token)
    Booking.update(created_at=utcnow() - timedelta(days=3),
                   updated_at=utcnow() - timedelta(days=3)).execute()
    assert send_due_reminders(mail_app, now=booking.starts_at - timedelta(hours=23)) == 1
    reminder = [m for m in outbox() if m.subject.startswith("Reminder")][0]
    assert twelve(slot.start, NEW_YORK) in reminder.subject and twelve(slot.start, NEW_YORK) in reminder.text_body


# --- which zone, without JavaScript ---------------------------------------------------------------

def test_a_language_naming_a_one_zone_country_guesses_that_zone(client, open_coach):
    for headers in ({}, HX | {"HX-Target": "booking-step"}):
        html = unescaped(client.get("/book", headers={"Accept-Language": "de-DE,de;q=0.9", **headers}))
        assert '<option value="Europe/Berlin" selected>' in html
        assert ("All times are shown in Berlin time (Central European Time), our guess from your browser's "
                "language. Not where you are? Choose your time zone above.") in readable(html)


def test_otherwise_the_page_says_the_times_are_the_coachs(client, open_coach):
    html = unescaped(client.get("/book", headers=US))  # the US spans several zones: no guess
    assert '<option value="Europe/London" selected>' in html
    assert ("All times are shown in London time (United Kingdom Time), Jo Whitfield's time zone. "
            "Elsewhere? Choose your time zone above.") in readable(html)


def test_a_chosen_zone_wins_over_the_guess(client, open_coach):
    html = unescaped(client.get("/book?tz=Asia/Tokyo", headers={"Accept-Language": "de-DE"}))
    assert '<option value="Asia/Tokyo" selected>' in html
    assert "All times are shown in Tokyo time (Japan Time)." in readable(html)


def test_an_old_zone_name_in_the_address_still_works(client, open_coach):
    html = unescaped(client.get("/book?tz=Asia/Calcutta"))
    assert '<option value="Asia/Kolkata" selected>' in html and "Kolkata time" in readable(html)
