"""The wheel of life, the client's home (/me) and its self-refreshing sections."""
import json
import re

import pytest

from support.accounts import sign_in
from support.goals import area, label_for, make_goal
from support.pages import HX


@pytest.fixture
def alex(client, users):
    return sign_in(client, "client_a")


def wheel_data(user, base=5, **overrides):
    from blueprints.goals.service import ensure_areas
    data = {"shared": "y"}
    for a in ensure_areas(user.coach_id):
        data[f"score_{a.id}"] = str(base)
        data[f"word_{a.id}"] = ""
    data.update(overrides)
    return data


def test_wheel_form_asks_for_every_life_area_with_a_label(alex):
    html = alex.get("/wheel/new").get_data(as_text=True)
    assert html.count("<h1") == 1 and html.count('type="number"') == 7
    assert re.search(r'<label for="score_\d+">Health &amp; energy</label>', html)
    assert "A word on Money (optional)" in html
    assert "<html" not in alex.get("/wheel/new", headers=HX).get_data(as_text=True)


def test_a_wheel_is_drawn_next_to_the_one_before(alex, users):
    assert "No wheel yet" in alex.get("/wheel").get_data(as_text=True)
    money = area(users["client_a"], "Money")
    response = alex.post("/wheel/new", data=wheel_data(users["client_a"], 4, **{f"word_{money.id}": "tight"}))
    assert response.status_code == 303 and response.headers["Location"] == "/wheel"
    first = alex.get("/wheel").get_data(as_text=True)
    assert '<svg class="radar"' in first and 'class="wheel-previous"' not in first and "tight" in first
    response = alex.post("/wheel/new", data=wheel_data(users["client_a"], 6, **{f"score_{money.id}": "2"}), headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/wheel"
    assert json.loads(response.headers["HX-Trigger"]) == {"wheel-changed": True}
    second = alex.get("/wheel").get_data(as_text=True)
    assert 'class="wheel-previous"' in second and 'class="wheel-current"' in second
    # The table says the same: now, before and the change.
    assert re.search(r"<th scope=\"row\">Money</th><td>2/10</td>\s*<td>4/10</td>\s*<td>−2</td>", second)
    assert re.search(r"<th scope=\"row\">Fun &amp; rest</th><td>6/10</td>\s*<td>4/10</td>\s*<td>\+2</td>", second)
    assert "Money 2 (before 4)" in second  # the chart's description
    from blueprints.goals.models import Wheel
    oldest = Wheel.select().order_by(Wheel.id).first()
    one = alex.get(f"/wheel/{oldest.id}").get_data(as_text=True)
    assert '<svg class="radar"' in one and "wheel-previous" not in one


@pytest.mark.parametrize("score,message", [("11", "Rate Money from 0 to 10."), ("-1", "Rate Money from 0 to 10."),
                                           ("", "Rate Money from 0 to 10."), ("1e9", "Rate Money from 0 to 10.")])
def test_bad_wheel_scores_are_refused(alex, users, score, message):
    money = area(users["client_a"], "Money")
    data = wheel_data(users["client_a"], **{f"score_{money.id}": score, f"word_{money.id}": "keep me"})
    response = alex.post("/wheel/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html and 'value="keep me"' in html
    from blueprints.goals.models import Wheel
    assert Wheel.select().count() == 0


def test_an_all_zero_wheel_is_fine(alex, users):
    alex.post("/wheel/new", data=wheel_data(users["client_a"], 0))
    html = alex.get("/wheel").get_data(as_text=True)
    assert 'class="wheel-current"' in html and "<td>0/10</td>" in html


def test_home_has_every_section_and_each_refreshes_on_its_own(alex, users):
    goal = make_goal(users["client_a"], title="Protect two evenings", steps=["Tell my team"])
    html = alex.get("/me").get_data(as_text=True)
    for name, event in [("session", "bookings-changed"), ("goals", "goals-changed"), ("steps", "goals-changed"),
                        ("wheel", "wheel-changed"), ("journal", "journal-changed")]:
        assert f'id="home-{name}" hx-get="/me/sections/{name}" hx-trigger="{event} from:body"' in html
        fragment = alex.get(f"/me/sections/{name}", headers=HX)
        body = fragment.get_data(as_text=True)
        assert fragment.status_code == 200 and "<html" not in body
        assert body.lstrip().startswith(("<section", "<div")) and f'id="home-{name}"' in body.split(">", 1)[0]
    assert "Protect two evenings" in alex.get("/me/sections/goals", headers=HX).get_data(as_text=True)
    assert alex.get("/me/sections/nothing").status_code == 404
    assert f'id="goal-progress-{goal.id}"' in html and 'id="goals-summary"' in html


def test_ticking_a_step_due_this_week_from_home(alex, users):
    from blueprints.goals.pages import today_for
    goal = make_goal(users["client_a"], steps=[("Call Sam", today_for(users["client_a"]), False), "Later"])
    step = list(goal.steps)[0]
    html = alex.get("/me").get_data(as_text=True)
    assert label_for(html, "Call Sam") == f"due-step-{step.id}"
    response = alex.post(f"/goals/{goal.id}/steps/{step.id}/done", data={"done": str(step.id), "next": "/me"}, headers=HX)
    assert "goals-changed" in response.headers["HX-Trigger"]
    steps = alex.get("/me/sections/steps", headers=HX).get_data(as_text=True)
    assert "Call Sam" not in steps and "Nothing due in the next seven days." in steps
    assert 'value="50"' in alex.get("/me/sections/goals", headers=HX).get_data(as_text=True)


def test_home_shows_the_next_sessions_calendar_file_and_the_latest_wheel(alex, users):
    from datetime import timedelta
    from scheduling.models import Booking
    from database import utcnow
    start = utcnow() + timedelta(days=3)
    booking = Booking.create(coach=users["coach"], client=users["client_a"], kind="session", name="Alex Morgan",
                             email="alex@example.com", timezone="Europe/London", starts_at=start,
                             ends_at=start + timedelta(hours=1), uid="s1@test")
    alex.post("/wheel/new", data=wheel_data(users["client_a"], 7))
    html = alex.get("/me").get_data(as_text=True)
    assert f"/booking/{booking.manage_token}.ics" in html and f'/booking/{booking.manage_token}"' in html
    assert '<svg class="radar" viewBox="-90 0 540 360"' in html and "wheel-previous" not in html
    alex.post("/wheel/new", data=wheel_data(users["client_a"], 3))
    wheel = alex.get("/me/sections/wheel", headers=HX).get_data(as_text=True)
    assert re.search(r'class="wheel-previous" points="[\d.]+,[\d.]+ ', wheel)
    assert re.search(r'class="wheel-current" points="[\d.]+,[\d.]+ ', wheel)


def test_the_coach_can_ask_for_a_wheel_and_a_shared_wheel_answers_it(client, users):
    sign_in(client, "coach")
    response = client.post(f"/coach/clients/{users['client_a'].id}/wheel-request",
                            data={"message": "Before Thursday's session"})
    assert response.status_code == 303
    client.post("/logout")
    sign_in(client, "client_a")
    assert "Before Thursday&#39;s session" in client.get("/me").get_data(as_text=True)
    client.post("/wheel/new", data=wheel_data(users["client_a"], 6))
    assert "asked for a fresh wheel" not in client.get("/me").get_data(as_text=True)
