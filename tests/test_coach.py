"""The coach's dashboard, public-page settings and clients."""
from datetime import timedelta

import pytest

from support.mail import deliver_mail
from support.pages import HX


@pytest.fixture
def coach_client(client, auth, users):
    auth.login()
    return client


def make_booking(users, starts_in=timedelta(hours=2), email="v@example.com", coach="coach", name="Vera Visitor"):
    from database import utcnow
    from scheduling.models import Booking
    start = (utcnow() + starts_in).replace(second=0, microsecond=0)
    return Booking.create(coach=users[coach], name=name, email=email, timezone="Europe/Paris",
                          starts_at=start, ends_at=start + timedelta(minutes=30), uid=f"{email}-{start}@test")


def test_dashboard_lists_upcoming_calls(coach_client, users):
    make_booking(users, timedelta(days=3), name="Vera Visitor")
    make_booking(users, timedelta(days=3), email="o@example.com", coach="other_coach", name="Not Mine")
    html = coach_client.get("/coach").get_data(as_text=True)
    assert "Vera Visitor" in html and "Not Mine" not in html


def test_dashboard_nudges_a_coach_without_hours(coach_client):
    assert "Visitors can't book you yet" in coach_client.get("/coach").get_data(as_text=True)


def test_settings_page_and_fragment(coach_client):
    page = coach_client.get("/coach/settings")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    fragment = coach_client.get("/coach/settings", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and 'id="settings-form"' in fragment


def test_settings_save_changes_the_landing_page(coach_client, users):
    response = coach_client.post("/coach/settings", data={
        "name": "Jo W.", "headline": "Work that fits your life", "intro_markdown": "Hello *there*.",
        "timezone": "Europe/Paris"})
    assert response.status_code == 303
    # Their own page (this practice has two coaches, so / is the practice's page).
    html = coach_client.get("/coaches/jo-whitfield").get_data(as_text=True)
    assert "Work that fits your life" in html and "<em>there</em>" in html and "Jo W." in html
    from blueprints.auth.models import CoachProfile
    profile = CoachProfile.for_user(users["coach"])
    assert profile.timezone == "Europe/Paris" and profile.availability_version == 1


def test_settings_validation_keeps_the_text(coach_client):
    essay = "A long and heartfelt introduction. " * 20
    response = coach_client.post("/coach/settings", data={"name": "Jo", "headline": "", "intro_markdown": essay,
                                                          "timezone": "Europe/London"}, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Write a short headline." in html and essay.strip() in html and "<html" not in html
    from blueprints.auth.models import CoachProfile
    assert CoachProfile.get(CoachProfile.user == 1).headline.startswith("Whether you call it")


def test_settings_refuse_unknown_time_zone(coach_client):
    response = coach_client.post("/coach/settings", data={"name": "Jo", "headline": "H", "intro_markdown": "x",
                                                          "timezone": "Mars/Olympus"})
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)


def test_add_client_sends_an_invitation(mail_app, smtp_server, users):
    client = mail_app.test_client()
    client.post("/login", data={"email": "coach@example.com", "password": "correct horse battery"})
    response = client.post("/coach/clients", data={"name": "Kim Lee", "email": "kim@example.com"})
    assert response.status_code == 303
    assert "Kim Lee" in client.get("/coach/clients").get_data(as_text=True)
    deliver_mail(mail_app)
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "kim@example.com" and "Jo Whitfield invited you" in message["Subject"]
    from blueprints.auth.models import User
    kim = User.by_email("kim@example.com")
    assert kim.role == "client" and kim.coach_id == users["coach"].id


def test_add_client_with_taken_email_is_refused(coach_client):
    response = coach_client.post("/coach/clients", data={"name": "Sam", "email": "sam@example.com"}, headers=HX)
    assert response.status_code == 422
    assert "already an account" in response.get_data(as_text=True)


def test_prospect_becomes_client_in_one_step(coach_client, users):
    booking = make_booking(users, email="vera@example.com")
    response = coach_client.post(f"/coach/bookings/{booking.id}/make-client")
    from blueprints.auth.models import User
    from scheduling.models import Booking
    vera = User.by_email("vera@example.com")
    assert response.status_code == 303 and response.headers["Location"] == f"/coach/clients/{vera.id}"
    assert vera.role == "client" and vera.coach_id == users["coach"].id and vera.timezone == "Europe/Paris"
    assert Booking.get_by_id(booking.id).client_id == vera.id
    # Doing it again changes nothing and makes no second account.
    coach_client.post(f"/coach/bookings/{booking.id}/make-client")
    assert User.select().where(User.email == "vera@example.com").count() == 1


def test_cannot_make_client_from_another_coachs_booking(coach_client, users):
    booking = make_booking(users, coach="other_coach")
    assert coach_client.post(f"/coach/bookings/{booking.id}/make-client").status_code == 404


def test_another_coachs_client_cannot_be_taken_over(coach_client, users):
    booking = make_booking(users, email="olly@example.com")
    coach_client.post(f"/coach/bookings/{booking.id}/make-client")
    from blueprints.auth.models import User
    assert User.by_email("olly@example.com").coach_id == users["other_coach"].id


@pytest.mark.parametrize("url,expected", [("/coach", "Coming up"), ("/coach/clients", "Add a client")])
def test_coach_pages_full_and_fragment(coach_client, url, expected):
    page = coach_client.get(url).get_data(as_text=True)
    assert "<html" in page and expected in page
    fragment = coach_client.get(url, headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and expected in fragment


def test_client_page_shows_sessions_and_discovery_answers(coach_client, users):
    from blueprints.intake.models import IntakeAnswer
    from scheduling.models import Booking
    call = make_booking(users, timedelta(days=-3), email="alex@example.com", name="Alex Morgan")
    Booking.update(client=users["client_a"]).where(Booking.id == call.id).execute()
    IntakeAnswer.create(booking=call, question_label="What brings you here?", answer="A job that eats my evenings")
    url = f"/coach/clients/{users['client_a'].id}"
    page = coach_client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    assert "<h1>Alex Morgan</h1>" in html and "A job that eats my evenings" in html
    fragment = coach_client.get(url, headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and 'id="client-page"' in fragment and "A job that eats my evenings" in fragment
    assert f'href="{url}"' in coach_client.get("/coach/clients").get_data(as_text=True)


@pytest.mark.parametrize("who, status", [
    (None, 302), ("alex@example.com", 403), ("sam@example.com", 403), ("other@example.com", 404),
    ("coach@example.com", 200)])
def test_client_page_access(client, auth, users, who, status):
    if who:
        auth.login(who)
    assert client.get(f"/coach/clients/{users['client_a'].id}").status_code == status


def test_dashboard_rows_link_to_the_booking_and_the_clients_prep(coach_client, users):
    prospect = make_booking(users, timedelta(days=3), name="Vera Visitor")
    session = make_booking(users, timedelta(days=4), email="alex@example.com", name="Alex Morgan")
    from scheduling.models import Booking
    Booking.update(client=users["client_a"]).where(Booking.id == session.id).execute()
    html = coach_client.get("/coach").get_data(as_text=True)
    import re
    for booking, name in ((prospect, "Vera Visitor"), (session, "Alex Morgan")):
        link = re.search(rf'<a class="call-link" href="/coach/bookings/{booking.id}">(.*?)</a>', html, re.S)
        assert link and f'<span class="who">{name}</span>' in link.group(1) and "<time" in link.group(1)
    assert f'href="/coach/clients/{users["client_a"].id}#prep"' in html
    assert html.count("#prep") == 1  # a prospect has no client page yet
    fragment = coach_client.get("/coach", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and f'href="/coach/bookings/{prospect.id}"' in fragment
