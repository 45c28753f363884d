"""Every write of the goals feature: goals, steps, check-ins, comments, suggestions, wheels, areas.

Callers have already checked who may do what (views fetch rows through the owner-scoped
queries on the models); these functions only change data, each in one transaction.
"""
import peewee as pw

from blueprints.goals.models import (DEFAULT_AREAS, FINISHED, CheckIn, Goal, GoalComment, LifeArea, Step,
                                     StepSuggestion, Wheel, WheelRequest, WheelScore)
from database import db, utcnow


class AreaNameTaken(Exception):
    pass


# --- life areas ----------------------------------------------------------------------------

def ensure_areas(coach_id):
    """A coach's life areas; the seven defaults are created the first time they are needed."""
    if coach_id is None:
        return []
    with db.atomic():
        if not LifeArea.select().where(LifeArea.coach == coach_id).exists():
            for position, name in enumerate(DEFAULT_AREAS):
                LifeArea.create(coach=coach_id, name=name, position=position)
    return list(LifeArea.of_coach(coach_id))


def add_area(coach_id, name):
    ensure_areas(coach_id)
    last = LifeArea.select(pw.fn.MAX(LifeArea.position)).where(LifeArea.coach == coach_id).scalar() or 0
    try:
        with db.atomic():
            return LifeArea.create(coach=coach_id, name=name.strip(), position=last + 1)
    except pw.IntegrityError:
        raise AreaNameTaken(name) from None


def rename_area(area, name):
    try:
        with db.atomic():
            area.name = name.strip()
            area.save()
    except pw.IntegrityError:
        raise AreaNameTaken(name) from None


def set_area_retired(area, retired):
    area.retired = retired
    area.save()


# --- goals -----------------------------------------------------------------------------------

def create_goal(client_id, form):
    return Goal.create(client=client_id, title=form.title.data.strip(), why=(form.why.data or "").strip(),
                       life_area=form.life_area.data, target_date=form.target_date.data,
                       shared=form.shared.data)


def update_goal(goal, form):
    goal.title, goal.why = form.title.data.strip(), (form.why.data or "").strip()
    goal.life_area, goal.target_date, goal.shared = form.life_area.data, form.target_date.data, form.shared.data
    goal.save()


def set_status(goal, status, reflection):
    """Active, achieved, paused or let go; the reflection belongs to an ending (achieved, let go)."""
    if status != goal.status:
        goal.status_changed_at = utcnow()
    goal.status = status
    goal.reflection = (reflection or "").strip() if status in FINISHED else ""
    goal.save()


def set_manual_progress(goal, value):
    """A figure the client chose (0–100), or None to count the steps again."""
    goal.manual_progress = value
    goal.save()


def delete_goal(goal):
    goal.delete_instance()  # steps, check-ins, comments and suggestions go with it (ON DELETE CASCADE)


# --- steps -----------------------------------------------------------------------------------

def add_step(goal, title, due_date=None, suggested_by=None):
    with db.atomic():
        last = Step.select(pw.fn.MAX(Step.position)).where(Step.goal == goal).scalar()
        return Step.create(goal=goal, title=title.strip(), due_date=due_date,
                           position=0 if last is None else last + 1, suggested_by=suggested_by)


def edit_step(step, title, due_date):
    step.title, step.due_date = title.strip(), due_date
    step.save()


def set_step_done(step, done):
    """Tick or untick (undo). Ticking twice keeps the first moment."""
    if done and step.done_at is None:
        step.done_at = utcnow()
    elif not done:
        step.done_at = None
    step.save()


def set_steps_done(goal, done_ids):
    """The no-JavaScript form: every step of the goal ticked or not, as the boxes say."""
    with db.atomic():
        for step in Step.of_goal(goal):
            set_step_done(step, step.id in done_ids)


def move_step(step, direction):
    """Swap the step with its neighbour above ("up") or below ("down"); at the edge, nothing."""
    with db.atomic():
        steps = list(Step.of_goal(step.goal_id))
        index = next(i for i, s in enumerate(steps) if s.id == step.id)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(steps):
            return
        steps[index], steps[other] = steps[other], steps[index]
        for position, s in enumerate(steps):  # renumber: old rows may share a position
            if s.position != position:
                Step.update(position=position).where(Step.id == s.id).execute()


def delete_step(step):
    step.delete_instance()


# --- check-ins, comments, suggestions -------------------------------------------------------

def record_checkin(goal, progress, confidence, note):
    return CheckIn.create(goal=goal, progress=progress, confidence=confidence, note=(note or "").strip())


def add_comment(goal, author_id, body):
    return GoalComment.create(goal=goal, author=author_id, body=body.strip())


def suggest_step(goal, author_id, title, due_date):
    return StepSuggestion.create(goal=goal, author=author_id, title=title.strip(), due_date=due_date)


def decide_suggestion(suggestion, accept):
    with db.atomic():
        suggestion.status = "accepted" if accept else "declined"
        suggestion.decided_at = utcnow()
        suggestion.save()
        if accept:
            return add_step(suggestion.goal_id, suggestion.title, suggestion.due_date,
                            suggested_by=suggestion.author_id)
    return None


# --- the wheel of life -----------------------------------------------------------------------

def record_wheel(client_id, ratings, shared):
    """`ratings`: (area, score, word) per life area. Answers the coach's open requests."""
    with db.atomic():
        wheel = Wheel.create(client=client_id, shared=shared)
        for area, score, word in ratings:
            WheelScore.create(wheel=wheel, life_area=area.id, area_name=area.name, score=score,
                              word=(word or "").strip())
        if shared:
            WheelRequest.update(answered_at=wheel.created_at).where(
                (WheelRequest.client == client_id) & WheelRequest.answered_at.is_null()).execute()
    return wheel


def request_wheel(coach_id, client_id, message):
    """At most one open request at a time: asking again refreshes the message."""
    with db.atomic():
        open_request = WheelRequest.open_for(client_id).first()
        if open_request:
            open_request.message, open_request.coach = (message or "").strip(), coach_id
            open_request.save()
            return open_request
        return WheelRequest.create(client=client_id, coach=coach_id, message=(message or "").strip())
