"""Demo data for `flask --app app seed-demo`: safe to run again (it only fills what is missing)."""
from datetime import time

from blueprints.auth.models import CoachProfile, User
from blueprints.auth.service import create_client
from blueprints.clients.demo import seed_practice
from blueprints.coach.service import create_coach
from blueprints.goals.demo import seed_goals
from blueprints.journal.demo import seed_journal_demo
from database import db
from scheduling.models import WeeklyHours

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
    return created


def _seed_client_life(client):
    seed_journal_demo(client.coach_id, client)
