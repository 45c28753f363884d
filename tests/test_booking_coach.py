"""The coach's bookings: tabs of rows that link to each booking's page (intake answers, cancel
with a message as a separate step, outcomes), the "new" marker, access control."""
import re
from datetime import timedelta

import pytest

from database import utcnow
from support.accounts import sign_in
from support.booking import make_booking
from support.mail import deliver_mail, outbox
from support.pages import HX, unescaped


@pytest.fixture
def calls(users):
    """Upcoming, past and cancelled calls of the coach, and one of the other coach."""
    now = utcnow().replace(second=0, microsecond=0)
    coach, other = users["coach"], users["other_coach"]
    return {
        "upcoming": make_booking(coach, now + timedelta(days=2), name="Una Upcoming", email="una@example.org"),
        "past": make_booking(coach, now - timedelta(days=2), name="Pia Past", email="pia@example.org",
                             answer="I want to lead a team."),
        "cancelled": make_booking(coach, now + timedelta(days=3), status="cancelled", name="Cal Cancelled",
                                  email="cal@example.org", cancelled_by="visitor"),
        "others": make_booking(other, now + timedelta(days=2), name="Otto Others", email="otto@example.org"),
    }


# --- access --------------------------------------------------------------------------------

def urls(calls):
    """(method, address, what the coach gets): the pages, and each action's redirect to its tab."""
    upcoming, past = calls["upcoming"].id, calls["past"].id
    return [("GET", "/coach/bookings", 200), ("GET", "/coach/bookings?show=past", 200),
            ("GET", f"/coach/bookings/{upcoming}", 200),
            ("POST", f"/coach/bookings/{upcoming}/cancel", "/coach/bookings?show=upcoming"),
            ("POST", f"/coach/bookings/{past}/outcome", "/coach/bookings?show=past")]


@pytest.mark.parametrize("who,expected", [("anonymous", 302), ("client_a", 403), ("coach", None)])
def test_access_matrix(client, calls, who, expected):
    sign_in(client, who)
    for method, url, coach_gets in urls(calls):
        response = client.open(url, method=method, data={"outcome": "completed"})
        if expected == 302:
            assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url
        elif expected == 403:
            assert response.status_code == 403, url
        elif coach_gets == 200:
            assert response.status_code == 200 and "<h1>" in response.get_data(as_text=True), url
        else:
            assert response.status_code == 303 and response.headers["Location"] == coach_gets, url


def test_other_coach_gets_404_on_these_bookings_and_changes_nothing(client, calls):
    sign_in(client, "other_coach")
    for method, url, _ in urls(calls)[2:]:
        assert client.open(url, method=method, data={"outcome": "completed", "message": "x"}).status_code == 404
    from scheduling.models import Booking
    assert Booking.get_by_id(calls["upcoming"].id).status == "confirmed"
    assert Booking.get_by_id(calls["past"].id).status == "confirmed"
    html = unescaped(client.get("/coach/bookings"))
    assert "Otto Others" in html and "Una Upcoming" not in html


# --- the lists -----------------------------------------------------------------------------

def test_upcoming_tab_rows_link_to_each_booking(client, calls):
    sign_in(client, "coach")
    page = client.get("/coach/bookings")
    assert page.status_code == 200
    html = unescaped(page)
    assert "<h1>Bookings</h1>" in html
    assert "Una Upcoming" in html
    assert "Pia Past" not in html and "Cal Cancelled" not in html and "Otto Others" not in html
    upcoming = calls["upcoming"].id
    row = re.search(rf'<a class="call-link" href="/coach/bookings/{upcoming}">(.*?)</a>', html, re.S).group(1)
    # The time and the name are separate parts of the link, not one run of text.
    assert re.search(r'<time class="when"[^>]*>.*</time>\s*<span class="what">\s*<span class="who">Una Upcoming</span>',
                     row, re.S)
    assert "Cancel this call" not in html and "<textarea" not in html  # no cancel box in the list


def test_a_booking_page_shows_answers_and_actions(client, calls):
    sign_in(client, "coach")
    upcoming = calls["upcoming"].id
    page = client.get(f"/coach/bookings/{upcoming}")
    html = unescaped(page)
    assert page.status_code == 200 and "<html" in html and html.count("<h1") == 1
    assert "Una Upcoming" in html and "More meaning, fewer meetings." in html and "una@example.org" in html
    assert f'href="/coach/bookings/{upcoming}/make-client"' in html
    assert f'href="/coach/bookings/{upcoming}/move"' in html
    assert 'href="/coach/bookings?show=upcoming"' in html  # back to its tab
    assert "Mark completed" not in html  # only for calls that have started
    # Cancelling is its own step: the message box is folded inside a closed disclosure.
    cancel = re.search(r'<details class="cancel-step"([^>]*)>\s*<summary>Cancel this call…</summary>(.*?)</details>',
                       html, re.S)
    assert cancel and "open" not in cancel.group(1)
    assert f'action="/coach/bookings/{upcoming}/cancel"' in cancel.group(2) and "<textarea" in cancel.group(2)
    assert html.count("<textarea") == 1


