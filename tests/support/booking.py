"""Booking set-up: a coach open around the clock, free slots, the form a visitor sends, bookings.

Tests cannot freeze time, so the coach is available every day 00:00–24:00 and each test
picks real free slots from the service a couple of days ahead.
"""
import re
from datetime import time, timedelta

import pytest

VISITOR = {"name": "Robin Visitor", "email": "robin@example.org", "phone": "+44 7700 900123"}
CHANGE = "I'd like work that leaves me energy for my family."


def open_all_week(coach, **settings):
    """Every day, midnight to midnight, plus any CoachProfile settings given."""
    from blueprints.auth.models import CoachProfile
    from scheduling.models import WeeklyHours
    from scheduling.service import bump_version
    for weekday in range(7):
        WeeklyHours.create(coach=coach, weekday=weekday, start_time=time(0), end_time=time(0))
    if settings:
        CoachProfile.update(**settings).where(CoachProfile.user == coach).execute()
    bump_version(coach.id)


@pytest.fixture
def open_coach(app, users):
    open_all_week(users["coach"])
    return users["coach"]


def profile_of(coach):
    from blueprints.auth.models import CoachProfile
    return CoachProfile.get(CoachProfile.user == coach)


def free_slots(coach, days_ahead=2, hours=24):
    """Free slots of `coach` in a window starting `days_ahead` days from now."""
    from database import utcnow
    from scheduling import service
    start = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=days_ahead)
    return service.free_slots_for(profile_of(coach), start, start + timedelta(hours=hours))


def iso(moment):
    """A slot start as the picker's links and hidden fields carry it."""
    from blueprints.booking.picker import iso_utc
    return iso_utc(moment)


def questions(coach):
    from blueprints.intake.models import IntakeQuestion
    return list(IntakeQuestion.for_coach(coach))


def booking_form(coach, start, tz="Europe/London", **overrides):
    """What a visitor's browser sends for the booking form, answers included."""
    change_question, heard_question = questions(coach)[:2]
    data = {"start": iso(start), "tz": tz, "consent": "y", **VISITOR,
            f"q{change_question.id}": CHANGE, f"q{heard_question.id}": "A friend"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def book(client, coach, start, **overrides):
    return client.post("/book", data=booking_form(coach, start, **overrides))


def token_from(response):
    match = re.search(r"/booking/([A-Za-z0-9_-]+)", response.headers.get("Location") or response.headers.get("HX-Redirect"))
    return match.group(1)


def bookings():
    from scheduling.models import Booking
    return list(Booking.select().order_by(Booking.id))


def make_booking(coach, starts_at, minutes=30, status="confirmed", name="Casey Prospect",
                 email="casey@example.org", answer="More meaning, fewer meetings.", **fields):
    """A booking written straight to the table (for past calls and other states a visitor can't make)."""
    import secrets

    from blueprints.intake.models import IntakeAnswer
    from scheduling.models import Booking
    booking = Booking.create(
        coach=coach, name=name, email=email, timezone="America/New_York", starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes), status=status, location="Video call",
        uid=f"booking-{secrets.token_hex(8)}@localhost", **fields)
    IntakeAnswer.create(booking=booking, question_label="What would you like to change in your working life?",
                        answer=answer, position=0)
    return booking
