"""Writes of the availability editor, one transaction each.

Every write that can move free slots raises the coach's availability version in the same
transaction, so the booking page's slot cache never outlives the change. Each function returns
the sentence the coach sees afterwards.
"""
from blueprints.auth.models import CoachProfile
from database import db, utcnow
from scheduling.models import WEEKDAYS, DateOverride, OneOffSlot, WeeklyHours
from scheduling.ranges import format_range, merge_ranges
from scheduling.service import bump_version
from timezones import local_time

CALL_SETTINGS = ("call_minutes", "step_minutes", "buffer_minutes", "min_notice_hours", "horizon_days",
                 "max_per_day", "location_kind", "location_detail")
ONE_OFF_FORMAT = "%a %-d %b %Y, %H:%M"


def save_week(coach_id, week, hour12=False):
    """The week grid: `week` maps weekdays to their [(start, end)], which replace those days'
    hours (ranges that overlap or touch are joined; days not in `week` keep theirs)."""
    with db.atomic():
        stored = _week_of(coach_id)
        new = {day: merge_ranges(ranges) for day, ranges in week.items()}
        changed = {day: ranges for day, ranges in new.items() if ranges != stored.get(day, [])}
        if not changed:
            return "Nothing changed."
        WeeklyHours.delete().where((WeeklyHours.coach == coach_id) & WeeklyHours.weekday.in_(list(changed))).execute()
        for day, ranges in changed.items():
            for start, end in ranges:
                WeeklyHours.create(coach=coach_id, weekday=day, start_time=start, end_time=end)
        bump_version(coach_id)
    return "Saved. " + "; ".join(f"{WEEKDAYS[day]}: {_day_text(ranges, hour12)}"
                                 for day, ranges in sorted(changed.items())) + "."


def _week_of(coach_id):
    week = {}
    for row in WeeklyHours.for_coach(coach_id):
        week.setdefault(row.weekday, []).append((row.start_time, row.end_time))
    return week


def _day_text(ranges, hour12):
    return ", ".join(format_range(start, end, hour12) for start, end in ranges) or "not available"


def _remove(row, message):
    """Delete one of the coach's rows; the slots it made (or closed) change in the same transaction."""
    with db.atomic():
        row.delete_instance()
        bump_version(row.coach_id)
    return message


def add_override(coach_id, form, hour12=False):
    with db.atomic():
        DateOverride.create(coach=coach_id, day=form.day.data, kind=form.kind.data, start_time=form.start.data,
                            end_time=form.end.data, note=(form.note.data or "").strip())
        bump_version(coach_id)
    day = form.day.data.strftime("%a %-d %b %Y")
    if form.kind.data == DateOverride.EXTRA:
        return f"Added extra hours on {day}: {format_range(form.start.data, form.end.data, hour12)}."
    if form.start.data is None:
        return f"Blocked all of {day}."
    return f"Blocked {day}, {format_range(form.start.data, form.end.data, hour12)}."


def remove_override(row):
    return _remove(row, f"Removed the change on {row.day.strftime('%a %-d %b %Y')}.")


def add_one_off(coach_id, starts_at, zone, hour12=False):
    """Raises peewee.IntegrityError (and stores nothing) if that start is already offered."""
    with db.atomic():
        OneOffSlot.create(coach=coach_id, starts_at=starts_at)
        bump_version(coach_id)
    return f"Added a one-off slot: {local_time(starts_at, str(zone), ONE_OFF_FORMAT, hour12)}."


def remove_one_off(row, zone, hour12=False):
    # local_time shows a slot stored before far-off dates were refused in UTC: still removable.
    return _remove(row, f"Removed the one-off slot of {local_time(row.starts_at, str(zone), ONE_OFF_FORMAT, hour12)}.")


def save_call_settings(coach_id, form):
    values = {name: getattr(form, name).data for name in CALL_SETTINGS}
    values["location_detail"] = (values["location_detail"] or "").strip()
    with db.atomic():
        CoachProfile.update(updated_at=utcnow(), **values).where(CoachProfile.user == coach_id).execute()
        bump_version(coach_id)
    return "Call settings saved."
