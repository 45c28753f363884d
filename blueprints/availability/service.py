"""Writes of the availability editor, one transaction each.

Every write that can move free slots raises the coach's availability version in the same
transaction, so the booking page's slot cache never outlives the change. Each function returns
the sentence the coach sees afterwards.
"""
from blueprints.auth.models import CoachProfile
from database import db, utcnow
from scheduling.models import WEEKDAYS, DateOverride, OneOffSlot, WeeklyHours
from scheduling.ranges import covers, format_range, join_overlapping
from scheduling.service import bump_version

CALL_SETTINGS = ("call_minutes", "step_minutes", "buffer_minutes", "min_notice_hours", "horizon_days",
                 "max_per_day", "location_kind", "location_detail")
ONE_OFF_FORMAT = "%a %-d %b %Y, %H:%M"


def add_weekly_range(coach_id, weekday, start, end):
    """Add a range to a weekday; ranges it overlaps or touches are joined into one."""
    day = WEEKDAYS[weekday]
    with db.atomic():
        rows = list(WeeklyHours.for_coach(coach_id).where(WeeklyHours.weekday == weekday))
        for row in rows:
            if covers(row.start_time, row.end_time, start, end):
                return f"{day} already includes {format_range(start, end)}."
        start, end, absorbed = join_overlapping([(r.id, r.start_time, r.end_time) for r in rows], start, end)
        if absorbed:
            WeeklyHours.delete().where(WeeklyHours.id.in_(list(absorbed))).execute()
        WeeklyHours.create(coach=coach_id, weekday=weekday, start_time=start, end_time=end)
        bump_version(coach_id)
    if absorbed:
        return f"{day} is now {format_range(start, end)} (joined with the hours it overlapped)."
    return f"Added {day} {format_range(start, end)}."


def _remove(row, message):
    """Delete one of the coach's rows; the slots it made (or closed) change in the same transaction."""
    with db.atomic():
        row.delete_instance()
        bump_version(row.coach_id)
    return message


def remove_weekly_range(row):
    return _remove(row, f"Removed {WEEKDAYS[row.weekday]} {format_range(row.start_time, row.end_time)}.")


def add_override(coach_id, form):
    with db.atomic():
        DateOverride.create(coach=coach_id, day=form.day.data, kind=form.kind.data, start_time=form.start.data,
                            end_time=form.end.data, note=(form.note.data or "").strip())
        bump_version(coach_id)
    day = form.day.data.strftime("%a %-d %b %Y")
    if form.kind.data == DateOverride.EXTRA:
        return f"Added extra hours on {day}: {format_range(form.start.data, form.end.data)}."
    if form.start.data is None:
        return f"Blocked all of {day}."
    return f"Blocked {day}, {format_range(form.start.data, form.end.data)}."


def remove_override(row):
    return _remove(row, f"Removed the change on {row.day.strftime('%a %-d %b %Y')}.")


def add_one_off(coach_id, starts_at, zone):
    """Raises peewee.IntegrityError (and stores nothing) if that start is already offered."""
    with db.atomic():
        OneOffSlot.create(coach=coach_id, starts_at=starts_at)
        bump_version(coach_id)
    return f"Added a one-off slot: {starts_at.astimezone(zone).strftime(ONE_OFF_FORMAT)}."


def remove_one_off(row, zone):
    return _remove(row, f"Removed the one-off slot of {_one_off_time(row.starts_at, zone)}.")


def _one_off_time(instant, zone):
    try:
        return instant.astimezone(zone).strftime(ONE_OFF_FORMAT)
    except OverflowError:  # stored before dates this far ahead were refused: still removable
        return instant.strftime(ONE_OFF_FORMAT) + " UTC"


def save_call_settings(coach_id, form):
    values = {name: getattr(form, name).data for name in CALL_SETTINGS}
    values["location_detail"] = (values["location_detail"] or "").strip()
    with db.atomic():
        CoachProfile.update(updated_at=utcnow(), **values).where(CoachProfile.user == coach_id).execute()
        bump_version(coach_id)
    return "Call settings saved."
