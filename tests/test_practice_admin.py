"""The practice's admin (the first coach): the practice's name and text, inviting a coach by
email, and the invited coach joining through a link that expires and works once."""
import re
from datetime import timedelta

import pytest

from support.accounts import PASSWORD, sign_in
from support.pages import HX, readable, unescaped

PRACTICE = "/coach/practice"


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("client_a", 403), ("other_client", 403),
                                         ("other_coach", 403), ("coach", 200)])
def test_only_the_admin_reaches_the_practice_settings(client, users, who, status):
    sign_in(client, who)
    assert client.get(PRACTICE).status_code == status
    posted = 303 if who == "coach" else status
    assert client.post(PRACTICE, data={"name": "Taken over", "about": ""}).status_code == posted
    assert client.post(PRACTICE + "/invitations", data={"name": "Eve", "email": "eve@example.org"}
                       ).status_code == posted
    from blueprints.practice.models import CoachInvitation, Practice
    if who != "coach":
        assert not Practice.select().exists() and not CoachInvitation.select().exists()


def test_admin_names_the_practice_and_the_home_page_shows_it(client, users):
    sign_in(client, "coach")
    page = unescaped(client.get(PRACTICE))
    assert "<h1>Your practice</h1>" in page and "Pat Other" in page and "other@example.com" in page
    assert 'href="/coach/practice"' in client.get("/coach/settings").get_data(as_text=True)  # reached from "Page"
    fragment = client.get(PRACTICE, headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and 'id="practice-form"' in fragment
    response = client.post(PRACTICE, data={"name": "North Star Coaching", "about": "Careers, with care."})
    assert response.status_code == 303
    assert "<h1>North Star Coaching</h1>" in client.get("/coaches").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "Also at North Star Coaching" in home and "Careers, with care." in home


def test_practice_name_is_required_and_the_text_is_kept(client, users):
    sign_in(client, "coach")
    response = client.post(PRACTICE, data={"name": "", "about": "Careers, with care."}, headers=HX)
    assert response.status_code == 422
    html = unescaped(response)
    assert "Enter the practice's name." in html and 'value="Careers, with care."' in html and "<html" not in html


def test_a_coach_who_is_not_admin_has_no_way_to_the_practice_settings(client, users):
    sign_in(client, "other_coach")
    for url in ("/coach", "/coach/settings"):
        assert 'href="/coach/practice"' not in client.get(url).get_data(as_text=True)


def invitation_link(email):
    from mail import OutboxMessage
    message = OutboxMessage.get(OutboxMessage.to_addr == email)
    return message, re.search(r"http://localhost(/join/[\w-]+)", message.text_body).group(1)


def invite(client, name="Robin Hale", email="robin@coaches.example"):
    sign_in(client, "coach")
    return client.post(PRACTICE + "/invitations", data={"name": name, "email": email})


def test_admin_invites_a_coach_who_joins_and_lands_on_their_own_setup(client, users):
    assert invite(client).status_code == 303
    assert "Robin Hale" in readable(client.get(PRACTICE))  # waiting
    message, link = invitation_link("robin@coaches.example")
    assert "Jo Whitfield invited you to coach with" in message.subject
    sign_in(client, "anonymous")
    page = unescaped(client.get(link))
    assert "<h1>Join Let's talk</h1>" in page and 'value="Robin Hale"' in page and "robin@coaches.example" in page
    response = client.post(link, data={"name": "Robin Hale", "timezone": "Europe/Dublin",
                                       "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/coach/settings"
    settings = client.get("/coach/settings")
    assert settings.status_code == 200 and "/coaches/robin-hale" in readable(settings)
    from blueprints.auth.models import CoachProfile, User
    robin = User.by_email("robin@coaches.example")
    assert robin.is_coach and robin.timezone == "Europe/Dublin" and not CoachProfile.for_user(robin).is_admin
    assert client.get(PRACTICE).status_code == 403
    assert "Robin Hale" in client.get("/").get_data(as_text=True)
    # The link worked once.
    sign_in(client, "anonymous")
    again = client.get(link)
    assert again.status_code == 410 and "already been used" in readable(again)


def test_join_form_validates_and_keeps_the_name(client, users):
    invite(client)
    _, link = invitation_link("robin@coaches.example")
    sign_in(client, "anonymous")
    response = client.post(link, data={"name": "Robin H.", "timezone": "Europe/Dublin", "password": "short",
                                       "confirm": "short"}, headers=HX)
    assert response.status_code == 422 and "Use at least 10 characters." in readable(response)
    assert 'value="Robin H."' in unescaped(response) and "<html" not in response.get_data(as_text=True)
    from blueprints.auth.models import User
    assert User.by_email("robin@coaches.example") is None


def test_an_expired_or_unknown_link_explains_itself(client, users):
    invite(client)
    _, link = invitation_link("robin@coaches.example")
    from blueprints.practice.models import CoachInvitation
    from database import utcnow
    CoachInvitation.update(expires_at=utcnow() - timedelta(minutes=1)).execute()
    sign_in(client, "anonymous")
    expired = client.get(link)
    assert expired.status_code == 410 and "has expired" in readable(expired)
    assert expired.headers["Cache-Control"] == "private, no-store"
    assert client.post(link, data={"name": "R", "timezone": "Europe/Dublin", "password": PASSWORD,
                                   "confirm": PASSWORD}).status_code == 410
    assert client.get("/join/not-a-real-token").status_code == 410


def test_a_new_invitation_replaces_the_last_one(client, users):
    invite(client)
    _, first = invitation_link("robin@coaches.example")
    from mail import OutboxMessage
    OutboxMessage.delete().execute()
    invite(client)
    _, second = invitation_link("robin@coaches.example")
    sign_in(client, "anonymous")
    assert client.get(first).status_code == 410 and client.get(second).status_code == 200


def test_inviting_an_address_that_already_signs_in_is_refused(client, users):
    sign_in(client, "coach")
    response = client.post(PRACTICE + "/invitations", data={"name": "Alex", "email": "alex@example.com"}, headers=HX)
    assert response.status_code == 422
    assert "Someone already signs in with this email." in readable(response)
    assert "<html" not in response.get_data(as_text=True)
