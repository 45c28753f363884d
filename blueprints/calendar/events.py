"""Bookings as calendar events: the one place that decides what an event says.

The same UID is used in the visitor's invitation, the .ics download and the coach's feed, so
every calendar recognises one call as one event and updates it instead of duplicating it.
"""
from datetime import timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app, url_for

from blueprints.auth.models import how_we_meet
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


def _ordered_answers(booking, answers):
    if answers is not None:  # preloaded by the caller (the feed reads them in one query)
        return answers
    return booking.answers.order_by(booking.answers.model.position)


def _description(booking, audience, answers=None):
    lines = []
    if audience == VISITOR:
        where = how_we_meet(booking.location_kind, booking.location, booking.coach.name, booking.phone)
        lines += [f"Where: {where.label}. {where.sentence}", ""]
    elif booking.location:
        lines += [f"Where: {booking.location}", ""]
    if audience == COACH:
        lines.append(booking.name + (f" <{booking.email}>" if booking.email else "")
                     + (f", {booking.phone}" if booking.phone else ""))
        for answer in _ordered_answers(booking, answers):
            if answer.answer:
                lines += ["", answer.question_label, answer.answer]
        lines += ["", f"Booking: {manage_url(booking)}"]
    else:
        lines.append(f"To cancel or move this call: {manage_url(booking)}")
    return "\n".join(lines)


def booking_event(booking, audience=VISITOR, status=None, answers=None):
    """The CalendarEvent for `booking` as `audience` should see it.

    `answers`: the booking's intake answers in order, when the caller has already read them.
    """
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
        description=_description(booking, audience, answers),
        location=booking.location,
        url=_meeting_url(booking.location) or manage_url(booking),
        conference=_meeting_url(booking.location) if booking.location_kind == "video" else "",
        organizer_email=coach.email,
        organizer_name=coach.name,
        attendee_email=booking.email,
        attendee_name=booking.name,
        status="CANCELLED" if cancelled else "CONFIRMED",
        # The booking's own change time, not "now": the feed must be byte-identical between
        # two requests for the same data, or its ETag would never match.
        stamp=booking.updated_at,
        last_modified=booking.updated_at,
        tz=ZoneInfo(booking.timezone) if audience == VISITOR else ZoneInfo(coach.timezone),
    )


def open_slot_event(profile, slot, stamp):
    """A free (transparent) event for one open range, for coaches who like to see them.

    The UID is made of the coach and the start time, so a subscribed calendar keeps one
    event per open time and drops it when the time is booked or closed.
    """
    start = slot.start.astimezone(timezone.utc)
    book_url = current_app.config["SITE_URL"] + url_for("booking.book", slug=profile.book_slug,
                                                            date=slot.start.astimezone(ZoneInfo(profile.timezone)).date().isoformat())
    return CalendarEvent(
        uid=f"open-{profile.user_id}-{start:%Y%m%dT%H%M%SZ}@{site_host()}",
        sequence=0,
        start=slot.start,
        end=slot.end,
        summary="Open for a discovery call",
        description=f"Nobody has booked this time yet. Visitors book it at {book_url}",
        url=book_url,
        transparent=True,
        stamp=stamp,
        tz=ZoneInfo(profile.timezone),
    )
