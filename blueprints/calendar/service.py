"""Writes of the calendar feature: busy times from the coach's own calendars (read a source,
keep its busy blocks current), and the subscription feeds' settings.

A source that cannot be read keeps its last good busy times: a broken, huge or hostile file
must never open up time the coach is really busy, and must never break booking. Only the
source is marked failing (`last_error`, in words the coach understands).

Lock order, shared by every write here: the source row first, then the coach's profile row
(`bump_version`). Booking transactions take only the profile row, so nothing can deadlock.
"""
import logging
import time
from datetime import timedelta
from urllib.parse import urlsplit

import peewee as pw
from peewee import chunked

from blueprints.auth.models import CoachProfile, User, new_secret
from blueprints.calendar.busy import CalendarUnreadable, read_calendar
from blueprints.calendar.fetch import FetchError, fetch_calendar
from blueprints.calendar.limits import MAX_BYTES
from database import db, utcnow, write_transaction
from scheduling.models import BusyBlock, BusySource
from scheduling.service import bump_version

log = logging.getLogger(__name__)

READ_FROM = timedelta(days=1)  # busy times kept: from a day ago ...
READ_UNTIL = timedelta(days=400)  # ... to well past any booking horizon
FETCH_TIMEOUT = 10.0  # seconds, redirects included
CLAIM_FOR = timedelta(minutes=5)  # a worker that died mid-refresh lets another try after this
UNEXPECTED = "Something unexpected went wrong while reading this calendar"


def fetch_options(config):
    return {
        "timeout": float(config.get("CALENDAR_FETCH_TIMEOUT", FETCH_TIMEOUT)),
        "max_bytes": MAX_BYTES,
        "allow_private": bool(config.get("CALENDAR_ALLOW_PRIVATE_URLS")),
    }


def read_busy(data, now, own_addresses=()):
    """Busy intervals of an ICS document around `now`; CalendarUnreadable says what is wrong.

    `own_addresses`: the coach's email addresses; events they declined do not block.
    """
    try:
        return read_calendar(data, window_start=now - READ_FROM, window_end=now + READ_UNTIL, max_bytes=MAX_BYTES,
                             own_addresses=own_addresses)
    except CalendarUnreadable:
        raise
    except Exception as error:  # noqa: BLE001 - a stranger's file must not become a 500
        log.exception("unexpected failure reading a calendar")
        raise CalendarUnreadable(UNEXPECTED) from error


def coach_addresses(coach_id, extra=()):
    """The addresses that are the coach in a calendar: their account's, and the ones they added."""
    return [User.get_by_id(coach_id).email, *extra]


def next_refresh(config, now):
    return now + timedelta(minutes=int(config.get("CALENDAR_REFRESH_MINUTES", 15)))


LONGEST_BACKOFF = timedelta(hours=12)


def retry_after_failures(config, failures):
    """The wait before the next try after `failures` failed refreshes in a row: the usual
    interval, then twice, four times … as long, at most 12 hours (a dead calendar is not
    hammered; it is still retried twice a day, and "Refresh now" tries at once)."""
    usual = timedelta(minutes=int(config.get("CALENDAR_REFRESH_MINUTES", 15)))
    return min(usual * 2 ** max(failures - 1, 0), max(LONGEST_BACKOFF, usual))


# --- storing ----------------------------------------------------------------------------


def _stored_intervals(source_id):
    query = (BusyBlock.select(BusyBlock.starts_at, BusyBlock.ends_at).where(BusyBlock.source == source_id)
             .order_by(BusyBlock.starts_at, BusyBlock.ends_at))
    return [(block.starts_at, block.ends_at) for block in query]


def _replace_blocks(source, busy):
    """Store `busy` as the source's blocks (inside the caller's transaction, source row locked)."""
    fresh = [(interval.start, interval.end) for interval in busy.intervals]
    if _stored_intervals(source.id) == fresh:
        return  # unchanged: keep the slot cache of the booking page warm
    bump_version(source.coach_id)
    BusyBlock.delete().where(BusyBlock.source == source.id).execute()
    rows = [{"source": source.id, "starts_at": start, "ends_at": end} for start, end in fresh]
    for batch in chunked(rows, 300):
        BusyBlock.insert_many(batch).execute()


def save_busy(source, busy, now, **fields):
    """Replace the source's busy blocks with `busy` and record the success, in one transaction.

    Returns False when the source was removed meanwhile (nothing is stored then).
    """
    with write_transaction():
        # This UPDATE also locks the row: a "Refresh now" and the worker take turns.
        locked = BusySource.update(last_attempt_at=now).where(BusySource.id == source.id).execute()
        if not locked:
            return False
        _replace_blocks(source, busy)
        fields.update(skipped_count=len(busy.skipped), skipped_events=BusySource.skipped_as_text(busy.skipped))
        BusySource.update(event_count=busy.event_count, last_success_at=now, last_error="", failure_count=0,
                          failing_since=None, **fields).where(BusySource.id == source.id).execute()
    return True


def _record_failure(source, message, now, config):
    """Mark the source failing and back off; its blocks (the last good busy times) stay in force."""
    failures = (BusySource.get_or_none(BusySource.id == source.id) or source).failure_count + 1
    BusySource.update(
        last_attempt_at=now, last_error=message[:1000], failure_count=failures,
        failing_since=pw.fn.COALESCE(BusySource.failing_since, now),
        next_refresh_at=now + retry_after_failures(config, failures) if source.kind == BusySource.URL else None,
    ).where(BusySource.id == source.id).execute()


# --- the coach's actions ------------------------------------------------------------------


