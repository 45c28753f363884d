"""The client's goals: /goals (current goals by life area), /goals/done, /goals/<id> with its
steps and check-ins; the wheel of life (/wheel). The coach's side is in coach_views.py.
Every action is a plain form post (POST/Redirect/GET) that htmx enhances: under htmx the answer
is the changed part of the page, and `goals-changed` or `wheel-changed` (HX-Trigger) tells the
rest of the page.
"""
import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.goals import pages, service
from blueprints.goals.forms import (CheckInForm, GoalForm, ProgressForm, StatusForm, StepEditForm, StepForm,
                                    wheel_form)
from blueprints.goals.models import Goal, Step, StepSuggestion, Wheel
from web import client_required, hx_redirect, or_404, render, valid_or_refuse

bp = Blueprint("goals", __name__)
CHANGED = {"HX-Trigger": json.dumps({"goals-changed": True})}


def own_goal(goal_id):
    return or_404(Goal.owned(current_user.id, goal_id))


def own_step(goal_id, step_id):
    return or_404(Step.owned(current_user.id, goal_id, step_id))


def safe_next(default):
    """Where a plain form asked to come back to: only our own paths."""
    target = request.form.get("next", "")
    # "//host" and "/\host" both leave the site in a browser.
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else default


def index_context(form=None):
    today = pages.today_for(current_user)
    views = pages.goal_views(Goal.current_of(current_user.id), today)
    return dict(groups=pages.by_area(views), summary=pages.summary(current_user.id, today),
                form=form or GoalForm(areas=pages.areas_of(current_user)), today=today)


@bp.route("/goals", methods=["GET", "POST"])
@client_required
def index():
    form = GoalForm(areas=pages.areas_of(current_user))
    if request.method == "POST":
        if not form.validate_on_submit():
            return render("goals/index.html", block="goals_page", status=422, **index_context(form))
        goal = service.create_goal(current_user.id, form)
        flash(f"Goal added: {goal.title}", "success")
        if request.htmx:
            return render("goals/index.html", block="goals_page", **index_context())[0], 200, CHANGED
        return redirect(url_for("goals.index"), code=303)
    return render("goals/index.html", block="goals_page", **index_context(form))


@bp.route("/goals/done")
@client_required
def done():
    today = pages.today_for(current_user)
    views = pages.goal_views(Goal.finished_of(current_user.id), today)
    return render("goals/done.html", achieved=[v for v in views if v.goal.status == "achieved"],
                  let_go=[v for v in views if v.goal.status == "let_go"])


def goal_page(goal, status=200, headers=None, **forms):
    today = pages.today_for(current_user)
    context = pages.goal_page_context(goal, current_user, today)
    context.update(today=today, step_form=StepForm(formdata=None), checkin_form=None,
                   status_form=StatusForm(formdata=None, obj=goal), progress_form=ProgressForm(formdata=None))
    context["checkin_form"] = CheckInForm(formdata=None, progress=context["view"].progress, confidence=5)
    context.update(forms)
    body, code = render("goals/goal.html", block="goal_page", status=status, goal=goal, **context)
    return body, code, headers or {}


def changed(goal, message, category="success"):
    """After a successful action: the goal page again (htmx), or a redirect to it."""
    if message:
        flash(message, category)
    if request.htmx:
        return goal_page(goal, headers=CHANGED)
    return redirect(safe_next(url_for("goals.show", goal_id=goal.id)), code=303)


@bp.route("/goals/<int:goal_id>")
@client_required
def show(goal_id):
    return goal_page(own_goal(goal_id))


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@client_required
def edit(goal_id):
    goal = own_goal(goal_id)
    areas = pages.area_choices_for(current_user, goal)
    form = GoalForm(obj=goal, areas=areas, life_area=goal.life_area_id)
    if form.validate_on_submit():
        service.update_goal(goal, form)
        flash("Goal saved.", "success")
        return hx_redirect("goals.show", goal_id=goal.id)
    return render("goals/edit.html", block="edit_form", goal=goal, form=form,
                  status=422 if form.errors else 200)


@bp.route("/goals/<int:goal_id>/status", methods=["POST"])
@client_required
def set_status(goal_id):
    goal = own_goal(goal_id)
    form = valid_or_refuse(StatusForm(), lambda form: goal_page(goal, status=422, status_form=form))
    service.set_status(goal, form.status.data, form.reflection.data)
    return changed(goal, f"Status: {goal.status_label}.")


@bp.route("/goals/<int:goal_id>/progress", methods=["POST"])
@client_required
def set_progress(goal_id):
    goal = own_goal(goal_id)
    if request.form.get("use_steps"):
        service.set_manual_progress(goal, None)
        return changed(goal, "Progress follows your steps again.")
    form = valid_or_refuse(ProgressForm(), lambda form: goal_page(goal, status=422, progress_form=form))
    service.set_manual_progress(goal, form.manual_progress.data)
    return changed(goal, f"Progress set to {form.manual_progress.data} %.")


@bp.route("/goals/<int:goal_id>/delete", methods=["POST"])
@client_required
def delete(goal_id):
    goal = own_goal(goal_id)
    service.delete_goal(goal)
    flash(f"Goal deleted: {goal.title}", "success")
    if request.htmx:
        return "", 204, {"HX-Redirect": url_for("goals.index")}
    return redirect(url_for("goals.index"), code=303)


# --- steps -------------------------------------------------------------------------------------

@bp.route("/goals/<int:goal_id>/steps", methods=["POST"])
@client_required
def add_step(goal_id):
    goal = own_goal(goal_id)
    form = valid_or_refuse(StepForm(), lambda form: goal_page(goal, status=422, step_form=form))
    step = service.add_step(goal, form.title.data, form.due_date.data)
    return changed(goal, f"Step added: {step.title}")


