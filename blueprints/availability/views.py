"""The coach's availability editor: weekly hours, date overrides, one-off slots, call settings,
and the intake questions visitors answer (a section of the same page; blueprints/intake).
"""
from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user
from peewee import IntegrityError

from blueprints.availability import service
from blueprints.availability.page import (
    TEMPLATE,
    changed,
    coach_clock,
    editor_context,
    hours_form,
    one_off_form,
    override_form,
    refused,
    settings_form,
)
from blueprints.intake import service as intake
from blueprints.intake.forms import question_form
from blueprints.intake.models import IntakeQuestion
from scheduling.models import DateOverride, OneOffSlot, WeeklyHours
from web import coach_required, current_coach_profile, owned, render

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
    return changed("weekly_hours", service.add_weekly_range(current_user.id, weekday, form.start.data, form.end.data))


@bp.route("/hours/<int:hours_id>/delete", methods=["POST"])
@coach_required
def remove_hours(hours_id):
    return changed("weekly_hours", service.remove_weekly_range(owned(WeeklyHours, hours_id)))


@bp.route("/overrides", methods=["POST"])
@coach_required
def add_override():
    _, _, today = coach_clock(current_coach_profile())
    form = override_form(today, request.form)
    if not form.validate():
        return refused("overrides", override_form=form)
    return changed("overrides", service.add_override(current_user.id, form))


@bp.route("/overrides/<int:override_id>/delete", methods=["POST"])
@coach_required
def remove_override(override_id):
    return changed("overrides", service.remove_override(owned(DateOverride, override_id)))


@bp.route("/one-offs", methods=["POST"])
@coach_required
def add_one_off():
    zone, now, _ = coach_clock(current_coach_profile())
    form = one_off_form(zone, now, request.form)
    if not form.validate():
        return refused("one_offs", one_off_form=form)
    try:
        message = service.add_one_off(current_user.id, form.starts_at, zone)
    except IntegrityError:
        form.at.errors.append("You already offer a call at that time.")
        return refused("one_offs", one_off_form=form)
    return changed("one_offs", message)


@bp.route("/one-offs/<int:slot_id>/delete", methods=["POST"])
@coach_required
def remove_one_off(slot_id):
    zone, _, _ = coach_clock(current_coach_profile())
    return changed("one_offs", service.remove_one_off(owned(OneOffSlot, slot_id), zone))


@bp.route("/settings", methods=["POST"])
@coach_required
def save_settings():
    form = settings_form(current_coach_profile(), request.form)
    if not form.validate():
        return refused("call_settings", settings_form=form)
    return changed("call_settings", service.save_call_settings(current_user.id, form))


# --- intake questions: a removed question is only retired, so answers already given keep it ---

def own_question(question_id):
    question = owned(IntakeQuestion, question_id)
    if not question.active:
        abort(404)
    return question


@bp.route("/questions", methods=["GET", "POST"])
@coach_required
def add_question():
    if request.method == "GET":  # the section has no page of its own
        return redirect(url_for("availability.edit", _anchor="questions"))
    form = question_form(formdata=request.form)
    if not form.validate():
        return refused("questions", new_question_form=form)
    return changed("questions", intake.add_question(current_user.id, form))


@bp.route("/questions/<int:question_id>", methods=["POST"])
@coach_required
def update_question(question_id):
    question = own_question(question_id)
    form = question_form(question, request.form)
    if not form.validate():
        return refused("questions", question_forms={question.id: form})
    return changed("questions", intake.update_question(question, form))


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@coach_required
def remove_question(question_id):
    return changed("questions", intake.retire_question(own_question(question_id)))
