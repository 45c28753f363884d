"""/healthz?deep=1: the worker's health for the signed-in coach, and nothing more for anyone else."""
from datetime import timedelta

import pytest

from support.mail import deliver_mail
from support.pages import HX


def queue(to="someone@example.org", subject="Hello", **fields):
    from mail import OutboxMessage
    return OutboxMessage.create(to_addr=to, subject=subject, text_body="private words", **fields)


def failing_source(coach, name="Work calendar"):
    from database import utcnow
    from scheduling.models import BusySource
    return BusySource.create(coach=coach, name=name, url="https://cal.example/x.ics", last_error="HTTP 404",
                             last_attempt_at=utcnow())


@pytest.fixture
def troubled(app, users):
    """A sent message, an old pending one, a new pending one, and a failing source per coach."""
    from database import utcnow
    from mail import SENT
    now = utcnow()
    queue(subject="Sent", status=SENT, sent_at=now - timedelta(minutes=5))
    queue(subject="Old", created_at=now - timedelta(hours=2), to="late@example.org")
    queue(subject="New")
    failing_source(users["coach"])
    failing_source(users["other_coach"], name="Other coach's diary")
    return users


@pytest.mark.parametrize("who", [None, "alex@example.com"])
def test_anyone_but_a_coach_gets_the_plain_ok(client, auth, troubled, who):
    if who:
        auth.login(who)
    for headers in ({}, HX):
        response = client.get("/healthz?deep=1", headers=headers)
        assert response.status_code == 200 and response.get_data(as_text=True) == "ok"


def test_coach_sees_mail_backlog_and_their_failing_calendars(client, auth, troubled):
    auth.login("coach@example.com")
    response = client.get("/healthz?deep=1")
    assert response.status_code == 200 and response.headers["Cache-Control"].startswith("no-store")
    report = response.get_json()
    assert report["status"] == "attention"
    assert report["mail"]["backlog"] == 2 and report["mail"]["failed"] == 0
    assert report["mail"]["last_successful_send"].endswith("Z")
    assert report["mail"]["oldest_pending"] < report["mail"]["last_successful_send"]
    assert [s["name"] for s in report["failing_calendar_sources"]] == ["Work calendar"]
    assert report["failing_calendar_sources"][0]["error"] == "HTTP 404"
    assert any("worker running" in p for p in report["problems"])
    body = response.get_data(as_text=True)
    assert "Other coach" not in body and "late@example.org" not in body and "private words" not in body
    assert client.get("/healthz").get_data(as_text=True) == "ok"  # without deep=1: unchanged


def test_another_coach_sees_only_their_own_sources(client, auth, troubled):
    auth.login("other@example.com")
    report = client.get("/healthz?deep=1").get_json()
    assert [s["name"] for s in report["failing_calendar_sources"]] == ["Other coach's diary"]


def test_all_clear_after_the_worker_sends(mail_app, users, smtp_server):
    queue()
    client = mail_app.test_client()
    client.post("/login", data={"email": "coach@example.com", "password": "correct horse battery"})
    before = client.get("/healthz?deep=1").get_json()
    assert before["mail"]["backlog"] == 1 and before["mail"]["last_successful_send"] is None
    assert before["status"] == "ok"  # one fresh message waiting is normal
    assert deliver_mail(mail_app) == 1
    after = client.get("/healthz?deep=1").get_json()
    assert after["mail"]["backlog"] == 0 and after["mail"]["oldest_pending"] is None
    assert after["mail"]["last_successful_send"] is not None and after["status"] == "ok"