def test_a_booking_page_as_an_htmx_fragment(client, calls):
    sign_in(client, "coach")
    fragment = unescaped(client.get(f"/coach/bookings/{calls['past'].id}", headers=HX))
    assert "<html" not in fragment and fragment.lstrip().startswith('<div id="booking-detail"')
    assert "Pia Past" in fragment and "I want to lead a team." in fragment


def test_past_tab_and_a_past_booking_offer_outcomes(client, calls):
    sign_in(client, "coach")
    html = unescaped(client.get("/coach/bookings?show=past"))
    assert "Pia Past" in html and "needs outcome" in html and "Una Upcoming" not in html
    page = unescaped(client.get(f"/coach/bookings/{calls['past'].id}"))
    assert "I want to lead a team." in page and "Mark completed" in page and "Mark no-show" in page
    assert "Cancel this call" not in page and 'href="/coach/bookings?show=past"' in page


def test_cancelled_tab(client, calls):
    sign_in(client, "coach")
    html = unescaped(client.get("/coach/bookings?show=cancelled"))
    assert "Cal Cancelled" in html and "cancelled by visitor" in html and "Una Upcoming" not in html
    page = unescaped(client.get(f"/coach/bookings/{calls['cancelled'].id}"))
    assert "Make client" not in page and "Cancel this call" not in page and "Move to another time" not in page


def test_tabs_as_htmx_fragments(client, calls):
    sign_in(client, "coach")
    fragment = client.get("/coach/bookings?show=past", headers=HX)
    html = unescaped(fragment)
    assert fragment.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="bookings-panel"')
    assert "Pia Past" in html
    assert 'href="/coach/bookings?show=past"' in html and 'aria-current="page"' in html


def test_an_unknown_tab_shows_upcoming(client, calls):
    sign_in(client, "coach")
    assert "Una Upcoming" in unescaped(client.get("/coach/bookings?show=everything"))


# --- actions -------------------------------------------------------------------------------

def test_coach_cancels_with_a_message_that_reaches_the_visitor(mail_app, smtp_server, calls):
    client = mail_app.test_client()
    sign_in(client, "coach")
    upcoming = calls["upcoming"]
    response = client.post(f"/coach/bookings/{upcoming.id}/cancel",
                           data={"message": "I'm ill this week, sorry. Please book again!"})
    assert response.status_code == 303
    from scheduling.models import Booking
    cancelled = Booking.get_by_id(upcoming.id)
    assert (cancelled.status, cancelled.cancelled_by, cancelled.sequence) == ("cancelled", "coach", 1)
    assert "Una Upcoming" in unescaped(client.get("/coach/bookings?show=cancelled"))

    assert deliver_mail(mail_app) == 2
    visitor = next(m for m in smtp_server.wait_for(2) if m["To"] == "una@example.org")
    body = visitor.get_body(("plain",)).get_content()
    assert "Jo Whitfield had to cancel" in body and "I'm ill this week, sorry. Please book again!" in body
    ics = next(p for p in visitor.iter_attachments() if p.get_filename() == "invite.ics").get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:CANCEL" in ics and "SEQUENCE:1" in ics


def test_coach_cancel_under_htmx_and_twice(client, calls):
    sign_in(client, "coach")
    url = f"/coach/bookings/{calls['upcoming'].id}/cancel"
    first = client.post(url, data={}, headers=HX)
    assert first.status_code == 204 and first.headers["HX-Redirect"] == "/coach/bookings?show=upcoming"
    second = client.post(url, data={}, headers=HX)
    assert second.status_code == 409 and "was cancelled" in unescaped(second) and "<html" not in unescaped(second)
    assert unescaped(second).lstrip().startswith('<div id="booking-detail"')


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_an_overlong_cancel_message_is_a_422_and_kept_open(client, calls, headers):
    sign_in(client, "coach")
    booking_id = calls["upcoming"].id
    response = client.post(f"/coach/bookings/{booking_id}/cancel", data={"message": "m" * 2001}, headers=headers)
    assert response.status_code == 422
    html = unescaped(response)
    assert "Please keep this under 2,000 characters." in html and "m" * 2001 in html
    assert '<details class="cancel-step" open>' in html and ("<html" in html) == (not headers)
    assert outbox() == []


