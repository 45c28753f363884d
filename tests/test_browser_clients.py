"""In a real browser: the coach makes a client from a discovery call, the client accepts the
invitation, books a 60-minute session at /me/book and sees it on /me; the coach sees it too."""
import re
from datetime import timedelta

import pytest

from support.accounts import sign_in_page
from support.booking import make_booking, open_all_week

pytestmark = pytest.mark.browser
NEW_PASSWORD = "the client's own password"


@pytest.fixture
def site(app, users, live_server):
    from database import utcnow
    from scheduling.models import SessionType
    with app.app_context():
        open_all_week(users["coach"])
        SessionType.create(coach=users["coach"], name="Coaching session", minutes=60,
                           location_detail="https://meet.example.com/jo")
        make_booking(users["coach"], utcnow() - timedelta(days=1), name="Vera Visitor", email="vera@example.org",
                     answer="I want my evenings back.")
    return live_server


def invitation_link(base):
    from mail import OutboxMessage
    message = OutboxMessage.select().where(OutboxMessage.to_addr == "vera@example.org").get()
    return re.search(re.escape(base) + r"/welcome/[\w-]+", message.text_body).group(0)


def test_from_discovery_call_to_a_booked_session(site, page_factory):
    coach = page_factory(timezone_id="Europe/London", locale="en-GB")  # a 24-hour clock, as asserted below
    sign_in_page(coach, site, "coach@example.com")
    coach.wait_for_url(site + "/coach")
    coach.goto(site + "/coach/bookings?show=past")
    coach.get_by_text("Vera Visitor").first.click()  # opens the booking's details
    coach.get_by_role("link", name="Make client").click()
    coach.get_by_role("heading", name="Make Vera Visitor your client").wait_for()
    coach.get_by_label("Welcome note (optional)").fill("So glad we talked yesterday, Vera.")
    coach.get_by_role("button", name="Make client and send the invitation").click()
    coach.get_by_role("heading", name="Vera Visitor", exact=True).wait_for()
    assert "I want my evenings back." in coach.locator("main").inner_text()

    client = page_factory(timezone_id="America/New_York")  # where Vera booked her call from
    client.goto(invitation_link(site))
    assert "So glad we talked yesterday, Vera." in client.locator("main").inner_text()
    client.get_by_role("heading", name="Set a password and you're in").wait_for()
    client.get_by_label("Choose a password").fill(NEW_PASSWORD)
    client.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    client.get_by_role("button", name="Set my password").click()
    client.wait_for_url(site + "/me")
    client.get_by_role("heading", name="Hello, Vera").wait_for()

    client.get_by_role("link", name="Book a session").click()
    client.wait_for_url(re.compile(re.escape(site) + r"/me/book"))
    client.locator("a[data-day]").first.click()
    slot = client.locator("a.slot").first
    slot.wait_for()
    shown = slot.inner_text().strip()
    slot.click()
    client.get_by_role("button", name="Book this session").click()
    client.wait_for_url(site + "/me")
    next_session = client.locator("section", has=client.get_by_role("heading", name="Your next session"))
    text = next_session.inner_text()
    assert "Coaching session" in text and shown in text
    assert next_session.get_by_role("link", name="Add to your calendar (.ics)").is_visible()

    from zoneinfo import ZoneInfo

    from scheduling.models import Booking
    booked = Booking.get(Booking.kind == "session")
    assert booked.ends_at - booked.starts_at == timedelta(minutes=60)
    coach.reload()
    sessions = coach.locator("section", has=coach.get_by_role("heading", name="Sessions", exact=True))
    london = booked.starts_at.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M")  # the coach's zone
    assert "Coaching session" in sessions.inner_text() and london in sessions.inner_text()
