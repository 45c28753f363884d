"""The private manage link: see the booking, download it, cancel it, move it; wrong tokens."""
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from support.booking import book, bookings, free_slots, iso, token_from
from support.mail import deliver_mail, release_held_mail
from support.pages import HX, readable, unescaped

LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")


@pytest.fixture
def booked(client, open_coach):
    """A call booked by a visitor in New York; returns (token, slot)."""
    slot = free_slots(open_coach)[0]
    response = book(client, open_coach, slot.start, tz="America/New_York")
    assert response.status_code == 303
    return token_from(response), slot


def booking(token):
    from scheduling.models import Booking
    return Booking.by_token(token)


def ics_of(message):
    for part in message.iter_attachments():
        if part.get_filename() == "invite.ics":
            content = part.get_content()
            return content.decode() if isinstance(content, bytes) else content
    raise AssertionError("no .ics attached")


# --- seeing it -----------------------------------------------------------------------------

def test_manage_page_shows_the_call_in_both_zones_with_calendar_links(client, booked):
    token, slot = booked
    page = client.get(f"/booking/{token}?new=1")
    assert page.status_code == 200
    html = unescaped(page)
    assert "<h1>Your call is booked</h1>" in html
    assert slot.start.astimezone(NEW_YORK).strftime("%A %-d %B %Y, %H:%M") in html
    assert "America/New York time" in html
    assert slot.start.astimezone(LONDON).strftime("%A %-d %B, %H:%M") in html and "Europe/London time" in html
    assert "Video call. Jo Whitfield will email you the link to join before the call." in readable(html)
    assert f'href="/booking/{token}.ics"' in html
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in html
    assert "https://outlook.live.com/calendar/0/deeplink/compose?" in html
    assert f"http://localhost/booking/{token}</a>" in html  # the private link, in full
    assert "Move to another time" in html and f'href="/booking/{token}/cancel">Cancel this call…</a>' in html
    # The address opens the booking: never cached by a shared cache, never sent on as a referrer.
    assert page.headers["Cache-Control"] == "private, no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_manage_page_as_an_htmx_fragment(client, booked):
    token, _ = booked
    fragment = client.get(f"/booking/{token}", headers=HX)
    html = unescaped(fragment)
    assert fragment.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="booking-panel"')


@pytest.mark.parametrize("path", ["/booking/{bad}", "/booking/{bad}.ics", "/booking/{bad}/reschedule"])
def test_unknown_tokens_are_404(client, booked, path):
    token, _ = booked
    for bad in ("nope", token[:-1] + ("A" if token[-1] != "A" else "B"), token.upper(), "%20"):
        response = client.get(path.format(bad=bad))
        assert response.status_code == 404, bad


@pytest.mark.parametrize("path", ["/booking/nope/cancel", "/booking/nope/reschedule"])
def test_posts_with_unknown_tokens_are_404_and_change_nothing(client, open_coach, booked, path):
    response = client.post(path, data={"start": iso(free_slots(open_coach)[3].start)})
    assert response.status_code == 404
    assert bookings()[0].status == "confirmed"


