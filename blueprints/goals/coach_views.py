"""The coach's side of goals: on a client's page, comments on shared goals, suggested steps and
asking for a wheel of life (the goals section answers itself under htmx); the coach's life areas
(/coach/areas)."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from blueprints.auth.models import User
from blueprints.goals import service
from blueprints.goals.forms import AreaForm, CommentForm, SuggestStepForm, WheelRequestForm
from blueprints.goals.models import Goal, LifeArea
from blueprints.goals.pages import coach_client_context
from web import coach_required, or_404, owned, render, valid_or_refuse

bp = Blueprint("goals_coach", __name__)
SECTION = "goals/_coach_client.html"


def own_client(client_id):
    return or_404(User.get_or_none((User.id == client_id) & (User.coach == current_user.id)
                                   & (User.role == "client")))


def shared_goal(client, goal_id):
    """A goal the coach may see: shared, of this coach's own client. Private goals are 404."""
    goal = or_404(Goal.shared_get_for_coach(current_user.id, goal_id))
    if goal.client_id != client.id:
        abort(404)
    return goal


def coach_section(client, status=200, **forms):
    """The goals section of the client's page, as an htmx fragment."""
    return render(SECTION, block="coach_goals", status=status, client=client,
                  **coach_client_context(current_user.id, client, **forms))


def coach_done(client, message):
    flash(message, "success")
    if request.htmx:
        return coach_section(client)
    return redirect(url_for("coach.client_detail", client_id=client.id) + "#goals", code=303)


def refused(client, **forms):
    """A form that failed comes back with its message: the section alone under htmx, else the
    section on a page of its own (with a way back to the client's page)."""
    if request.htmx:
        return coach_section(client, status=422, **forms)
    return render("goals/coach_refused.html", status=422, client=client,
                  **coach_client_context(current_user.id, client, **forms))


@bp.route("/coach/clients/<int:client_id>/goals/<int:goal_id>/comments", methods=["POST"])
@coach_required
def comment(client_id, goal_id):
    client = own_client(client_id)
    goal = shared_goal(client, goal_id)
    form = valid_or_refuse(CommentForm(prefix=f"c{goal.id}"),
                           lambda form: refused(client, comment_forms={goal.id: form}))
    service.add_comment(goal, current_user.id, form.body.data)
    return coach_done(client, f"Comment added to “{goal.title}”.")


@bp.route("/coach/clients/<int:client_id>/goals/<int:goal_id>/suggestions", methods=["POST"])
@coach_required
def suggest(client_id, goal_id):
    client = own_client(client_id)
    goal = shared_goal(client, goal_id)
    form = valid_or_refuse(SuggestStepForm(prefix=f"s{goal.id}"),
                           lambda form: refused(client, suggest_forms={goal.id: form}))
    service.suggest_step(goal, current_user.id, form.title.data, form.due_date.data)
    return coach_done(client, f"Step suggested to {client.name}.")


@bp.route("/coach/clients/<int:client_id>/wheel-request", methods=["POST"])
@coach_required
def ask_for_wheel(client_id):
    client = own_client(client_id)
    form = valid_or_refuse(WheelRequestForm(), lambda form: refused(client, wheel_request_form=form))
    service.request_wheel(current_user.id, client.id, form.message.data)
    return coach_done(client, f"{client.name} will see your request on their home page.")


# --- life areas ----------------------------------------------------------------------------------

def areas_page(status=200, form=None, rename_forms=None):
    service.ensure_areas(current_user.id)
    return render("goals/areas.html", block="areas", status=status,
                  areas=list(LifeArea.of_coach(current_user.id, include_retired=True)),
                  form=form or AreaForm(formdata=None), rename_forms=rename_forms or {})


def areas_changed(message):
    flash(message, "success")
    if request.htmx:
        return areas_page()
    return redirect(url_for("goals_coach.areas"), code=303)


@bp.route("/coach/areas", methods=["GET", "POST"])
@coach_required
def areas():
    if request.method == "GET":
        return areas_page()
    form = AreaForm()
    if form.validate():
        try:
            area = service.add_area(current_user.id, form.name.data)
            return areas_changed(f"Life area added: {area.name}")
        except service.AreaNameTaken:
            form.name.errors.append("You already have an area with that name.")
    return areas_page(status=422, form=form)


@bp.route("/coach/areas/<int:area_id>", methods=["POST"])
@coach_required
def rename_area(area_id):
    area = owned(LifeArea, area_id)
    form = AreaForm(prefix=f"a{area.id}")
    if form.validate():
        try:
            service.rename_area(area, form.name.data)
            return areas_changed(f"Renamed to {area.name}.")
        except service.AreaNameTaken:
            form.name.errors.append("You already have an area with that name.")
    return areas_page(status=422, rename_forms={area.id: form})


@bp.route("/coach/areas/<int:area_id>/<any(retire, restore):action>", methods=["POST"])
@coach_required
def retire_area(area_id, action):
    area = owned(LifeArea, area_id)
    service.set_area_retired(area, action == "retire")
    if action == "retire":
        return areas_changed(f"{area.name} is retired: existing goals keep it, new ones can't choose it.")
    return areas_changed(f"{area.name} is back in use.")
