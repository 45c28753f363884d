"""Shared set-up for the goals tests: sign-ins and a goal with steps."""
import re
from datetime import timedelta

from support.accounts import PASSWORD

EMAILS = {"client_a": "alex@example.com", "client_b": "sam@example.com", "coach": "coach@example.com",
          "other_coach": "other@example.com", "other_client": "olly@example.com"}


def sign_in(client, who):
    if who != "anonymous":
        response = client.post("/login", data={"email": EMAILS[who], "password": PASSWORD})
        assert response.status_code == 303
    return client


def area(user, name="Work & career"):
    from blueprints.goals.models import LifeArea
    from blueprints.goals.service import ensure_areas
    ensure_areas(user.coach_id)
    return LifeArea.get((LifeArea.coach == user.coach_id) & (LifeArea.name == name))


def make_goal(user, title="Find a role with more teaching", steps=(), shared=True, **fields):
    from blueprints.goals.models import Goal, Step
    goal = Goal.create(client=user, title=title, life_area=area(user), shared=shared, **fields)
    for position, step in enumerate(steps):
        if isinstance(step, str):
            step = (step, None, False)
        text, due, done = step
        from database import utcnow
        Step.create(goal=goal, title=text, position=position, due_date=due,
                    done_at=utcnow() - timedelta(hours=1) if done else None)
    return goal


def progress_of(html, goal_id):
    match = re.search(rf'id="goal-progress-{goal_id}".*?<progress max="100" value="(\d+)"', html, re.S)
    return int(match.group(1)) if match else None


def label_for(html, text):
    """The id of the control labelled exactly `text` (a <label for> with that text)."""
    match = re.search(r'<label for="([^"]+)">' + re.escape(text) + r"</label>", html)
    return match.group(1) if match else None
