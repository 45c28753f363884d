"""Prospect retention: a discovery call's personal details do not outlive their purpose.

A prospect who never became a client has their name, email, phone, cancellation note and intake
answers removed PROSPECT_RETENTION_MONTHS after the call (a worker task). The booking itself
stays — anonymous, with its time, status and calendar identity — so the coach's history, counts
and calendar feed stay consistent. Copies of sent email older than the same period go too: they
repeat the answers and addresses.
"""
from dateutil.relativedelta import relativedelta

from blueprints.booking.models import Booking, IntakeAnswer, new_manage_token
from database import db, utcnow
from mail import PENDING, OutboxMessage

ANONYMOUS_NAME = "Former prospect (details removed)"


def retention_cutoff(now, months):
    """Calls that started before this moment are past retention (calendar months, so 12 from
    31 March is 31 March a year earlier; from 29 February, 28 February)."""
    return now - relativedelta(months=months)


def anonymise_booking(booking, now):
    """Remove one call's personal details. The old manage link stops working."""
    with db.atomic():
        IntakeAnswer.delete().where(IntakeAnswer.booking == booking).execute()
        Booking.update(
            name=ANONYMOUS_NAME, email="", phone="", cancel_reason="", manage_token=new_manage_token(),
            anonymised_at=now, updated_at=now,  # updated_at: calendar feeds see the change
        ).where((Booking.id == booking.id) & Booking.anonymised_at.is_null()).execute()


def forget_old_prospects(app, now=None):
    """Worker task: anonymise prospects past retention, drop old sent email. Returns how many calls."""
    months = app.config.get("PROSPECT_RETENTION_MONTHS") or 0
    if months <= 0:
        return 0  # 0 keeps everything (the operator chose to, e.g. under a legal hold)
    now = now or utcnow()
    cutoff = retention_cutoff(now, months)
    calls = list(Booking.prospect_calls_before(cutoff).limit(500))
    for booking in calls:
        anonymise_booking(booking, now)
    OutboxMessage.delete().where((OutboxMessage.status != PENDING) & (OutboxMessage.created_at < cutoff)).execute()
    return len(calls)
