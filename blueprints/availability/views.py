"""The coach's availability editor, one page per section under /coach/availability: the week
(a grid edited in place, copy a day to others), date changes, one-off slots, call settings, and
the intake questions visitors answer (blueprints/intake). Each form posts to its page's address.
"""
from flask import Blueprint, abort, request
from flask_login import current_user
from peewee import IntegrityError

from blueprints.availability import service
from blueprints.availability.forms import week_form
from blueprints.availability.page import (
    changed,
    coach_clock,
    one_off_form,
    override_form,
    refused,
    section_page,
    settings_form,
)
from blueprints.intake import service as intake
from blueprints.intake.forms import question_form
from blueprints.intake.models import IntakeQuestion
from scheduling.models import DateOverride, OneOffSlot
from web import coach_required, current_coach_profile, owned, render
from web.clock import viewer_hour12

bp = Blueprint("availability", __name__, url_prefix="/coach/availability")


@bp.route("")
@coach_required
def edit():
    return section_page("weekly_hours")


@bp.route("/week", methods=["POST"])
@coach_required
def save_week():
    form = week_form(None, request.form)
    if not form.validate():
        return refused("weekly_hours", week_form=form)
    return changed("weekly_hours", service.save_week(current_user.id, form.week(), viewer_hour12()))


@bp.route("/overrides")
@coach_required
def overrides():
    return section_page("overrides")


@bp.post("/overrides")
@coach_required
def add_override():
    _, _, today = coach_clock(current_coach_profile())
    form = override_form(today, request.form)
    if not form.validate():
        return refused("overrides", override_form=form)
    return changed("overrides", service.add_override(current_user.id, form, viewer_hour12()))


@bp.route("/overrides/<int:override_id>/delete", methods=["POST"])
@coach_required
def remove_override(override_id):
    return changed("overrides", service.remove_override(owned(DateOverride, override_id)))


@bp.route("/one-offs")
@coach_required
def one_offs():
    return section_page("one_offs")


@bp.post("/one-offs")
@coach_required
def add_one_off():
    zone, now, _ = coach_clock(current_coach_profile())
    form = one_off_form(zone, now, request.form)
    if not form.validate():
        return refused("one_offs", one_off_form=form)
    try:
        message = service.add_one_off(current_user.id, form.starts_at, zone, viewer_hour12())
    except IntegrityError:
        form.at.errors.append("You already offer a call at that time.")
        return refused("one_offs", one_off_form=form)
    return changed("one_offs", message)


@bp.route("/one-offs/<int:slot_id>/delete", methods=["POST"])
@coach_required
def remove_one_off(slot_id):
    zone, _, _ = coach_clock(current_coach_profile())
    return changed("one_offs", service.remove_one_off(owned(OneOffSlot, slot_id), zone, viewer_hour12()))


@bp.route("/settings")
@coach_required
def settings():
    return section_page("call_settings")


@bp.post("/settings")
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


@bp.route("/questions")
@coach_required
def questions():
    return section_page("questions")


@bp.post("/questions")
@coach_required
def add_question():
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
