"""What the visitor is offered: the month of free days, one day's slots, fresh alternatives.

Reads through `service.free_slots_for` (cached per availability_version), so showing the
picker costs no query beyond the coach's profile.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from blueprints.booking import picker
from database import utcnow
from scheduling import service
from scheduling.models import Booking
from scheduling.slots import days_with_free_slots
from timezones import UnknownZone, day_window, local_time, read_zone

ALTERNATIVES = 8  # enough to choose from, few enough to scan on a phone
ALTERNATIVES_AHEAD = timedelta(days=14)


@dataclass
class Picker:
    zone_name: str
    today: date
    last_day: date
    month: date
    day: date | None = None
    days: dict = field(default_factory=dict)  # local date -> free slots that day
    error: str = ""
    # Why times are in this zone: "chosen" (the address names it), "guessed" (from the browser's
    # language), "coach" (the coach's own, for want of better) or "yours" (the person's own).
    zone_source: str = "chosen"
    coach_name: str = ""

    @property
    def status(self):
        return 400 if self.error else 200

    @property
    def weeks(self):
        return picker.month_weeks(self.month)

    @property
    def day_slots(self):
        return self.days.get(self.day, []) if self.day else []

    @property
    def prev_month(self):
        earlier = picker.add_months(self.month, -1)
        return earlier if earlier >= picker.first_of_month(self.today) else None

    @property
    def next_month(self):
        later = picker.add_months(self.month, 1)
        return later if later <= self.last_day else None


def picker_for(profile, args, now=None, exclude_booking_id=None, default_zone=None, minutes=None,
               default_source="yours"):
    """The picker for request arguments `tz`, `date` and `month`; a bad one becomes `error` (400).
    Without `tz`, times are in `default_zone` (`default_source` says why), else the coach's."""
    now = now or utcnow()
    if not default_zone:
        default_zone, default_source = profile.timezone, "coach"
    error = ""
    source = "chosen" if args.get("tz") else default_source
    try:
        zone_name = read_zone(args.get("tz"), default_zone)
    except UnknownZone as exc:
        zone_name, error, source = read_zone(None, default_zone), str(exc), default_source
    zone = ZoneInfo(zone_name)
    today = now.astimezone(zone).date()
    last_day = (now + timedelta(days=profile.horizon_days)).astimezone(zone).date()
    try:
        choice = picker.choose(args.get("date"), args.get("month"), today, last_day)
    except picker.BadChoice as exc:
        choice, error = picker.PickerChoice(picker.first_of_month(today), None), error or str(exc)
    view = Picker(zone_name=zone_name, today=today, last_day=last_day, month=choice.month,
                  day=choice.day, error=error, zone_source=source, coach_name=profile.user.name)
    window_start = day_window(choice.month, zone)[0]
    window_end = day_window(picker.add_months(choice.month, 1), zone)[0]
    free = service.free_slots_for(profile, window_start, window_end, now=now,
                                  exclude_booking_id=exclude_booking_id, minutes=minutes)
    view.days = days_with_free_slots(free, zone)
    if view.day is None and not args.get("month") and not error and view.days:
        # A first visit opens on the earliest free day: one tap fewer to a booked call.
        view.day = min(view.days)
    return view


def offered_slot(profile, start, zone_name, now=None, exclude_booking_id=None, minutes=None):
    """The free slot starting at `start`, or None (read from the cached day)."""
    for slot in day_slots(profile, start, zone_name, now, exclude_booking_id, minutes):
        if slot.start == start:
            return slot
    return None


def day_slots(profile, start, zone_name, now=None, exclude_booking_id=None, minutes=None):
    zone = ZoneInfo(zone_name)
    window = day_window(start.astimezone(zone).date(), zone)
    return service.free_slots_for(profile, *window, now=now, exclude_booking_id=exclude_booking_id, minutes=minutes)


def alternatives(profile, start, zone_name, now=None, exclude_booking_id=None, minutes=None):
    """Fresh free slots to offer when `start` was just taken: that day's, else the next few."""
    same_day = day_slots(profile, start, zone_name, now, exclude_booking_id, minutes)
    if same_day:
        nearest = sorted(same_day, key=lambda slot: abs(slot.start - start))[:ALTERNATIVES]
        return sorted(nearest)
    day_end = day_window(start.astimezone(ZoneInfo(zone_name)).date(), ZoneInfo(zone_name))[1]
    later = service.free_slots_for(profile, day_end, day_end + ALTERNATIVES_AHEAD, now=now,
                                   exclude_booking_id=exclude_booking_id, minutes=minutes)
    return later[:ALTERNATIVES]


def unavailable_reason(profile, start, zone_name, now=None, exclude_booking_id=None, minutes=None, hour12=False):
    """Why the slot at `start` can't be booked, in the visitor's words, zone and clock."""
    now = now or utcnow()
    when = local_time(start, zone_name, "%A %-d %B, %H:%M", hour12=hour12)
    if start <= now:
        return f"{when} has already passed."
    if start < now + timedelta(hours=profile.min_notice_hours):
        return f"{when} is too soon: calls need {profile.min_notice_hours} hours' notice."
    if start > now + timedelta(days=profile.horizon_days):
        return f"{when} is too far ahead: calls can be booked up to {profile.horizon_days} days ahead."
    taken = Booking.active_for_coach(profile.user_id, start, start + timedelta(minutes=minutes or profile.call_minutes))
    if exclude_booking_id is not None:
        taken = taken.where(Booking.id != exclude_booking_id)
    if taken.exists():
        return f"Sorry — {when} was just taken by someone else."
    return f"Sorry — {when} is not available."


def times_of(profile, start, zone_name, minutes=None):
    """start, end and the visitor's local day of a call starting at `start`, for templates."""
    return {"start": start, "end": start + timedelta(minutes=minutes or profile.call_minutes),
            "day": start.astimezone(ZoneInfo(zone_name)).date()}
