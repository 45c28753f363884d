"""Booking a call: the visitor chooses a day and a time, books, then sees, moves or cancels it by
private link; the coach sees their bookings and acts on one (cancel, outcome, make client)."""
from flask import Blueprint, abort, current_app, flash, request, url_for
from flask_login import current_user

from blueprints.auth.models import CoachProfile, how_we_meet
from blueprints.auth.slugs import public_profile
from blueprints.booking import offer, pagecache, picker, service
from blueprints.booking.forms import BookingForm, CancelForm, CoachCancelForm
from blueprints.calendar.events import VISITOR, booking_event, manage_url
from blueprints.calendar.ics import event_calendar, google_calendar_link, outlook_calendar_link
from blueprints.intake.models import IntakeAnswer, IntakeQuestion
from database import utcnow
from ratelimit import limiter
from scheduling import stamps
from scheduling.models import Booking
from timezones import UnknownZone, read_zone
from web import coach_required, current_coach_profile, hx_redirect, or_404, owned, render
from web.clock import guessed_zone, viewer_hour12

bp = Blueprint("booking", __name__)
bp.add_app_template_filter(picker.iso_utc, "iso_utc")
bp.add_app_template_global(how_we_meet, "how_we_meet")
TOO_MANY_UPCOMING = ("You already have calls booked with this address. To change one, use the link in its "
                     "confirmation email; once a call has taken place you can book another.")


def booking_limit():
    return current_app.config["BOOKING_RATE_LIMIT"]


def practice_profile(slug):
    """The coach a booking page speaks for: /coaches/<slug>/book's, or the first coach for /book
    (one query: profile and user together)."""
    return public_profile(slug) if slug else or_404(CoachProfile.primary())


def page_args(slug):
    """What this page's own links pass to url_for to stay on it (/book or /coaches/<slug>/book)."""
    return {"slug": slug} if slug else {}


def picker_block():
    # Day links swap only the slot list; month and zone changes swap the whole picker.
    return "day_slots" if request.htmx and request.htmx.target == "day-slots" else "picker"


def chosen_slot(profile, values, default_zone=None):
    """The (zone name, UTC start) a request carries; 400 with the reason when either is bad."""
    try:
        zone_name = read_zone(values.get("tz"), default_zone or profile.timezone)
        return zone_name, picker.parse_start(values.get("start"))
    except (UnknownZone, picker.BadChoice) as exc:
        abort(400, description=str(exc))


@bp.route("/book", defaults={"slug": None})
@bp.route("/coaches/<slug>/book")
def book(slug):
    shared = pagecache.cacheable()
    stamp = page_stamp(slug) if shared else None  # read before the page's data
    page = pagecache.get(stamp) if stamp else None
    if page is None:
        page = render_picker_page(shared, slug)
        if stamp and page[1] == 200:
            pagecache.put(stamp, *page)
    return page[0], page[1], {"Content-Type": "text/html; charset=utf-8"}


def page_stamp(slug):
    """The stamp of the coach this booking page speaks for; None when no coach has that page
    (the view answers: a redirect from an old slug, or a 404)."""
    return CoachProfile.slug_stamp(slug) if slug else stamps.primary()


def render_picker_page(shared, slug):
    profile = practice_profile(slug)
    guess = guessed_zone()
    choice = offer.picker_for(profile, request.args, default_zone=guess, default_source="guessed")
    # /book speaks for the first coach; in a practice of several it names the others too.
    others = [] if slug else [p for p in CoachProfile.listed() if p.id != profile.id]
    # No per-session CSRF token in the page, so one rendering can serve every visitor;
    # the booking form (a separate request) carries its own token.
    return render("booking/book.html", block=picker_block(), status=choice.status, profile=profile,
                  coach=profile.user, picker=choice, shared_page=shared, book_args=page_args(slug),
                  other_coaches=others)


