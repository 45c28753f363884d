"""The coach's availability editor: weekly hours, date overrides, one-off slots, call settings.

Intake questions live on the same page; their views are in questions.py.
"""
from flask import Blueprint, abort, request
from flask_login import current_user
from peewee import IntegrityError

from blueprints.availability import changes
from blueprints.availability.models import DateOverride, OneOffSlot, WeeklyHours
from blueprints.availability.page import (TEMPLATE, changed, coach_clock, editor_context, hours_form,
                                          one_off_form, override_form, refused, settings_form)
from blueprints.coach.models import CoachProfile
from web import coach_required, owned, render

bp = Blueprint("availability", __name__, url_prefix="/coach/availability")


@bp.route("")
@coach_required
def edit():
    return render(TEMPLATE, **editor_context())


@bp.route("/hours/<int:weekday>", methods=["POST"])
@coach_required
def add_hours(weekday):
    if weekday not in range(7):
        abort(404)
    form = hours_form(weekday, request.form)
    if not form.validate():
        return refused("weekly_hours", hours_forms={weekday: form})
    return changed("weekly_hours", changes.add_weekly_range(current_user.id, weekday, form.start.data, form.end.data))


@bp.route("/hours/<int:hours_id>/delete", methods=["POST"])
@coach_required
def remove_hours(hours_id):
    return changed("weekly_hours", changes.remove_weekly_range(owned(WeeklyHours, hours_id)))


@bp.route("/overrides", methods=["POST"])
@coach_required
def add_override():
    _, _, today = coach_clock(CoachProfile.of_signed_in_coach())
    form = override_form(today, request.form)
    if not form.validate():
        return refused("overrides", override_form=form)
    return changed("overrides", changes.add_override(current_user.id, form))


@bp.route("/overrides/<int:override_id>/delete", methods=["POST"])
@coach_required
def remove_override(override_id):
    return changed("overrides", changes.remove_override(owned(DateOverride, override_id)))


@bp.route("/one-offs", methods=["POST"])
@coach_required
def add_one_off():
    zone, now, _ = coach_clock(CoachProfile.of_signed_in_coach())
    form = one_off_form(zone, now, request.form)
    if not form.validate():
        return refused("one_offs", one_off_form=form)
    try:
        message = changes.add_one_off(current_user.id, form.starts_at, zone)
    except IntegrityError:
        form.at.errors.append("You already offer a call at that time.")
        return refused("one_offs", one_off_form=form)
    return changed("one_offs", message)


@bp.route("/one-offs/<int:slot_id>/delete", methods=["POST"])
@coach_required
def remove_one_off(slot_id):
    zone, _, _ = coach_clock(CoachProfile.of_signed_in_coach())
    return changed("one_offs", changes.remove_one_off(owned(OneOffSlot, slot_id), zone))


@bp.route("/settings", methods=["POST"])
@coach_required
def save_settings():
    form = settings_form(CoachProfile.of_signed_in_coach(), request.form)
    if not form.validate():
        return refused("call_settings", settings_form=form)
    return changed("call_settings", changes.save_call_settings(current_user.id, form))
