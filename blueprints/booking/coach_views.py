"""The coach's side: upcoming, past and cancelled bookings with the visitor's answers."""
from flask import abort, flash, request, url_for
from flask_login import current_user
from peewee import prefetch

from blueprints.booking import logic
from blueprints.booking.forms import CoachCancelForm
from blueprints.booking.models import ACTIVE_STATUSES, CANCELLED, Booking, IntakeAnswer
from blueprints.booking.views import bp
from blueprints.coach.models import CoachProfile
from database import utcnow
from web import coach_required, hx_redirect, owned, render

TABS = {"upcoming": "Upcoming", "past": "Past", "cancelled": "Cancelled"}
LIST_LIMIT = 200


def coach_bookings(coach_id, show, now):
    """One tab's bookings of `coach_id`, with their intake answers (two queries)."""
    query = Booking.select().where(Booking.coach == coach_id)
    if show == "upcoming":
        query = query.where(Booking.status.in_(ACTIVE_STATUSES) & (Booking.ends_at > now)).order_by(Booking.starts_at)
    elif show == "past":
        query = query.where(Booking.status.in_(ACTIVE_STATUSES) & (Booking.ends_at <= now)).order_by(
            Booking.starts_at.desc())
    else:
        query = query.where(Booking.status == CANCELLED).order_by(Booking.starts_at.desc())
    answers = IntakeAnswer.select().order_by(IntakeAnswer.position)
    return prefetch(query.limit(LIST_LIMIT), answers)


def bookings_page(show="upcoming", failed_form=None, form_for=None, problem="", status=200):
    profile = CoachProfile.of_signed_in_coach()
    now = utcnow()

    def cancel_form_for(booking):
        # One cancel form per row; the prefix keeps field ids and label targets unique on the page.
        return failed_form if booking.id == form_for else CoachCancelForm(prefix=f"b{booking.id}", formdata=None)

    return render("booking/coach_list.html", block="bookings_panel", status=status, tabs=TABS, show=show,
                  bookings=coach_bookings(current_user.id, show, now), zone=profile.timezone, now=now,
                  cancel_form_for=cancel_form_for, form_for=form_for, problem=problem)


@bp.route("/coach/bookings")
@coach_required
def coach_list():
    show = request.args.get("show", "upcoming")
    return bookings_page(show if show in TABS else "upcoming")


@bp.route("/coach/bookings/<int:booking_id>/cancel", methods=["POST"])
@coach_required
def coach_cancel(booking_id):
    booking = owned(Booking, booking_id)
    form = CoachCancelForm(prefix=f"b{booking.id}")
    if not form.validate_on_submit():
        return bookings_page(failed_form=form, form_for=booking.id, status=422)
    try:
        logic.cancel_booking(booking, by="coach", reason=(form.message.data or "").strip())
    except logic.BookingClosed as exc:
        return bookings_page(problem=str(exc), status=409)
    flash(f"The call with {booking.name} is cancelled; they've been emailed.", "success")
    return hx_redirect(url_for("booking.coach_list", show="upcoming"))


@bp.route("/coach/bookings/<int:booking_id>/outcome", methods=["POST"])
@coach_required
def coach_outcome(booking_id):
    booking = owned(Booking, booking_id)
    outcome = request.form.get("outcome", "")
    if outcome not in logic.OUTCOMES:
        abort(400, description="Choose “completed” or “no-show”.")
    try:
        logic.record_outcome(booking, outcome)
    except logic.BookingClosed as exc:
        return bookings_page(show="past", problem=str(exc), status=409)
    label = "completed" if outcome == "completed" else "a no-show"
    flash(f"The call with {booking.name} is marked as {label}.", "success")
    return hx_redirect(url_for("booking.coach_list", show="past"))
