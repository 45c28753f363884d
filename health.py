"""The worker's health, for the coach: is email going out, and are their calendars being read?

`/healthz` answers `ok` to anyone; `/healthz?deep=1` adds this report for a signed-in coach
(anyone else still gets the plain `ok`: queue sizes and calendar names are nobody else's business).
"""
from datetime import timedelta

from database import utcnow
from mail import FAILED, PENDING, SENT, OutboxMessage
from scheduling.models import BusySource

# A message still pending after this long means the worker is not running or mail is failing.
STALE_PENDING = timedelta(minutes=30)


def _iso(moment):
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def mail_health(now):
    pending = OutboxMessage.select().where(OutboxMessage.status == PENDING)
    oldest_row = pending.order_by(OutboxMessage.created_at).first()
    last_sent_row = (OutboxMessage.select().where(OutboxMessage.status == SENT)
                     .order_by(OutboxMessage.sent_at.desc()).first())
    oldest = oldest_row.created_at if oldest_row else None
    last_sent = last_sent_row.sent_at if last_sent_row else None
    return {
        "last_successful_send": _iso(last_sent),
        "backlog": pending.count(),
        "oldest_pending": _iso(oldest),
        "failed": OutboxMessage.select().where(OutboxMessage.status == FAILED).count(),
        "stale": bool(oldest and now - oldest > STALE_PENDING),
    }


def failing_calendar_sources(coach):
    return [
        {"name": source.name, "error": source.last_error[:300], "last_success": _iso(source.last_success_at),
         "last_attempt": _iso(source.last_attempt_at)}
        for source in BusySource.for_coach(coach).where(BusySource.last_error != "")
    ]


def deep_report(coach):
    now = utcnow()
    mail = mail_health(now)
    calendars = failing_calendar_sources(coach)
    problems = []
    if mail["stale"]:
        problems.append("email has been waiting over 30 minutes: is the worker running?")
    if mail["failed"]:
        problems.append(f"{mail['failed']} email(s) gave up after every retry")
    if calendars:
        problems.append(f"{len(calendars)} calendar source(s) failing")
    return {"status": "attention" if problems else "ok", "problems": problems, "checked_at": _iso(now),
            "database": "ok", "mail": mail, "failing_calendar_sources": calendars}
