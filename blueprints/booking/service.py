"""Booking, cancelling, rescheduling and reminding: each one transaction, each safe to race.

No two active bookings of a coach may overlap. The database enforces it (PostgreSQL:
exclusion constraint; both: partial unique index on the start), and every write that takes a
time re-checks the slot inside its own transaction after taking the coach's write lock:
`scheduling.service.bump_version` first (on PostgreSQL that UPDATE locks the coach's profile row until
commit; on SQLite `BEGIN IMMEDIATE` already serialises writers), then `bookable_slot`.
Whoever loses a race gets `SlotTaken`, never a 500 and never a double booking.
"""
import secrets
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from peewee import IntegrityError

from blueprints.auth.models import CoachProfile
from blueprints.booking import notices
from blueprints.calendar.events import new_uid
from blueprints.intake.models import IntakeAnswer
from blueprints.intake.service import save_answers
from database import db, utcnow, write_transaction
from mail import PENDING, OutboxMessage
from scheduling.models import ACTIVE_STATUSES, CANCELLED, COMPLETED, CONFIRMED, NO_SHOW, Booking, new_manage_token
from scheduling.service import bookable_slot, bump_version

REMINDER_BEFORE = timedelta(hours=24)
# A visitor who cancels may take it back this long after; the cancellation emails wait as long.
UNDO_CANCEL = timedelta(minutes=5)
OUTCOMES = (COMPLETED, NO_SHOW)


class SlotTaken(Exception):
    """The time was taken (or stopped being offered) before this request could book it."""


class TooManyUpcoming(Exception):
    """The visitor's address already holds as many upcoming calls as one person may."""


class BookingClosed(Exception):
    """The booking can no longer be changed; str(exc) says why, for the person asking."""


def change_notice(booking, by):
    """How long before the start the person may still change it: a client's coaching session
    follows the coach's notice rule; discovery calls and the coach's own changes need none."""
    if by != "visitor" or booking.kind != "session":
        return timedelta(0)
    profile = CoachProfile.for_user(booking.coach_id)
    return timedelta(hours=profile.min_notice_hours if profile else 0)


