"""About 24 hours before a call the worker emails the visitor a reminder — once, even with two workers."""
from datetime import timedelta

import pytest

from support.booking import book, bookings, free_slots, iso
from support.mail import deliver_mail, outbox
from support.servers import workers_at_once

DAY = timedelta(hours=24)


@pytest.fixture
def call(client, open_coach):
    """A call booked now, three days ahead."""
    slot = free_slots(open_coach, days_ahead=3)[0]
    assert book(client, open_coach, slot.start).status_code == 303
    [booking] = bookings()
    return booking


def reminders_sent():
    return [m for m in outbox() if m.subject.startswith("Reminder:")]


def run(app, now):
    from blueprints.booking.service import send_due_reminders
    return send_due_reminders(app, now=now)


def test_reminder_is_queued_once_about_a_day_before(app, call):
    assert run(app, call.starts_at - DAY - timedelta(minutes=5)) == 0  # not yet
    assert run(app, call.starts_at - DAY + timedelta(minutes=5)) == 1
    assert run(app, call.starts_at - timedelta(hours=20)) == 0  # never twice
    [reminder] = reminders_sent()
    assert reminder.to_addr == "robin@example.org"
    assert f"http://localhost/booking/{call.manage_token}" in reminder.text_body
    assert bookings()[0].reminder_sent_at is not None


def test_reminder_arrives_through_smtp_from_the_worker_pass(mail_app, smtp_server, open_coach):
    from commands import run_worker_pass
    from scheduling.models import Booking
    client = mail_app.test_client()
    slot = free_slots(open_coach, days_ahead=3)[0]
    book(client, open_coach, slot.start)
    deliver_mail(mail_app)
    smtp_server.messages.clear()
    # The worker runs with the real clock: make the call due by moving it (and its booking time) back.
    from database import utcnow
    soon = utcnow() + timedelta(hours=20)
    Booking.update(starts_at=soon, ends_at=soon + timedelta(minutes=30), updated_at=utcnow() - 3 * DAY).execute()
    with mail_app.app_context():
        results = run_worker_pass(mail_app)
    assert results["reminders"] == 1
    deliver_mail(mail_app)
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "robin@example.org" and message["Subject"].startswith("Reminder:")
    assert "coming up" in message.get_body(("plain",)).get_content()


def test_the_task_is_registered_with_the_worker(app):
    from blueprints.booking.service import send_due_reminders
    assert ("reminders", send_due_reminders) in app.extensions["worker_tasks"]


def test_no_reminder_for_a_cancelled_call(app, client, call):
    client.post(f"/booking/{call.manage_token}/cancel", data={})
    assert run(app, call.starts_at - timedelta(hours=12)) == 0


def test_no_reminder_for_a_call_booked_within_the_last_day(app, call):
    # Booked 20 hours before it starts: the confirmation has just gone out; a reminder would be noise.
    from scheduling.models import Booking
    Booking.update(updated_at=call.starts_at - timedelta(hours=20)).execute()
    assert run(app, call.starts_at - timedelta(hours=10)) == 0


def test_no_reminder_once_the_call_has_started(app, call):
    assert run(app, call.starts_at + timedelta(minutes=1)) == 0


def test_moving_the_call_earns_a_reminder_for_the_new_time(app, client, open_coach, call):
    assert run(app, call.starts_at - timedelta(hours=23)) == 1
    new = free_slots(open_coach, days_ahead=5)[0]
    response = client.post(f"/booking/{call.manage_token}/reschedule", data={"start": iso(new.start), "tz": "Europe/London"})
    assert response.status_code == 303
    assert bookings()[0].reminder_sent_at is None
    assert run(app, new.start - timedelta(hours=23)) == 1
    assert len(reminders_sent()) == 2


def test_two_workers_at_once_send_one_reminder(make_app, call):
    workers = [make_app(), make_app()]
    due = call.starts_at - timedelta(hours=23)
    counts, errors = workers_at_once(workers * 2, lambda app: run(app, due))
    assert errors == []
    assert sorted(counts) == [0, 0, 0, 1]
    assert len(reminders_sent()) == 1


def test_claim_is_a_conditional_update(app, call):
    # A worker that read the booking before another claimed it must find nothing left to claim.
    from blueprints.booking.service import claim_and_remind
    stale = bookings()[0]
    due = call.starts_at - timedelta(hours=23)
    with app.test_request_context("/"):
        assert claim_and_remind(stale, due) is True
        assert claim_and_remind(stale, due) is False
    assert len(reminders_sent()) == 1
