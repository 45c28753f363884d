"""What the availability editor page shows, and how its forms answer.

The page is one template of self-targeting sections (Jinja blocks). A change answers htmx with
its fresh section plus the preview of free slots out of band, and a plain form POST with
303 → the page, scrolled back to the section.
"""
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import flash, redirect, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_blocks

from blueprints.availability.forms import CallSettingsForm, HoursForm, OneOffForm, OverrideForm
from blueprints.intake.forms import question_form
from blueprints.intake.models import IntakeQuestion
from database import utcnow
from scheduling import service, slots
from scheduling.models import WEEKDAYS, DateOverride, OneOffSlot, WeeklyHours
from scheduling.ranges import format_range
from timezones import day_window, local_today
from web import current_coach_profile, render

TEMPLATE = "availability/edit.html"
PREVIEW_DAYS = 14
# Sections whose changes move free slots; the preview follows them.
SLOT_SECTIONS = ("weekly_hours", "overrides", "one_offs", "call_settings")


def coach_clock(profile):
    """(zone, now, today): the coach's zone, the present instant, and today's date there."""
    now = utcnow()
    return ZoneInfo(profile.timezone), now, local_today(now, profile.timezone)


# Forms. Prefixes keep the ids and names of the many forms on one page apart; a fresh form gets
# formdata=None, or Flask-WTF would fill it from whichever form was just posted.

def hours_form(weekday, formdata=None):
    return HoursForm(formdata=formdata, prefix=f"day{weekday}")


def override_form(today, formdata=None):
    return OverrideForm(formdata=formdata, prefix="override", today=today)


def one_off_form(zone, now, formdata=None):
    return OneOffForm(formdata=formdata, prefix="one-off", zone=zone, now=now)


def settings_form(profile, formdata=None):
    return CallSettingsForm(formdata=formdata, obj=profile)


def two_week_preview(profile, zone, now):
    """The free slots a visitor could book now, from now to the end of the 14th local day."""
    today = now.astimezone(zone).date()
    window_end, _ = day_window(today + timedelta(days=PREVIEW_DAYS), zone)
    # The window starts at `now` exactly, never on a rounded boundary: the slot cache keys on
    # (profile id, version, window), which a database reset (tests) can repeat.
    found = service.free_slots_for(profile, now, window_end, now=now)
    return {"days": slots.days_with_free_slots(found, zone), "count": len(found),
            "last_day": today + timedelta(days=PREVIEW_DAYS - 1)}


def editor_context(hours_forms=None, **bound_forms):
    """Everything the page shows; `bound_forms` (posted, with errors) replace the fresh ones."""
    profile = current_coach_profile()
    zone, now, today = coach_clock(profile)
    hours = list(WeeklyHours.for_coach(current_user.id))
    hours_forms = hours_forms or {}
    questions = list(IntakeQuestion.for_coach(current_user.id))
    question_forms = bound_forms.pop("question_forms", {})
    context = dict(
        profile=profile, zone=zone, today=today, wall_range=format_range, has_hours=bool(hours),
        weekdays=[(n, name, [h for h in hours if h.weekday == n], hours_forms.get(n) or hours_form(n))
                  for n, name in enumerate(WEEKDAYS)],
        overrides=list(DateOverride.for_coach(current_user.id, since=today)),
        override_form=override_form(today),
        one_offs=list(OneOffSlot.upcoming(current_user.id, now)),
        one_off_form=one_off_form(zone, now),
        settings_form=settings_form(profile),
        questions=[(q, question_forms.get(q.id) or question_form(q)) for q in questions],
        new_question_form=question_form(),
        preview=two_week_preview(profile, zone, now),
    )
    context.update(bound_forms)
    return context


def changed(section, message):
    """A change was stored: the fresh section (and the preview, out of band) or 303 → the page."""
    flash(message, "success")
    if request.htmx and not request.htmx.boosted:
        blocks = [section, "preview"] if section in SLOT_SECTIONS else [section]
        return render_blocks(TEMPLATE, blocks, preview_oob=True, **editor_context())
    return redirect(url_for("availability.edit", _anchor=section.replace("_", "-")), code=303)


def refused(section, **bound_forms):
    """Validation failed and nothing was stored: the section again, input kept, status 422."""
    return render(TEMPLATE, block=section, status=422, **editor_context(**bound_forms))