@pytest.mark.parametrize("outcome,badge", [("completed", '<span class="badge ok">completed</span>'),
                                           ("no_show", '<span class="badge warn">no-show</span>')])
def test_marking_a_past_call(client, calls, outcome, badge):
    sign_in(client, "coach")
    response = client.post(f"/coach/bookings/{calls['past'].id}/outcome", data={"outcome": outcome})
    assert response.status_code == 303
    from scheduling.models import Booking
    assert Booking.get_by_id(calls["past"].id).status == outcome
    assert badge in unescaped(client.get("/coach/bookings?show=past"))
    assert badge in unescaped(client.get(f"/coach/bookings/{calls['past'].id}"))


def test_an_upcoming_or_cancelled_call_cannot_be_marked(client, calls):
    sign_in(client, "coach")
    for key in ("upcoming", "cancelled"):
        response = client.post(f"/coach/bookings/{calls[key].id}/outcome", data={"outcome": "completed"})
        assert response.status_code == 409 and "Only calls that have started" in unescaped(response)
    from scheduling.models import Booking
    assert Booking.get_by_id(calls["upcoming"].id).status == "confirmed"


def test_an_unknown_outcome_is_a_400(client, calls):
    sign_in(client, "coach")
    response = client.post(f"/coach/bookings/{calls['past'].id}/outcome", data={"outcome": "vanished"})
    assert response.status_code == 400


def test_make_client_from_a_booking(client, calls):
    sign_in(client, "coach")
    response = client.post(f"/coach/bookings/{calls['past'].id}/make-client")
    assert response.status_code == 303
    html = unescaped(client.get("/coach/bookings?show=past"))
    from scheduling.models import Booking
    client_id = Booking.get_by_id(calls["past"].id).client_id
    assert f'<a href="/coach/clients/{client_id}" class="badge ok">client' in html
    assert "Make client" not in unescaped(client.get(f"/coach/bookings/{calls['past'].id}"))


def test_missing_booking_is_404(client, calls):
    sign_in(client, "coach")
    assert client.post("/coach/bookings/99999/cancel", data={}).status_code == 404
    assert client.post("/coach/bookings/99999/outcome", data={"outcome": "completed"}).status_code == 404
    assert client.get("/coach/bookings/99999").status_code == 404


# --- "new since you last looked" -------------------------------------------------------------

NEW = '<span class="badge new">New<span class="visually-hidden"> since you last looked</span></span>'


def test_bookings_made_since_the_last_look_are_marked_new_once(client, calls, users):
    sign_in(client, "coach")
    first = unescaped(client.get("/coach/bookings"))
    assert first.count(NEW) == 1 and "is-new" in first  # Una's call, booked after the coach's account
    assert NEW not in unescaped(client.get("/coach/bookings"))  # looked: no longer new
    later = make_booking(users["coach"], utcnow() + timedelta(days=4), name="Nell Newer", email="nell@example.org")
    again = unescaped(client.get("/coach/bookings", headers=HX))  # the tab as a fragment counts as a look
    row = re.search(rf'<li class="call-row is-new" id="booking-{later.id}">(.*?)</li>', again, re.S)
    assert row and "Nell Newer" in row.group(1) and again.count(NEW) == 1


def test_the_dashboard_shows_whats_new_without_clearing_it(client, calls, users):
    sign_in(client, "coach")
    html = unescaped(client.get("/coach"))
    assert "1 new" in html and NEW in html
    assert "1 new" in unescaped(client.get("/coach"))  # the dashboard is not the bookings list
    client.get("/coach/bookings?show=past")
    html = unescaped(client.get("/coach"))
    assert "new</strong>" not in html and NEW not in html


def test_another_coachs_bookings_are_not_new_to_this_coach(client, calls, users):
    sign_in(client, "other_coach")
    html = unescaped(client.get("/coach"))
    assert "1 new" in html  # Otto's call only
    sign_in(client, "coach")
    client.get("/coach/bookings")
    sign_in(client, "other_coach")
    assert "1 new" in unescaped(client.get("/coach"))  # the first coach's look is theirs alone


def test_the_move_pages_cancel_form_sends_its_message(client, calls):
    sign_in(client, "coach")
    upcoming = calls["upcoming"]
    page = unescaped(client.get(f"/coach/bookings/{upcoming.id}/move"))
    name = re.search(r'<form method="post" action="/coach/bookings/\d+/cancel".*?<textarea[^>]*name="([^"]+)"', page,
                     re.S).group(1)
    assert client.post(f"/coach/bookings/{upcoming.id}/cancel", data={name: "Snowed in."}).status_code == 303
    from scheduling.models import Booking
    assert Booking.get_by_id(upcoming.id).cancel_reason == "Snowed in."
