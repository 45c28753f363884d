"""In a real browser: a stranger in New York finds a London coach on the practice's page, books
a call with her, then cancels it from the link in the confirmation email."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from support.booking import CHANGE, open_all_week
from support.mail import deliver_mail

pytestmark = pytest.mark.browser


@pytest.fixture
def site(app, users, live_server):
    with app.app_context():
        open_all_week(users["coach"])
    return live_server


def test_visitor_books_in_their_zone_then_cancels_from_the_email(site, mail_app, smtp_server, page_factory):
    # A British-English browser: 24-hour times (test_browser_visitor.py covers the 12-hour clock).
    page = page_factory(timezone_id="America/New_York", locale="en-GB", viewport={"width": 390, "height": 844})
    page.goto(site + "/coaches")  # the practice has two coaches: its page lists them
    page.locator("main").get_by_role("link", name="Book a call with Jo Whitfield").click()
    page.get_by_role("heading", name="Book a free call with Jo Whitfield").wait_for()

    # The browser's zone is detected and named on screen.
    page.locator(".tz-note", has_text="New York time").first.wait_for()
    page.locator("a[data-day]").first.click()
    # The zone's own swap and the day's may both be in flight: read the list once they are done.
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    first_slot = page.locator("a.slot").first
    first_slot.wait_for()
    shown_time = first_slot.inner_text().strip()
    start = datetime.fromisoformat(first_slot.locator("time").get_attribute("datetime").replace("Z", "+00:00"))
    assert start.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") == shown_time
    first_slot.click()

    # Sent empty, the form answers with our own messages next to the fields.
    page.get_by_role("button", name="Book this call").click()
    assert "Please tell us your name." in page.locator("#name-error").inner_text()

    page.get_by_label("Your name").fill("Robin Visitor")
    page.get_by_label("Email").fill("robin@example.org")
    page.get_by_label("What would you like to change in your working life?").fill(CHANGE)
    page.get_by_label("I agree that my details are stored").check()
    page.get_by_role("button", name="Book this call").click()

    page.get_by_role("heading", name="Your call is booked").wait_for()
    body = page.locator("main").inner_text()
    london = start.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M")
    assert shown_time in body and "America/New York time" in body
    assert london in body and "Europe/London time" in body
    assert page.get_by_role("link", name="Download .ics file").is_visible()

    deliver_mail(mail_app)
    messages = smtp_server.wait_for(2)
    confirmation = next(m for m in messages if m["To"] == "robin@example.org")
    text = confirmation.get_body(preferencelist=("plain",)).get_content()
    link = re.search(re.escape(site) + r"/booking/[\w-]+", text).group(0)

    later = page_factory(timezone_id="America/New_York")
    later.goto(link)
    later.get_by_role("link", name="Cancel this call…").click()  # a step of its own
    later.get_by_label("Anything you'd like to tell the coach?").fill("Something came up, sorry.")
    later.get_by_role("button", name="Yes, cancel the call").click()
    later.get_by_text("This call was cancelled").wait_for()

    from scheduling.models import Booking
    booking = Booking.get()
    assert booking.status == "cancelled" and booking.cancel_reason == "Something came up, sorry."
    # The time is free again for the next visitor.
    page.goto(f"{site}/book?date={start.astimezone(ZoneInfo('America/New_York')).date()}&tz=America/New_York")
    assert page.locator(f'time[datetime="{start.strftime("%Y-%m-%dT%H:%M:%SZ")}"]').count() == 1


def test_long_answer_survives_a_lost_connection(site, page_factory):
    page = page_factory(timezone_id="Europe/London")
    page.goto(site + "/book?tz=Europe/London")
    page.locator("a.slot").first.click()
    answer = page.get_by_label("What would you like to change in your working life?")
    answer.fill(CHANGE)
    slot_url = page.url

    page.context.set_offline(True)  # the connection drops as they press the button
    page.get_by_label("Your name").fill("Robin Visitor")
    page.get_by_role("button", name="Book this call").click()
    page.wait_for_timeout(300)
    page.context.set_offline(False)

    page.goto(slot_url)  # they come back to the form later
    assert page.get_by_label("What would you like to change in your working life?").input_value() == CHANGE
