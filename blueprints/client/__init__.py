"""A client's own space: next session, journal, goals."""
from flask import Blueprint
from flask_login import current_user

from blueprints.goals.models import Goal
from blueprints.journal.context import home_context
from blueprints.sessions.page import next_session_context
from web import client_required, render

bp = Blueprint("client", __name__)


@bp.route("/me")
@client_required
def home():
    return render("client/home.html", **next_session_context(current_user.id),
                  **home_context(current_user),
                  goals=list(Goal.of_client(current_user.id)))


@bp.route("/goals")
@client_required
def goals():
    return render("client/goals.html", goals=list(Goal.of_client(current_user.id)))


def init_app(app):
    app.register_blueprint(bp)
