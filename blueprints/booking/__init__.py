"""Booking a discovery call (TEMPORARY: views pending)."""
from flask import Blueprint

from web import coach_required

bp = Blueprint("booking", __name__)


@bp.route("/book")
def book():
    return "booking pending"


@bp.route("/booking/<token>")
def manage(token):
    return "manage pending"


@bp.route("/coach/bookings")
@coach_required
def coach_list():
    return "bookings pending"


def init_app(app):
    app.register_blueprint(bp)
