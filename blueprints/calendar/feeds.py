"""Subscription feeds: the coach's bookings (and, if they like, open slots) and a client's sessions.

A feed is the whole current picture: a subscribed calendar replaces what it had with what it
reads. So a cancelled booking stays in the feed for a while as STATUS:CANCELLED, long enough
for every subscriber to see it and drop the event, instead of silently vanishing.

Everything in a feed is derived from stored data (DTSTAMP is the booking's `updated_at`), so
the same data gives the same bytes and the ETag — a hash of those bytes — changes exactly
when what a subscriber would see changes.
"""
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from blueprints.auth.models import CoachProfile, User
from blueprints.calendar.events import COACH, VISITOR, booking_event, open_slot_event
from blueprints.calendar.ics import feed_calendar
from blueprints.intake.models import IntakeAnswer
from scheduling import service
from scheduling.intervals import merge
from scheduling.models import CANCELLED, Booking
from scheduling.slots import Slot

PAST = timedelta(days=90)  # past bookings stay visible this long
CANCELLED_KEPT = timedelta(days=30)  # counted from cancelled_at
REFRESH = timedelta(hours=1)  # what we ask subscribers to poll at (most poll slower anyway)


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str  # strong validator, without quotes
    last_modified: datetime  # aware UTC: the latest moment the feed's content changed


def shown_bookings(query, now):
    """The bookings of `query` a feed shows at `now`."""
    return query.where(
        (Booking.ends_at >= now - PAST)
        & ((Booking.status != CANCELLED) | (Booking.cancelled_at >= now - CANCELLED_KEPT))
    )


def _with_coach(query):
    # booking_event reads booking.coach; one join instead of one query per booking.
    return query.select(Booking, User).join(User, on=(Booking.coach == User.id))


def _last_aged_out(query, now):
    """When a booking last left the feed by age alone: the feed changed then, too.

    Without this, If-Modified-Since could be answered 304 after an old event dropped out.
    """
    moments = []
    ended = (query.select(Booking.ends_at).where(Booking.ends_at < now - PAST)
             .order_by(Booking.ends_at.desc()).first())
    if ended:
        moments.append(ended.ends_at + PAST)
    cancelled = (query.select(Booking.cancelled_at)
                 .where((Booking.status == CANCELLED) & (Booking.cancelled_at < now - CANCELLED_KEPT))
                 .order_by(Booking.cancelled_at.desc()).first())
    if cancelled:
        moments.append(cancelled.cancelled_at + CANCELLED_KEPT)
    return [moment for moment in moments if moment <= now]


def _answers_by_booking(bookings):
    ids = [booking.id for booking in bookings]
    answers = {booking_id: [] for booking_id in ids}
    if ids:
        for answer in IntakeAnswer.of_bookings(ids):
            answers[answer.booking_id].append(answer)
    return answers


def _open_ranges(slots):
    """Slots that overlap (a step shorter than the call) shown as one free range each."""
    return [Slot(start, end) for start, end in merge(((s.start, s.end) for s in slots), touching=False)]


def _open_slot_events(profile, now):
    start = now.replace(second=0, microsecond=0)  # minute steps let the slot cache help
    slots = service.free_slots_for(profile, start, start + timedelta(days=profile.horizon_days), now=now)
    return [open_slot_event(profile, slot, stamp=profile.updated_at) for slot in _open_ranges(slots)]


def _feed(events, name, changed_at):
    body = feed_calendar(events, name=name, refresh=REFRESH)
    return Feed(body=body, etag=hashlib.sha256(body).hexdigest()[:40], last_modified=max(changed_at))


def coach_feed(profile, now):
    """The coach's subscription feed at `now`."""
    own = Booking.select().where(Booking.coach == profile.user_id)
    bookings = list(shown_bookings(_with_coach(own), now).order_by(Booking.starts_at, Booking.id))
    answers = _answers_by_booking(bookings)
    events = [booking_event(booking, COACH, answers=answers[booking.id]) for booking in bookings]
    # The profile counts too: the coach's name is in the feed, and the open-slots option lives there.
    changed_at = [profile.updated_at, *(b.updated_at for b in bookings), *_last_aged_out(own, now)]
    if profile.feed_include_open_slots:
        events += _open_slot_events(profile, now)
        # Open slots also change as time passes (notice, horizon), at most once a minute.
        changed_at.append(now.replace(second=0, microsecond=0))
    name = f"{current_app.config['SITE_NAME']}: bookings"
    return _feed(events, name, changed_at)


def client_feed(user, now):
    """A client's own sessions at `now`, as they see them (their zone, their manage links)."""
    own = Booking.select().where(Booking.client == user.id)
    bookings = list(shown_bookings(_with_coach(own), now).order_by(Booking.starts_at, Booking.id))
    events = [booking_event(booking, VISITOR) for booking in bookings]
    changed_at = [user.created_at, *(b.updated_at for b in bookings), *_last_aged_out(own, now)]
    # Coach profiles count too: a coach's name is in every event's summary.
    coach_ids = {booking.coach_id for booking in bookings} | ({user.coach_id} if user.coach_id else set())
    latest_profile = (CoachProfile.select(CoachProfile.updated_at).where(CoachProfile.user.in_(list(coach_ids)))
                      .order_by(CoachProfile.updated_at.desc()).first() if coach_ids else None)
    if latest_profile is not None:
        changed_at.append(latest_profile.updated_at)
    name = f"{current_app.config['SITE_NAME']}: my sessions"
    return _feed(events, name, changed_at)


def subscription_links(path):
    """The feed's web address and the same as webcal://, which calendar apps open as 'subscribe'."""
    web = current_app.config["SITE_URL"] + path
    return {"web": web, "webcal": "webcal://" + web.split("://", 1)[1]}
