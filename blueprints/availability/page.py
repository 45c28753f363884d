"""What the availability editor's pages show, and how their forms answer.

One page per section, under /coach/availability: the week (with the preview of free slots),
date changes, one-off slots, call settings, questions. Each section is a self-targeting Jinja
block of its page's template. A change answers htmx with its fresh section plus the preview
out of band, and a plain form POST with 303 → the section's page.
"""
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import flash, redirect, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_blocks

from blueprints.availability.forms import CallSettingsForm, OneOffForm, OverrideForm, week_form
from blueprints.intake.forms import question_form
from blueprints.intake.models import IntakeQuestion
from database import utcnow
from scheduling import service, slots
from scheduling.models import DateOverride, OneOffSlot, WeeklyHours
from scheduling.ranges import format_range
from timezones import day_window, local_today
from web import current_coach_profile, render
from web.clock import viewer_hour12

TEMPLATE = "availability/edit.html"  # every section's page, each section a block of it
PREVIEW_DAYS = 14
# Each section: its page's endpoint (a GET), and whether the page shows the preview of free
# slots (the sections whose changes move them).
SECTIONS = {
    "weekly_hours": ("availability.edit", True),
    "overrides": ("availability.overrides", True),
    "one_offs": ("availability.one_offs", True),
    "call_settings": ("availability.settings", True),
    "questions": ("availability.questions", False),
}
TABS = [("weekly_hours", "Week"), ("overrides", "Date changes"), ("one_offs", "One-off slots"),
        ("call_settings", "Call settings"), ("questions", "Questions")]


def coach_clock(profile):
    """(zone, now, today): the coach's zone, the present instant, and today's date there."""
    now = utcnow()
    return ZoneInfo(profile.timezone), now, local_today(now, profile.timezone)


# Forms. Prefixes keep the ids and names of the many forms on one page apart; a fresh form gets
# formdata=None, or Flask-WTF would fill it from whichever form was just posted.

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


def section_context(section, profile, zone, now, today, bound):
    """What one section shows; `bound` holds posted forms (with errors) that replace fresh ones."""
    coach = current_user.id
    if section == "weekly_hours":
        hours = list(WeeklyHours.for_coach(coach))
        return dict(week_form=bound.get("week_form") or week_form(hours), stored_days={h.weekday for h in hours})
    if section == "overrides":
        return dict(overrides=list(DateOverride.for_coach(coach, since=today)),
                    override_form=bound.get("override_form") or override_form(today))
    if section == "one_offs":
        return dict(one_offs=list(OneOffSlot.upcoming(coach, now)),
                    one_off_form=bound.get("one_off_form") or one_off_form(zone, now))
    if section == "call_settings":
        return dict(settings_form=bound.get("settings_form") or settings_form(profile))
    question_forms = bound.get("question_forms", {})
    return dict(questions=[(q, question_forms.get(q.id) or question_form(q)) for q in IntakeQuestion.for_coach(coach)],
                new_question_form=bound.get("new_question_form") or question_form())


def editor_context(section, **bound_forms):
    """Everything the section's page shows: its section, the tabs, and maybe the preview."""
    profile = current_coach_profile()
    zone, now, today = coach_clock(profile)
    _, with_preview = SECTIONS[section]
    hour12 = viewer_hour12()
    context = dict(profile=profile, zone=zone, today=today, hour12=hour12, section=section, tabs=TABS,
                   wall_range=lambda start, end: format_range(start, end, hour12),
                   has_hours=WeeklyHours.for_coach(current_user.id).exists(), sections=SECTIONS,
                   **section_context(section, profile, zone, now, today, bound_forms))
    if with_preview:
        context["preview"] = two_week_preview(profile, zone, now)
    return context


def section_page(section):
    return render(TEMPLATE, **editor_context(section))


def changed(section, message):
    """A change was stored: the fresh section (and the preview, out of band) or 303 → its page."""
    flash(message, "success")
    endpoint, with_preview = SECTIONS[section]
    if request.htmx and not request.htmx.boosted:
        blocks = [section, "preview"] if with_preview else [section]
        return render_blocks(TEMPLATE, blocks, preview_oob=True, **editor_context(section))
    return redirect(url_for(endpoint), code=303)


def refused(section, status=422, **bound_forms):
    """Validation failed and nothing was stored: the section again, input kept, status 422."""
    return render(TEMPLATE, block=section, status=status, **editor_context(section, **bound_forms))
