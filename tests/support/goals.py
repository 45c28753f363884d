"""The goals tests: a client's life area, a goal with steps, and reading progress and labels off a page."""
import re
from datetime import timedelta


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
