"""Demo data for the coaching relationship (called by seed.py): a lived-in practice.

Alex came through a discovery call and has a package, sessions behind and ahead and the coach's
private notes; Sam has sessions too; a prospect has a discovery call coming up; Riley has an
invitation waiting. Each piece is created only when missing, so seeding again changes nothing.
"""
import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from blueprints.auth.models import CoachProfile, User
from blueprints.auth.service import create_client
from blueprints.calendar.events import new_uid
from blueprints.clients.models import ClientRecord, Invitation, PrivateNote
from blueprints.intake.models import IntakeAnswer
from database import utcnow
from scheduling.models import COMPLETED, CONFIRMED, Booking, SessionType

ROOM = "https://meet.example.com/jo-whitfield"
ALEX_ANSWERS = [
    ("What would you like to change in your working life?",
     "I'm a senior analyst and good at it, but I only feel alive when I'm teaching the juniors."),
    ("How did you hear about me?", "A colleague who worked with you last year."),
]
INVITE_NOTE = "Lovely to meet you on Thursday, Riley. Set a password and we'll pick a time for our first session."


def seed_practice(coach):
    """Create whatever part of the practice is missing; True if anything was created."""
    profile = CoachProfile.for_user(coach)
    zone = ZoneInfo(profile.timezone)
    created = False
    session_type = SessionType.get_or_none(SessionType.coach == coach)
    if session_type is None:
        session_type = SessionType.create(coach=coach, name="Coaching session", minutes=60,
                                          location_kind="video", location_detail=ROOM)
        created = True
    alex, sam = User.by_email("alex@example.com"), User.by_email("sam@example.com")
    if alex and not Booking.select().where(Booking.client == alex).exists():
        _seed_alex(coach, profile, zone, session_type, alex)
        created = True
    if sam and not Booking.select().where(Booking.client == sam).exists():
        for days, hour, status in ((-9, 14, COMPLETED), (6, 14, CONFIRMED)):
            demo_booking(coach, zone, sam, days, hour, 60, kind="session", session_type=session_type, status=status)
        ClientRecord.get_or_create(client=sam, defaults={"coach": coach})
        created = True
    if not Booking.select().where((Booking.coach == coach) & (Booking.email == "jordan@example.org")).exists():
        call = demo_booking(coach, zone, None, 2, 11, profile.call_minutes, name="Jordan Lee", email="jordan@example.org",
                     location=profile.location_text(), location_kind=profile.location_kind)
        IntakeAnswer.create(booking=call, question_label=ALEX_ANSWERS[0][0], position=0,
                            answer="Twelve years in retail management and I'm tired. What else could I do?")
        created = True
    if User.by_email("riley@example.com") is None:
        riley = create_client(coach, "riley@example.com", "Riley Chen")
        ClientRecord.create(coach=coach, client=riley)
        Invitation.issue(coach, riley, INVITE_NOTE)  # the link itself is only ever emailed
        created = True
    return created


def _seed_alex(coach, profile, zone, session_type, alex):
    discovery = demo_booking(coach, zone, alex, -40, 10, profile.call_minutes, status=COMPLETED,
                      location=profile.location_text(), location_kind=profile.location_kind)
    for position, (label, answer) in enumerate(ALEX_ANSWERS):
        IntakeAnswer.create(booking=discovery, question_label=label, answer=answer, position=position)
    first = demo_booking(coach, zone, alex, -26, 10, 60, kind="session", session_type=session_type, status=COMPLETED)
    demo_booking(coach, zone, alex, -12, 10, 60, kind="session", session_type=session_type, status=COMPLETED)
    demo_booking(coach, zone, alex, 3, 10, 60, kind="session", session_type=session_type)
    ClientRecord.get_or_create(client=alex, defaults={
        "coach": coach, "package_sessions": 6, "package_note": "paid in full",
        "package_since": first.starts_at - timedelta(days=1)})
    PrivateNote.create(coach=coach, client=alex, body="Energised whenever teaching comes up. Values: autonomy, "
                       "craft, family evenings. Watch for over-committing at work.")
    PrivateNote.create(coach=coach, client=alex, booking=first, body="Mapped energy givers and drainers. "
                       "Homework: talk to two people who teach for a living.")


def demo_booking(coach, zone, client, days, hour, minutes, kind="discovery", session_type=None, status=CONFIRMED,
          name=None, email=None, location=None, location_kind=None):
    """A booking at `hour` o'clock (coach's time) `days` from today; weekends move to Monday."""
    day = utcnow().astimezone(zone).date() + timedelta(days=days)
    day += timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
    start = datetime.combine(day, time(hour), zone)
    return Booking.create(
        coach=coach, client=client, kind=kind, session_type=session_type, status=status,
        name=name or client.name, email=email or client.email, timezone=(client.timezone if client else "Europe/London"),
        starts_at=start, ends_at=start + timedelta(minutes=minutes),
        location=location or (session_type.location_text() if session_type else ""),
        location_kind=location_kind or (session_type.location_kind if session_type else ""),
        uid=new_uid(secrets.token_urlsafe(18)), created_at=start - timedelta(days=7), updated_at=start - timedelta(days=7))
