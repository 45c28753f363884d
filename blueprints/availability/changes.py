"""Writes of the availability editor, one transaction each.

Every write that can move free slots raises the coach's availability version in the same
transaction, so the booking page's slot cache never outlives the change. Each function returns
the sentence the coach sees afterwards.
"""
from blueprints.availability import service
from blueprints.availability.models import WEEKDAYS, DateOverride, OneOffSlot, WeeklyHours
from blueprints.availability.ranges import covers, format_range, join_overlapping
from blueprints.booking.models import IntakeQuestion
from blueprints.coach.models import CoachProfile
from database import db, utcnow

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
        service.bump_version(coach_id)
    if absorbed:
        return f"{day} is now {format_range(start, end)} (joined with the hours it overlapped)."
    return f"Added {day} {format_range(start, end)}."


def remove_weekly_range(row):
    with db.atomic():
        row.delete_instance()
        service.bump_version(row.coach_id)
    return f"Removed {WEEKDAYS[row.weekday]} {format_range(row.start_time, row.end_time)}."


def add_override(coach_id, form):
    with db.atomic():
        DateOverride.create(coach=coach_id, day=form.day.data, kind=form.kind.data, start_time=form.start.data,
                            end_time=form.end.data, note=(form.note.data or "").strip())
        service.bump_version(coach_id)
    day = form.day.data.strftime("%a %-d %b %Y")
    if form.kind.data == DateOverride.EXTRA:
        return f"Added extra hours on {day}: {format_range(form.start.data, form.end.data)}."
    if form.start.data is None:
        return f"Blocked all of {day}."
    return f"Blocked {day}, {format_range(form.start.data, form.end.data)}."


def remove_override(row):
    with db.atomic():
        row.delete_instance()
        service.bump_version(row.coach_id)
    return f"Removed the change on {row.day.strftime('%a %-d %b %Y')}."


def add_one_off(coach_id, starts_at, zone):
    """Raises peewee.IntegrityError (and stores nothing) if that start is already offered."""
    with db.atomic():
        OneOffSlot.create(coach=coach_id, starts_at=starts_at)
        service.bump_version(coach_id)
    return f"Added a one-off slot: {starts_at.astimezone(zone).strftime(ONE_OFF_FORMAT)}."


def remove_one_off(row, zone):
    with db.atomic():
        row.delete_instance()
        service.bump_version(row.coach_id)
    return f"Removed the one-off slot of {_one_off_time(row.starts_at, zone)}."


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
        service.bump_version(coach_id)
    return "Call settings saved."


# Intake questions do not move free slots, so they leave the availability version alone.

def add_question(coach_id, form):
    with db.atomic():
        last = (IntakeQuestion.select(IntakeQuestion.position).where(IntakeQuestion.coach == coach_id)
                .order_by(IntakeQuestion.position.desc()).first())
        IntakeQuestion.create(coach=coach_id, position=(last.position + 1) if last else 0, **question_values(form))
    return "Question added. Visitors answer it from their next booking on."


def update_question(question, form):
    # Earlier answers keep the wording they were given with (IntakeAnswer.question_label).
    with db.atomic():
        IntakeQuestion.update(**question_values(form)).where(IntakeQuestion.id == question.id).execute()
    return "Question saved."


def retire_question(question):
    # Never deleted: answers already given still point at their question.
    with db.atomic():
        IntakeQuestion.update(active=False).where(IntakeQuestion.id == question.id).execute()
    return f"Removed “{question.label}”. Answers already given keep it."


def question_values(form):
    return {"label": form.label.data.strip(), "help_text": (form.help_text.data or "").strip(),
            "required": form.required.data, "multiline": form.multiline.data}