def add_url_source(coach_id, name, url, config, now=None, own_addresses=()):
    """Read the address once before keeping it, so the coach knows at once whether it works.

    `own_addresses`: the coach's other addresses on that calendar (see coach_addresses).
    Raises FetchError or CalendarUnreadable (nothing stored then).
    """
    now = now or utcnow()
    result = fetch_calendar(url, **fetch_options(config))
    busy = read_busy(result.body or b"", now, coach_addresses(coach_id, own_addresses))
    with write_transaction():
        source = BusySource.create(coach=coach_id, name=name, kind=BusySource.URL, url=url.strip(),
                                   created_at=now, next_refresh_at=next_refresh(config, now),
                                   own_addresses="\n".join(own_addresses))
        save_busy(source, busy, now, etag=result.etag, last_modified_header=result.last_modified)
    return BusySource.get_by_id(source.id)  # as stored: save_busy filled in the event count


def add_uploaded_source(coach_id, name, data, now=None, own_addresses=()):
    """Keep the busy times of an uploaded file. Raises CalendarUnreadable (nothing stored then)."""
    now = now or utcnow()
    busy = read_busy(data, now, coach_addresses(coach_id, own_addresses))
    with write_transaction():
        source = BusySource.create(coach=coach_id, name=name, kind=BusySource.UPLOAD, created_at=now,
                                   own_addresses="\n".join(own_addresses))
        save_busy(source, busy, now)
    return BusySource.get_by_id(source.id)  # as stored: save_busy filled in the event count


def remove_source(source):
    with write_transaction():
        # The source row first (its blocks go with it: ON DELETE CASCADE), then the profile.
        if BusySource.delete().where(BusySource.id == source.id).execute():
            bump_version(source.coach_id)


def refresh_source(source, config, now=None):
    """Fetch a URL source again (conditionally) and store what it says; never raises for its content.

    Returns the source as stored afterwards (None if it was removed meanwhile).
    """
    now = now or utcnow()
    try:
        result = fetch_calendar(source.url, etag=source.etag, last_modified=source.last_modified_header,
                                **fetch_options(config))
        addresses = coach_addresses(source.coach_id, source.address_list)
        busy = read_busy(result.body, now, addresses) if result.status == 200 else None
    except (FetchError, CalendarUnreadable) as error:
        _record_failure(source, str(error), now, config)
    except Exception:  # noqa: BLE001 - one odd server must not stop the others or booking
        log.exception("refreshing calendar source %s failed", source.id)
        _record_failure(source, UNEXPECTED, now, config)
    else:
        # The validators are kept only with a good read: a broken file must be fetched again.
        fields = dict(etag=result.etag, last_modified_header=result.last_modified,
                      next_refresh_at=next_refresh(config, now))
        if busy is None:  # 304: still what we read last time
            BusySource.update(last_attempt_at=now, last_success_at=now, last_error="", failure_count=0,
                              failing_since=None, **fields).where(BusySource.id == source.id).execute()
        else:
            save_busy(source, busy, now, **fields)
    return BusySource.get_or_none(BusySource.id == source.id)


# --- the subscription feeds' settings ------------------------------------------------------


def show_open_slots(coach_id, include):
    with db.atomic():
        CoachProfile.update(feed_include_open_slots=include, updated_at=utcnow()).where(
            CoachProfile.user == coach_id).execute()


def new_coach_feed_address(coach_id):
    """A new secret for the coach's feed: the old address answers 404 from now on."""
    with db.atomic():
        CoachProfile.update(feed_token=new_secret(), updated_at=utcnow()).where(
            CoachProfile.user == coach_id).execute()


def client_with_feed_address(user_id):
    """The client, with a feed secret made on their first visit (only someone looking needs one)."""
    User.update(feed_token=new_secret()).where((User.id == user_id) & User.feed_token.is_null()).execute()
    return User.get_by_id(user_id)


def new_client_feed_address(user_id):
    with db.atomic():
        User.update(feed_token=new_secret()).where(User.id == user_id).execute()


# --- the worker ---------------------------------------------------------------------------


def due_sources(now):
    return (BusySource.select()
            .where((BusySource.kind == BusySource.URL)
                   & (BusySource.next_refresh_at.is_null() | (BusySource.next_refresh_at <= now)))
            .order_by(BusySource.next_refresh_at, BusySource.id))


def claim(source, now):
    """Take a due source for this worker; False if another worker took it first."""
    return BusySource.update(next_refresh_at=now + CLAIM_FOR).where(
        (BusySource.id == source.id)
        & (BusySource.next_refresh_at.is_null() | (BusySource.next_refresh_at <= now))
    ).execute() == 1


PASS_BUDGET = 20.0  # seconds of calendar fetching per worker pass; the rest wait for the next pass


def refresh_due_sources(app, limit=50):
    """Worker task: refresh the URL sources that are due. Returns how many were refreshed.

    Each fetch has its own deadline, and the pass stops starting new ones after a time budget,
    so slow calendars can delay the next pass's email by seconds, never hold it."""
    budget_ends = time.monotonic() + float(app.config.get("CALENDAR_PASS_SECONDS", PASS_BUDGET))
    with app.app_context():
        now = utcnow()
        refreshed = 0
        for source in list(due_sources(now).limit(limit)):
            if time.monotonic() >= budget_ends:
                break
            if claim(source, now):
                refresh_source(source, app.config)
                refreshed += 1
        return refreshed


# --- telling the coach ---------------------------------------------------------------------


def time_ago(then, now=None):
    """'just now', '5 minutes ago', '3 hours ago', '2 days ago'."""
    seconds = max(0, int(((now or utcnow()) - then).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def url_host(url):
    """Only the host of a secret address is shown: the rest of it is the secret."""
    return urlsplit(url).hostname or ""
