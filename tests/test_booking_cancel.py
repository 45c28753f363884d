"""Cancelling is a deliberate step of its own, away from any message box, and can be undone for a
few minutes; the pages confirm each change themselves, so no toast repeats them. And the visitor
is told where and how the call happens."""
import re
from datetime import timedelta

import pytest

from blueprints.auth.models import how_we_meet
from support.booking import book, free_slots, token_from
from support.mail import deliver_mail, outbox, release_held_mail
from support.pages import HX, readable, unescaped


@pytest.fixture
def token(client, open_coach):
    return token_from(book(client, open_coach, free_slots(open_coach)[0].start, tz="America/New_York"))


def booking(token):
    from scheduling.models import Booking
    return Booking.by_token(token)


def forms_posting_to(html, path):
    return re.findall(rf'<form[^>]*action="{re.escape(path)}"', html)


# --- no one-click cancel -------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["?new=1", ""])
@pytest.mark.parametrize("headers", [{}, HX])
def test_the_booking_pages_have_no_cancel_button_and_no_message_box(client, token, query, headers):
    html = unescaped(client.get(f"/booking/{token}{query}", headers=headers))
    assert not forms_posting_to(html, f"/booking/{token}/cancel")
    assert "<textarea" not in html and "Anything you'd like to tell the coach?" not in html
    assert f'<a class="button danger" href="/booking/{token}/cancel">Cancel this call…</a>' in html


def test_the_cancel_step_asks_first_with_the_message_box(client, token):
    page = client.get(f"/booking/{token}/cancel")
    html = unescaped(page)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    assert "<h1>Cancel your call?</h1>" in html and '<meta name="robots" content="noindex">' in html
    assert len(forms_posting_to(html, f"/booking/{token}/cancel")) == 1
    assert "Anything you'd like to tell the coach? (optional)" in html
    assert ">Yes, cancel the call</button>" in html
    assert f'<a class="button" href="/booking/{token}">No, keep it</a>' in html
    assert "You can undo this for a few minutes afterwards." in html
    fragment = unescaped(client.get(f"/booking/{token}/cancel", headers=HX))
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="booking-panel"')
    assert booking(token).status == "confirmed"  # looking at the step changes nothing


def test_the_cancel_step_of_a_closed_call_says_why(client, token):
    client.post(f"/booking/{token}/cancel", data={})
    response = client.get(f"/booking/{token}/cancel")
    assert response.status_code == 409 and "can't be changed any more" in unescaped(response)


@pytest.mark.parametrize("method, path", [("get", "/booking/nope/cancel"), ("post", "/booking/nope/undo")])
def test_unknown_links_are_404(client, token, method, path):
    assert getattr(client, method)(path).status_code == 404
    assert booking(token).status == "confirmed"


def test_an_overlong_message_comes_back_on_the_cancel_step(client, token):
    response = client.post(f"/booking/{token}/cancel", data={"reason": "r" * 2001})
    assert response.status_code == 422 and "<h1>Cancel your call?</h1>" in unescaped(response)
    assert "r" * 2001 in unescaped(response) and booking(token).status == "confirmed"


# --- undo for a moment after ---------------------------------------------------------------------

def test_a_cancellation_can_be_undone_and_nobody_is_told_of_it(mail_app, open_coach):
    client = mail_app.test_client()
    token = token_from(book(client, open_coach, free_slots(open_coach)[0].start))
    deliver_mail(mail_app)
    client.post(f"/booking/{token}/cancel", data={"reason": "Oops"})
    page = readable(client.get(f"/booking/{token}?done=cancelled"))
    assert "This call was cancelled" in page and "Cancelled by mistake? You can take it back until" in page
    held = [m for m in outbox() if m.status == "pending"]
    assert len(held) == 2 and all(m.ics_method == "CANCEL" for m in held)

    response = client.post(f"/booking/{token}/undo", data={})
    assert response.status_code == 303 and response.headers["Location"] == f"/booking/{token}?done=restored"
    restored = booking(token)
    assert restored.status == "confirmed" and restored.cancel_reason == "" and restored.sequence == 2
    assert "Your call is back on." in readable(client.get(response.headers["Location"]))
    release_held_mail()
    assert deliver_mail(mail_app) == 0  # the cancellation emails were withdrawn
    assert not [m for m in outbox() if m.ics_method == "CANCEL"]


