"""Demo goals, steps, check-ins and wheels for `flask --app app seed-demo` (idempotent: a client
who already has goals or wheels is left alone). Alex and Sam get different lives."""
from datetime import timedelta

from blueprints.goals.models import CheckIn, Goal, GoalComment, Step, StepSuggestion, Wheel, WheelScore
from blueprints.goals.service import ensure_areas
from database import db, utcnow

# (title, area, why, [(step, days from now until due or None, done?)], shared, status)
GOALS = {
    "alex@example.com": [
        ("Find a role with more teaching in it", "Work & career",
         "I light up when I explain things. I want that to be the job, not the side of it.",
         [("List five roles that involve teaching", None, True), ("Talk to two people who do them", 3, False),
          ("Update my CV", 12, False)], True, "active"),
        ("Protect two evenings a week", "Fun & rest", "Family time and climbing. Work keeps eating them.",
         [("Tell my team about my hours", -2, False), ("Block the evenings in my calendar", None, True)], True, "active"),
        ("Save three months of expenses", "Money", "So a change of job is a choice, not a leap.",
         [("Work out what a month really costs", None, True), ("Set up a standing order", 5, False)], False, "active"),
    ],
    "sam@example.com": [
        ("Ask for a four-day week", "Work & career", "Time for my father and for myself, without quitting a job I like.",
         [("Read the flexible-working policy", None, True), ("Draft the proposal", 4, False),
          ("Book the conversation with my manager", 9, False)], True, "active"),
        ("Run 5 km without stopping", "Health & energy", "Energy for the rest of the week.",
         [("Three runs a week for a month", None, True)], True, "achieved"),
        ("Learn Spanish before the move", "Growth & learning", "We postponed the move.",
         [], True, "let_go"),
    ],
}
# Each client's own words and the coach's own replies: nothing reads twice across the demo.
CHECK_IN_NOTES = {  # goal → (first check-in, latest check-in)
    "Find a role with more teaching in it": ("Made a list. Teaching shows up in more jobs than I thought.",
                                             "Two conversations booked."),
    "Protect two evenings a week": ("Lost both evenings to a release.", "Climbing on Tuesday, and nobody minded."),
    "Save three months of expenses": ("A month costs more than I guessed.", "First standing order went out."),
    "Ask for a four-day week": ("Read the policy twice. It's less strict than the rumours.", "The proposal has a draft."),
    "Run 5 km without stopping": ("Walked half of it.", "Ran the whole loop!"),
    "Learn Spanish before the move": ("Ten minutes a day, most days.", "Paused — the move is off for now."),
}
COMMENTS = {
    "Find a role with more teaching in it": "Who was the most alive person in the last workshop you ran? Worth a coffee.",
    "Protect two evenings a week": "Blocking the evenings is done — which one would you defend first if a meeting landed on it?",
    "Ask for a four-day week": "Good momentum. What would your manager need to hear to say yes easily?",
}
SUGGESTIONS = {
    "alex@example.com": "Write down three things you'd miss about your job",
    "sam@example.com": "Note which shifts leave you with energy to spare",
}
WHEELS = {  # two wheels each, oldest first, scores in the default areas' order
    "alex@example.com": [[4, 5, 7, 6, 4, 5, 3], [5, 5, 7, 7, 5, 6, 5]],
    "sam@example.com": [[6, 4, 6, 5, 7, 3, 4], [5, 5, 6, 6, 8, 4, 4]],
}


def seed_goals(client, coach):
    """Fill in a demo client's goals and wheels if they have none; True if anything was created."""
    if Goal.select().where(Goal.client == client).exists() or client.email not in GOALS:
        return False
    now = utcnow()
    today = now.date()
    with db.atomic():
        areas = {a.name: a for a in ensure_areas(coach.id)}
        for title, area, why, steps, shared, status in GOALS[client.email]:
            goal = Goal.create(client=client, title=title, why=why, life_area=areas[area], shared=shared,
                               status=status, target_date=today + timedelta(days=90),
                               status_changed_at=now - timedelta(days=6) if status != "active" else None,
                               reflection="Proud of this one." if status == "achieved" else
                               ("Not now — and that's fine." if status == "let_go" else ""),
                               created_at=now - timedelta(days=30))
            for position, (step, due_in, done) in enumerate(steps):
                Step.create(goal=goal, title=step, position=position,
                            due_date=today + timedelta(days=due_in) if due_in is not None else None,
                            done_at=now - timedelta(days=5) if done else None)
            first_note, later_note = CHECK_IN_NOTES[title]
            for days_ago, progress, confidence in ((21, 10, 4), (12, 25, 5), (3, 40, 7)):
                CheckIn.create(goal=goal, progress=progress, confidence=confidence,
                               note={21: first_note, 3: later_note}.get(days_ago, ""),
                               created_at=now - timedelta(days=days_ago))
            if shared and status == "active":
                GoalComment.create(goal=goal, author=coach, body=COMMENTS[title], created_at=now - timedelta(days=2))
        first = Goal.select().where(Goal.client == client).order_by(Goal.id).first()
        StepSuggestion.create(goal=first, author=coach, title=SUGGESTIONS[client.email])
        ordered = sorted(areas.values(), key=lambda a: a.position)
        for days_ago, scores in zip((40, 5), WHEELS[client.email]):
            wheel = Wheel.create(client=client, created_at=now - timedelta(days=days_ago))
            for area, score in zip(ordered, scores):
                WheelScore.create(wheel=wheel, life_area=area, area_name=area.name, score=score)
    return True
