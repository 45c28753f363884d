"""Demo data for `flask --app app seed-demo`: safe to run again (it only fills what is missing)."""
from datetime import time, timedelta

from blueprints.auth.models import User
from blueprints.auth.service import create_client
from blueprints.clients.demo import seed_practice
from blueprints.coach.service import create_coach
from blueprints.goals.models import CheckIn, Goal, Milestone
from blueprints.journal.demo import seed_journal_demo
from database import db, utcnow
from scheduling.models import WeeklyHours

COACH_EMAIL = "coach@example.com"
CLIENTS = [("alex@example.com", "Alex Morgan"), ("sam@example.com", "Sam Rivera")]

GOALS = [
    ("Find a role with more teaching in it", "work",
     "I light up when I explain things. I want that to be the job, not the side of it.",
     ["List five roles that involve teaching", "Talk to two people who do them", "Update my CV"]),
    ("Protect two evenings a week", "life",
     "Family time and climbing. Work keeps eating them.",
     ["Tell my team about my hours", "Block the evenings in my calendar"]),
]


def seed_demo(password):
    """Create whatever part of the demo is missing; True if anything was created."""
    created = False
    with db.atomic():
        coach = User.by_email(COACH_EMAIL)
        if coach is None:
            coach = create_coach(COACH_EMAIL, "Jo Whitfield", password, "Europe/London")
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
        created = seed_practice(coach) or created
    return created


def _seed_client_life(client):
    now = utcnow()
    seed_journal_demo(client.coach_id, client)
    for title, area, why, steps in GOALS:
        goal = Goal.create(client=client, title=title, area=area, why=why,
                           target_date=(now + timedelta(days=90)).date())
        for position, step in enumerate(steps):
            Milestone.create(goal=goal, title=step, position=position,
                             done_at=now - timedelta(days=3) if position == 0 else None)
        CheckIn.create(goal=goal, note="Made a start. Feeling more hopeful.", confidence=6,
                       created_at=now - timedelta(days=3))
