"""The account page: a new email address confirmed from that address, a new password that signs
out the other devices, and who may do what."""
import re

import pytest

from support.accounts import EMAILS, PASSWORD, sign_in
from support.mail import outbox
from support.pages import HX, readable

NEW_PASSWORD = "a brand new passphrase"


def link_in(message):
    return re.search(r"http://localhost(/\S+)", message.text_body).group(1)


def user(email):
    from blueprints.auth.models import User
    return User.by_email(email)


# --- the page ----------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["coach", "client_a"])
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_the_account_page_shows_its_forms(app, client, users, who, headers):
    sign_in(client, who)
    response = client.get("/account", headers=headers)
    page = readable(response)
    assert response.status_code == 200 and ("<html" in response.get_data(as_text=True)) == (not headers)
    for label in ("New email", "Current password", "New password", "Repeat the new password", "Sign out everywhere"):
        assert label in page
    assert EMAILS[who] in page


@pytest.mark.parametrize("url", ["/account", "/account/email", "/account/password", "/account/sign-out-everywhere"])
def test_anonymous_visitors_are_sent_to_sign_in(client, users, url):
    response = client.post(url) if url != "/account" else client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- email -------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_a_new_email_takes_effect_when_its_link_is_opened(app, client, users, headers):
    sign_in(client, "client_a")
    response = client.post("/account/email", headers=headers,
                           data={"email-email": "Alex.New@Example.com", "email-password": PASSWORD})
    assert response.status_code in (204, 303)
    assert user(EMAILS["client_a"]) is not None  # nothing changed yet
    assert "alex.new@example.com" in readable(client.get("/account"))  # "waiting for you to open the link"
    confirm, heads_up = outbox()[-2:]
    assert confirm.to_addr == "alex.new@example.com" and heads_up.to_addr == EMAILS["client_a"]
    assert "alex.new@example.com" in heads_up.text_body
    link = link_in(confirm)
    assert "Use alex.new@example.com" in readable(client.get(link))  # GET only asks
    assert user(EMAILS["client_a"]) is not None
    response = client.post(link, headers=headers)
    assert response.status_code in (204, 303)
    assert user("alex.new@example.com").name == "Alex Morgan" and user(EMAILS["client_a"]) is None
    told = outbox()[-1]
    assert told.to_addr == EMAILS["client_a"] and "alex.new@example.com" in told.text_body
    assert client.post(link).status_code == 404  # a link works once
    sign_in(client, "alex.new@example.com")
    assert client.get("/me").status_code == 200


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
@pytest.mark.parametrize("data, field, message", [
    ({"email-email": "not-an-address", "email-password": PASSWORD}, "email-email", "Enter an email address"),
    ({"email-email": "new@example.com", "email-password": "wrong password"}, "email-password", "isn't your password"),
    ({"email-email": EMAILS["client_b"], "email-password": PASSWORD}, "email-email", "Another account uses"),
    ({"email-email": EMAILS["client_a"], "email-password": PASSWORD}, "email-email", "already your address"),
    ({"email-email": "", "email-password": PASSWORD}, "email-email", "Enter the new address"),
], ids=["malformed", "wrong-password", "taken", "same", "empty"])
def test_a_bad_email_change_says_why_next_to_the_field_and_sends_nothing(app, client, users, headers, data, field,
                                                                          message):
    sign_in(client, "client_a")
    before = len(outbox())
    response = client.post("/account/email", data=data, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and ("<html" in html) == (not headers)
    error = re.search(rf'id="{field}-error">([^<]*)<', html)
    assert error and message in error.group(1).replace("&#39;", "'")
    assert len(outbox()) == before
    from blueprints.auth.account_changes import EmailChange
    assert EmailChange.select().count() == 0


def test_a_newer_request_retires_the_older_link_and_an_old_link_shows_a_kind_404(app, client, users):
    sign_in(client, "client_a")
    client.post("/account/email", data={"email-email": "first@example.com", "email-password": PASSWORD})
    first = link_in(outbox()[-2])
    client.post("/account/email", data={"email-email": "second@example.com", "email-password": PASSWORD})
    response = client.post(first)
    assert response.status_code == 404 and "doesn't work any more" in readable(response)
    assert client.get("/account/email/made-up-token").status_code == 404
    assert user(EMAILS["client_a"]) is not None


def test_the_address_taken_meanwhile_is_not_given_twice(app, client, users):
    sign_in(client, "client_a")
    client.post("/account/email", data={"email-email": "wanted@example.com", "email-password": PASSWORD})
    link = link_in(outbox()[-2])
    from blueprints.auth.models import User
    User.update(email="wanted@example.com").where(User.email == EMAILS["client_b"]).execute()
    assert client.post(link).status_code == 404
    assert user(EMAILS["client_a"]) is not None


def test_email_change_requests_are_rate_limited(app, client, users):
    sign_in(client, "client_a")
    statuses = [client.post("/account/email", data={"email-email": f"n{i}@example.com", "email-password": PASSWORD})
                .status_code for i in range(4)]
    assert statuses[:3] == [303, 303, 303] and statuses[3] == 429


# --- password ----------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_a_new_password_signs_out_the_other_devices_only(app, users, headers):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "coach"), sign_in(phone, "coach")
    response = laptop.post("/account/password", headers=headers, data={
        "password-current": PASSWORD, "password-password": NEW_PASSWORD, "password-confirm": NEW_PASSWORD})
    assert response.status_code in (204, 303)
    assert laptop.get("/coach").status_code == 200
    assert phone.get("/coach").status_code == 302
    assert outbox()[-1].to_addr == EMAILS["coach"] and "password" in outbox()[-1].subject
    sign_in(phone, "coach", NEW_PASSWORD)
    assert phone.get("/coach").status_code == 200


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
@pytest.mark.parametrize("data, field, message", [
    ({"password-current": "wrong one", "password-password": NEW_PASSWORD, "password-confirm": NEW_PASSWORD},
     "password-current", "isn't your password"),
    ({"password-current": PASSWORD, "password-password": "short", "password-confirm": "short"},
     "password-password", "at least"),
    ({"password-current": PASSWORD, "password-password": NEW_PASSWORD, "password-confirm": "something else"},
     "password-confirm", "not the same"),
], ids=["wrong-current", "short", "mismatch"])
def test_a_bad_password_change_says_why_and_keeps_the_old_password(app, users, headers, data, field, message):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, "client_a"), sign_in(phone, "client_a")
    response = laptop.post("/account/password", data=data, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and ("<html" in html) == (not headers)
    error = re.search(rf'id="{field}-error">([^<]*)<', html)
    assert error and message in error.group(1).replace("&#39;", "'")
    assert phone.get("/me").status_code == 200  # nobody was signed out
    sign_in(app.test_client(), "client_a")  # the old password still works (asserts 303)


def test_guessing_the_current_password_is_rate_limited(app, client, users):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    sign_in(client, "client_a")
    data = {"password-current": "guess", "password-password": NEW_PASSWORD, "password-confirm": NEW_PASSWORD}
    statuses = [client.post("/account/password", data=data).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
