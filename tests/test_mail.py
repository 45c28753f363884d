"""The outbox: mail is queued with the change it reports and delivered by the worker, with retries."""
from datetime import timedelta

import pytest

from support.mail import deliver_mail, free_port


def queue(app, to="alex@example.com", **kwargs):
    from flask import has_request_context

    from mail import queue_email
    if not has_request_context():
        with app.test_request_context():
            return queue(app, to, **kwargs)
    return queue_email(to, "Hello", "password_reset",
                       user=type("U", (), {"name": "Alex", "email": to})(), link="http://x/y", hours=2, **kwargs)


def test_mail_is_queued_in_the_same_transaction_as_the_change(app, users):
    from blueprints.auth.models import PasswordReset
    from database import db
    from mail import OutboxMessage
    with app.test_request_context():
        with pytest.raises(RuntimeError):
            with db.atomic():
                PasswordReset.issue(users["client_a"], 2)
                queue(app)
                raise RuntimeError("the change failed")
    assert OutboxMessage.select().count() == 0 and PasswordReset.select().count() == 0


def test_worker_delivers_over_smtp(mail_app, smtp_server):
    queue(mail_app, ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", ics_method="REQUEST")
    assert deliver_mail(mail_app) == 1
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "alex@example.com"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "http://x/y" in parts["text/plain"].get_content()
    assert parts["text/calendar"].get_param("method") == "REQUEST"
    assert "application/ics" in parts
    from mail import SENT, OutboxMessage
    assert OutboxMessage.get().status == SENT
    assert deliver_mail(mail_app) == 0  # never sent twice


def test_smtp_down_keeps_the_message_and_retries_later(app, smtp_server):
    from database import utcnow
    from mail import PENDING, OutboxMessage
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=1)  # nothing listens
    queue(app)
    assert deliver_mail(app) == 0
    row = OutboxMessage.get()
    assert row.status == PENDING and row.attempts == 1 and row.last_error
    assert row.next_attempt_at > utcnow()
    assert deliver_mail(app) == 0  # not due yet: no hammering a dead server

    app.config.update(MAIL_PORT=smtp_server.port)
    OutboxMessage.update(next_attempt_at=utcnow() - timedelta(seconds=1)).execute()
    assert deliver_mail(app) == 1
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["alex@example.com"]


def test_gives_up_after_max_attempts_but_keeps_the_row(app):
    from database import utcnow
    from mail import FAILED, OutboxMessage
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=1, MAIL_MAX_ATTEMPTS=2)
    queue(app)
    for _ in range(2):
        OutboxMessage.update(next_attempt_at=utcnow() - timedelta(seconds=1)).execute()
        deliver_mail(app)
    row = OutboxMessage.get()
    assert row.status == FAILED and row.attempts == 2


def test_without_smtp_the_message_is_printed_to_the_log(app, caplog):
    queue(app)
    with caplog.at_level("INFO"):
        assert deliver_mail(app) == 1
    assert "http://x/y" in caplog.text


def test_a_message_claimed_by_another_worker_is_skipped(mail_app, smtp_server):
    from database import utcnow
    from mail import OutboxMessage
    queue(mail_app)
    OutboxMessage.update(claimed_until=utcnow() + timedelta(minutes=5)).execute()
    assert deliver_mail(mail_app) == 0


def test_worker_command_runs_one_pass(mail_app, smtp_server):
    queue(mail_app)
    result = mail_app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert len(smtp_server.wait_for(1)) == 1


def test_worker_command_shows_unsent_mail_in_its_output(app, caplog):
    queue(app)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Subject: Hello" in caplog.text and "http://x/y" in caplog.text
