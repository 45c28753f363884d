"""Calendar interop (TEMPORARY: views pending)."""
from flask import Blueprint

from web import coach_required

bp = Blueprint("calendar", __name__)


@bp.route("/coach/calendar")
@coach_required
def settings():
    return "calendar pending"


def init_app(app):
    app.register_blueprint(bp)
