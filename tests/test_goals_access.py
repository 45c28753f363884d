"""Who may use which goals address: a matrix over every new URL (anonymous, the owner, another
client, the coach, another coach), and a private marker that no coach-reachable page may show."""
import pytest

from support.accounts import sign_in
from support.goals import area, make_goal
from support.pages import HX

MARKER = "PRIVATE-MARKER-7f3a"


@pytest.fixture
def world(app, users):
    """Alex's shared goal with a step, a check-in and a suggestion; a wheel; the coach's area."""
    from blueprints.goals.models import CheckIn, StepSuggestion
    from blueprints.goals.service import record_wheel, ensure_areas
    alex = users["client_a"]
    goal = make_goal(alex, steps=["A step", "Another"])
    CheckIn.create(goal=goal, progress=10, confidence=5, note="fine")
    suggestion = StepSuggestion.create(goal=goal, author=users["coach"], title="Try this")
    wheel = record_wheel(alex.id, [(a, 5, "") for a in ensure_areas(alex.coach_id)], True)
    return dict(g=goal.id, s=list(goal.steps)[0].id, sug=suggestion.id, w=wheel.id, a=alex.id,
                area=area(alex).id)


def goal_post(users):
    return {"title": "T", "life_area": str(area(users["client_a"]).id)}


# (method, url, data, owner's status, another client's status)
CLIENT_URLS = [
    ("GET", "/goals", None, 200, 200),
    ("GET", "/goals/done", None, 200, 200),
    ("GET", "/goals/{g}", None, 200, 404),
    ("GET", "/goals/{g}/edit", None, 200, 404),
    ("POST", "/goals/{g}/edit", "goal", 303, 404),
    ("POST", "/goals/{g}/status", {"status": "paused"}, 303, 404),
    ("POST", "/goals/{g}/progress", {"manual_progress": "40"}, 303, 404),
    ("POST", "/goals/{g}/steps", {"title": "New"}, 303, 404),
    ("POST", "/goals/{g}/steps/{s}/done", {"done": "{s}"}, 303, 404),
    ("POST", "/goals/{g}/steps/ticks", {"done": "{s}"}, 303, 404),
    ("GET", "/goals/{g}/steps/{s}/edit", None, 200, 404),
    ("POST", "/goals/{g}/steps/{s}/edit", {"title": "Edited"}, 303, 404),
    ("POST", "/goals/{g}/steps/{s}/move", {"direction": "down"}, 303, 404),
    ("POST", "/goals/{g}/steps/{s}/delete", {}, 303, 404),
    ("POST", "/goals/{g}/check-ins", {"progress": "50", "confidence": "6"}, 303, 404),
    ("POST", "/goals/{g}/suggestions/{sug}/accept", {}, 303, 404),
    ("POST", "/goals/{g}/suggestions/{sug}/decline", {}, 303, 404),
    ("POST", "/goals/{g}/delete", {}, 303, 404),
    ("GET", "/wheel", None, 200, 200),
    ("GET", "/wheel/new", None, 200, 200),
    ("GET", "/wheel/{w}", None, 200, 404),
    ("GET", "/me/sections/goals", None, 200, 200),
]
COACH_URLS = [  # (method, url, data, the coach's status, another coach's status)
    ("POST", "/coach/clients/{a}/goals/{g}/comments", {"c{g}-body": "Nice"}, 303, 404),
    ("POST", "/coach/clients/{a}/goals/{g}/suggestions", {"s{g}-title": "Try"}, 303, 404),
    ("POST", "/coach/clients/{a}/wheel-request", {"message": "Please"}, 303, 404),
    ("GET", "/coach/areas", None, 200, 200),
    ("POST", "/coach/areas", {"name": "Spirit"}, 303, 303),
    ("POST", "/coach/areas/{area}", {"a{area}-name": "Career"}, 303, 404),
    ("POST", "/coach/areas/{area}/retire", {}, 303, 404),
    ("POST", "/coach/areas/{area}/restore", {}, 303, 404),
]


def fill(template, ids):
    return template.format(**ids) if isinstance(template, str) else {fill(k, ids): fill(v, ids) for k, v in template.items()}


def call(client, method, url, data, ids, users):
    if data == "goal":
        data = goal_post(users)
    if method == "GET":
        return client.get(fill(url, ids))
    return client.post(fill(url, ids), data=fill(data or {}, ids))


WHO_CLIENT = ["anonymous", "client_a", "client_b", "coach", "other_coach"]