@bp.route("/book/slot", defaults={"slug": None})
@bp.route("/coaches/<slug>/book/slot")
def slot_form(slug):
    profile = practice_profile(slug)
    zone_name, start = chosen_slot(profile, request.args)
    questions = list(IntakeQuestion.for_coach(profile.user_id))
    form = BookingForm.for_questions(questions, formdata=None,
                                     data={"start": picker.iso_utc(start), "tz": zone_name})
    offered = offer.offered_slot(profile, start, zone_name) is not None
    return form_page(profile, form, questions, start, zone_name, slug, unavailable=not offered)


@bp.route("/book", methods=["POST"], endpoint="submit", defaults={"slug": None})
@bp.route("/coaches/<slug>/book", methods=["POST"], endpoint="submit")
@limiter.limit(booking_limit, methods=["POST"])
def submit(slug):
    profile = practice_profile(slug)
    if request.form.get("website"):
        return hx_redirect("booking.received")  # a bot filled the honeypot: pretend, store nothing
    zone_name, start = chosen_slot(profile, request.form)
    questions = list(IntakeQuestion.for_coach(profile.user_id))
    form = BookingForm.for_questions(questions)
    if not form.validate_on_submit():
        return form_page(profile, form, questions, start, zone_name, slug, status=422)
    try:
        booking = service.book_call(profile, start, form.visitor(), form.answers(questions), zone_name,
                                    max_upcoming=current_app.config["BOOKING_MAX_UPCOMING_PER_EMAIL"],
                                    hour12=viewer_hour12())
    except service.SlotTaken:
        return form_page(profile, form, questions, start, zone_name, slug, unavailable=True)
    except service.TooManyUpcoming:
        form.email.errors.append(TOO_MANY_UPCOMING)
        return form_page(profile, form, questions, start, zone_name, slug, status=422)
    # No toast: the page it leads to says so in its own words.
    return hx_redirect(url_for("booking.manage", token=booking.manage_token, new=1))


def form_page(profile, form, questions, start, zone_name, slug, unavailable=False, status=200):
    """The booking form; when the time is gone: why, fresh times to pick from, input kept (409)."""
    problem, alternatives = "", []
    if unavailable:
        problem = offer.unavailable_reason(profile, start, zone_name, hour12=viewer_hour12())
        alternatives = offer.alternatives(profile, start, zone_name)
        status = 409
    return render("booking/slot.html", block="booking_form", status=status, profile=profile,
                  coach=profile.user, form=form, intake=form.intake_fields(questions),
                  zone_name=zone_name, problem=problem, alternatives=alternatives, book_args=page_args(slug),
                  **offer.times_of(profile, start, zone_name))


@bp.route("/book/received")
def received():
    """What the honeypot answers: looks like success, says nothing about what happened."""
    return render("booking/received.html")


# --- the private manage link -----------------------------------------------------------------

def booking_or_404(token):
    return or_404(Booking.by_token(token))


def profile_of(booking):
    return or_404(CoachProfile.for_user(booking.coach_id))


# The address is the key to the booking: no shared cache may keep the page, no link may leak it.
PRIVATE_PAGE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


def private(page):
    body, status = page
    return body, status, PRIVATE_PAGE


# What the page confirms after a change (?done=…), in place of a toast that would repeat it.
DONE = ("moved", "cancelled", "restored")


def manage_page(booking, problem="", status=200):
    event = booking_event(booking, VISITOR)
    now = utcnow()
    done = request.args.get("done")
    # A cancelled call offers its coach's booking page again.
    rebook_slug = profile_of(booking).book_slug if booking.status == "cancelled" else None
    return private(render(
        "booking/manage.html", block="booking_panel", status=status, booking=booking, coach=booking.coach,
        problem=problem, closed=service.change_problem(booking, now), undo_until=service.undo_deadline(booking, now),
        manage_link=manage_url(booking), google_link=google_calendar_link(event),
        outlook_link=outlook_calendar_link(event), join_link=event.conference,
        is_new=request.args.get("new") == "1", done=done if done in DONE else "", rebook_slug=rebook_slug))


@bp.route("/booking/<token>")
def manage(token):
    return manage_page(booking_or_404(token))


@bp.route("/booking/<token>/cancel")
def cancel_form(token):
    """Cancelling is its own step: what is being cancelled, a message for the coach, one button."""
    booking = booking_or_404(token)
    if problem := service.change_problem(booking, utcnow()):
        return manage_page(booking, problem=problem, status=409)
    return cancel_page(booking, CancelForm(formdata=None))


