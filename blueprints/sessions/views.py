"""Coaching sessions: the coach's session types, a client booking one at /me/book, and the
coach scheduling one for a client at any time."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user

from blueprints.auth.models import CoachProfile
from blueprints.booking import offer, picker
from blueprints.booking.forms import CoachCancelForm
from blueprints.booking.service import BookingClosed, SlotTaken, change_problem
from blueprints.clients.models import ClientRecord
from blueprints.sessions import service
from blueprints.sessions.forms import MoveForm, SessionTypeForm
from database import utcnow
from scheduling.models import Booking, SessionType
from timezones import UnknownZone, read_zone
from web import client_required, coach_required, current_coach_profile, hx_redirect, or_404, owned, render
from web.clock import viewer_hour12

bp = Blueprint("sessions", __name__)


# --- the coach's session types ------------------------------------------------------------------

def types_page(form=None, status=200):
    profile = current_coach_profile()
    return render("sessions/types.html", block="types_panel", status=status, profile=profile,
                  types=list(SessionType.offered_by(current_user.id)), form=form or SessionTypeForm(formdata=None))


@bp.route("/coach/sessions", methods=["GET", "POST"])
@coach_required
def types():
    form = SessionTypeForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return types_page(form, 422)
        service.add_type(current_user.id, form.name.data, form.minutes.data, form.location_kind.data,
                         form.location_detail.data)
        flash(f"“{form.name.data.strip()}” is ready: your clients can book it at /me/book.", "success")
        return hx_redirect("sessions.types")
    return types_page()


@bp.route("/coach/sessions/<int:type_id>/edit", methods=["GET", "POST"])
@coach_required
def edit_type(type_id):
    """Rename, change the length or the meeting place; sessions already booked keep theirs."""
    session_type = or_404(SessionType.owned_active(current_user.id, type_id))
    form = SessionTypeForm(obj=session_type)
    if form.validate_on_submit():
        service.update_type(session_type, form.name.data, form.minutes.data, form.location_kind.data,
                            form.location_detail.data)
        flash(f"“{session_type.name}” is saved. Sessions already booked keep their time and place.", "success")
        return hx_redirect("sessions.types")
    return render("sessions/edit_type.html", block="type_form", form=form, session_type=session_type,
                  status=422 if form.errors else 200)


@bp.route("/coach/sessions/<int:type_id>/remove", methods=["POST"])
@coach_required
def remove_type(type_id):
    session_type = or_404(SessionType.owned_active(current_user.id, type_id))
    service.retire_type(session_type)
    flash(f"“{session_type.name}” is no longer offered. Sessions already booked stay.", "success")
    return hx_redirect("sessions.types")


# --- a client books a session ---------------------------------------------------------------------

def client_booking_context():
    """The signed-in client's coach profile and what they may book; None when they can't book."""
    profile = CoachProfile.for_user(current_user.coach_id) if current_user.coach_id else None
    if profile is None:
        return None, [], "You don't have a coach on this site yet."
    record = ClientRecord.of(profile.user_id, current_user.id)
    if record is not None and record.archived_at is not None:
        return profile, [], f"Your coaching with {profile.user.name} has finished. To start again, write to them."
    types_offered = list(SessionType.offered_by(profile.user_id))
    if not types_offered:
        return profile, [], f"{profile.user.name} hasn't set up sessions to book here yet. They'll arrange the next one with you."
    return profile, types_offered, ""


def of_my_coach(profile, type_id):
    """404 for a session type that isn't the client's own coach's (its existence isn't theirs to know)."""
    if profile is None or not str(type_id or "").isdigit() or not SessionType.select().where(
            (SessionType.id == int(type_id)) & (SessionType.coach == profile.user_id)).exists():
        abort(404)


def chosen_type(types_offered, type_id):
    """One of the client's coach's types; anything else (another coach's type) is missing."""
    for session_type in types_offered:
        if str(session_type.id) == str(type_id or ""):
            return session_type
    abort(404)


def picker_block():
    return "day_slots" if request.htmx and request.htmx.target == "day-slots" else "picker"


@bp.route("/me/book")
@client_required
def book():
    """Choose what to book; with a single session type, its times straight away."""
    profile, types_offered, problem = client_booking_context()
    if len(types_offered) == 1:
        return type_picker(profile, types_offered, types_offered[0])
    return render("sessions/book.html", profile=profile, types=types_offered, problem=problem, session_type=None)


@bp.route("/me/book/<int:type_id>")
@client_required
def book_type(type_id):
    profile, types_offered, problem = client_booking_context()
    of_my_coach(profile, type_id)
    if problem:
        return render("sessions/book.html", profile=profile, types=[], problem=problem, session_type=None)
    return type_picker(profile, types_offered, chosen_type(types_offered, type_id))


def type_picker(profile, types_offered, session_type):
    choice = offer.picker_for(profile, request.args, default_zone=current_user.timezone, minutes=session_type.minutes)
    return render("sessions/book.html", block=picker_block(), status=choice.status, profile=profile,
                  types=types_offered, session_type=session_type, picker=choice, problem="")


def read_start(profile, values):
    try:
        return read_zone(values.get("tz"), current_user.timezone), picker.parse_start(values.get("start"))
    except (UnknownZone, picker.BadChoice) as exc:
        abort(400, description=str(exc))


@bp.route("/me/book/<int:type_id>/slot")
@client_required
def confirm(type_id):
    profile, types_offered, problem = client_booking_context()
    of_my_coach(profile, type_id)
    if problem:
        abort(403, description=problem)
    session_type = chosen_type(types_offered, type_id)
    zone_name, start = read_start(profile, request.args)
    offered = offer.offered_slot(profile, start, zone_name, minutes=session_type.minutes) is not None
    return confirm_page(profile, session_type, start, zone_name, unavailable=not offered)


@bp.route("/me/book", methods=["POST"], endpoint="submit")
@client_required
def submit():
    profile, types_offered, problem = client_booking_context()
    of_my_coach(profile, request.form.get("type"))
    if problem:
        abort(403, description=problem)
    session_type = chosen_type(types_offered, request.form.get("type"))
    zone_name, start = read_start(profile, request.form)
    try:
        service.book_session(profile, session_type, current_user._get_current_object(), start, zone_name)
    except SlotTaken:
        return confirm_page(profile, session_type, start, zone_name, unavailable=True)
    except service.NotYourCoach:
        abort(403)
    flash(f"Your {session_type.name.lower()} is booked. We've emailed you the details.", "success")
    return hx_redirect("client.home")


def confirm_page(profile, session_type, start, zone_name, unavailable=False):
    problem, alternatives = "", []
    minutes = session_type.minutes
    if unavailable:
        problem = offer.unavailable_reason(profile, start, zone_name, minutes=minutes, hour12=viewer_hour12())
        alternatives = offer.alternatives(profile, start, zone_name, minutes=minutes)
    return render("sessions/book.html", block="confirm", status=409 if unavailable else 200, profile=profile,
                  session_type=session_type, zone_name=zone_name, problem=problem, alternatives=alternatives,
                  confirming=True, **offer.times_of(profile, start, zone_name, minutes=minutes))


# --- the coach moves any booking ----------------------------------------------------------------------

@bp.route("/coach/bookings/<int:booking_id>/move", methods=["GET", "POST"])
@coach_required
def move(booking_id):
    """Move a booking to any time, with a message; the page also offers cancelling it."""
    booking = owned(Booking, booking_id)
    profile = current_coach_profile()
    zone = ZoneInfo(profile.timezone)
    local = booking.starts_at.astimezone(zone)
    form = MoveForm(data={"day": local.date(), "start_time": local.time()})
    problem, status = change_problem(booking, utcnow(), by="coach"), 200
    if form.validate_on_submit() and not problem:
        start = datetime.combine(form.day.data, form.start_time.data, zone)
        try:
            service.move_by_coach(booking, start, form.message.data or "", clash_ok=form.clash_ok.data)
        except service.TimeRefused as exc:
            (form.start_time if "passed" in str(exc) else form.clash_ok).errors.append(str(exc))
        except SlotTaken:
            form.start_time.errors.append("You already have a booking at that time. Choose another time.")
            status = 409
        except BookingClosed as exc:
            problem, status = str(exc), 409
        else:
            flash(f"Moved. {booking.name} has been emailed the new time.", "success")
            return hx_redirect(back_to(booking))
    if form.errors and status == 200:
        status = 422
    if problem and request.method == "POST":
        status = 409
    return render("sessions/move.html", block="move_panel", status=status, booking=booking, form=form,
                  cancel_form=CoachCancelForm(formdata=None), problem=problem,
                  zone=profile.timezone, back=back_to(booking))


def back_to(booking):
    if booking.client_id:
        return url_for("coach.client_detail", client_id=booking.client_id)
    return url_for("booking.coach_list")
