"""The emails a booking sends, each with the calendar file its reader's calendar needs.

Called inside the transaction that makes the change, so a message exists exactly when the
change does. The visitor gets times in their own zone, the coach in theirs.
"""
from flask import current_app, url_for

from blueprints.auth.models import CoachProfile, on_behalf_of
from blueprints.calendar.events import COACH, VISITOR, booking_event, manage_url
from blueprints.calendar.ics import event_calendar
from mail import queue_email
from timezones import local_time

TIME = "%A %-d %B %Y, %H:%M"
SHORT = "%a %-d %b, %H:%M"


def _calendar(context, audience, method):
    event = booking_event(context["booking"], audience, answers=context["answers"])
    return event_calendar([event], method=method)


def _context(booking, **extra):
    """What every booking email shows; the answers are read once for the emails and their files."""
    coach = booking.coach
    return dict(booking=booking, coach=coach, coach_zone=coach.timezone,
                manage_link=manage_url(booking),
                bookings_link=current_app.config["SITE_URL"] + url_for("booking.coach_list"),
                answers=[a for a in booking.answers.order_by(booking.answers.model.position) if a.answer],
                what=booking.session_label.lower(), time_format=TIME, **extra)


def _what(booking):
    """"call" for a discovery call (as visitors have always read it), else the session type's name."""
    return "call" if booking.kind == "discovery" else booking.session_label.lower()


def _when(booking, zone):
    return local_time(booking.starts_at, zone, SHORT)


def _to_visitor(subject, template, **context):
    """Sent for the coach: From their chosen name, replies to them."""
    booking = context["booking"]
    queue_email(booking.email, subject, template, **on_behalf_of(booking.coach), **context)


def _to_coach(subject, template, **context):
    """The coach's own notice: a reply reaches the person who booked."""
    booking = context["booking"]
    queue_email(booking.coach.email, subject, template, reply_to=booking.email or "", **context)


def booked(booking):
    context = _context(booking)
    _to_visitor(f"Your {_what(booking)} with {booking.coach.name}: {_when(booking, booking.timezone)}",
                "booking_confirmation", ics=_calendar(context, VISITOR, "REQUEST"), ics_method="REQUEST",
                **context)
    _to_coach(f"New {booking.session_label.lower()}: {booking.name}, {_when(booking, booking.coach.timezone)}",
              "booking_notification", ics=_calendar(context, COACH, "REQUEST"), ics_method="REQUEST",
              **context)


def rescheduled(booking, old_start, message="", by="visitor"):
    context = _context(booking, old_start=old_start, message=message, moved_by=by)
    _to_visitor(f"Your {_what(booking)} is moved to {_when(booking, booking.timezone)}",
                "booking_rescheduled", ics=_calendar(context, VISITOR, "REQUEST"), ics_method="REQUEST",
                **context)
    _to_coach(f"{_what(booking).capitalize()} moved: {booking.name}, now {_when(booking, booking.coach.timezone)}",
              "booking_rescheduled_coach", ics=_calendar(context, COACH, "REQUEST"), ics_method="REQUEST",
              **context)


def cancelled(booking):
    if booking.kind == "discovery":  # the coach's own booking page
        rebook = url_for("booking.book", slug=CoachProfile.for_user(booking.coach_id).book_slug)
    else:
        rebook = url_for("sessions.book")
    context = _context(booking, book_link=current_app.config["SITE_URL"] + rebook)
    _to_visitor(f"Cancelled: your call on {_when(booking, booking.timezone)}",
                "booking_cancelled", ics=_calendar(context, VISITOR, "CANCEL"), ics_method="CANCEL",
                **context)
    _to_coach(f"Cancelled: {booking.name}, {_when(booking, booking.coach.timezone)}",
              "booking_cancelled_coach", ics=_calendar(context, COACH, "CANCEL"), ics_method="CANCEL",
              **context)


def reminder(booking):
    _to_visitor(f"Reminder: your {_what(booking)} with {booking.coach.name}, {_when(booking, booking.timezone)}",
                "booking_reminder", **_context(booking))