def test_undo_under_htmx_redirects_the_page(client, token):
    client.post(f"/booking/{token}/cancel", data={})
    response = client.post(f"/booking/{token}/undo", data={}, headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/booking/{token}?done=restored"


def test_after_the_moment_it_is_too_late(client, token):
    from scheduling.models import Booking
    client.post(f"/booking/{token}/cancel", data={})
    Booking.update(cancelled_at=booking(token).cancelled_at - timedelta(minutes=6)).execute()
    page = readable(client.get(f"/booking/{token}"))
    assert "Undo" not in page and "Book another time" in page
    response = client.post(f"/booking/{token}/undo", data={})
    assert response.status_code == 409 and "too late to undo" in readable(response)
    assert booking(token).status == "cancelled"


def test_undo_fails_kindly_when_someone_took_the_time_meanwhile(client, open_coach):
    slot = free_slots(open_coach)[0]
    token = token_from(book(client, open_coach, slot.start))
    client.post(f"/booking/{token}/cancel", data={})
    assert book(client, open_coach, slot.start, email="quick@example.org").status_code == 303
    response = client.post(f"/booking/{token}/undo", data={})
    assert response.status_code == 409 and "someone else has booked that time" in readable(response)
    assert booking(token).status == "cancelled"


def test_a_coachs_cancellation_is_not_the_visitors_to_undo(app, client, token):
    from blueprints.booking.service import cancel_booking
    with app.test_request_context("/"):  # its emails build links
        cancel_booking(booking(token), by="coach", reason="Ill")
    assert client.post(f"/booking/{token}/undo", data={}).status_code == 409
    assert booking(token).status == "cancelled"


# --- toasts don't repeat the page -----------------------------------------------------------------

def test_booking_and_cancelling_leave_no_toast_repeating_the_page(client, open_coach):
    response = book(client, open_coach, free_slots(open_coach)[0].start)
    token = token_from(response)
    page = unescaped(client.get(response.headers["Location"]))
    assert "<h1>Your call is booked</h1>" in page and 'class="toast ' not in page
    client.post(f"/booking/{token}/cancel", data={})
    page = unescaped(client.get(f"/booking/{token}?done=cancelled"))
    assert "This call was cancelled" in page and 'class="toast ' not in page


# --- where and how the call happens -------------------------------------------------------------

@pytest.mark.parametrize("kind, location, phone, label, sentence", [
    ("video", "Video call", "", "Video call", "Jo will email you the link to join before the call."),
    ("video", "Video call: https://meet.example/jo", "", "Video call",
     "Join at the start time with this link: https://meet.example/jo"),
    ("phone", "Phone call", "+1 555 0100", "Phone call", "Jo will call you on +1 555 0100."),
    ("phone", "Phone call", "", "Phone call", "Jo will email you the number to call before the call."),
    ("phone", "Phone call: Call me on 020 7946 0000", "", "Phone call", "Call me on 020 7946 0000."),
    ("address", "In person: 1 High St, Leeds", "", "In person", "At 1 High St, Leeds."),
    ("", "Somewhere nice", "", "Somewhere nice", "Somewhere nice."),
])
def test_how_we_meet_says_what_to_do(kind, location, phone, label, sentence):
    where = how_we_meet(kind, location, "Jo", phone)
    assert (where.label, where.sentence) == (label, sentence)


def test_confirmation_email_and_calendar_say_when_the_link_comes(mail_app, smtp_server, open_coach):
    client = mail_app.test_client()
    token = token_from(book(client, open_coach, free_slots(open_coach)[0].start))
    promise = "Jo Whitfield will email you the link to join before the call."
    assert f"Video call. {promise}" in readable(client.get(f"/booking/{token}?new=1"))
    assert promise in client.get(f"/booking/{token}.ics").get_data(as_text=True).replace("\r\n ", "")
    deliver_mail(mail_app)
    messages = {m["To"]: m.get_body(("plain",)).get_content() for m in smtp_server.wait_for(2)}
    assert f"Where: Video call. {promise}" in messages["robin@example.org"]
    assert "No video link is set: send Robin Visitor one before the call" in messages["coach@example.com"]


def test_with_a_link_the_visitor_gets_it_everywhere(mail_app, smtp_server, open_coach):
    from blueprints.auth.models import CoachProfile
    CoachProfile.update(location_detail="https://meet.example/jo").execute()
    client = mail_app.test_client()
    token = token_from(book(client, open_coach, free_slots(open_coach)[0].start))
    page = unescaped(client.get(f"/booking/{token}"))
    assert "Join at the start time with this link: https://meet.example/jo" in readable(page)
    assert 'href="https://meet.example/jo" rel="noopener noreferrer">Join the video call</a>' in page
    deliver_mail(mail_app)
    messages = {m["To"]: m.get_body(("plain",)).get_content() for m in smtp_server.wait_for(2)}
    assert "Where: Video call. Join at the start time with this link: https://meet.example/jo" in messages["robin@example.org"]
    assert "No video link is set" not in messages["coach@example.com"]
