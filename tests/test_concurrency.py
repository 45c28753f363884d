"""Never two at once: many visitors race for one time through two real server processes.

gunicorn runs two workers on this test's database (SQLite or PostgreSQL); threads fire the
booking POSTs together, each with its own session and CSRF token, as separate browsers would.
"""
from datetime import timedelta

import pytest

from support.booking import CHANGE, bookings, free_slots, iso, make_booking, open_all_week, questions
from support.servers import all_at_once, form_page, http_visitor, post_booking

pytestmark = pytest.mark.slow
VISITORS = 20


def race(base, coach, starts):
    """One visitor per start in `starts`, all posting at the same moment; returns (status, body) list."""
    change, heard = questions(coach)[:2]

    def visitor(index, start):
        def go(ready):
            opener = http_visitor()
            token = form_page(opener, base, start)
            data = {"csrf_token": token, "start": iso(start), "tz": "Europe/London", "name": f"Visitor {index}",
                    "email": f"visitor{index}@example.org", "consent": "y", f"q{change.id}": CHANGE,
                    f"q{heard.id}": ""}
            ready()
            return post_booking(opener, base, data)
        return go

    return all_at_once([visitor(i, start) for i, start in enumerate(starts)])


def test_many_visitors_one_slot_exactly_one_booking(live_server, users):
    coach = users["coach"]
    open_all_week(coach)
    slot = free_slots(coach)[0]
    results = race(live_server, coach, [slot.start] * VISITORS)
    statuses = sorted(status for status, _ in results)
    assert statuses == [303] + [409] * (VISITORS - 1), statuses
    assert all("was just taken by someone else" in body for status, body in results if status == 409)
    [booking] = bookings()
    assert booking.starts_at == slot.start and booking.status == "confirmed"


def test_overlapping_times_are_never_both_booked(live_server, users):
    # One-hour calls every 30 minutes: 10:00 and 10:30 overlap although their starts differ,
    # so the unique index on the start alone could not stop this; the re-check under lock must.
    coach = users["coach"]
    open_all_week(coach, call_minutes=60, step_minutes=30)
    first = free_slots(coach)[0]
    overlapping = first.start + timedelta(minutes=30)
    starts = [first.start, overlapping] * (VISITORS // 2)
    results = race(live_server, coach, starts)
    statuses = sorted(status for status, _ in results)
    assert statuses == [303] + [409] * (VISITORS - 1), statuses
    [booking] = bookings()
    assert booking.starts_at in (first.start, overlapping)


def test_the_database_itself_refuses_a_second_active_booking_at_the_same_start(app, users):
    from peewee import IntegrityError

    from database import db, utcnow
    start = utcnow().replace(microsecond=0) + timedelta(days=5)
    make_booking(users["coach"], start)
    make_booking(users["coach"], start, status="cancelled", email="gone@example.org")  # cancelled: no claim
    make_booking(users["other_coach"], start, email="elsewhere@example.org")  # another coach: fine
    with pytest.raises(IntegrityError):
        with db.atomic():
            make_booking(users["coach"], start, email="second@example.org")


def test_postgres_refuses_overlapping_active_bookings(app, users):
    from peewee import IntegrityError

    from database import db, is_postgres, utcnow
    if not is_postgres():
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite relies on the locked re-check")
    start = utcnow().replace(microsecond=0) + timedelta(days=5)
    make_booking(users["coach"], start, minutes=60)
    with pytest.raises(IntegrityError):
        with db.atomic():
            make_booking(users["coach"], start + timedelta(minutes=30), email="overlap@example.org")