def test_ics_download(client, booked):
    token, slot = booked
    response = client.get(f"/booking/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    body = response.get_data(as_text=True)
    assert "METHOD:PUBLISH" in body and f"UID:{booking(token).uid}" in body
    assert "TZID=America/New_York" in body  # the visitor's own zone


# --- cancelling ----------------------------------------------------------------------------

def test_visitor_cancels_and_the_time_is_free_again(mail_app, smtp_server, open_coach):
    client = mail_app.test_client()
    slot = free_slots(open_coach)[0]
    token = token_from(book(client, open_coach, slot.start))
    deliver_mail(mail_app)
    smtp_server.messages.clear()

    response = client.post(f"/booking/{token}/cancel", data={"reason": "Found a new job already!"})
    assert response.status_code == 303 and response.headers["Location"] == f"/booking/{token}?done=cancelled"
    cancelled = booking(token)
    assert cancelled.status == "cancelled" and cancelled.cancelled_by == "visitor"
    assert cancelled.sequence == 1 and cancelled.cancel_reason == "Found a new job already!"
    page = unescaped(client.get(f"/booking/{token}?done=cancelled"))
    assert "This call was cancelled" in page and "Undo: keep my call" in page
    assert "Cancel this call" not in page
    day = slot.start.astimezone(LONDON).date()
    assert iso(slot.start) in unescaped(client.get(f"/book?date={day}&tz=Europe/London"))

    # The emails wait while the visitor may still undo, then go.
    assert deliver_mail(mail_app) == 0
    release_held_mail()
    assert deliver_mail(mail_app) == 2
    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    visitor_ics = ics_of(messages["robin@example.org"])
    assert "METHOD:CANCEL" in visitor_ics and "SEQUENCE:1" in visitor_ics and "STATUS:CANCELLED" in visitor_ics
    coach_body = messages["coach@example.com"].get_body(("plain",)).get_content()
    assert "cancelled their discovery call" in coach_body and "Found a new job already!" in coach_body


def test_cancelling_under_htmx_redirects_the_page(client, booked):
    token, _ = booked
    response = client.post(f"/booking/{token}/cancel", data={}, headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/booking/{token}?done=cancelled"


def test_cancelling_twice_is_a_409_with_a_message(client, booked):
    token, _ = booked
    client.post(f"/booking/{token}/cancel", data={})
    again = client.post(f"/booking/{token}/cancel", data={})
    assert again.status_code == 409
    assert "This call was cancelled, so it can't be changed any more." in unescaped(again)
    assert booking(token).sequence == 1


def test_an_overlong_cancel_reason_is_a_422_and_kept(client, booked):
    token, _ = booked
    response = client.post(f"/booking/{token}/cancel", data={"reason": "r" * 2001})
    assert response.status_code == 422
    assert "Please keep this under 2,000 characters." in unescaped(response) and "r" * 2001 in unescaped(response)
    assert booking(token).status == "confirmed"


def test_a_past_call_cannot_be_cancelled_or_moved(client, booked):
    from scheduling.models import Booking
    token, _ = booked
    from database import utcnow
    past = utcnow() - timedelta(days=2)
    Booking.update(starts_at=past, ends_at=past + timedelta(minutes=30)).execute()
    assert "already taken place" in unescaped(client.get(f"/booking/{token}"))
    response = client.post(f"/booking/{token}/cancel", data={})
    assert response.status_code == 409 and "already taken place" in unescaped(response)
    assert client.get(f"/booking/{token}/reschedule").status_code == 409
    assert booking(token).status == "confirmed"


# --- moving --------------------------------------------------------------------------------

def test_reschedule_picker_shows_free_times_including_its_own(client, booked):
    token, slot = booked
    day = slot.start.astimezone(NEW_YORK).date()
    page = client.get(f"/booking/{token}/reschedule?date={day}")
    assert page.status_code == 200
    html = unescaped(page)
    assert "<h1>Move your call with Jo Whitfield</h1>" in html
    assert "All times are shown in <strong>New York</strong> time (Eastern Time)." in html  # the booking's zone
    assert f"/booking/{token}/reschedule?start={iso(slot.start)}&tz=America/New_York" in html
    fragment = client.get(f"/booking/{token}/reschedule?date={day}&tz=Europe/London",
                          headers={**HX, "HX-Target": "day-slots"})
    assert fragment.status_code == 200 and "<html" not in unescaped(fragment) and 'class="slot"' in unescaped(fragment)


def test_reschedule_confirm_step_then_move(mail_app, smtp_server, open_coach):
    client = mail_app.test_client()
    old, new = free_slots(open_coach)[0], free_slots(open_coach, days_ahead=3)[4]
    token = token_from(book(client, open_coach, old.start, tz="America/New_York"))
    deliver_mail(mail_app)
    smtp_server.messages.clear()

    confirm = client.get(f"/booking/{token}/reschedule?start={iso(new.start)}&tz=America/New_York")
    assert confirm.status_code == 200
    assert new.start.astimezone(NEW_YORK).strftime("%A %-d %B %Y, %H:%M") in unescaped(confirm)
    fragment = client.get(f"/booking/{token}/reschedule?start={iso(new.start)}&tz=America/New_York", headers=HX)
    assert "<html" not in unescaped(fragment) and "Move my call" in unescaped(fragment)

    response = client.post(f"/booking/{token}/reschedule", data={"start": iso(new.start), "tz": "America/New_York"})
    assert response.status_code == 303 and response.headers["Location"] == f"/booking/{token}?done=moved"
    assert "Your call is moved." in readable(client.get(response.headers["Location"]))
    moved = booking(token)
    assert moved.starts_at == new.start and moved.ends_at == new.end and moved.sequence == 1
    assert len(bookings()) == 1
    # The old time is free for someone else straight away.
    assert book(client, open_coach, old.start, email="next@example.org").status_code == 303

    deliver_mail(mail_app)
    moved_mail = {m["To"]: m for m in smtp_server.wait_for(4) if "moved" in m["Subject"].lower()}
    assert set(moved_mail) == {"robin@example.org", "coach@example.com"}
    for message in moved_mail.values():
        ics = ics_of(message)
        assert "METHOD:REQUEST" in ics and "SEQUENCE:1" in ics and f"UID:{moved.uid}" in ics
    visitor_body = moved_mail["robin@example.org"].get_body(("plain",)).get_content()
    assert new.start.astimezone(NEW_YORK).strftime("%A %-d %B %Y, %H:%M") in visitor_body
    assert old.start.astimezone(NEW_YORK).strftime("%A %-d %B %Y, %H:%M") in visitor_body


def test_rescheduling_to_a_taken_time_is_a_409_with_fresh_times(client, open_coach):
    mine, theirs = free_slots(open_coach)[:2]
    token = token_from(book(client, open_coach, mine.start))
    book(client, open_coach, theirs.start, email="other@example.org")
    response = client.post(f"/booking/{token}/reschedule", data={"start": iso(theirs.start), "tz": "Europe/London"})
    assert response.status_code == 409
    html = unescaped(response)
    assert "was just taken by someone else" in html and 'type="radio"' in html
    assert f'value="{iso(mine.start)}"' in html  # its own time stays on offer
    assert booking(token).starts_at == mine.start and booking(token).sequence == 0
    under_htmx = client.post(f"/booking/{token}/reschedule", data={"start": iso(theirs.start)}, headers=HX)
    assert under_htmx.status_code == 409 and "<html" not in unescaped(under_htmx)


def test_rescheduling_with_a_tampered_time_is_a_400(client, booked):
    token, slot = booked
    response = client.post(f"/booking/{token}/reschedule", data={"start": "soon", "tz": "Europe/London"})
    assert response.status_code == 400
    assert booking(token).starts_at == slot.start


def test_a_cancelled_booking_cannot_be_moved(client, booked):
    token, slot = booked
    client.post(f"/booking/{token}/cancel", data={})
    other = free_slots(bookings()[0].coach, days_ahead=4)[0]
    response = client.post(f"/booking/{token}/reschedule", data={"start": iso(other.start), "tz": "Europe/London"})
    assert response.status_code == 409 and "was cancelled" in unescaped(response)
    assert client.get(f"/booking/{token}/reschedule").status_code == 409
    assert booking(token).starts_at == slot.start and booking(token).status == "cancelled"


def test_manage_link_is_unguessable(client, booked):
    token, _ = booked
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
