"""The client's home page /me and its sections."""
from flask import Blueprint, abort
from flask_login import current_user

from blueprints.goals import charts
from blueprints.goals import pages as goal_pages
from blueprints.goals.models import Goal, Step, Wheel
from blueprints.journal.context import home_context as journal_home_context
from blueprints.sessions.page import next_session_context
from web import client_required, render

bp = Blueprint("client", __name__)
SECTIONS = ("session", "goals", "steps", "wheel", "journal")


def home_context(client):
    today = goal_pages.today_for(client)
    wheel, previous_wheel, wheel_radar = goal_pages.wheel_pair(Wheel.of_client(client.id))
    return dict(
        today=today,
        **next_session_context(client.id),
        **journal_home_context(client),
        goals=goal_pages.goal_views(Goal.current_of(client.id).where(Goal.status == "active"), today),
        summary=goal_pages.summary(client.id, today),
        due_steps=[goal_pages.StepView(s, charts.step_urgency(s.due_date, today, False))
                   for s in Step.open_due_by(client.id, charts.week_end(today))],
        wheel=wheel, previous_wheel=previous_wheel, wheel_radar=wheel_radar,
        wheel_request=goal_pages.open_wheel_request(client.id),
    )


@bp.route("/me")
@client_required
def home():
    return render("client/home.html", **home_context(current_user))


@bp.route("/me/sections/<name>")
@client_required
def section(name):
    if name not in SECTIONS:
        abort(404)
    return render("client/home.html", block=f"section_{name}", **home_context(current_user))