def change_problem(booking, now, by="visitor"):
    """Why `booking` cannot be cancelled or moved any more (by `by`), or "" if it can."""
    if booking.status == CANCELLED:
        return "This call was cancelled, so it can't be changed any more."
    if booking.status != CONFIRMED or booking.starts_at <= now:
        return "This call has already taken place, so it can't be changed any more."
    notice = change_notice(booking, by)
    if booking.starts_at <= now + notice:
        hours = int(notice.total_seconds() // 3600)
        return (f"Sessions can be moved or cancelled up to {hours} hours before they start. "
                f"Please write to {booking.coach.name} instead.")
    return ""


def book_call(profile, start, visitor, answers, zone_name, now=None, max_upcoming=None, hour12=False):
    """Book the slot at `start` for `visitor` (name, email, phone); raise SlotTaken if it's gone,
    TooManyUpcoming if their address already holds `max_upcoming` upcoming calls. `hour12`: the
    visitor's clock, for their emails."""
    now = now or utcnow()
    try:
        with write_transaction():
            bump_version(profile.user_id)
            # Counted under the coach's write lock, so parallel requests can't slip past the cap.
            if max_upcoming and Booking.upcoming_discovery_for_email(visitor["email"], now).count() >= max_upcoming:
                raise TooManyUpcoming()
            slot = bookable_slot(profile, start, now=now)
            if slot is None:
                raise SlotTaken()
            booking = Booking.create(
                coach=profile.user_id, starts_at=slot.start, ends_at=slot.end, timezone=zone_name, hour12=hour12,
                location=profile.location_text(), location_kind=profile.location_kind, uid=new_uid(secrets.token_urlsafe(18)),
                consent_at=now, created_at=now, updated_at=now, **visitor)
            save_answers(booking, answers)
            notices.booked(booking)
    except IntegrityError:
        # The database's own guard caught a concurrent booking of the same time.
        raise SlotTaken() from None
    return booking


def cancel_booking(booking, by, reason="", now=None):
    """Cancel an upcoming call (`by` is "visitor" or "coach"); the time is free again at commit.
    A visitor's cancellation can be undone for UNDO_CANCEL: its emails wait that long."""
    now = now or utcnow()
    notice = change_notice(booking, by)
    with write_transaction():
        bump_version(booking.coach_id)  # first, like every writer: one lock order, no deadlock
        changed = Booking.update(
            status=CANCELLED, cancelled_at=now, cancelled_by=by, cancel_reason=reason,
            sequence=Booking.sequence + 1, updated_at=now,
        ).where((Booking.id == booking.id) & (Booking.status == CONFIRMED)
                & (Booking.starts_at > now + notice)).execute()
        fresh = Booking.get_by_id(booking.id)
        if changed != 1:
            raise BookingClosed(change_problem(fresh, now, by) or "This call can't be cancelled any more.")
        notices.cancelled(fresh, hold_until=now + UNDO_CANCEL if by == "visitor" else None)
    return fresh


def undo_deadline(booking, now):
    """Until when the visitor may still take back their cancellation, or None if they can't."""
    if booking.status != CANCELLED or booking.cancelled_by != "visitor" or booking.cancelled_at is None:
        return None
    deadline = booking.cancelled_at + UNDO_CANCEL
    return deadline if now < deadline and now < booking.starts_at else None


def undo_cancel(booking, now=None):
    """Bring back a call the visitor cancelled moments ago; SlotTaken if someone took its time since.
    Its held cancellation emails are withdrawn, so nobody hears of the cancellation at all."""
    now = now or utcnow()
    try:
        with write_transaction():
            bump_version(booking.coach_id)
            current = Booking.get_by_id(booking.id)  # re-read under the lock
            if undo_deadline(current, now) is None:
                raise BookingClosed("It's too late to undo the cancellation. Please book a new time.")
            if Booking.active_for_coach(current.coach_id, current.starts_at, current.ends_at).exists():
                raise SlotTaken()
            Booking.update(status=CONFIRMED, cancelled_at=None, cancelled_by="", cancel_reason="",
                           sequence=Booking.sequence + 1, updated_at=now).where(
                (Booking.id == current.id) & (Booking.status == CANCELLED)).execute()
            fresh = Booking.get_by_id(current.id)
            if not notices.withdraw_cancellation(current, current.cancelled_at + UNDO_CANCEL):
                notices.booked(fresh)  # a cancellation email went out after all: confirm it again
    except IntegrityError:
        raise SlotTaken() from None
    return fresh


def reschedule_booking(booking, start, zone_name, now=None):
    """Move a call to the free slot at `start`; the old time is freed in the same transaction."""
    now = now or utcnow()
    old_start = booking.starts_at
    try:
        with write_transaction():
            bump_version(booking.coach_id)
            current = Booking.get_by_id(booking.id)  # re-read under the lock: it may have changed
            problem = change_problem(current, now, "visitor")
            if problem:
                raise BookingClosed(problem)
            profile = CoachProfile.get(CoachProfile.user == booking.coach_id)
            slot = bookable_slot(profile, start, now=now, exclude_booking_id=booking.id, minutes=current.minutes)
            if slot is None:
                raise SlotTaken()
            Booking.update(
                starts_at=slot.start, ends_at=slot.end, timezone=zone_name, sequence=Booking.sequence + 1,
                reminder_sent_at=None, updated_at=now,  # the new time deserves its own reminder
            ).where(Booking.id == booking.id).execute()
            fresh = Booking.get_by_id(booking.id)
            notices.rescheduled(fresh, old_start)
    except IntegrityError:
        raise SlotTaken() from None
    return fresh


def record_outcome(booking, outcome, now=None):
    """Mark a call that has started as completed or no-show (the time stays taken either way)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    now = now or utcnow()
    with db.atomic():
        changed = Booking.update(status=outcome, updated_at=now).where(
            (Booking.id == booking.id) & Booking.status.in_(ACTIVE_STATUSES) & (Booking.starts_at <= now)
        ).execute()
    if changed != 1:
        raise BookingClosed("Only calls that have started, and weren't cancelled, can be marked like that.")


# --- the reminder worker task ---------------------------------------------------------------

def send_due_reminders(app, now=None):
    """Worker task: email each visitor about 24 h before their call, once. Returns how many."""
    now = now or utcnow()
    sent = 0
    # Emails build absolute links with url_for, which needs a request context outside a request.
    with app.test_request_context("/"):
        for booking in list(Booking.due_reminders(now, REMINDER_BEFORE)):
            if booking.updated_at > booking.starts_at - REMINDER_BEFORE:
                continue  # booked or moved within the last day: the confirmation is the reminder
            if claim_and_remind(booking, now):
                sent += 1
    return sent


def claim_and_remind(booking, now):
    """Mark the reminder sent and queue it in one transaction: a second worker's UPDATE matches nothing."""
    with db.atomic():
        claimed = Booking.update(reminder_sent_at=now).where(
            (Booking.id == booking.id) & Booking.reminder_sent_at.is_null()
            & (Booking.status == CONFIRMED) & (Booking.starts_at == booking.starts_at)
        ).execute()
        if claimed != 1:
            return False
        notices.reminder(booking)
    return True


# --- prospect retention (a worker task) -----------------------------------------------------
# Prospect retention: a discovery call's personal details do not outlive their purpose.
#
# A prospect who never became a client has their name, email, phone, cancellation note and intake
# answers removed PROSPECT_RETENTION_MONTHS after the call (a worker task). The booking itself
# stays — anonymous, with its time, status and calendar identity — so the coach's history, counts
# and calendar feed stay consistent. Copies of sent email older than the same period go too: they
# repeat the answers and addresses.

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


def mark_bookings_seen(profile, now):
    """The coach opened their bookings: what was booked until `now` is no longer new to them."""
    CoachProfile.update(bookings_seen_at=now).where(CoachProfile.id == profile.id).execute()
