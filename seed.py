"""Demo data for `flask --app app seed-demo`: safe to run again (it only fills what is missing)."""
from datetime import time
from zoneinfo import ZoneInfo

from blueprints.auth.models import CoachProfile, User
from blueprints.auth.service import create_client
from blueprints.clients.demo import demo_booking, seed_practice
from blueprints.coach.service import create_coach
from blueprints.practice.models import Practice
from blueprints.goals.demo import seed_goals
from blueprints.journal.demo import seed_journal_demo
from database import db, utcnow
from scheduling.models import Booking, WeeklyHours

COACH_EMAIL = "coach@example.com"
DEMO_PROFILE = dict(
    bio="I spent twelve years in HR, hiring people and, too often, watching good people leave jobs that "
        "no longer fitted them.\n\nNow I help people work out what they want from work, and how to get there.",
    credentials="ICF Associate Certified Coach\nMA Occupational Psychology",
    testimonial_1_quote="Three sessions in, I knew what I wanted next. Six months later I had it.",
    testimonial_1_by="Priya, now a UX researcher",
    testimonial_2_quote="Jo asks the question you've been avoiding, kindly.",
    testimonial_2_by="Tom, engineering manager",
    sender_name="Jo Whitfield",
)
CLIENTS = [("alex@example.com", "Alex Morgan"), ("sam@example.com", "Sam Rivera")]
# A second coach, so the home page shows the practice on first run.
COACH2_EMAIL, COACH2_NAME, COACH2_ZONE = "coach2@example.com", "Priya Nair", "Europe/Berlin"
COACH2_HOURS = [(weekday, time(12), time(19)) for weekday in (1, 2, 3, 4)]  # Tue–Fri, afternoons
PRACTICE = ("Whitfield & Nair Career Coaching",
            "Two coaches, one way of working: practical, kind, and honest about the job market.")


def seed_demo(password):
    """Create whatever part of the demo is missing; True if anything was created."""
    created = False
    with db.atomic():
        coach = User.by_email(COACH_EMAIL)
        if coach is None:
            coach = create_coach(COACH_EMAIL, "Jo Whitfield", password, "Europe/London")
            CoachProfile.update(**DEMO_PROFILE).where(CoachProfile.user == coach).execute()
            created = True
        if not WeeklyHours.select().where(WeeklyHours.coach == coach).exists():
            for weekday in range(5):
                WeeklyHours.create(coach=coach, weekday=weekday, start_time=time(9), end_time=time(17))
            created = True
        for email, name in CLIENTS:
            if User.by_email(email) is None:
                client = create_client(coach, email, name, password)
                _seed_client_life(client)
                created = True
            created = seed_goals(User.by_email(email), coach) or created
        created = seed_practice(coach) or created
        created = seed_second_coach(password) or created
    return created


def seed_second_coach(password):
    """Priya, with her own hours, page and a discovery call booked; and the practice's name."""
    created = False
    coach = User.by_email(COACH2_EMAIL)
    if coach is None:
        coach = create_coach(COACH2_EMAIL, COACH2_NAME, password, COACH2_ZONE)
        CoachProfile.update(headline="Changing direction after 40? Let's map what comes next.",
                            intro_markdown="I spent fifteen years in engineering management before I retrained "
                            "as a coach. I help people who are good at their jobs find work that still fits.",
                            bio="Fifteen years leading engineering teams taught me how often good people stay "
                            "in the wrong job for too long. Now I help them find the next one.",
                            credentials="EMCC Senior Practitioner", sender_name=COACH2_NAME,
                            updated_at=utcnow()).where(CoachProfile.user == coach).execute()
        created = True
    if not WeeklyHours.select().where(WeeklyHours.coach == coach).exists():
        for weekday, start, end in COACH2_HOURS:
            WeeklyHours.create(coach=coach, weekday=weekday, start_time=start, end_time=end)
        created = True
    if not Booking.select().where(Booking.coach == coach).exists():
        profile = CoachProfile.for_user(coach)
        demo_booking(coach, ZoneInfo(COACH2_ZONE), None, 3, 14, profile.call_minutes, name="Morgan Blake",
                     email="morgan@example.org", location=profile.location_text(), location_kind=profile.location_kind)
        created = True
    if not Practice.select().exists():
        Practice.create(name=PRACTICE[0], about=PRACTICE[1])
        created = True
    return created


def _seed_client_life(client):
    seed_journal_demo(client.coach_id, client)
