"""The coach's weekly hours, date overrides, one-off slots and call settings (TEMPORARY: views pending)."""
from flask import Blueprint

from web import coach_required, render

bp = Blueprint("availability", __name__, url_prefix="/coach/availability")


@bp.route("")
@coach_required
def edit():
    return "availability editor pending"


def init_app(app):
    app.register_blueprint(bp)