@bp.route("/goals/<int:goal_id>/steps/<int:step_id>/done", methods=["POST"])
@client_required
def tick(goal_id, step_id):
    """Tick or untick one step. `done` carries the step's id when the box is ticked."""
    step = own_step(goal_id, step_id)
    done = str(step.id) in request.form.getlist("done")
    service.set_step_done(step, done)
    if not request.htmx:
        flash(("Done: " if done else "Not done: ") + step.title, "success")
        return redirect(safe_next(url_for("goals.show", goal_id=goal_id)), code=303)
    return tick_fragments(step, done), 200, CHANGED


def tick_fragments(step, done):
    """Out-of-band: the step's row, the goal's bar, the summary counters, an undo toast."""
    today = pages.today_for(current_user)
    view = pages.goal_view(step.goal, today)
    step_view = next(s for s in view.steps if s.step.id == step.id)
    return render_template("goals/_tick.html", goal=step.goal, view=view, s=step_view, done=done,
                           summary=pages.summary(current_user.id, today))


@bp.route("/goals/<int:goal_id>/steps/ticks", methods=["POST"])
@client_required
def save_ticks(goal_id):
    """Without JavaScript: the boxes of all steps are sent together."""
    goal = own_goal(goal_id)
    done_ids = {int(v) for v in request.form.getlist("done") if v.isdigit()}
    service.set_steps_done(goal, done_ids)
    return changed(goal, "Steps saved.")


@bp.route("/goals/<int:goal_id>/steps/<int:step_id>/edit", methods=["GET", "POST"])
@client_required
def edit_step(goal_id, step_id):
    step = own_step(goal_id, step_id)
    form = StepEditForm(obj=step)
    if form.validate_on_submit():
        service.edit_step(step, form.title.data, form.due_date.data)
        flash("Step saved.", "success")
        return hx_redirect("goals.show", goal_id=goal_id)
    return render("goals/step_edit.html", block="edit_form", goal=step.goal, step=step, form=form,
                  status=422 if form.errors else 200)


@bp.route("/goals/<int:goal_id>/steps/<int:step_id>/move", methods=["POST"])
@client_required
def move_step(goal_id, step_id):
    step = own_step(goal_id, step_id)
    service.move_step(step, "up" if request.form.get("direction") == "up" else "down")
    return changed(step.goal, None)


@bp.route("/goals/<int:goal_id>/steps/<int:step_id>/delete", methods=["POST"])
@client_required
def delete_step(goal_id, step_id):
    step = own_step(goal_id, step_id)
    service.delete_step(step)
    return changed(step.goal, f"Step removed: {step.title}")


@bp.route("/goals/<int:goal_id>/suggestions/<int:suggestion_id>/<any(accept, decline):decision>",
          methods=["POST"])
@client_required
def decide_suggestion(goal_id, suggestion_id, decision):
    suggestion = or_404(StepSuggestion.pending_owned(current_user.id, goal_id, suggestion_id))
    service.decide_suggestion(suggestion, decision == "accept")
    verb = "added to your steps" if decision == "accept" else "declined"
    return changed(suggestion.goal, f"Suggested step {verb}: {suggestion.title}")


# --- check-ins ---------------------------------------------------------------------------------

@bp.route("/goals/<int:goal_id>/check-ins", methods=["POST"])
@client_required
def check_in(goal_id):
    goal = own_goal(goal_id)
    form = valid_or_refuse(CheckInForm(), lambda form: goal_page(goal, status=422, checkin_form=form))
    service.record_checkin(goal, form.progress.data, form.confidence.data, form.note.data)
    return changed(goal, "Check-in saved.")


# --- the wheel of life ------------------------------------------------------------------------

WHEEL_CHANGED = {"HX-Trigger": json.dumps({"wheel-changed": True})}


@bp.route("/wheel")
@client_required
def wheel():
    history = pages.wheel_views(Wheel.of_client(current_user.id))
    current = history[0] if history else None
    previous = history[1] if len(history) > 1 else None
    return render("goals/wheel.html", current=current, previous=previous,
                  chart=pages.radar(current, previous), history=history,
                  request_=pages.open_wheel_request(current_user.id))


@bp.route("/wheel/<int:wheel_id>")
@client_required
def wheel_show(wheel_id):
    wheel = or_404(Wheel.owned(current_user.id, wheel_id))
    before = (Wheel.of_client(current_user.id)
              .where((Wheel.created_at < wheel.created_at)
                     | ((Wheel.created_at == wheel.created_at) & (Wheel.id < wheel.id))).first())
    views = pages.wheel_views([w for w in (wheel, before) if w])
    current, previous = views[0], (views[1] if len(views) > 1 else None)
    return render("goals/wheel_one.html", current=current, previous=previous,
                  chart=pages.radar(current, previous))


@bp.route("/wheel/new", methods=["GET", "POST"])
@client_required
def wheel_new():
    areas = pages.areas_of(current_user)
    last = pages.wheel_views(Wheel.of_client(current_user.id).limit(1))
    previous = {s.life_area_id: s.score for s in last[0].scores} if last else {}
    form = wheel_form(areas, request.form if request.method == "POST" else None, previous)
    if request.method == "POST" and form.validate():
        ratings = [(area, score.data, word.data) for area, score, word in form.area_fields]
        service.record_wheel(current_user.id, ratings, form.shared.data)
        flash("Your wheel of life is saved.", "success")
        if request.htmx:
            return "", 204, {"HX-Redirect": url_for("goals.wheel"), **WHEEL_CHANGED}
        return redirect(url_for("goals.wheel"), code=303)
    return render("goals/wheel_form.html", block="wheel_form", form=form, areas=areas,
                  request_=pages.open_wheel_request(current_user.id),
                  status=422 if form.errors else 200)
