"""Booking coaching sessions: a client books a client-only type from the coach's free slots,
or the coach schedules one at any time. Same guarantees as discovery calls (see blueprints/booking/service.py):
the coach's write lock first, a re-check under it, and the database's own no-overlap guard."""
import secrets
from datetime import timedelta

from peewee import IntegrityError

from blueprints.booking import notices
from blueprints.booking.service import BookingClosed, SlotTaken
from blueprints.calendar.events import new_uid
from database import utcnow, write_transaction
from scheduling import service
from scheduling.models import CONFIRMED, Booking, SessionType


def add_type(coach_id, name, minutes, location_kind, location_detail):
    return SessionType.create(coach=coach_id, name=name.strip(), minutes=minutes, location_kind=location_kind,
                              location_detail=(location_detail or "").strip(),
                              position=SessionType.offered_by(coach_id).count())


def update_type(session_type, name, minutes, location_kind, location_detail):
    """Booked sessions keep the time and place they were booked with (their own snapshot)."""
    SessionType.update(name=name.strip(), minutes=minutes, location_kind=location_kind,
                       location_detail=(location_detail or "").strip()).where(SessionType.id == session_type.id).execute()


def retire_type(session_type):
    """Kept, not deleted: booked sessions still say what they were."""
    SessionType.update(active=False).where(SessionType.id == session_type.id).execute()


class NotYourCoach(Exception):
    """Only a coach's own (active) clients may book the coach's client-only session types."""


class TimeRefused(Exception):
    """The coach's chosen time can't be used as it is; str(exc) says why (past, or busy unconfirmed)."""


def check_coach_time(coach_id, start, end, clash_ok, now):
    """The coach may pick any future time; one that overlaps their own calendar needs a 'yes, anyway'."""
    if start <= now:
        raise TimeRefused("That time has passed. Choose a time in the future.")
    if overlapping_busy(coach_id, start, end) and not clash_ok:
        raise TimeRefused("This overlaps something in your own calendar. Tick the box to book it anyway.")


def _create(profile, session_type, client, start, end, zone_name, now):
    return Booking.create(
        coach=profile.user_id, client=client, kind="session", session_type=session_type,
        name=client.name, email=client.email, timezone=zone_name, starts_at=start, ends_at=end,
        location=session_type.location_text(), location_kind=session_type.location_kind,
        uid=new_uid(secrets.token_urlsafe(18)), consent_at=now, created_at=now, updated_at=now)


def book_session(profile, session_type, client, start, zone_name, now=None):
    """The client books `session_type` at `start` if it is one of the coach's free slots."""
    now = now or utcnow()
    if client.coach_id != profile.user_id or session_type.coach_id != profile.user_id:
        raise NotYourCoach()
    try:
        with write_transaction():
            service.bump_version(profile.user_id)
            slot = service.bookable_slot(profile, start, now=now, minutes=session_type.minutes)
            if slot is None:
                raise SlotTaken()
            booking = _create(profile, session_type, client, slot.start, slot.end, zone_name, now)
            notices.booked(booking)
    except IntegrityError:
        raise SlotTaken() from None
    return booking


def overlapping_busy(coach_id, start, end):
    """The coach's busy times (their own calendars) that overlap [start, end): a warning, not a refusal."""
    return service.busy_intervals(coach_id, start, end)


def schedule_session(profile, session_type, client, start, clash_ok=False, now=None):
    """The coach puts a session in at any future time, even outside their hours or notice;
    another booking at an overlapping time refuses it (SlotTaken)."""
    now = now or utcnow()
    end = start + timedelta(minutes=session_type.minutes)
    if client.coach_id != profile.user_id or session_type.coach_id != profile.user_id:
        raise NotYourCoach()
    check_coach_time(profile.user_id, start, end, clash_ok, now)
    try:
        with write_transaction():
            service.bump_version(profile.user_id)
            if Booking.active_for_coach(profile.user_id, start, end).exists():
                raise SlotTaken()
            booking = _create(profile, session_type, client, start, end, client.timezone, now)
            notices.booked(booking)
    except IntegrityError:
        raise SlotTaken() from None
    return booking


def move_by_coach(booking, start, message="", clash_ok=False, now=None):
    """The coach moves any upcoming booking to any future time (hours and notice don't bind them);
    another booking at an overlapping time refuses it. The person is emailed, with the message."""
    now = now or utcnow()
    end = start + timedelta(minutes=booking.minutes)
    old_start = booking.starts_at
    check_coach_time(booking.coach_id, start, end, clash_ok, now)
    try:
        with write_transaction():
            service.bump_version(booking.coach_id)
            current = Booking.get_by_id(booking.id)
            if current.status != CONFIRMED or current.starts_at <= now:
                raise BookingClosed("Only upcoming bookings can be moved.")
            if Booking.active_for_coach(booking.coach_id, start, end).where(Booking.id != booking.id).exists():
                raise SlotTaken()
            Booking.update(starts_at=start, ends_at=end, sequence=Booking.sequence + 1, reminder_sent_at=None,
                           updated_at=now).where(Booking.id == booking.id).execute()
            fresh = Booking.get_by_id(booking.id)
            notices.rescheduled(fresh, old_start, message=message, by="coach")
    except IntegrityError:
        raise SlotTaken() from None
    return fresh
