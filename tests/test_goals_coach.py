"""The coach's side: shared goals with their history on the client's page, comments, suggested
steps, and the practice's life areas."""
import pytest

from support.accounts import sign_in
from support.goals import area, make_goal
from support.pages import HX


@pytest.fixture
def coach(client, users):
    return sign_in(client, "coach")


def test_client_page_shows_shared_goals_with_steps_check_ins_and_wheel(coach, users):
    from blueprints.goals.models import CheckIn
    from blueprints.goals.service import ensure_areas, record_wheel
    alex = users["client_a"]
    goal = make_goal(alex, title="Ask for a raise", steps=[("Gather numbers", None, True), "Book the meeting"])
    CheckIn.create(goal=goal, progress=30, confidence=6, note="Nervous but ready")
    record_wheel(alex.id, [(a, 6, "") for a in ensure_areas(alex.coach_id)], True)
    html = coach.get(f"/coach/clients/{alex.id}").get_data(as_text=True)
    assert "Ask for a raise" in html and "✓ Gather numbers" in html and "Book the meeting" in html
    assert 'value="50"' in html and '<svg class="line-chart"' in html and "Nervous but ready" in html
    assert '<svg class="radar"' in html and "Ask for a wheel of life" in html
    fragment = coach.get(f"/coach/clients/{alex.id}", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and "Ask for a raise" in fragment


def test_comment_plain_and_htmx_reaches_the_client(client, users):
    alex = users["client_a"]
    goal = make_goal(alex)
    sign_in(client, "coach")
    url = f"/coach/clients/{alex.id}/goals/{goal.id}/comments"
    response = client.post(url, data={f"c{goal.id}-body": "What would make the next step easier?"})
    assert response.status_code == 303 and response.headers["Location"] == f"/coach/clients/{alex.id}#goals"
    body = client.post(url, data={f"c{goal.id}-body": "Proud of you."}, headers=HX).get_data(as_text=True)
    assert "<html" not in body and 'id="goals"' in body and "Proud of you." in body
    empty = client.post(url, data={f"c{goal.id}-body": "   "}, headers=HX)
    assert empty.status_code == 422 and "Write a comment." in empty.get_data(as_text=True)
    plain_empty = client.post(url, data={f"c{goal.id}-body": ""})
    assert plain_empty.status_code == 422 and "<html" in plain_empty.get_data(as_text=True)
    client.post("/logout")
    sign_in(client, "client_a")
    html = client.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert "What would make the next step easier?" in html and "Jo Whitfield" in html


def test_suggested_step_shows_on_the_clients_goal_and_its_fate_on_the_coachs_page(client, users):
    alex = users["client_a"]
    goal = make_goal(alex)
    sign_in(client, "coach")
    response = client.post(f"/coach/clients/{alex.id}/goals/{goal.id}/suggestions",
                           data={f"s{goal.id}-title": "List three people to ask", f"s{goal.id}-due_date": "2027-01-10"},
                           headers=HX)
    assert response.status_code == 200 and "List three people to ask <span class=\"muted\">(pending)" in response.get_data(as_text=True)
    bad = client.post(f"/coach/clients/{alex.id}/goals/{goal.id}/suggestions",
                      data={f"s{goal.id}-title": "x", f"s{goal.id}-due_date": "2027-02-31"}, headers=HX)
    assert bad.status_code == 422 and "Not a valid date value." in bad.get_data(as_text=True)
    client.post("/logout")
    sign_in(client, "client_a")
    from blueprints.goals.models import StepSuggestion
    suggestion = StepSuggestion.get()
    client.post(f"/goals/{goal.id}/suggestions/{suggestion.id}/accept")
    assert ">List three people to ask</label>" in client.get(f"/goals/{goal.id}").get_data(as_text=True)
    client.post("/logout")
    sign_in(client, "coach")
    assert "(accepted)" in client.get(f"/coach/clients/{alex.id}").get_data(as_text=True)


def test_areas_can_be_renamed_added_and_retired(client, users):
    alex = users["client_a"]
    career = area(alex)
    kept = make_goal(alex, title="Old money goal")
    from blueprints.goals.models import Goal
    money = area(alex, "Money")
    Goal.update(life_area=money).where(Goal.id == kept.id).execute()
    sign_in(client, "coach")
    html = client.get("/coach/areas").get_data(as_text=True)
    assert html.count("<h1") == 1 and f'<label for="a{career.id}-name">' in html
    assert client.post(f"/coach/areas/{career.id}", data={f"a{career.id}-name": "Work"}).status_code == 303
    body = client.post("/coach/areas", data={"name": "Spirit"}, headers=HX).get_data(as_text=True)
    assert "Life area added: Spirit" in body and 'value="Spirit"' in body
    clash = client.post("/coach/areas", data={"name": "Spirit"}, headers=HX)
    assert clash.status_code == 422 and "You already have an area with that name." in clash.get_data(as_text=True)
    clash = client.post(f"/coach/areas/{career.id}", data={f"a{career.id}-name": "Money"})
    assert clash.status_code == 422 and 'value="Money"' in clash.get_data(as_text=True)
    assert client.post("/coach/areas", data={"name": ""}).status_code == 422
    client.post(f"/coach/areas/{money.id}/retire")
    client.post("/logout")

    sign_in(client, "client_a")
    choices = client.get("/goals").get_data(as_text=True)
    assert ">Work</option>" in choices and ">Spirit</option>" in choices and ">Money</option>" not in choices
    assert "Money</h2>" in choices  # the goal keeps its retired area
    assert ">Money</option>" in client.get(f"/goals/{kept.id}/edit").get_data(as_text=True)
    response = client.post("/goals", data={"title": "New", "life_area": str(money.id)})
    assert response.status_code == 422
    assert len([a for a in client.get("/wheel/new").get_data(as_text=True).split('type="number"')]) - 1 == 7


def test_another_coachs_areas_are_their_own(client, users):
    sign_in(client, "other_coach")
    client.post("/coach/areas", data={"name": "Faith"})
    client.post("/logout")
    sign_in(client, "client_a")
    assert ">Faith</option>" not in client.get("/goals").get_data(as_text=True)
    from blueprints.goals.models import LifeArea
    assert LifeArea.select().where(LifeArea.name == "Faith").count() == 1
