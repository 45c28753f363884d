"""What an outside probe broke, each pinned by a test: mail that one visitor could stop, redirects
that left the site, timing that told accounts apart, dates and bytes that became 500s."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from support.accounts import PASSWORD, sign_in
from support.booking import book, booking_form, bookings, free_slots, iso, make_booking
from support.mail import deliver_mail, outbox
from support.pages import HX
from support.pages import unescaped as text


# --- 1. one visitor could stop all email -----------------------------------------------------

def test_a_message_that_cannot_be_built_fails_alone_and_the_others_are_sent(mail_app, smtp_server, users):
    from mail import FAILED, SENT, OutboxMessage
    good_before = OutboxMessage.create(to_addr="alex@example.com", subject="Before", text_body="one")
    broken = [OutboxMessage.create(to_addr=f"x{n}@example.com\nBcc: a@b.example", subject="Hi", text_body="x")
              for n in range(12)]
    good_after = OutboxMessage.create(to_addr="sam@example.com", subject="After", text_body="two")
    assert deliver_mail(mail_app) == 2
    assert sorted(m["Subject"] for m in smtp_server.wait_for(2)) == ["After", "Before"]
    assert {OutboxMessage.get_by_id(m.id).status for m in (good_before, good_after)} == {SENT}
    for row in broken:
        stored = OutboxMessage.get_by_id(row.id)
        assert stored.status == FAILED and stored.attempts == 1 and stored.last_error
    assert deliver_mail(mail_app) == 0  # failed rows are kept, never retried into a loop


def test_a_name_with_a_line_break_is_stored_on_one_line_and_mail_flows(mail_app, smtp_server, open_coach):
    client = mail_app.test_client()
    slot = free_slots(open_coach)[0]
    response = book(client, open_coach, slot.start, name="x\nBcc: victim@example.net")
    assert response.status_code == 303
    [booking] = bookings()
    assert booking.name == "x Bcc: victim@example.net"
    assert deliver_mail(mail_app) == 2  # the visitor's confirmation and the coach's notice
    for message in smtp_server.wait_for(2):
        assert message["Bcc"] is None and "victim" not in (message["To"] or "")


def test_the_coach_sees_email_that_could_not_be_sent(app, client, users):
    from mail import FAILED, OutboxMessage
    booking = make_booking(users["coach"], datetime.now(timezone.utc) + timedelta(days=3), email="Casey@Example.org")
    OutboxMessage.create(to_addr="casey@example.org", subject="Your call with Jo", text_body="x",
                         status=FAILED, last_error="Header values may not contain linefeed")
    OutboxMessage.create(to_addr="olly@example.com", subject="Another coach's client", text_body="x",
                         status=FAILED, last_error="nope")
    sign_in(client, "coach")
    for headers in ({}, HX):
        html = text(client.get("/coach", headers=headers))
        assert "Emails that couldn't be sent" in html and "Your call with Jo" in html and booking.email
        assert "Another coach's client" not in html


# --- 2 and 8. redirects after login ------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/%5Cevil.example", "/\\evil.example", "//evil.example", "https://evil.example/", "/%09/evil.example",
    "/%0A/evil.example", "/coach%0D%0ASet-Cookie:%20x=y", "javascript:alert(1)", "evil.example",
])
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_login_never_redirects_off_site(client, users, target, headers):
    response = client.post(f"/login?next={target}", data={"email": "coach@example.com", "password": PASSWORD},
                           headers=headers)
    assert response.status_code in (204, 303)
    where = response.headers.get("HX-Redirect") or response.headers["Location"]
    assert where == "/coach"


def test_login_follows_a_plain_local_next(client, users):
    response = client.post("/login?next=/coach/bookings%3Fshow%3Dpast", headers=HX,
                           data={"email": "coach@example.com", "password": PASSWORD})
    assert response.headers["HX-Redirect"] == "/coach/bookings?show=past"


# --- 3. timing: unknown and known addresses cost the same ----------------------------------------

def test_login_costs_one_verification_whether_or_not_the_account_exists(client, users, monkeypatch):
    from argon2 import PasswordHasher
    calls = []
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "hash", lambda self, *a, **k: calls.append("hash") or real_hash(self, *a, **k))
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, *a, **k: calls.append("verify") or real_verify(self, *a, **k))
    client.post("/login", data={"email": "nobody@example.com", "password": "wrong password"})  # warm up
    for email in ("nobody@example.com", "alex@example.com", "someone.else@example.com"):
        calls.clear()
        response = client.post("/login", data={"email": email, "password": "wrong password"})
        assert response.status_code == 422
        assert calls == ["verify"], email


def test_reset_request_does_the_same_work_for_known_and_unknown_addresses(mail_app, smtp_server, users):
    from blueprints.auth.models import AccountNotice, PasswordReset
    from mail import OutboxMessage
    client = mail_app.test_client()
    answers = [client.post("/reset", data={"email": email}) for email in ("alex@example.com", "nobody@example.com")]
    assert [(r.status_code, r.headers["Location"]) for r in answers] == [(303, "/login")] * 2
    # Each request only queued a notice: nothing looked the address up yet.
    assert AccountNotice.select().count() == 2
    assert PasswordReset.select().count() == 0 and OutboxMessage.select().count() == 0
    assert deliver_mail(mail_app) == 1
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "alex@example.com" and AccountNotice.select().count() == 0


# --- 5 and 6. dates at the ends of the calendar ------------------------------------------------

EDGES = ["0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-14:00", "9999-12-31T00:00:00Z"]


@pytest.mark.parametrize("start", EDGES)
def test_a_start_at_the_end_of_time_is_a_400_with_the_reason(client, open_coach, start):
    from urllib.parse import unquote
    for response in (client.get(f"/book/slot?start={start}"),
                     client.post("/book", data={**booking_form(open_coach, datetime.now(timezone.utc)),
                                                "start": unquote(start)})):
        assert response.status_code == 400
        assert "Please choose a time from the list" in text(response)
    assert bookings() == []


@pytest.mark.parametrize("start", EDGES)
def test_rescheduling_to_the_end_of_time_is_a_400(client, open_coach, start):
    from urllib.parse import unquote
    booking = make_booking(open_coach, free_slots(open_coach)[0].start)
    token = booking.manage_token
    assert client.get(f"/booking/{token}/reschedule?start={start}").status_code == 400
    assert client.post(f"/booking/{token}/reschedule", data={"start": unquote(start)}).status_code == 400
    assert bookings()[0].starts_at == booking.starts_at


def test_far_off_one_off_slots_and_overrides_are_refused_at_the_form(client, open_coach):
    from scheduling.models import DateOverride, OneOffSlot
    sign_in(client, "coach")
    one_off = client.post("/coach/availability/one-offs", data={"one-off-day": "9999-12-31", "one-off-at": "10:00"})
    override = client.post("/coach/availability/overrides", data={"override-day": "9999-12-31", "override-kind": "block"})
    for response in (one_off, override):
        assert response.status_code == 422 and "Pick a date within the next two years." in text(response)
    assert OneOffSlot.select().count() == 0 and DateOverride.select().count() == 0


def test_pages_stand_on_a_stored_one_off_at_the_end_of_time(client, open_coach):
    from scheduling.models import OneOffSlot
    from blueprints.auth.models import User
    from scheduling.service import bump_version
    User.update(timezone="Asia/Tokyo").where(User.id == open_coach.id).execute()  # ahead of UTC: 9999-12-31 23:00Z has no local time
    slot = OneOffSlot.create(coach=open_coach, starts_at=datetime(9999, 12, 31, 23, tzinfo=timezone.utc))
    bump_version(open_coach.id)
    assert client.get("/book").status_code == 200
    sign_in(client, "coach")
    assert client.get("/coach/availability").status_code == 200
    assert client.post(f"/coach/availability/one-offs/{slot.id}/delete").status_code == 303
    assert OneOffSlot.select().count() == 0


# --- 7. NUL bytes, everywhere ------------------------------------------------------------------

def test_nul_in_the_address_is_a_404_and_in_the_query_is_dropped(client, open_coach):
    assert client.get("/booking/a%00b").status_code == 404
    assert client.get("/booking/a%00b.ics").status_code == 404
    assert client.get("/calendar/a%00b.ics").status_code == 404
    assert client.get("/calendar/client/a%00b.ics").status_code == 404
    response = client.get("/book?tz=Europe/Paris%00&%00=x")
    assert response.status_code == 200 and "<strong>Paris</strong> time" in text(response)


def test_nul_in_a_form_is_dropped_like_any_invisible_character(client, open_coach):
    slot = free_slots(open_coach)[0]
    response = book(client, open_coach, slot.start, name="a\x00b\x07c")
    assert response.status_code == 303
    assert bookings()[0].name == "abc"
    assert client.post("/login", data={"email": "coach@example.com\x00", "password": "x\x00"}).status_code == 422


# --- weak: huge ids ------------------------------------------------------------------------------

def test_ids_too_large_for_the_database_are_404(client, users):
    sign_in(client, "coach")
    for url in ("/coach/bookings/99999999999999999999999/cancel", "/coach/bookings/2147483648/outcome",
                "/coach/availability/one-offs/99999999999999999999/delete"):
        assert client.post(url).status_code == 404


# --- single-line fields, for every form (also ones written later) -------------------------------

def test_every_single_line_field_of_any_form_turns_line_breaks_into_spaces(app):
    from flask_wtf import FlaskForm
    from wtforms import EmailField, PasswordField, StringField, TextAreaField

    class LaterForm(FlaskForm):  # as a feature written after this one would declare it
        title = StringField("Title")
        email = EmailField("Email")
        body = TextAreaField("Entry")
        password = PasswordField("Password")

    data = {"title": "Goal\r\nBcc: x@y", "email": "a@b.example\n", "body": "line one\r\nline two\x0c",
            "password": "pass\nword"}
    with app.test_request_context("/", method="POST", data=data):
        app.preprocess_request()  # the central clean-up runs before any view
        form = LaterForm()
        assert form.title.data == "Goal Bcc: x@y"
        assert form.email.data == "a@b.example"
        assert form.body.data == "line one\r\nline two"  # text areas keep their lines
        assert form.password.data == "pass\nword"  # compared as typed, never shown or mailed
