"""Public pages: the coach's landing page, privacy notice, health check."""
from flask import Blueprint, jsonify, redirect, request, url_for
from flask_login import current_user

import health
from blueprints.coach.models import CoachProfile
from database import db
from web import render

bp = Blueprint("pages", __name__)


@bp.route("/")
def landing():
    profile = CoachProfile.primary()
    if profile is None:
        return redirect(url_for("auth.welcome"))
    return render("pages/landing.html", profile=profile, coach=profile.user)


@bp.route("/privacy")
def privacy():
    profile = CoachProfile.primary()
    return render("pages/privacy.html", profile=profile, coach=profile.user if profile else None)


@bp.route("/healthz")
def healthz():
    try:
        db.execute_sql("SELECT 1").fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return "database unavailable", 503, {"Content-Type": "text/plain; charset=utf-8"}
    if request.args.get("deep") and current_user.is_authenticated and current_user.is_coach:
        response = jsonify(health.deep_report(current_user))
        response.headers["Cache-Control"] = "no-store, private"
        return response
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


def init_app(app):
    app.register_blueprint(bp)
