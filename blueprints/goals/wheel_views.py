"""The wheel of life: /wheel (the latest wheel over the one before, and the history),
/wheel/new (rate each life area 0–10), /wheel/<id> (one past wheel over its predecessor)."""
import json

from flask import flash, redirect, request, url_for
from flask_login import current_user

from blueprints.goals import pages, service
from blueprints.goals.forms import wheel_form
from blueprints.goals.models import Wheel
from blueprints.goals.views import bp
from web import client_required, or_404, render

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
