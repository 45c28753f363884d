"""Prospect retention: a prospect who never became a client is forgotten N months after the call."""
from datetime import datetime, timedelta, timezone

import pytest

from support.booking import make_booking, profile_of
from support.calendar import events_of, settle_profiles
from support.pages import HX

MARKER = "RETENTION-MARKER-51c2"


def months_ago(months, days=0):
    from dateutil.relativedelta import relativedelta

    from database import utcnow
    return (utcnow() - relativedelta(months=months) - timedelta(days=days)).replace(microsecond=0)


def prospect(coach, starts_at, **fields):
    """A past discovery call full of personal details, and the emails it caused."""
    from mail import SENT, OutboxMessage
    fields = {"name": f"Casey {MARKER}", "email": f"casey.{MARKER.lower()}@example.org", "phone": "+44 7700 900999",
              "answer": f"I'm afraid of {MARKER}", "status": "completed", **fields}
    booking = make_booking(coach, starts_at, **fields)
    for to in (booking.email, coach.email):  # the confirmation and the coach's notification
        OutboxMessage.create(to_addr=to, subject=f"Call with {booking.name}", text_body=f"Answers: {MARKER}",
                             status=SENT, sent_at=starts_at - timedelta(days=2), created_at=starts_at - timedelta(days=2))
    return booking


def run_retention(app, now=None):
    from blueprints.booking.service import forget_old_prospects
    with app.app_context():
        return forget_old_prospects(app, now=now)


def everything_stored(app):
    """Every row of every table, as text: where a forgotten detail must not be."""
    from database import db
    from models import ALL_MODELS
    rows = []
    for model in ALL_MODELS:
        rows += [repr(row) for row in db.execute_sql(f'SELECT * FROM "{model._meta.table_name}"').fetchall()]
    return "\n".join(rows)


def reload(booking):
    from scheduling.models import Booking
    return Booking.get_by_id(booking.id)


def test_a_prospect_past_retention_is_anonymised(app, client, users):
    coach = users["coach"]
    old = prospect(coach, months_ago(12, days=1))
    old_token = old.manage_token
    assert MARKER in everything_stored(app)

    assert run_retention(app) == 1

    assert MARKER.lower() not in everything_stored(app).lower()
    forgotten = reload(old)
    assert forgotten.anonymised_at is not None and forgotten.name.startswith("Former prospect")
    assert forgotten.email == "" and forgotten.phone == "" and list(forgotten.answers) == []
    # The call still happened at that time (the coach's history adds up), and the old link is dead.
    assert forgotten.starts_at == old.starts_at and forgotten.status == "completed" and forgotten.uid == old.uid
    assert client.get(f"/booking/{old_token}").status_code == 404
    assert run_retention(app) == 0  # done once


def test_a_prospect_within_retention_is_kept(app, users):
    recent = prospect(users["coach"], months_ago(11, days=20))
    assert run_retention(app) == 0
    assert reload(recent).name == f"Casey {MARKER}" and MARKER in everything_stored(app)


def test_a_clients_discovery_call_is_kept(app, users):
    client_a = users["client_a"]
    linked = prospect(users["coach"], months_ago(30), client=client_a, email=client_a.email)
    # Booked with the address of an account but never linked: still someone we work with.
    by_email = prospect(users["coach"], months_ago(30, days=3), email="SAM@example.com")
    assert run_retention(app) == 0
    assert reload(linked).anonymised_at is None and list(reload(linked).answers)
    assert reload(by_email).name == f"Casey {MARKER}"


def test_old_sent_email_goes_but_waiting_email_stays(app, users):
    from mail import OutboxMessage
    prospect(users["coach"], months_ago(12, days=5))
    waiting = OutboxMessage.create(to_addr="x@example.org", subject="Waiting", text_body="t",
                                   created_at=months_ago(13))  # never sent: the worker still owes it
    recent = OutboxMessage.create(to_addr="y@example.org", subject="Recent", text_body="t", status="sent")
    run_retention(app)
    assert {m.id for m in OutboxMessage.select()} == {waiting.id, recent.id}


def test_zero_months_keeps_everything(app, users):
    old = prospect(users["coach"], months_ago(40))
    app.config["PROSPECT_RETENTION_MONTHS"] = 0
    assert run_retention(app) == 0
    assert reload(old).anonymised_at is None


def test_the_worker_does_it(app, runner, users):
    old = prospect(users["coach"], months_ago(13))
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert reload(old).anonymised_at is not None


def test_the_coachs_feed_still_parses_and_shows_an_anonymous_call(app, client, users):
    app.config["PROSPECT_RETENTION_MONTHS"] = 1
    settle_profiles()
    old = prospect(users["coach"], months_ago(1, days=10))  # still inside the feed's 90 past days
    run_retention(app)
    response = client.get(f"/calendar/{profile_of(users['coach']).feed_token}.ics")
    assert response.status_code == 200 and MARKER not in response.get_data(as_text=True)
    event = events_of(response.data)[old.uid]
    assert str(event["SUMMARY"]) == "Discovery call: Former prospect (details removed)"
    assert "ATTENDEE" not in event and "<>" not in str(event["DESCRIPTION"])


@pytest.mark.parametrize("headers", [{}, HX])
def test_coach_sees_the_call_without_details_and_cannot_make_a_client_of_it(client, auth, app, users, headers):
    old = prospect(users["coach"], months_ago(13))
    run_retention(app)
    auth.login()
    html = client.get("/coach/bookings?show=past", headers=headers).get_data(as_text=True)
    assert "details removed" in html and MARKER not in html and "mailto:\"" not in html
    assert f"/coach/bookings/{old.id}/make-client" not in html
    response = client.post(f"/coach/bookings/{old.id}/make-client", headers=headers)
    assert response.status_code == (204 if headers else 303)  # back to the list, nothing made
    from blueprints.auth.models import User
    assert User.select().count() == 5  # nobody was created


def test_privacy_page_says_so(app, client, users):
    assert "deleted automatically 12 months after" in client.get("/privacy").get_data(as_text=True)
    app.config["PROSPECT_RETENTION_MONTHS"] = 6
    assert "deleted automatically 6 months after" in client.get("/privacy", headers=HX).get_data(as_text=True)


@pytest.mark.parametrize("now, months, cutoff", [
    ("2027-03-31 12:00", 12, "2026-03-31 12:00"),
    ("2028-02-29 09:00", 12, "2027-02-28 09:00"),  # no 29 February: the last day of the month
    ("2027-03-31 00:00", 1, "2027-02-28 00:00"),
    ("2027-01-15 23:59", 24, "2025-01-15 23:59"),
])
def test_retention_cutoff_counts_calendar_months(now, months, cutoff):
    from blueprints.booking.service import retention_cutoff

    def utc(text):
        return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)

    assert retention_cutoff(utc(now), months) == utc(cutoff)
