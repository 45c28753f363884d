"""The session prep email: the morning before each session, once, with only what the client shared."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from support.journal import session, write
from support.mail import deliver_mail, outbox
from support.servers import workers_at_once

LONDON = ZoneInfo("Europe/London")
PRIVATE = "PRIVATE-MARKER-never-mailed"


def local(y, m, d, h, minute=0, tz=LONDON):
    return datetime(y, m, d, h, minute, tzinfo=tz).astimezone(timezone.utc)


@pytest.mark.parametrize("starts,booked,due", [
    # Booked well ahead: 07:00 the day before, in the coach's zone (also across the clock change).
    (local(2027, 3, 10, 14), local(2027, 3, 1, 9), local(2027, 3, 9, 7)),
    (local(2027, 3, 29, 9), local(2027, 3, 1, 9), local(2027, 3, 28, 7)),  # BST began at 01:00 that day
    (local(2027, 3, 10, 0, 30), local(2027, 3, 1, 9), local(2027, 3, 9, 7)),  # just after midnight
    # Booked after that morning: 07:00 on the day itself.
    (local(2027, 3, 10, 14), local(2027, 3, 9, 18), local(2027, 3, 10, 7)),
    # Booked on the day after 07:00, or for before 07:00 the evening before: at once.
    (local(2027, 3, 10, 14), local(2027, 3, 10, 9), local(2027, 3, 10, 9)),
    (local(2027, 3, 10, 6, 30), local(2027, 3, 9, 20), local(2027, 3, 9, 20)),
])
def test_when_the_prep_email_is_due(starts, booked, due):
    from blueprints.journal.prep_email import prep_email_due_at
    assert prep_email_due_at(starts, booked, "Europe/London") == due


def test_the_morning_is_the_coachs_not_utc():
    from blueprints.journal.prep_email import prep_email_due_at
    tokyo = ZoneInfo("Asia/Tokyo")
    starts = local(2027, 3, 10, 14, tz=tokyo)
    assert prep_email_due_at(starts, local(2027, 3, 1, 9), "Asia/Tokyo") == local(2027, 3, 9, 7, tz=tokyo)


@pytest.fixture
def prep(app, users):
    """Jo (London) asked for prep emails; Alex has a session in three days, after one last week."""
    from blueprints.auth.models import CoachProfile
    from blueprints.journal import service
    from blueprints.journal.models import JournalPrompt
    from blueprints.journal.prompts import ensure_library
    from database import utcnow
    coach, alex = users["coach"], users["client_a"]
    CoachProfile.update(prep_email=True).where(CoachProfile.user == coach).execute()
    now = utcnow()
    session(coach, alex, now - timedelta(days=7))
    upcoming = session(coach, alex, (now + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0))
    upcoming.updated_at = now - timedelta(days=1)
    upcoming.save()
    ensure_library(coach)
    prompt = JournalPrompt.active(coach).first()
    service.assign_prompt(coach, alex, prompt, now=now - timedelta(days=6))
    write(alex, "Shared since last time: **the rota** talk went well.", at=now - timedelta(days=2), mood=4, shared=True)
    write(alex, f"{PRIVATE} about my manager", at=now - timedelta(days=1), mood=1, tags=["secret-tag"])
    write(alex, "My answer to the prompt, shared.", at=now - timedelta(days=5), prompt_source=prompt.id, shared=True)
    write(alex, "An older shared entry, before the last session.", at=now - timedelta(days=9), shared=True)
    write(alex, "An earlier answer to the same prompt.", at=now - timedelta(days=8), prompt_source=prompt.id, shared=True)
    write(users["client_b"], "Sam's shared entry", at=now - timedelta(days=1), shared=True)
    return {"session": upcoming, "prompt": prompt, "coach": coach, "alex": alex}


def due_at(booking):
    from blueprints.journal.prep_email import prep_email_due_at
    return prep_email_due_at(booking.starts_at, booking.updated_at, "Europe/London")


def run(app, now):
    from blueprints.journal.prep_email import send_due_prep_emails
    return send_due_prep_emails(app, now=now)


def prep_emails():
    return [m for m in outbox() if m.subject.startswith("Session prep:")]


def test_sent_once_the_morning_before(app, prep):
    due = due_at(prep["session"])
    assert due.astimezone(LONDON).hour == 7
    assert due.astimezone(LONDON).date() == prep["session"].starts_at.astimezone(LONDON).date() - timedelta(days=1)
    assert run(app, due - timedelta(minutes=5)) == 0
    assert prep_emails() == []
    assert run(app, due + timedelta(minutes=5)) == 1
    assert run(app, due + timedelta(hours=3)) == 0  # never twice
    [message] = prep_emails()
    assert message.to_addr == "coach@example.com" and "Alex Morgan" in message.subject
    body = message.text_body
    assert "Shared since last time: **the rota** talk went well." in body
    assert "My answer to the prompt, shared." in body
    assert "Answered before your last session:" in body and "An earlier answer to the same prompt." in body
    assert prep["prompt"].text in body
    assert "mood averaged 4.0 of 5 over 1 entries" in body  # the private mood-1 entry is not counted
    assert "An older shared entry" not in body  # before the last session, and no answer to the prompt
    assert "Sam's shared entry" not in body
    assert f"http://localhost/coach/clients/{prep['alex'].id}#prep" in body


def test_never_a_private_word(app, prep):
    run(app, due_at(prep["session"]) + timedelta(minutes=1))
    [message] = prep_emails()
    text = message.subject + message.text_body + (message.html_body or "")
    assert PRIVATE not in text and "secret-tag" not in text and "my manager" not in text


def test_not_sent_when_the_coach_has_not_asked_for_it(app, prep):
    from blueprints.auth.models import CoachProfile
    CoachProfile.update(prep_email=False).execute()
    assert run(app, due_at(prep["session"]) + timedelta(minutes=5)) == 0
    assert prep_emails() == []


def test_a_cancelled_session_gets_none(app, prep):
    from scheduling.models import CANCELLED, Booking
    Booking.update(status=CANCELLED).where(Booking.id == prep["session"].id).execute()
    assert run(app, due_at(prep["session"]) + timedelta(minutes=5)) == 0
    assert prep_emails() == []


def test_none_once_the_session_has_started(app, prep):
    assert run(app, prep["session"].starts_at + timedelta(minutes=1)) == 0


def test_a_moved_session_gets_one_for_its_new_time(app, prep):
    from scheduling.models import Booking
    booking = prep["session"]
    assert run(app, due_at(booking) + timedelta(minutes=1)) == 1
    moved = booking.starts_at + timedelta(days=2)
    Booking.update(starts_at=moved, ends_at=moved + timedelta(hours=1)).where(Booking.id == booking.id).execute()
    booking = Booking.get_by_id(booking.id)
    assert run(app, due_at(booking) - timedelta(minutes=1)) == 0
    assert run(app, due_at(booking) + timedelta(minutes=1)) == 1
    assert len(prep_emails()) == 2


def test_two_workers_at_once_send_one(make_app, prep):
    workers = [make_app(), make_app()]
    due = due_at(prep["session"]) + timedelta(minutes=1)
    counts, errors = workers_at_once(workers * 2, lambda app: run(app, due))
    assert errors == []
    assert sorted(counts) == [0, 0, 0, 1]
    assert len(prep_emails()) == 1


def test_the_task_is_registered_with_the_worker(app):
    from blueprints.journal.prep_email import send_due_prep_emails
    assert ("session prep", send_due_prep_emails) in app.extensions["worker_tasks"]


def test_arrives_through_smtp_from_the_worker_pass(mail_app, smtp_server, prep):
    """The real worker pass with the real clock: a session 12 hours from now, booked last week,
    is past 07:00 of the day before it (whatever the time now), so its email is due."""
    from commands import run_worker_pass
    from database import utcnow
    from scheduling.models import Booking
    deliver_mail(mail_app)  # the invitations from setting up the accounts
    smtp_server.messages.clear()
    now = utcnow()
    soon = (now + timedelta(hours=12)).replace(microsecond=0)
    Booking.update(starts_at=soon, ends_at=soon + timedelta(hours=1), updated_at=now - timedelta(days=7)) \
        .where(Booking.id == prep["session"].id).execute()
    with mail_app.app_context():
        results = run_worker_pass(mail_app)
    assert results["session prep"] == 1
    deliver_mail(mail_app)
    smtp_server.wait_for(2)  # the client's own reminder goes out in the same pass
    [message] = [m for m in smtp_server.messages if m["Subject"].startswith("Session prep:")]
    assert message["To"] == "coach@example.com" and message["Subject"].startswith("Session prep: Alex Morgan")
    text = message.get_body(("plain",)).get_content()
    assert "the rota" in text and PRIVATE not in text


# --- the coach's setting -------------------------------------------------------------------------

def prep_box(html):
    import re
    return re.search(r'<input[^>]*name="prep_email"[^>]*>', html).group(0)


def wants_prep_email(user):
    from blueprints.auth.models import CoachProfile
    return CoachProfile.get(CoachProfile.user == user).prep_email


def test_off_until_the_coach_turns_it_on(client, users):
    from support.accounts import sign_in
    coach = sign_in(client, "coach")
    page = coach.get("/coach/settings").get_data(as_text=True)
    assert "Session prep by email" in page and 'id="prep-email-form"' in page
    assert "checked" not in prep_box(page) and not wants_prep_email(users["coach"])


def test_the_coach_turns_it_on_and_off_with_a_plain_form(client, users):
    from support.accounts import sign_in
    coach = sign_in(client, "coach")
    response = coach.post("/coach/settings/prep-email", data={"prep_email": "y"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/coach/settings")
    assert wants_prep_email(users["coach"]) and not wants_prep_email(users["other_coach"])
    page = coach.get("/coach/settings").get_data(as_text=True)
    assert "Session prep will arrive by email" in page
    assert "checked" in prep_box(page)
    coach.post("/coach/settings/prep-email", data={})
    assert not wants_prep_email(users["coach"])


def test_the_setting_under_htmx(client, users):
    from support.accounts import sign_in
    from support.pages import HX
    coach = sign_in(client, "coach")
    response = coach.post("/coach/settings/prep-email", data={"prep_email": "y"}, headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/coach/settings"
    assert wants_prep_email(users["coach"])


@pytest.mark.parametrize("who,status", [(None, 302), ("client_a", 403), ("other_coach", 303)])
def test_only_a_coach_sets_it_and_only_for_themselves(client, users, who, status):
    from support.accounts import sign_in
    if who:
        sign_in(client, who)
    response = client.post("/coach/settings/prep-email", data={"prep_email": "y"})
    assert response.status_code == status
    assert not wants_prep_email(users["coach"])
    assert wants_prep_email(users["other_coach"]) == (who == "other_coach")
