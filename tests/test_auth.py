"""Sign in, sign out, password reset by email, first run."""
import re
from datetime import timedelta

import pytest

from support.accounts import PASSWORD
from support.mail import deliver_mail
from support.pages import HX


def test_login_page_has_labelled_fields(client, users):
    html = client.get("/login").get_data(as_text=True)
    assert '<label for="email">Email</label>' in html
    assert '<label for="password">Password</label>' in html
    assert html.count("<h1") == 1


def test_coach_logs_in_and_lands_on_dashboard(client, users):
    response = client.post("/login", data={"email": "Coach@Example.com ", "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/coach"
    assert "Hello, Jo" in client.get("/coach").get_data(as_text=True)


def test_client_logs_in_and_lands_on_home(client, users):
    response = client.post("/login", data={"email": "alex@example.com", "password": PASSWORD})
    assert response.headers["Location"] == "/me"
    assert "Your next session" in client.get("/me").get_data(as_text=True)


def test_login_under_htmx_redirects_with_header(client, users):
    response = client.post("/login", data={"email": "alex@example.com", "password": PASSWORD}, headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/me"


@pytest.mark.parametrize("email,password", [
    ("coach@example.com", "wrong password"),
    ("nobody@example.com", PASSWORD),
])
def test_wrong_credentials_get_the_same_422_answer(client, users, email, password):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "That email and password don&#39;t match an account." in html
    assert f'value="{email}"' in html  # what they typed is kept
    assert client.get("/coach").status_code == 302  # still signed out


def test_empty_login_form_explains_each_field(client, users):
    html = client.post("/login", data={}).get_data(as_text=True)
    assert "Enter your email address." in html and "Enter your password." in html


def test_login_follows_only_local_next(client, users):
    ok = client.post("/login?next=/coach/clients", data={"email": "coach@example.com", "password": PASSWORD})
    assert ok.headers["Location"] == "/coach/clients"
    client.post("/logout")
    evil = client.post("/login?next=//evil.example/x", data={"email": "coach@example.com", "password": PASSWORD})
    assert evil.headers["Location"] == "/coach"


def test_logout_requires_post_and_signs_out(client, auth, users):
    auth.login()
    assert client.get("/logout").status_code == 200  # a confirm page, not a sign-out
    assert client.get("/coach").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 303
    assert client.get("/coach").status_code == 302


def reset_link(message):
    return re.search(r"http://localhost(/reset/\S+)", message.get_content()).group(1)


def test_password_reset_by_email_works_once(mail_app, smtp_server, users):
    client = mail_app.test_client()
    response = client.post("/reset", data={"email": "alex@example.com"})
    assert response.status_code == 303
    assert deliver_mail(mail_app) == 1
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "alex@example.com" and "Reset your password" in message["Subject"]
    path = reset_link(message)

    assert client.get(path).status_code == 200
    short = client.post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422 and "at least 10 characters" in short.get_data(as_text=True)
    done = client.post(path, data={"password": "a brand new secret", "confirm": "a brand new secret"})
    assert done.status_code == 303 and done.headers["Location"] == "/me"

    client.post("/logout")
    assert client.post("/login", data={"email": "alex@example.com", "password": PASSWORD}).status_code == 422
    assert client.post("/login", data={"email": "alex@example.com", "password": "a brand new secret"}).status_code == 303
    # single use
    again = client.get(path)
    assert again.status_code == 404 and "no longer works" in again.get_data(as_text=True)


def test_unknown_email_gets_the_same_answer_and_no_mail(mail_app, smtp_server, users):
    client = mail_app.test_client()
    known = client.post("/reset", data={"email": "alex@example.com"}, follow_redirects=True)
    unknown = client.post("/reset", data={"email": "nobody@example.com"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    message = "If that address has an account, we&#39;ve sent it a link"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert deliver_mail(mail_app) == 1
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["alex@example.com"]


def test_expired_reset_link_is_refused(app, client, users):
    from blueprints.auth.models import PasswordReset
    from database import utcnow
    with app.app_context():
        token = PasswordReset.issue(users["client_a"], hours=2)
        PasswordReset.update(expires_at=utcnow() - timedelta(minutes=1)).execute()
    response = client.post(f"/reset/{token}", data={"password": "another secret pw", "confirm": "another secret pw"})
    assert response.status_code == 404
    assert client.post("/login", data={"email": "alex@example.com", "password": PASSWORD}).status_code == 303


def test_reset_signs_out_other_sessions(app, users):
    from blueprints.auth.models import PasswordReset
    laptop, phone = app.test_client(), app.test_client()
    laptop.post("/login", data={"email": "alex@example.com", "password": PASSWORD})
    assert laptop.get("/me").status_code == 200
    with app.app_context():
        token = PasswordReset.issue(users["client_a"], hours=2)
    phone.post(f"/reset/{token}", data={"password": "another secret pw", "confirm": "another secret pw"})
    assert phone.get("/me").status_code == 200
    assert laptop.get("/me").status_code == 302


def test_first_run_page_explains_and_creates_the_coach(client):
    page = client.get("/welcome").get_data(as_text=True)
    assert "flask --app app create-coach" in page
    response = client.post("/welcome", data={
        "name": "Jo Whitfield", "email": "jo@example.com", "timezone": "Europe/Paris",
        "password": "a long enough pw", "confirm": "a long enough pw"})
    assert response.status_code == 303 and response.headers["Location"] == "/coach"
    assert "Jo Whitfield" in client.get("/").get_data(as_text=True)
    # Once a coach exists, the first-run page is gone for everyone.
    client.post("/logout")
    assert client.get("/welcome").status_code == 302
    again = client.post("/welcome", data={
        "name": "Mallory", "email": "m@example.com", "timezone": "Europe/Paris",
        "password": "a long enough pw", "confirm": "a long enough pw"})
    assert again.status_code == 302
    from blueprints.auth.models import User
    assert User.by_email("m@example.com") is None


def test_first_run_form_validates(client):
    response = client.post("/welcome", data={"name": "", "email": "not-an-email", "timezone": "Europe/Paris",
                                             "password": "x", "confirm": "y"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter your name." in html and "Enter an email address like name@example.com." in html
    from blueprints.auth.models import User
    assert User.select().count() == 0


def test_signing_out_leaves_no_message_of_this_person_for_the_next(client, users):
    from blueprints.goals.service import ensure_areas
    area = ensure_areas(users["coach"])[0]
    client.post("/login", data={"email": "alex@example.com", "password": PASSWORD})
    # Adding a goal leaves an unread "added" message naming it in the session.
    assert client.post("/goals", data={"title": "Leave Harwick and Co", "life_area": area.id}).status_code == 303
    client.post("/logout")
    client.post("/login", data={"email": "coach@example.com", "password": PASSWORD})
    assert "Harwick" not in client.get("/").get_data(as_text=True)
