"""Bookings as calendar events: the one place that decides what an event says.

The same UID is used in the visitor's invitation, the .ics download and the coach's feed, so
every calendar recognises one call as one event and updates it instead of duplicating it.
"""
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app, url_for

from blueprints.calendar.ics import CalendarEvent

VISITOR, COACH = "visitor", "coach"


def site_host():
    return urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"


def new_uid(token):
    return f"booking-{token}@{site_host()}"


def manage_url(booking):
    return current_app.config["SITE_URL"] + url_for("booking.manage", token=booking.manage_token)


def _meeting_url(location):
    """A video link inside the location text, for the URL property and the 'join' button."""
    for word in (location or "").split():
        if word.startswith(("https://", "http://")):
            return word
    return ""


def _description(booking, audience):
    lines = []
    if booking.location:
        lines += [f"Where: {booking.location}", ""]
    if audience == COACH:
        lines.append(f"{booking.name} <{booking.email}>" + (f", {booking.phone}" if booking.phone else ""))
        for answer in booking.answers.order_by(booking.answers.model.position):
            if answer.answer:
                lines += ["", answer.question_label, answer.answer]
        lines += ["", f"Booking: {manage_url(booking)}"]
    else:
        lines.append(f"To cancel or move this call: {manage_url(booking)}")
    return "\n".join(lines)


def booking_event(booking, audience=VISITOR, status=None):
    """The CalendarEvent for `booking` as `audience` should see it."""
    coach = booking.coach
    kind = "Discovery call" if booking.kind == "discovery" else "Coaching session"
    summary = f"{kind} with {coach.name}" if audience == VISITOR else f"{kind}: {booking.name}"
    cancelled = status == "CANCELLED" or booking.status == "cancelled"
    return CalendarEvent(
        uid=booking.uid,
        sequence=booking.sequence,
        start=booking.starts_at,
        end=booking.ends_at,
        summary=summary,
        description=_description(booking, audience),
        location=booking.location,
        url=_meeting_url(booking.location) or manage_url(booking),
        organizer_email=coach.email,
        organizer_name=coach.name,
        attendee_email=booking.email,
        attendee_name=booking.name,
        status="CANCELLED" if cancelled else "CONFIRMED",
        stamp=booking.updated_at,
        last_modified=booking.updated_at,
        tz=ZoneInfo(booking.timezone) if audience == VISITOR else ZoneInfo(coach.timezone),
    )
