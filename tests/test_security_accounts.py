"""Sessions that really end, reset links that die together, per-address limits, size limits,
headers, and a page cache no request header can poison."""
import io
import re
from datetime import timedelta

import pytest

from support.accounts import PASSWORD
from support.booking import book, bookings, free_slots
from support.mail import deliver_mail
from support.pages import HX
from support.pages import unescaped as text


def login(client, email="alex@example.com", password=PASSWORD, **data):
    return client.post("/login", data={"email": email, "password": password, **data})


def copy_cookies(source, target, *names):
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, name
        target.set_cookie(name, cookie.value)


# --- sessions -----------------------------------------------------------------------------------

def test_logout_ends_a_copied_session_cookie(app, users):
    browser, thief = app.test_client(), app.test_client()
    assert login(browser).status_code == 303
    copy_cookies(browser, thief, "session")
    assert thief.get("/me").status_code == 200
    browser.post("/logout")
    assert thief.get("/me").status_code == 302
    assert browser.get("/me").status_code == 302


def test_logout_ends_the_remember_me_cookie(app, users):
    browser, later = app.test_client(), app.test_client()
    assert login(browser, remember="y").status_code == 303
    copy_cookies(browser, later, "remember_token")
    assert later.get("/me").status_code == 200  # a new browser session, signed in by the cookie
    browser.post("/logout")
    fresh = app.test_client()
    copy_cookies(later, fresh, "remember_token")
    assert fresh.get("/me").status_code == 302


def test_signing_out_on_one_device_leaves_the_others_signed_in(app, users):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop), login(phone)
    laptop.post("/logout")
    assert phone.get("/me").status_code == 200


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_sign_out_everywhere_ends_every_session(app, users, headers):
    laptop, phone, remembered = app.test_client(), app.test_client(), app.test_client()
    login(laptop), login(phone), login(remembered, remember="y")
    page = laptop.get("/account", headers=headers)
    assert page.status_code == 200 and "signed in on 3 browsers" in text(page)
    assert page.headers["Cache-Control"] == "private, no-store"
    response = phone.post("/account/sign-out-everywhere", headers=headers)
    assert response.status_code in (204, 303)
    for device in (laptop, phone):
        assert device.get("/me").status_code == 302
    fresh = app.test_client()
    copy_cookies(remembered, fresh, "remember_token")
    assert fresh.get("/me").status_code == 302


def test_the_account_page_needs_a_signed_in_person(client, users):
    assert client.get("/account").status_code == 302
    assert client.post("/account/sign-out-everywhere").status_code == 302


# --- reset links ----------------------------------------------------------------------------------

def test_using_one_reset_link_invalidates_the_others(app, client, users):
    from blueprints.auth.models import PasswordReset
    with app.app_context():
        first = PasswordReset.issue(users["client_a"], hours=2)
        second = PasswordReset.issue(users["client_a"], hours=2)
        other_account = PasswordReset.issue(users["client_b"], hours=2)
    new = {"password": "another secret pw", "confirm": "another secret pw"}
    assert client.post(f"/reset/{second}", data=new).status_code == 303
    assert app.test_client().get(f"/reset/{first}").status_code == 404
    assert app.test_client().post(f"/reset/{first}", data={"password": "third secret pw!",
                                                           "confirm": "third secret pw!"}).status_code == 404
    assert app.test_client().get(f"/reset/{other_account}").status_code == 200


# --- per-address sign-in back-off ------------------------------------------------------------------

def test_many_wrong_passwords_from_many_places_make_the_address_wait(app, mail_app, smtp_server, users):
    from blueprints.auth.throttle import FREE_FAILURES
    statuses = []
    for n in range(FREE_FAILURES + 2):
        attacker = app.test_client()
        attacker.environ_base["REMOTE_ADDR"] = f"203.0.113.{n + 1}"  # a new address each time
        statuses.append(login(attacker, password=f"guess {n}").status_code)
    assert statuses == [422] * FREE_FAILURES + [429, 429]
    # Even the right password waits now (it is not even checked), and says how to get in.
    owner = app.test_client()
    response = login(owner)
    assert response.status_code == 429
    assert "Too many wrong passwords for this address" in text(response) and "reset your password" in text(response)
    # The owner is told by email, once.
    assert deliver_mail(mail_app) == 1
    [warning] = smtp_server.wait_for(1)
    assert warning["To"] == "alex@example.com" and "trying to sign in" in warning["Subject"]


