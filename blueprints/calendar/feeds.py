"""Subscription feeds: the coach's bookings (and, if they like, open slots) and a client's sessions.

A feed is the whole current picture: a subscribed calendar replaces what it had with what it
reads. So a cancelled booking stays in the feed for a while as STATUS:CANCELLED, long enough
for every subscriber to see it and drop the event, instead of silently vanishing.

Everything in a feed is derived from stored data (DTSTAMP is the booking's `updated_at`), so
the same data gives the same bytes and the ETag — a hash of those bytes — changes exactly
when what a subscriber would see changes.
"""
import hashlib
from datetime import datetime, timedelta

from flask import current_app
from peewee import fn

from blueprints.auth.models import CoachProfile, User
from blueprints.calendar.events import COACH, VISITOR, booking_event, open_slot_event
from blueprints.calendar.ics import feed_calendar
from blueprints.intake.models import IntakeAnswer
from scheduling import service
from scheduling.intervals import merge
from scheduling.models import CANCELLED, LONGEST, Booking
from scheduling.slots import Slot

PAST = timedelta(days=90)  # past bookings stay visible this long
CANCELLED_KEPT = timedelta(days=30)  # counted from cancelled_at
REFRESH = timedelta(hours=1)  # what we ask subscribers to poll at (most poll slower anyway)


class Feed:
    """A feed's validators, known before a byte of it is built; the bytes are built on first use,
    so a request answered 304 builds nothing."""

    def __init__(self, etag, last_modified, build=None, body=None):
        self.etag = etag  # strong validator, without quotes
        self.last_modified = last_modified  # aware UTC: the latest moment the feed's content changed
        self._build, self._body = build, body

    @property
    def body(self):
        if self._body is None:
            self._body = self._build()
        return self._body


# Part of every ETag: raise it when the builder's output changes for the same data.
FEED_FORMAT = 2


def shown_bookings(query, now):
    """The bookings of `query` a feed shows at `now`."""
    return query.where(
        (Booking.ends_at >= now - PAST) & (Booking.starts_at >= now - PAST - LONGEST)  # the index's bound
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


def _shown_summary(query, now):
    """(how many, latest change, highest id) of the bookings a feed shows: one aggregate query.
    Any booking shown, changed, added or removed moves one of them (each change sets updated_at)."""
    return tuple(shown_bookings(query, now).select(
        fn.COUNT(Booking.id), fn.MAX(Booking.updated_at).python_value(Booking.updated_at.python_value),
        fn.MAX(Booking.id)).tuples().get())


def coach_feed(profile, now):
    """The coach's subscription feed at `now` (`profile.user` read with it: their name is in it).

    Its ETag is a hash of everything the bytes are made of — the shown bookings' summary, what
    aged out, the coach's profile and name, the open slots' version and minute — so a repeat
    request is answered from one small query, and the feed is built only when it is sent."""
    own = Booking.select().where(Booking.coach == profile.user_id)
    count, latest, last_id = _shown_summary(own, now)
    aged_out = _last_aged_out(own, now)
    changed_at = [profile.updated_at, *([latest] if latest else []), *aged_out]
    coach = profile.user
    inputs = [FEED_FORMAT, profile.id, profile.updated_at, coach.name, coach.email, coach.timezone, count, latest,
              last_id, aged_out, current_app.config["SITE_NAME"], current_app.config["SITE_URL"]]
    if profile.feed_include_open_slots:
        # Open slots also change as time passes (notice, horizon), at most once a minute.
        changed_at.append(now.replace(second=0, microsecond=0))
        inputs += [profile.availability_version, changed_at[-1]]
    etag = hashlib.sha256(repr(inputs).encode()).hexdigest()[:40]
    return Feed(etag=etag, last_modified=max(changed_at), build=lambda: _coach_feed_body(profile, now))


# What booking_event reads of a booking: a 2,000-event feed converts no other column.
EVENT_FIELDS = (Booking.id, Booking.coach, Booking.uid, Booking.sequence, Booking.kind, Booking.name, Booking.email,
                Booking.phone, Booking.timezone, Booking.starts_at, Booking.ends_at, Booking.status, Booking.location,
                Booking.location_kind, Booking.manage_token, Booking.updated_at)


def _coach_feed_body(profile, now):
    own = Booking.select(*EVENT_FIELDS).where(Booking.coach == profile.user_id)
    bookings = list(shown_bookings(own, now).order_by(Booking.starts_at, Booking.id))
    for booking in bookings:
        booking.coach = profile.user  # booking_event reads it: one coach, already loaded
    answers = _answers_by_booking(bookings)
    events = [booking_event(booking, COACH, answers=answers[booking.id]) for booking in bookings]
    if profile.feed_include_open_slots:
        events += _open_slot_events(profile, now)
    return feed_calendar(events, name=f"{current_app.config['SITE_NAME']}: bookings", refresh=REFRESH)


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
