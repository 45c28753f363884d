"""The emails a booking sends, each with the calendar file its reader's calendar needs.

Called inside the transaction that makes the change, so a message exists exactly when the
change does. The visitor gets times in their own zone, the coach in theirs.
"""
from flask import current_app, url_for

from blueprints.auth.models import CoachProfile, how_we_meet, on_behalf_of
from blueprints.calendar.events import COACH, VISITOR, booking_event, manage_url
from blueprints.calendar.ics import event_calendar
from mail import PENDING, OutboxMessage, queue_email
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
                what=booking.session_label.lower(), time_format=TIME,
                where=how_we_meet(booking.location_kind, booking.location, coach.name, booking.phone), **extra)


def _what(booking):
    """"call" for a discovery call (as visitors have always read it), else the session type's name."""
    return "call" if booking.kind == "discovery" else booking.session_label.lower()


def _when(booking, audience):
    """The start in the reader's zone, on their clock (the coach's emails: 24-hour)."""
    if audience == VISITOR:
        return local_time(booking.starts_at, booking.timezone, SHORT, hour12=booking.hour12)
    return local_time(booking.starts_at, booking.coach.timezone, SHORT)


def _to_visitor(booking, subject, template, context, **extra):
    """Sent for the coach: From their chosen name, replies to them; times on the visitor's clock."""
    return queue_email(booking.email, subject, template, **on_behalf_of(booking.coach), **context,
                       viewer_hour12=booking.hour12, **extra)


def _to_coach(booking, subject, template, context, **extra):
    """The coach's own notice: a reply reaches the person who booked."""
    return queue_email(booking.coach.email, subject, template, reply_to=booking.email or "", **context,
                       viewer_hour12=False, **extra)


def booked(booking):
    context = _context(booking)
    _to_visitor(booking, f"Your {_what(booking)} with {booking.coach.name}: {_when(booking, VISITOR)}",
                "booking_confirmation", context, ics=_calendar(context, VISITOR, "REQUEST"), ics_method="REQUEST")
    _to_coach(booking, f"New {booking.session_label.lower()}: {booking.name}, {_when(booking, COACH)}",
              "booking_notification", context, ics=_calendar(context, COACH, "REQUEST"), ics_method="REQUEST")


def rescheduled(booking, old_start, message="", by="visitor"):
    context = _context(booking, old_start=old_start, message=message, moved_by=by)
    _to_visitor(booking, f"Your {_what(booking)} is moved to {_when(booking, VISITOR)}",
                "booking_rescheduled", context, ics=_calendar(context, VISITOR, "REQUEST"), ics_method="REQUEST")
    _to_coach(booking, f"{_what(booking).capitalize()} moved: {booking.name}, now {_when(booking, COACH)}",
              "booking_rescheduled_coach", context, ics=_calendar(context, COACH, "REQUEST"), ics_method="REQUEST")


def cancelled(booking, hold_until=None):
    """`hold_until`: the messages wait until then (the visitor may still undo), else go at once."""
    if booking.kind == "discovery":  # the coach's own booking page
        rebook = url_for("booking.book", slug=CoachProfile.for_user(booking.coach_id).book_slug)
    else:
        rebook = url_for("sessions.book")
    context = _context(booking, book_link=current_app.config["SITE_URL"] + rebook)
    messages = [
        _to_visitor(booking, f"Cancelled: your call on {_when(booking, VISITOR)}", "booking_cancelled", context,
                    ics=_calendar(context, VISITOR, "CANCEL"), ics_method="CANCEL"),
        _to_coach(booking, f"Cancelled: {booking.name}, {_when(booking, COACH)}", "booking_cancelled_coach", context,
                  ics=_calendar(context, COACH, "CANCEL"), ics_method="CANCEL"),
    ]
    if hold_until is not None:
        OutboxMessage.update(next_attempt_at=hold_until).where(
            OutboxMessage.id.in_([m.id for m in messages])).execute()


def withdraw_cancellation(booking, held_until):
    """The cancellation's messages, held back until `held_until`, are not sent after all. True if
    both were still waiting (else one went out and the undo must say so by email)."""
    withdrawn = OutboxMessage.delete().where(
        (OutboxMessage.status == PENDING) & (OutboxMessage.attempts == 0) & (OutboxMessage.ics_method == "CANCEL")
        & (OutboxMessage.next_attempt_at == held_until)
        & OutboxMessage.to_addr.in_([booking.email, booking.coach.email])).execute()
    return withdrawn == 2


def reminder(booking):
    _to_visitor(booking, f"Reminder: your {_what(booking)} with {booking.coach.name}, {_when(booking, VISITOR)}",
                "booking_reminder", _context(booking))
