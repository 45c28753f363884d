"""The coach's feed of 2,000 events, next to icalendar alone serialising the same events.

    .venv/bin/python bench/feed.py [--postgres URL] [--events 2000] [--runs 7]

A coach with 2,000 bookings inside the feed's window (from 90 days ago on; discovery calls with
their answers, sessions, some cancelled). Timed, best of `runs` (CPU-light machine noise aside):

- the feed as a subscriber gets it: GET /calendar/<token>.ics through the whole app in-process
  (its queries, the events, icalendar, the response);
- icalendar alone: the same 2,000 events, already in memory as our CalendarEvent values, made
  into icalendar components and serialised (`ics.feed_calendar`: icalendar's add() and to_ical());
- icalendar's to_ical() alone, on a calendar already built;
- a repeat request with If-None-Match: answered 304 without building anything.

Target: the feed at most 1.5× icalendar alone.
"""
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import growth  # noqa: E402 - its booking rows and bulk insert

PASSWORD = "bench-feed-password"


def fill(app, events):
    from blueprints.coach.service import create_coach
    from database import db, utcnow
    from scheduling.models import SessionType
    with app.app_context():
        db.connect(reuse_if_open=True)
        coach = create_coach("coach@bench.example", "Feed Coach", PASSWORD)
        type_id = SessionType.create(coach=coach, name="Deep dive", minutes=60).id
        start = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(days=89)
        rows = []
        for n in range(events):
            at = start + timedelta(hours=3 * n)
            status = "cancelled" if n % 25 == 0 else ("completed" if n < events // 3 else "confirmed")
            if n % 2:
                rows.append(growth._booking(coach, at, 60, f"f{n}", "session", None, type_id, status))
            else:
                rows.append(growth._booking(coach, at, 30, f"f{n}", status=status))
        with db.atomic():
            growth._insert_bookings(rows)
        db.execute_sql("ANALYZE")
        db.close()
    return coach


def best(calls, runs):
    """Best time in ms of each call; the calls take turns, so a busy moment hits them all."""
    times = [[] for _ in calls]
    for _ in range(runs):
        for spent, call in zip(times, calls):
            started = time.perf_counter()
            call()
            spent.append(time.perf_counter() - started)
    return [min(spent) * 1000 for spent in times]


def measure(url, events, runs):
    from app import create_app
    from blueprints.auth.models import CoachProfile
    from blueprints.calendar import feeds
    from blueprints.calendar.events import COACH, booking_event
    from blueprints.calendar.ics import feed_calendar
    from commands import migration_router
    from database import db, make_database, utcnow
    from scheduling.models import Booking

    database = make_database(url)
    db.initialize(database)
    migration_router().run()
    database.close()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "REQUEST_LOG": False, "SITE_URL": "http://bench"})
    coach = fill(app, events)
    with app.app_context(), db.connection_context():
        profile = CoachProfile.by_feed_token(CoachProfile.get(CoachProfile.user == coach.id).feed_token)
    path = f"/calendar/{profile.feed_token}.ics"
    client = app.test_client()
    first = client.get(path)
    assert first.status_code == 200 and first.data.count(b"BEGIN:VEVENT") == events, "the feed misses events"

    with app.test_request_context(), db.connection_context():
        now = utcnow()
        own = Booking.select().where(Booking.coach == profile.user_id)
        shown = list(feeds.shown_bookings(feeds._with_coach(own), now).order_by(Booking.starts_at, Booking.id))
        answers = feeds._answers_by_booking(shown)
        calendar_events = [booking_event(b, COACH, answers=answers[b.id]) for b in shown]
        name = f"{app.config['SITE_NAME']}: bookings"
    from icalendar import Calendar
    built = Calendar.from_ical(feed_calendar(calendar_events, name=name, refresh=feeds.REFRESH))
    whole, icalendar_alone, to_ical_alone = best(
        [lambda: client.get(path), lambda: feed_calendar(calendar_events, name=name, refresh=feeds.REFRESH),
         built.to_ical], runs)

    etag = first.headers["ETag"]
    [repeat] = best([lambda: client.get(path, headers={"If-None-Match": etag})], runs)
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    return {"events": events, "feed_ms": whole, "icalendar_ms": icalendar_alone, "to_ical_ms": to_ical_alone,
            "repeat_304_ms": repeat, "ratio": whole / icalendar_alone}


def main():
    args = growth.arguments(__doc__, events=2000, runs=7)
    results = growth.on_each_database(measure, args.postgres, "feed", args.events, args.runs)
    growth.table(["database", "events", "GET feed", "icalendar alone (build + serialise)", "to_ical() alone",
                  "feed ÷ icalendar (target ≤ 1.5×)", "repeat with If-None-Match (304)"],
                 [[backend, f"{r['events']:,}", f"{r['feed_ms']:.0f} ms", f"{r['icalendar_ms']:.0f} ms",
                   f"{r['to_ical_ms']:.0f} ms", f"**{r['ratio']:.2f}×**{'' if r['ratio'] <= 1.5 else ' ❌'}",
                   f"{r['repeat_304_ms']:.1f} ms"] for backend, r in results.items()])


if __name__ == "__main__":
    main()
