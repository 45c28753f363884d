"""A client's own space: home, journal and goals, as pages and as htmx fragments."""
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from support.accounts import PASSWORD
from support.pages import HX


@pytest.fixture
def alex(client, users):
    from blueprints.goals.demo import seed_goals
    from seed import _seed_client_life
    _seed_client_life(users["client_a"])
    seed_goals(users["client_a"], users["coach"])
    client.post("/login", data={"email": "alex@example.com", "password": PASSWORD})
    return client


@pytest.mark.parametrize("url,expected", [
    ("/me", "Your next session"),
    ("/journal", "The workshop on Thursday"),
    ("/goals", "Protect two evenings a week"),
])
def test_client_pages_full_and_fragment(alex, url, expected):
    page = alex.get(url).get_data(as_text=True)
    assert "<html" in page and expected in page and page.count("<h1") == 1
    fragment = alex.get(url, headers=HX)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body and expected in body
    assert "HX-Request" in fragment.headers["Vary"]


def test_home_shows_the_next_session_in_the_clients_zone(alex, users):
    from blueprints.auth.models import User
    from database import utcnow
    from scheduling.models import Booking
    User.update(timezone="Asia/Tokyo").where(User.id == users["client_a"].id).execute()
    start = (utcnow() + timedelta(days=2)).replace(hour=1, minute=0, second=0, microsecond=0)
    Booking.create(coach=users["coach"], client=users["client_a"], kind="session", name="Alex Morgan",
                   email="alex@example.com", timezone="Asia/Tokyo", starts_at=start,
                   ends_at=start + timedelta(hours=1), uid="s1@test", location="Video call: https://meet.example/x")
    html = alex.get("/me").get_data(as_text=True)
    assert start.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M") in html
    assert "Asia/Tokyo" in html and "https://meet.example/x" in html


def test_goal_progress_counts_done_steps(alex):
    html = alex.get("/goals").get_data(as_text=True)
    # Seeded goals: 1 of 3, 1 of 2 and 1 of 2 steps done.
    assert 'value="33"' in html and html.count('value="50"') == 2


def test_private_and_shared_entries_are_labelled(alex):
    html = alex.get("/journal").get_data(as_text=True)
    assert "Shared with your coach" in html and "Private" in html
