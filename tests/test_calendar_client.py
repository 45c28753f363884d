"""A client's feed of their own sessions, and the small settings section that hands it out."""
import re
from datetime import timedelta

import pytest

from support.accounts import sign_in
from support.calendar import add_booking, cancel, events_of, now, parse, settle_profiles
from support.pages import HX

DAY = timedelta(days=1)


def give_token(user, token):
    from blueprints.auth.models import User
    User.update(feed_token=token, created_at=now() - 30 * DAY).where(User.id == user.id).execute()
    settle_profiles()
    return f"/calendar/client/{token}.ics"


def test_client_feed_has_only_their_own_sessions(client, users):
    coach, alex, sam = users["coach"], users["client_a"], users["client_b"]
    url = give_token(alex, "alex-secret-token")
    mine = add_booking(coach, now() + 3 * DAY, client=alex, name="Alex Morgan", email="alex@example.com",
                       kind="session", timezone="America/Chicago")
    add_booking(coach, now() + 4 * DAY, client=sam, name="Sam Rivera", email="sam@example.com")
    add_booking(coach, now() + 5 * DAY)  # a prospect, nobody's client

    response = client.get(url)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse(response.data)
    assert str(calendar["X-WR-CALNAME"]) == "Let's talk: my sessions"
    events = events_of(response.data)
    assert set(events) == {mine.uid}
    event = events[mine.uid]
    assert str(event["SUMMARY"]) == "Coaching session with Jo Whitfield"
    assert f"/booking/{mine.manage_token}" in str(event["DESCRIPTION"])
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert str(event["ORGANIZER"]) == "mailto:coach@example.com"
    assert b"Sam Rivera" not in response.data


def test_client_feed_conditional_requests_and_cancellation(client, users):
    alex = users["client_a"]
    url = give_token(alex, "alex-secret-token")
    booking = add_booking(users["coach"], now() + 3 * DAY, client=alex)
    first = client.get(url)
    assert first.headers["Last-Modified"] and first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304

    cancel(booking)
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert str(events_of(changed.data)[booking.uid]["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize("token", ["nope", "alex-secret-token-x"])
def test_wrong_client_token_is_404(client, users, token):
    give_token(users["client_a"], "alex-secret-token")
    assert client.get(f"/calendar/client/{token}.ics").status_code == 404


def test_a_coach_token_on_a_user_row_is_not_a_client_feed(client, users):
    give_token(users["coach"], "coach-user-token")
    assert client.get("/calendar/client/coach-user-token.ics").status_code == 404


def test_first_visit_makes_the_secret_and_later_visits_keep_it(client, users):
    from blueprints.auth.models import User
    alex = users["client_a"]
    assert alex.feed_token is None
    sign_in(client, "alex@example.com")

    page = client.get("/me/calendar")

    html = page.get_data(as_text=True)
    token = User.get_by_id(alex.id).feed_token
    assert page.status_code == 200 and token and html.count("<h1>") == 1
    assert f'value="http://localhost/calendar/client/{token}.ics"' in html
    assert f'value="webcal://localhost/calendar/client/{token}.ics"' in html
    assert '<label for="client-feed-web">' in html
    client.get("/me/calendar")
    assert User.get_by_id(alex.id).feed_token == token
    assert client.get(f"/calendar/client/{token}.ics").status_code == 200

    fragment = client.get("/me/calendar", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and 'id="client-feed"' in fragment


def test_client_regenerates_their_secret(client, users):
    from blueprints.auth.models import User
    sign_in(client, "alex@example.com")
    client.get("/me/calendar")
    old = User.get_by_id(users["client_a"].id).feed_token

    refused = client.post("/me/calendar/regenerate", data={}, headers=HX)
    assert refused.status_code == 422 and "Tick the box to confirm." in refused.get_data(as_text=True)
    assert User.get_by_id(users["client_a"].id).feed_token == old

    response = client.post("/me/calendar/regenerate", data={"confirm": "y"})
    assert response.status_code == 303 and response.headers["Location"] == "/me/calendar"
    new = User.get_by_id(users["client_a"].id).feed_token
    assert new != old
    assert client.get(f"/calendar/client/{old}.ics").status_code == 404
    assert client.get(f"/calendar/client/{new}.ics").status_code == 200


@pytest.mark.parametrize("who,expected", [(None, 302), ("coach@example.com", 403), ("alex@example.com", 200)])
def test_client_calendar_access(client, users, who, expected):
    if who:
        sign_in(client, who)
    response = client.get("/me/calendar")
    assert response.status_code == expected
    if who is None:
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("who,expected", [(None, (302, 303)), ("coach@example.com", (403,))])
def test_client_regenerate_access(client, users, who, expected):
    from blueprints.auth.models import User
    give_token(users["client_a"], "alex-secret-token")
    if who:
        sign_in(client, who)
    assert client.post("/me/calendar/regenerate", data={"confirm": "y"}).status_code in expected
    assert User.get_by_id(users["client_a"].id).feed_token == "alex-secret-token"


def test_the_section_can_be_included_before_the_client_has_a_secret(app, users):
    from flask import render_template
    from flask_login import login_user

    from blueprints.calendar.forms import RegenerateFeedForm
    with app.test_request_context("/me"):
        login_user(users["client_a"])
        html = render_template("calendar/_client_feed.html", client_feed=None,
                               regenerate_form=RegenerateFeedForm(formdata=None))
    assert re.search(r'href="/me/calendar"', html) and "Add your sessions to your calendar" in html
