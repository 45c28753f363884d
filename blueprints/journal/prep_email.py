"""The session prep email: the morning before each coaching session, the coach (if they asked for
it on their settings page) gets what the client shared for it — the prep page, in their inbox.

When: 07:00 in the coach's zone on the day before the session; a session booked (or moved) after
that gets it at 07:00 on the day itself, or straight away if that has passed too. What: only
`context.prep_material`, the prep page's own source, which reads shared entries and nothing else.
Once: the row that records it (JournalPrepEmail, unique per session and start time) is written in
the transaction that queues the message, so a second worker, or a restarted one, sends nothing.
"""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import peewee as pw
from flask import current_app, url_for

from blueprints.journal.context import prep_material
from blueprints.journal.models import JournalPrepEmail
from database import db, utcnow
from mail import queue_email
from timezones import local_time

MORNING = time(7)
LOOK_AHEAD = timedelta(days=3)  # the day before at 07:00 is never further ahead of a session
WHEN = "%A %-d %B, %H:%M"


def prep_email_due_at(starts_at, booked_at, zone):
    """When the prep email for a session starting at `starts_at`, booked (or last moved) at
    `booked_at`, is due: the first 07:00 (coach's zone) of the day before or of the day itself
    that comes after the booking and before the session; else at once."""
    tz = ZoneInfo(zone)
    session_day = starts_at.astimezone(tz).date()
    for day in (session_day - timedelta(days=1), session_day):
        morning = datetime.combine(day, MORNING, tz)
        if booked_at <= morning < starts_at:
            return morning
    return booked_at


def send_due_prep_emails(app, now=None):
    """Worker task: queue each due prep email, once. Returns how many were queued."""
    now = now or utcnow()
    queued = 0
    with app.test_request_context("/"):  # url_for outside a request
        for session in list(JournalPrepEmail.unsent_sessions(now, LOOK_AHEAD)):
            coach = session.coach
            if prep_email_due_at(session.starts_at, session.updated_at, coach.timezone) <= now \
                    and queue_prep_email(session, now):
                queued += 1
    return queued


def queue_prep_email(session, now):
    """Record it and queue it in one transaction; False when another worker already did."""
    coach, client = session.coach, session.client
    first = client.name.split()[0] if client.name.split() else client.name
    try:
        with db.atomic():
            JournalPrepEmail.create(booking=session, starts_at=session.starts_at, queued_at=now)
            queue_email(coach.email, f"Session prep: {client.name}, {local_time(session.starts_at, coach.timezone, WHEN)}",
                        "journal_session_prep", coach=coach, client=client, first=first, session=session, when=WHEN,
                        link=current_app.config["SITE_URL"] + url_for("coach.client_detail", client_id=client.id) + "#prep",
                        settings_link=current_app.config["SITE_URL"] + url_for("coach.settings"),
                        **prep_material(coach.id, client, now))
    except pw.IntegrityError:
        return False
    return True
