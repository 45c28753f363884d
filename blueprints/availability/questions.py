"""The intake questions visitors answer when booking: a section of the availability page.

A removed question is only retired (active = False), so answers already given keep it.
"""
from flask import abort, redirect, request, url_for
from flask_login import current_user

from blueprints.availability import changes
from blueprints.availability.page import changed, question_form, refused
from blueprints.availability.views import bp
from blueprints.booking.models import IntakeQuestion
from web import coach_required, owned


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
    return changed("questions", changes.add_question(current_user.id, form))


@bp.route("/questions/<int:question_id>", methods=["POST"])
@coach_required
def update_question(question_id):
    question = own_question(question_id)
    form = question_form(question, request.form)
    if not form.validate():
        return refused("questions", question_forms={question.id: form})
    return changed("questions", changes.update_question(question, form))


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@coach_required
def remove_question(question_id):
    return changed("questions", changes.retire_question(own_question(question_id)))