def test_the_back_off_cannot_lock_the_owner_out(app, mail_app, smtp_server, users):
    from blueprints.auth.throttle import FREE_FAILURES
    for n in range(FREE_FAILURES + 1):
        login(app.test_client(), password=f"guess {n}")
    owner = app.test_client()
    assert login(owner).status_code == 429
    owner.post("/reset", data={"email": "alex@example.com"})
    deliver_mail(mail_app)
    link = next(re.search(r"http://localhost(/reset/\S+)", m.get_body(("plain",)).get_content()).group(1)
                for m in smtp_server.wait_for(2) if m["Subject"] == "Reset your password")
    assert owner.post(link, data={"password": "a new secret pw", "confirm": "a new secret pw"}).status_code == 303
    owner.post("/logout")
    assert login(owner, password="a new secret pw").status_code == 303


def test_an_unknown_address_backs_off_exactly_like_a_known_one(app, users):
    from blueprints.auth.models import AccountNotice
    from blueprints.auth.throttle import FREE_FAILURES
    answers = {}
    for email in ("alex@example.com", "nobody@example.com"):
        answers[email] = [login(app.test_client(), email=email, password="wrong").status_code
                          for _ in range(FREE_FAILURES + 1)]
    assert answers["alex@example.com"] == answers["nobody@example.com"]
    assert AccountNotice.select().count() == 2  # a warning queued for both; only the worker knows which exists


def test_a_right_password_before_the_back_off_clears_the_count(app, users):
    from blueprints.auth.throttle import FREE_FAILURES
    for _ in range(FREE_FAILURES - 1):
        login(app.test_client(), password="wrong")
    assert login(app.test_client()).status_code == 303
    for _ in range(FREE_FAILURES - 1):
        assert login(app.test_client(), password="wrong").status_code == 422


# --- per-address cap on discovery calls ------------------------------------------------------------

def test_one_address_can_hold_only_a_few_upcoming_calls(app, client, open_coach):
    app.config["BOOKING_MAX_UPCOMING_PER_EMAIL"] = 2
    slots = free_slots(open_coach)
    assert book(client, open_coach, slots[0].start).status_code == 303
    assert book(client, open_coach, slots[2].start, email="ROBIN@example.org").status_code == 303
    refused = book(client, open_coach, slots[4].start, name="Robin Again")
    assert refused.status_code == 422
    assert "You already have calls booked with this address" in text(refused)
    assert 'value="Robin Again"' in text(refused)  # the visitor's input is kept
    assert len(bookings()) == 2
    assert book(client, open_coach, slots[4].start, email="someone.else@example.org").status_code == 303


# --- request size -------------------------------------------------------------------------------

def test_a_huge_form_is_refused_before_it_is_read(client, open_coach):
    slot = free_slots(open_coach)[0]
    from support.booking import booking_form
    data = booking_form(open_coach, slot.start, name="x" * (2 * 1024 * 1024))
    response = client.post("/book", data=data)
    assert response.status_code == 413 and "too much to send" in text(response)
    assert bookings() == []


class EndlessBody(io.RawIOBase):
    """A request body of `size` bytes that is only made as it is read (3 MB here, 1.5 GB in the probe)."""

    def __init__(self, size):
        self.left = size
        self.read_so_far = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.left)
        buffer[:n] = b"x" * n
        self.left -= n
        self.read_so_far += n
        return n


def test_a_chunked_body_without_a_length_is_cut_off_at_the_limit(app, client, open_coach):
    body = EndlessBody(3 * 1024 * 1024)
    # What gunicorn hands over for a chunked request: no length, a stream that ends by itself.
    response = client.post("/book", content_type="application/x-www-form-urlencoded",
                           headers={"Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input": body, "wsgi.input_terminated": True,
                                              "CONTENT_LENGTH": ""})
    assert response.status_code == 413
    assert body.read_so_far < 2 * 1024 * 1024  # stopped reading soon after the 1 MB limit
    assert bookings() == []


