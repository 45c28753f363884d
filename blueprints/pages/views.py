"""Public pages: the home page (the first coach's, introducing the others in a practice), the
practice's page, each coach's own page and photo, the first-run page, privacy notice, health check."""
from flask import Blueprint, current_app, flash, jsonify, redirect, request, send_from_directory, url_for
from flask_login import current_user, login_user

import health
from blueprints.auth.forms import FirstCoachForm
from blueprints.auth.models import CoachPhoto, CoachProfile, User
from blueprints.auth.slugs import public_profile
from blueprints.coach import service
from blueprints.practice.models import Practice
from database import db
from web import clock, hx_redirect, or_404, render
from web.security import public_asset, safe_path

bp = Blueprint("pages", __name__)


@bp.route("/")
def landing():
    """The first coach's page, linking to /book (CONTRACT: `/` and `/book` keep serving the first
    coach). In a practice of several coaches it also names the practice and introduces the others."""
    profiles = list(CoachProfile.listed())
    if not profiles:
        return redirect(url_for("pages.welcome"))
    first, others = profiles[0], profiles[1:]
    practice = Practice.current(current_app.config["SITE_NAME"]) if others else None
    return render("pages/landing.html", profile=first, coach=first.user, slug=None,
                  practice=practice, others=others)


@bp.route("/coaches")
def practice():
    """The practice's page: its name, its line and every coach. A practice of one coach has no
    such page: its home page is the coach's."""
    profiles = list(CoachProfile.listed())
    if len(profiles) < 2:
        return redirect(url_for("pages.landing"))
    return render("pages/practice.html", practice=Practice.current(current_app.config["SITE_NAME"]),
                  profiles=profiles)


@bp.route("/coaches/<slug>")
def coach_page(slug):
    profile = public_profile(slug)
    return render("pages/landing.html", profile=profile, coach=profile.user, slug=profile.slug)


@bp.route("/photos/<int:profile_id>/<size>-<digest>.jpg")
@public_asset
def coach_photo(profile_id, size, digest):
    """A coach's photo. Its address names the picture's digest, so it never changes: any cache
    may keep it for a year (a new photo gets a new address)."""
    profile = or_404(CoachProfile.get_or_none(CoachProfile.id == profile_id))
    photo = or_404(CoachPhoto.of(profile.id, size) if digest == profile.photo_digest else None)
    response = current_app.response_class(bytes(photo.data), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.set_etag(f"{digest}-{size}")
    return response.make_conditional(request)


@bp.route("/welcome", methods=["GET", "POST"])
def welcome():
    """First run: explain how to create the coach, or let the visitor do it while none exists."""
    if User.coaches().exists():
        return redirect(url_for("pages.landing"))
    form = FirstCoachForm()
    if form.validate_on_submit():
        try:
            user = service.create_first_coach(form.email.data, form.name.data, form.password.data,
                                              form.timezone.data)
        except service.PracticeExists:  # someone else was quicker
            return redirect(url_for("pages.landing"))
        except service.EmailTaken:
            form.email.errors.append("An account with this email already exists.")
        else:
            login_user(user)
            flash("Your practice is ready. Start by setting the hours you're available.", "success")
            return hx_redirect("coach.dashboard")
    return render("pages/welcome.html", block="welcome_form", form=form, status=422 if form.errors else 200)


@bp.route("/privacy")
def privacy():
    """Names the coach in a practice of one; a practice of several speaks of "one of our coaches"."""
    profiles = list(CoachProfile.listed().limit(2))
    coach = profiles[0].user if len(profiles) == 1 else None
    return render("pages/privacy.html", profile=profiles[0] if coach else None, coach=coach, several=len(profiles) > 1)


@bp.route("/clock")
def set_clock():
    """The 12-/24-hour switch: remembered for a year in this browser, then back to the page."""
    response = redirect(safe_path(request.args.get("next"), url_for("pages.landing")), code=303)
    if request.args.get("to") in clock.CHOICES:
        response.set_cookie(clock.COOKIE, request.args["to"], max_age=365 * 24 * 3600, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True)
    return response


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for it on every site, whatever the page says: answer, never 404."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=7 * 24 * 3600)


# Private links (a booking's page, calendar feeds) stay out of search engines; their pages say
# noindex too, for engines that reach them through a link elsewhere.
ROBOTS = """User-agent: *
Allow: /
Disallow: /booking/
Disallow: /calendar/
"""


@bp.route("/robots.txt")
def robots():
    return ROBOTS, 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=86400"}


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

