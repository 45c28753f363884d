"""What the goal pages show, read in a few queries and shaped for the templates.

Reads only; shared by the client's pages, the client's home (/me) and the coach's client page.
The coach's side is built from the `…_for_coach` queries, which cannot return private rows.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from blueprints.goals import charts
from blueprints.goals.models import (CheckIn, Goal, GoalComment, LifeArea, Step, StepSuggestion, Wheel,
                                     WheelRequest, WheelScore)
from database import utcnow


def today_for(user):
    """The date on the viewer's own calendar."""
    return utcnow().astimezone(ZoneInfo(user.timezone)).date()


@dataclass
class StepView:
    step: object
    urgency: str | None

    @property
    def done(self):
        return self.step.done_at is not None


@dataclass
class GoalView:
    goal: object
    steps: list = field(default_factory=list)
    progress: int = 0

    @property
    def done_count(self):
        return sum(1 for s in self.steps if s.done)

    @property
    def next_step(self):
        return next((s for s in self.steps if not s.done), None)

    @property
    def overdue(self):
        return sum(1 for s in self.steps if s.urgency == "overdue")

    @property
    def due_soon(self):
        return sum(1 for s in self.steps if s.urgency == "this_week")


def goal_views(goals, today):
    goals = list(goals)
    by_goal = defaultdict(list)
    for step in Step.of_goals(g.id for g in goals):
        urgency = charts.step_urgency(step.due_date, today, step.done_at is not None)
        by_goal[step.goal_id].append(StepView(step, urgency))
    return [GoalView(g, by_goal[g.id], charts.goal_progress([s.done for s in by_goal[g.id]], g.manual_progress))
            for g in goals]


def goal_view(goal, today):
    return goal_views([goal], today)[0]


def summary(client, today):
    """The counters shown on /goals and /me: active goals, steps done, steps due soon."""
    views = goal_views(Goal.current_of(client).where(Goal.status == "active"), today)
    return dict(active=len(views),
                steps_done=sum(v.done_count for v in views),
                steps_total=sum(len(v.steps) for v in views),
                overdue=sum(v.overdue for v in views),
                due_soon=sum(v.due_soon for v in views))


def by_area(views):
    """Current goals grouped under their life area, areas in the coach's order."""
    groups = defaultdict(list)
    for v in views:
        groups[(v.goal.life_area.position if v.goal.life_area_id else 10**6, v.goal.area_name)].append(v)
    return [(name, items) for (_, name), items in sorted(groups.items())]


def checkin_chart(check_ins, zone):
    points = [(c.created_at, c.progress, c.confidence, c.created_at.astimezone(ZoneInfo(zone)).strftime("%-d %b"))
              for c in check_ins]
    return charts.checkin_chart(points)


def goal_page_context(goal, viewer, today):
    check_ins = list(CheckIn.of_goal(goal))
    return dict(
        view=goal_view(goal, today),
        check_ins=check_ins,
        chart=checkin_chart(check_ins, viewer.timezone),
        comments=list(GoalComment.of_goals([goal.id])),
        suggestions=[s for s in StepSuggestion.of_goals([goal.id]) if s.status == "pending"],
    )


# --- the wheel of life -----------------------------------------------------------------------

@dataclass
class WheelView:
    wheel: object
    scores: list  # WheelScore rows, in area order

    def score_for(self, score_row):
        """This wheel's score for the same area as `score_row` of another wheel (None if unrated)."""
        for s in self.scores:
            if (s.life_area_id and s.life_area_id == score_row.life_area_id) or s.area_name == score_row.area_name:
                return s.score
        return None


def wheel_views(wheels):
    wheels = list(wheels)
    by_wheel = defaultdict(list)
    for score in WheelScore.of_wheels(w.id for w in wheels):
        by_wheel[score.wheel_id].append(score)
    return [WheelView(w, by_wheel[w.id]) for w in wheels]


def radar(current, previous=None):
    """The radar chart of a wheel, with the one before it overlaid (matched by area)."""
    if current is None:
        return None
    names = [s.area_name for s in current.scores]
    prior = [previous.score_for(s) for s in current.scores] if previous else None
    return charts.radar_chart(names, [s.score for s in current.scores], prior)


def wheel_pair(wheels_query):
    """The latest two wheels of a query (newest first) as (current, previous, radar)."""
    views = wheel_views(wheels_query.limit(2))
    current = views[0] if views else None
    previous = views[1] if len(views) > 1 else None
    return current, previous, radar(current, previous)


def open_wheel_request(client):
    return WheelRequest.open_for(client).first()


def areas_of(client):
    from blueprints.goals.service import ensure_areas
    return ensure_areas(client.coach_id)


def area_choices_for(client, goal=None):
    """The coach's current areas, plus the goal's own area if it has since been retired."""
    areas = areas_of(client)
    if goal is not None and goal.life_area_id and all(a.id != goal.life_area_id for a in areas):
        areas.append(LifeArea.get_by_id(goal.life_area_id))
    return areas


# --- the coach's view of one client ------------------------------------------------------------

def coach_goals_context(coach, client):
    """Shared goals with their steps, check-ins, comments and suggestions; shared wheels.

    Built only from queries that filter on `shared` and on this coach's own client.
    `coach` is the coach or their id; charts are dated in the coach's zone.
    """
    from blueprints.auth.models import User
    coach_id = getattr(coach, "id", coach)
    zone = User.select(User.timezone).where(User.id == coach_id).scalar() or "UTC"
    today = today_for(client)
    goals = list(Goal.shared_for_coach(coach_id, client))
    ids = [g.id for g in goals]
    check_ins, comments, suggestions = defaultdict(list), defaultdict(list), defaultdict(list)
    for c in CheckIn.of_goals(ids):
        check_ins[c.goal_id].append(c)
    for c in GoalComment.of_goals(ids):
        comments[c.goal_id].append(c)
    for s in StepSuggestion.of_goals(ids):
        suggestions[s.goal_id].append(s)
    current, previous, wheel_chart = wheel_pair(Wheel.shared_for_coach(coach_id, client))
    return dict(
        shared_goals=[dict(view=v, check_ins=check_ins[v.goal.id], comments=comments[v.goal.id],
                           suggestions=suggestions[v.goal.id], chart=checkin_chart(check_ins[v.goal.id], zone))
                      for v in goal_views(goals, today)],
        shared_wheel=current, shared_previous_wheel=previous, shared_wheel_chart=wheel_chart,
        wheel_request=open_wheel_request(client),
    )


def coach_client_context(coach, client, **forms):
    """What the goals section of the coach's client page needs (`client_page_context` adds it),
    with the comment, suggestion and wheel-request forms (`forms` replaces the ones that failed)."""
    from blueprints.goals.forms import CommentForm, SuggestStepForm, WheelRequestForm
    context = coach_goals_context(coach, client)
    context.update(comment_forms={}, suggest_forms={}, wheel_request_form=WheelRequestForm(formdata=None),
                   comment_form_for=lambda goal_id: CommentForm(formdata=None, prefix=f"c{goal_id}"),
                   suggest_form_for=lambda goal_id: SuggestStepForm(formdata=None, prefix=f"s{goal_id}"))
    context.update(forms)
    return context