# --- headers ----------------------------------------------------------------------------------------

def test_every_page_has_the_security_headers(client, users):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-eval" not in csp and "'unsafe-inline'" not in csp.split("style-src-attr")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "no-store" not in response.headers.get("Cache-Control", "")  # a public page may be cached


@pytest.mark.parametrize("who,url", [("coach@example.com", "/coach"), ("alex@example.com", "/me"),
                                     ("alex@example.com", "/journal"), ("coach@example.com", "/coach/clients")])
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_signed_in_pages_are_never_stored_by_a_cache(client, users, who, url, headers):
    login(client, who)
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_pages_carry_no_inline_script_or_event_handler(client, users):
    pages = [client.get(url).get_data(as_text=True) for url in ("/", "/book", "/login", "/reset")]
    login(client, "coach@example.com")
    pages += [client.get(url).get_data(as_text=True) for url in
              ("/coach", "/coach/availability", "/coach/calendar", "/coach/bookings", "/account")]
    for html in pages:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r"\son[a-z]+\s*=", html, re.I) and "hx-on" not in html
        assert "javascript:" not in html
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', pages[0]).group(1)
    assert '"includeIndicatorStyles":false' in config and '"allowEval":false' in config


# --- the page cache ---------------------------------------------------------------------------------

def test_a_boosted_request_cannot_poison_the_fragment_cache(app, open_coach):
    slot = free_slots(open_coach)[0]
    url = f"/book?date={slot.start.date().isoformat()}&tz=Europe/London"
    poison = app.test_client().get(url, headers={**HX, "HX-Boosted": "true"})
    assert "<html" in poison.get_data(as_text=True)  # a boosted request gets the whole page
    fragment = app.test_client().get(url, headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and "<!doctype" not in fragment.lower()
    restore = app.test_client().get(url, headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_reset_requests_from_everywhere_cannot_flood_an_inbox(mail_app, smtp_server, users):
    from blueprints.auth.notices import RESETS_PER_HOUR
    for n in range(RESETS_PER_HOUR + 3):
        stranger = mail_app.test_client()
        stranger.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        assert stranger.post("/reset", data={"email": "alex@example.com"}).status_code == 303
    assert deliver_mail(mail_app) == RESETS_PER_HOUR


def test_moving_or_cancelling_a_booking_is_rate_limited(app, client, open_coach):
    from support.booking import make_booking
    app.config["BOOKING_RATE_LIMIT"] = "2 per minute"
    booking = make_booking(open_coach, free_slots(open_coach)[0].start)
    target = free_slots(open_coach)[3].start.strftime("%Y-%m-%dT%H:%M:%SZ")
    statuses = [client.post(f"/booking/{booking.manage_token}/reschedule", data={"start": target}).status_code
                for _ in range(3)]
    assert statuses[-1] == 429


def test_the_worker_forgets_sessions_older_than_any_cookie(app, users):
    from blueprints.auth.models import LoginSession
    from blueprints.auth.notices import tidy_accounts
    from database import utcnow
    old = LoginSession.create(user=users["client_a"], key_hash="a" * 64, created_at=utcnow() - timedelta(days=400))
    recent = LoginSession.create(user=users["client_a"], key_hash="b" * 64, created_at=utcnow() - timedelta(days=30))
    with app.app_context():
        assert tidy_accounts(app) == 1
    assert [s.id for s in LoginSession.select()] == [recent.id] and old.id != recent.id


def test_any_login_user_call_opens_a_session_that_logout_ends(app, users):
    """Features sign people in with Flask-Login's login_user (e.g. accepting an invitation):
    every such sign-in is a server-side session too, so logging out really ends it."""
    from flask import session
    from flask_login import login_user
    from blueprints.auth.models import LoginSession, User
    with app.test_request_context("/"):
        login_user(User.get_by_id(users["client_b"].id))
        cookie_id = session["_user_id"]
    assert LoginSession.select().where(LoginSession.user == users["client_b"].id).count() == 1
    assert User.from_session_id(cookie_id).id == users["client_b"].id
    LoginSession.end_all(users["client_b"].id)
    assert User.from_session_id(cookie_id) is None