@pytest.mark.parametrize("who", WHO_CLIENT)
@pytest.mark.parametrize("method,url,data,owner,other", CLIENT_URLS, ids=[f"{m} {u}" for m, u, *_ in CLIENT_URLS])
def test_client_urls(client, users, world, who, method, url, data, owner, other):
    sign_in(client, who)
    response = call(client, method, url, data, world, users)
    expected = {"anonymous": 302, "client_a": owner, "client_b": other, "coach": 403, "other_coach": 403}[who]
    assert response.status_code == expected
    if who == "anonymous":
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("who", WHO_CLIENT)
@pytest.mark.parametrize("method,url,data,coach,other", COACH_URLS, ids=[f"{m} {u}" for m, u, *_ in COACH_URLS])
def test_coach_urls(client, users, world, who, method, url, data, coach, other):
    sign_in(client, who)
    response = call(client, method, url, data, world, users)
    expected = {"anonymous": 302, "client_a": 403, "client_b": 403, "coach": coach, "other_coach": other}[who]
    assert response.status_code == expected


@pytest.mark.parametrize("path", ["comments", "suggestions"])
def test_the_coach_cannot_reach_a_private_goal(client, users, world, path):
    from blueprints.goals.models import Goal, GoalComment, StepSuggestion
    Goal.update(shared=False).where(Goal.id == world["g"]).execute()
    sign_in(client, "coach")
    key = "c{g}-body" if path == "comments" else "s{g}-title"
    response = client.post(f"/coach/clients/{world['a']}/goals/{world['g']}/{path}",
                           data={key.format(**world): "x"}, headers=HX)
    assert response.status_code == 404
    assert GoalComment.select().count() == 0 and StepSuggestion.select().count() == 1


def test_a_goal_of_another_client_cannot_be_reached_through_this_clients_address(client, users, world):
    bobs = make_goal(users["client_b"], title="Sam's goal")
    sign_in(client, "coach")
    response = client.post(f"/coach/clients/{world['a']}/goals/{bobs.id}/comments", data={f"c{bobs.id}-body": "x"})
    assert response.status_code == 404


def test_nothing_of_a_private_goal_or_wheel_reaches_the_coach(client, users, world):
    """Everything private carries the marker; every page the coach can reach is searched for it."""
    from blueprints.goals.models import CheckIn, Goal, Step, StepSuggestion
    from blueprints.goals.service import ensure_areas, record_wheel, set_status
    alex = users["client_a"]
    secret = make_goal(alex, title=f"{MARKER} title", why=f"{MARKER} why", shared=False,
                       steps=[f"{MARKER} step"])
    set_status(secret, "let_go", f"{MARKER} reflection")
    CheckIn.create(goal=secret, progress=30, confidence=3, note=f"{MARKER} note")
    StepSuggestion.create(goal=secret, author=users["coach"], title=f"{MARKER} suggestion")
    # A goal made private after the coach commented keeps the comment away from the coach, too.
    later = make_goal(alex, title=f"{MARKER} later", shared=True)
    from blueprints.goals.models import GoalComment
    GoalComment.create(goal=later, author=users["coach"], body=f"{MARKER} comment")
    Goal.update(shared=False).where(Goal.id == later.id).execute()
    areas = ensure_areas(alex.coach_id)
    record_wheel(alex.id, [(a, 9, f"{MARKER[:20]}w") for a in areas], shared=False)
    assert Step.select().where(Step.title.contains(MARKER)).count() == 1

    # The owner sees it all, so the marker is really there.
    sign_in(client, "client_a")
    assert MARKER in client.get(f"/goals/{secret.id}").get_data(as_text=True)
    assert MARKER[:20] in client.get("/wheel").get_data(as_text=True)
    client.post("/logout")

    sign_in(client, "coach")
    pages = ["/coach", "/coach/clients", f"/coach/clients/{alex.id}", "/coach/areas", "/coach/bookings",
             "/coach/availability", "/coach/calendar", "/coach/settings"]
    responses = [client.get(url) for url in pages] + [client.get(url, headers=HX) for url in pages]
    responses += [
        client.post(f"/coach/clients/{alex.id}/goals/{world['g']}/comments", data={f"c{world['g']}-body": "Hi"}, headers=HX),
        client.post(f"/coach/clients/{alex.id}/goals/{world['g']}/suggestions", data={f"s{world['g']}-title": ""}, headers=HX),
        client.post(f"/coach/clients/{alex.id}/goals/{world['g']}/suggestions", data={f"s{world['g']}-title": ""}),
        client.post(f"/coach/clients/{alex.id}/wheel-request", data={"message": "x"}, headers=HX),
        client.post(f"/coach/clients/{alex.id}/goals/{secret.id}/comments", data={f"c{secret.id}-body": "x"}),
        client.get(f"/goals/{secret.id}"), client.get("/wheel"),
    ]
    shown = "".join(r.get_data(as_text=True) for r in responses)
    assert "A step" in shown  # the shared goal is there…
    assert MARKER not in shown and MARKER[:20] not in shown  # …and nothing private