def cancel_page(booking, form, status=200):
    return private(render("booking/cancel.html", block="cancel_step", status=status, booking=booking,
                          coach=booking.coach, form=form))


@bp.route("/booking/<token>.ics")
def ics(token):
    booking = booking_or_404(token)
    body = event_calendar([booking_event(booking, VISITOR)], method="PUBLISH")
    return body, 200, {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": 'attachment; filename="discovery-call.ics"',
        **PRIVATE_PAGE,
    }


@bp.route("/booking/<token>/cancel", methods=["POST"])
@limiter.limit(booking_limit)  # each try emails the coach
def cancel(token):
    booking = booking_or_404(token)
    form = CancelForm()
    if not form.validate_on_submit():
        return cancel_page(booking, form, status=422)
    try:
        service.cancel_booking(booking, by="visitor", reason=(form.reason.data or "").strip())
    except service.BookingClosed as exc:
        return manage_page(booking_or_404(token), problem=str(exc), status=409)
    return hx_redirect(url_for("booking.manage", token=token, done="cancelled"))


@bp.route("/booking/<token>/undo", methods=["POST"])
@limiter.limit(booking_limit)
def undo_cancel(token):
    """Take back a cancellation made moments ago (the page offers it for UNDO_CANCEL)."""
    booking = booking_or_404(token)
    try:
        service.undo_cancel(booking)
    except service.BookingClosed as exc:
        return manage_page(booking_or_404(token), problem=str(exc), status=409)
    except service.SlotTaken:
        return manage_page(booking_or_404(token), status=409,
                           problem="Sorry — someone else has booked that time since. Please choose a new one.")
    return hx_redirect(url_for("booking.manage", token=token, done="restored"))


@bp.route("/booking/<token>/reschedule")
def reschedule(token):
    """Pick a new time (picker), then confirm it (?start=): two GET steps, one POST."""
    booking = booking_or_404(token)
    if problem := service.change_problem(booking, utcnow()):
        return manage_page(booking, problem=problem, status=409)
    profile = profile_of(booking)
    if "start" not in request.args:
        choice = offer.picker_for(profile, request.args, exclude_booking_id=booking.id,
                                  default_zone=booking.timezone, minutes=booking.minutes)
        return private(render("booking/reschedule.html", block=picker_block(), status=choice.status,
                              booking=booking, profile=profile, coach=profile.user, picker=choice))
    zone_name, start = chosen_slot(profile, request.args, booking.timezone)
    offered = offer.offered_slot(profile, start, zone_name, exclude_booking_id=booking.id,
                                 minutes=booking.minutes) is not None
    return confirm_page(booking, profile, start, zone_name, unavailable=not offered)


@bp.route("/booking/<token>/reschedule", methods=["POST"], endpoint="reschedule_submit")
@limiter.limit(booking_limit)  # each move emails the visitor and the coach
def reschedule_submit(token):
    booking = booking_or_404(token)
    profile = profile_of(booking)
    zone_name, start = chosen_slot(profile, request.form, booking.timezone)
    try:
        service.reschedule_booking(booking, start, zone_name)
    except service.BookingClosed as exc:
        return manage_page(booking_or_404(token), problem=str(exc), status=409)
    except service.SlotTaken:
        return confirm_page(booking, profile, start, zone_name, unavailable=True)
    return hx_redirect(url_for("booking.manage", token=token, done="moved"))


def confirm_page(booking, profile, start, zone_name, unavailable=False):
    problem, alternatives = "", []
    if unavailable:
        problem = offer.unavailable_reason(profile, start, zone_name, exclude_booking_id=booking.id,
                                           minutes=booking.minutes, hour12=viewer_hour12())
        alternatives = offer.alternatives(profile, start, zone_name, exclude_booking_id=booking.id,
                                          minutes=booking.minutes)
    return private(render("booking/reschedule.html", block="confirm", status=409 if unavailable else 200,
                          booking=booking, profile=profile, coach=profile.user, start=start,
                          zone_name=zone_name, problem=problem, alternatives=alternatives, confirming=True))


