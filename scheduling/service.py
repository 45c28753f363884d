"""The scheduling service: stored availability → the pure slot engine, with a small cache.

Every kind of appointment asks here which times are free (`free_slots_for`) and re-checks a
time inside its own transaction (`bookable_slot`, after `bump_version` took the coach's lock).

The cache key holds the coach's `availability_version`, which every change that can alter free
slots (hours, overrides, one-offs, settings, bookings, busy times) raises in its own transaction.
Each request reads the version fresh from the database, so no worker ever serves a taken slot.
"""
from datetime import timedelta
from zoneinfo import ZoneInfo

from blueprints.auth.models import CoachProfile
from database import utcnow
from lru import LRU
from scheduling import slots, stamps
from scheduling.models import Booking, BusyBlock, DateOverride, OneOffSlot, WeeklyHours
from timezones import local_today

_CACHE = LRU(512)


def call_rules(profile, minutes=None):
    """The coach's rules for one kind of appointment: `minutes` long (default: the discovery call).
    Step, buffer, notice, horizon and daily cap are the coach's, whatever the type."""
    return slots.CallRules(
        duration=timedelta(minutes=minutes or profile.call_minutes),
        step=timedelta(minutes=profile.step_minutes),
        buffer=timedelta(minutes=profile.buffer_minutes),
        min_notice=timedelta(hours=profile.min_notice_hours),
        horizon=timedelta(days=profile.horizon_days),
        max_per_day=profile.max_per_day,
    )


def availability_for(profile, now=None, minutes=None):
    coach, now = profile.user_id, now or utcnow()
    today = local_today(now, profile.timezone)
    weekly = tuple(
        slots.WeeklyRange(row.weekday, slots.TimeRange(row.start_time, row.end_time))
        for row in WeeklyHours.for_coach(coach)
    )
    overrides = tuple(
        slots.DateRule(
            row.day, row.kind,
            slots.TimeRange(row.start_time, row.end_time) if row.start_time and row.end_time else None,
        )
        for row in DateOverride.for_coach(coach, since=today - timedelta(days=1))
    )
    # Only one-offs the booking horizon can reach: a far-off stored date never gets near the engine.
    until = now + timedelta(days=profile.horizon_days + 2)
    one_offs = tuple(row.starts_at for row in OneOffSlot.upcoming(coach, now).where(OneOffSlot.starts_at < until))
    return slots.Availability(tz=ZoneInfo(profile.timezone), weekly=weekly, overrides=overrides,
                              one_off_starts=one_offs, rules=call_rules(profile, minutes))


def booking_intervals(coach_id, start, end, exclude_booking_id=None):
    query = Booking.active_for_coach(coach_id, start, end)
    if exclude_booking_id is not None:
        query = query.where(Booking.id != exclude_booking_id)
    return [(b.starts_at, b.ends_at) for b in query]


def busy_intervals(coach_id, start, end):
    return [(b.starts_at, b.ends_at) for b in BusyBlock.of_coach(coach_id, start, end)]


def _engine_inputs(profile, start, end, now, exclude_booking_id, minutes=None):
    """The slot engine's inputs for starts in [start, end], read from the database."""
    # Bookings and busy blocks just outside the window still matter (buffers, daily caps on
    # local days that reach past the window, 25-hour days when the clocks go back).
    margin = timedelta(days=2, minutes=profile.buffer_minutes)
    around = (start - margin, end + margin)
    return availability_for(profile, now, minutes), {
        "bookings": booking_intervals(profile.user_id, *around, exclude_booking_id),
        "busy": busy_intervals(profile.user_id, *around),
        "now": now,
    }


def _compute(profile, window_start, window_end, now, exclude_booking_id, minutes):
    availability, inputs = _engine_inputs(profile, window_start, window_end, now, exclude_booking_id, minutes)
    return slots.free_slots(availability, **inputs, window_start=window_start, window_end=window_end)


def free_slots_for(profile, window_start, window_end, now=None, exclude_booking_id=None, minutes=None):
    """Free slots of `profile`'s coach starting in [window_start, window_end), `minutes` long
    (default: the discovery call's length)."""
    now = now or utcnow()
    # Computed with `now` floored to the minute (a superset), then trimmed to the real notice.
    bucket = now.replace(second=0, microsecond=0)
    # updated_at too: a fresh database (tests, a restore) can repeat an id and a version.
    key = (profile.id, profile.availability_version, profile.updated_at, window_start, window_end, bucket,
           exclude_booking_id, minutes or profile.call_minutes)
    cached = _CACHE.get(key)
    if cached is None:
        cached = _compute(profile, window_start, window_end, bucket, exclude_booking_id, minutes)
        _CACHE.put(key, cached)
    earliest = now + timedelta(hours=profile.min_notice_hours)
    return [slot for slot in cached if slot.start >= earliest]


def bookable_slot(profile, start, now=None, exclude_booking_id=None, minutes=None):
    """The slot at `start` if it is free right now (uncached: used inside booking transactions)."""
    availability, inputs = _engine_inputs(profile, start, start, now or utcnow(), exclude_booking_id, minutes)
    return slots.is_bookable(availability, **inputs, start=start)


def bump_version(coach_id):
    """Call inside the transaction of any change that can alter free slots.

    On PostgreSQL the UPDATE also locks the coach's profile row, which serialises concurrent
    bookings of one coach until commit (SQLite serialises writers with BEGIN IMMEDIATE).
    """
    CoachProfile.update(
        availability_version=CoachProfile.availability_version + 1, updated_at=utcnow()
    ).where(CoachProfile.user == coach_id).execute()
    stamps.forget()  # this worker's next request reads the new stamp; others hear of it on commit