# --- the coach's side: upcoming, past and cancelled bookings with the visitor's answers ---------

TABS = {"upcoming": "Upcoming", "past": "Past", "cancelled": "Cancelled"}
PAGE_SIZE = 25


def coach_bookings(coach_id, show, now, after=None):
    """One page of a tab's bookings of `coach_id`, and the last one shown when there are more
    (the next page starts after it)."""
    query = {"upcoming": lambda: Booking.upcoming(coach_id, now), "past": lambda: Booking.past(coach_id, now),
             "cancelled": lambda: Booking.cancelled(coach_id)}[show]()
    if after is not None:
        query = query.where(Booking.after(after, newest_first=show != "upcoming"))
    rows = list(query.limit(PAGE_SIZE + 1))
    return rows[:PAGE_SIZE], (rows[PAGE_SIZE - 1] if len(rows) > PAGE_SIZE else None)


def page_start():
    """The booking the requested page follows (?after=<id>, one of the coach's own), or None."""
    after = request.args.get("after", type=int)
    return owned(Booking, after) if after else None


def bookings_page(show="upcoming", after=None):
    """One tab of the coach's bookings. Opening it is "looking": bookings made since the last look
    are marked new this time, and not the next."""
    profile = current_coach_profile()
    now = utcnow()
    seen = profile.bookings_last_seen
    service.mark_bookings_seen(profile, now)
    bookings, last = coach_bookings(current_user.id, show, now, after)
    return render("booking/coach_list.html", block="bookings_panel", tabs=TABS, show=show, bookings=bookings,
                  next_after=last.id if last else None, paged=after is not None, zone=profile.timezone, now=now,
                  seen=seen)


@bp.route("/coach/bookings")
@coach_required
def coach_list():
    show = request.args.get("show", "upcoming")
    return bookings_page(show if show in TABS else "upcoming", after=page_start())


def booking_tab(booking, now):
    if booking.status == "cancelled":
        return "cancelled"
    return "upcoming" if booking.starts_at > now else "past"


def booking_page(booking, cancel_form=None, problem="", status=200):
    """One booking for its coach: who, when, their answers, and what can be done with it."""
    profile = current_coach_profile()
    now = utcnow()
    return render("booking/coach_booking.html", block="booking_detail", status=status, b=booking, now=now,
                  zone=profile.timezone, tab=booking_tab(booking, now), problem=problem,
                  answers=[a for a in booking.answers.order_by(IntakeAnswer.position) if a.answer],
                  cancel_form=cancel_form or CoachCancelForm(formdata=None))


@bp.route("/coach/bookings/<int:booking_id>")
@coach_required
def coach_booking(booking_id):
    return booking_page(owned(Booking, booking_id))


@bp.route("/coach/bookings/<int:booking_id>/cancel", methods=["POST"])
@coach_required
def coach_cancel(booking_id):
    booking = owned(Booking, booking_id)
    form = CoachCancelForm()
    if not form.validate_on_submit():
        return booking_page(booking, cancel_form=form, status=422)
    try:
        service.cancel_booking(booking, by="coach", reason=(form.message.data or "").strip())
    except service.BookingClosed as exc:
        return booking_page(booking, problem=str(exc), status=409)
    flash(f"The call with {booking.name} is cancelled; they've been emailed.", "success")
    return hx_redirect(url_for("booking.coach_list", show="upcoming"))


@bp.route("/coach/bookings/<int:booking_id>/outcome", methods=["POST"])
@coach_required
def coach_outcome(booking_id):
    booking = owned(Booking, booking_id)
    outcome = request.form.get("outcome", "")
    if outcome not in service.OUTCOMES:
        abort(400, description="Choose “completed” or “no-show”.")
    try:
        service.record_outcome(booking, outcome)
    except service.BookingClosed as exc:
        return booking_page(booking, problem=str(exc), status=409)
    label = "completed" if outcome == "completed" else "a no-show"
    flash(f"The call with {booking.name} is marked as {label}.", "success")
    return hx_redirect(url_for("booking.coach_list", show="past"))
