"""Goals from the client's side: create, steps (add, tick and undo, reorder, edit, remove),
progress, status, check-ins — each as a plain form post and as an htmx fragment."""
import json
from datetime import timedelta

import pytest

from support.accounts import sign_in
from support.goals import label_for, make_goal, progress_of
from support.pages import HX


@pytest.fixture
def alex(client, users):
    return sign_in(client, "client_a")


def goal_count():
    from blueprints.goals.models import Goal
    return Goal.select().count()


def test_goals_page_offers_the_contract_form_with_the_default_life_areas(alex):
    html = alex.get("/goals").get_data(as_text=True)
    assert html.count("<h1") == 1
    assert label_for(html, "Goal") == "title" and label_for(html, "Life area") == "life_area"
    assert ">Add goal</button>" in html
    for name in ("Work &amp; career", "Money", "Home &amp; place", "Relationships", "Health &amp; energy",
                 "Growth &amp; learning", "Fun &amp; rest"):
        assert f">{name}</option>" in html
    fragment = alex.get("/goals", headers=HX)
    assert "<html" not in fragment.get_data(as_text=True) and 'id="goals-page"' in fragment.get_data(as_text=True)


def test_adding_a_goal_plain_and_with_htmx(alex, users):
    from support.goals import area
    data = {"title": "Ask for a four-day week", "life_area": area(users["client_a"]).id, "why": "Time for me",
            "target_date": "2027-01-31", "shared": "y"}
    response = alex.post("/goals", data=data)
    assert response.status_code == 303 and response.headers["Location"] == "/goals"
    page = alex.get("/goals").get_data(as_text=True)
    assert "Ask for a four-day week" in page and "Goal added" in page and "Work &amp; career</h2>" in page

    response = alex.post("/goals", data={**data, "title": "Run 5 km", "shared": ""}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and "Run 5 km" in body
    assert json.loads(response.headers["HX-Trigger"]) == {"goals-changed": True}
    from blueprints.goals.models import Goal
    assert Goal.get(Goal.title == "Run 5 km").shared is False and "Private</span>" in body


@pytest.mark.parametrize("change,field,message", [
    ({"title": ""}, "title", "Name your goal in a few words."),
    ({"life_area": "999999"}, "life_area", "Choose a life area."),
    ({"life_area": "abc"}, "life_area", "Choose a life area."),
    ({"target_date": "2026-02-30"}, "target_date", "Not a valid date value."),
    ({"target_date": "9999-12-31"}, "target_date", "Choose a date between 2000 and 2100."),
    ({"title": "x" * 201}, "title", "Field cannot be longer than 200 characters."),
])
def test_a_bad_goal_is_refused_with_a_message_and_the_text_kept(alex, users, change, field, message):
    from support.goals import area
    data = {"title": "Keep this title", "life_area": area(users["client_a"]).id, "why": "My own words, kept"}
    data.update(change)
    for headers in ({}, HX):
        response = alex.post("/goals", data=data, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert f'id="{field}-error">{message}' in html
        assert "My own words, kept" in html
    assert goal_count() == 0


def test_retired_areas_of_another_coach_cannot_be_chosen(alex, users):
    from support.goals import area
    foreign = area(users["other_client"])
    response = alex.post("/goals", data={"title": "Sneaky", "life_area": foreign.id})
    assert response.status_code == 422 and goal_count() == 0


def test_goal_page_full_and_fragment_with_steps_as_labelled_checkboxes(alex, users):
    goal = make_goal(users["client_a"], steps=["List five roles", "Talk to two people"])
    html = alex.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert html.count("<h1") == 1 and "<html" in html
    box = label_for(html, "List five roles")
    assert box and f'id="{box}" name="done"' in html and 'type="checkbox"' in html
    assert label_for(html, "New step") == "title"
    fragment = alex.get(f"/goals/{goal.id}", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and 'id="goal-page"' in fragment and "Talk to two people" in fragment


def test_adding_steps_plain_and_htmx_and_refusing_an_empty_one(alex, users):
    goal = make_goal(users["client_a"])
    response = alex.post(f"/goals/{goal.id}/steps", data={"title": "Update my CV", "due_date": "2027-02-01"})
    assert response.status_code == 303 and response.headers["Location"] == f"/goals/{goal.id}"
    response = alex.post(f"/goals/{goal.id}/steps", data={"title": "Call Sam"}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert label_for(body, "Update my CV") and label_for(body, "Call Sam") and "Due 1 Feb 2027" in body
    response = alex.post(f"/goals/{goal.id}/steps", data={"title": "  ", "due_date": "2027-13-01"})
    assert response.status_code == 422 and "Write the step." in response.get_data(as_text=True)
    assert len(list(goal.steps)) == 2


def test_ticking_with_htmx_moves_the_bar_out_of_band_and_can_be_undone(alex, users):
    goal = make_goal(users["client_a"], steps=["One", "Two"])
    step = list(goal.steps)[0]
    url = f"/goals/{goal.id}/steps/{step.id}/done"
    response = alex.post(url, data={"done": str(step.id)}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and json.loads(response.headers["HX-Trigger"]) == {"goals-changed": True}
    assert f'<li id="step-{step.id}" class="step done" hx-swap-oob="true">' in body
    assert progress_of(body, goal.id) == 50 and 'id="goals-summary"' in body and "1</strong> of 2 steps done" in body
    assert "Undo</button>" in body
    page = alex.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert f'value="{step.id}" form="ticks-{goal.id}" checked' in page and page.count(f'form="ticks-{goal.id}" checked') == 1

    undo = alex.post(url, data={}, headers=HX).get_data(as_text=True)  # the box unticked, or the toast's Undo
    assert progress_of(undo, goal.id) == 0 and f'class="step" hx-swap-oob="true"' in undo
    assert progress_of(alex.get(f"/goals/{goal.id}").get_data(as_text=True), goal.id) == 0


def test_ticking_without_javascript(alex, users):
    goal = make_goal(users["client_a"], steps=["One", "Two", "Three"])
    one, two, three = goal.steps
    response = alex.post(f"/goals/{goal.id}/steps/{one.id}/done", data={"done": str(one.id)})
    assert response.status_code == 303
    assert progress_of(alex.get(f"/goals/{goal.id}").get_data(as_text=True), goal.id) == 33
    # The "Save ticks" form sends every box at once.
    response = alex.post(f"/goals/{goal.id}/steps/ticks", data={"done": [str(two.id), str(three.id), "junk"]})
    assert response.status_code == 303
    html = alex.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert progress_of(html, goal.id) == 67 and "Save ticks" in html
    # Back to /me when the tick came from there.
    response = alex.post(f"/goals/{goal.id}/steps/{one.id}/done", data={"done": str(one.id), "next": "/me"})
    assert response.headers["Location"] == "/me"
    for elsewhere in ("//evil.example", "/\\evil.example", "https://evil.example"):
        response = alex.post(f"/goals/{goal.id}/steps/{one.id}/done", data={"next": elsewhere})
        assert response.headers["Location"] == f"/goals/{goal.id}"


def test_progress_set_by_hand_overrides_the_steps_until_asked_to_count_again(alex, users):
    goal = make_goal(users["client_a"], steps=[("Done", None, True), "Open"])
    assert alex.post(f"/goals/{goal.id}/progress", data={"manual_progress": "80"}).status_code == 303
    html = alex.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert progress_of(html, goal.id) == 80 and "set by hand" in html
    bad = alex.post(f"/goals/{goal.id}/progress", data={"manual_progress": "101"}, headers=HX)
    assert bad.status_code == 422 and "Enter a number from 0 to 100." in bad.get_data(as_text=True)
    back = alex.post(f"/goals/{goal.id}/progress", data={"use_steps": "1"}, headers=HX)
    assert progress_of(back.get_data(as_text=True), goal.id) == 50


def test_reordering_steps_with_up_and_down_buttons(alex, users):
    goal = make_goal(users["client_a"], steps=["First", "Second", "Third"])
    first, second, third = goal.steps
    html = alex.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert 'aria-label="Move “First” up" disabled' in html and 'aria-label="Move “Third” down" disabled' in html
    assert alex.post(f"/goals/{goal.id}/steps/{third.id}/move", data={"direction": "up"}).status_code == 303
    body = alex.post(f"/goals/{goal.id}/steps/{first.id}/move", data={"direction": "down"}, headers=HX).get_data(as_text=True)
    assert body.index(">Third</label>") < body.index(">First</label>") < body.index(">Second</label>")
    alex.post(f"/goals/{goal.id}/steps/{third.id}/move", data={"direction": "up"})  # already first: nothing
    from blueprints.goals.models import Step
    assert [s.title for s in Step.of_goal(goal)] == ["Third", "First", "Second"]


def test_editing_and_removing_a_step(alex, users):
    goal = make_goal(users["client_a"], steps=["Draft"])
    step = list(goal.steps)[0]
    url = f"/goals/{goal.id}/steps/{step.id}/edit"
    assert 'value="Draft"' in alex.get(url).get_data(as_text=True)
    assert alex.post(url, data={"title": ""}).status_code == 422
    response = alex.post(url, data={"title": "Draft the proposal", "due_date": "2027-03-01"}, headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/goals/{goal.id}"
    assert "Draft the proposal" in alex.get(f"/goals/{goal.id}").get_data(as_text=True)
    body = alex.post(f"/goals/{goal.id}/steps/{step.id}/delete", headers=HX).get_data(as_text=True)
    assert "Step removed: Draft the proposal" in body and label_for(body, "Draft the proposal") is None


def test_editing_and_deleting_a_goal(alex, users):
    from support.goals import area
    goal = make_goal(users["client_a"], steps=["A step"])
    data = {"title": "Renamed goal", "life_area": area(users["client_a"], "Money").id, "why": "", "shared": ""}
    assert alex.post(f"/goals/{goal.id}/edit", data=data).status_code == 303
    html = alex.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert "Renamed goal" in html and ">Money</span>" in html and "Private</span>" in html
    assert alex.post(f"/goals/{goal.id}/edit", data={**data, "title": ""}).status_code == 422
    response = alex.post(f"/goals/{goal.id}/delete", headers=HX)
    assert response.headers["HX-Redirect"] == "/goals" and goal_count() == 0


def test_status_achieved_goes_to_done_with_its_date_and_let_go_is_respectable(alex, users):
    won = make_goal(users["client_a"], title="Run 5 km")
    dropped = make_goal(users["client_a"], title="Learn Spanish")
    response = alex.post(f"/goals/{won.id}/status", data={"status": "achieved", "reflection": "Slow and steady."})
    assert response.status_code == 303
    body = alex.post(f"/goals/{dropped.id}/status", data={"status": "let_go", "reflection": "Not now."},
                     headers=HX).get_data(as_text=True)
    assert "Status: Let go." in body and "Not now." in body
    current = alex.get("/goals").get_data(as_text=True)
    assert "Run 5 km" not in current and "Learn Spanish" not in current
    done = alex.get("/goals/done").get_data(as_text=True)
    from blueprints.goals.models import Goal
    when = Goal.get_by_id(won.id).status_changed_at.strftime("%-d %B %Y")
    assert "Run 5 km" in done and "Slow and steady." in done and when in done
    assert "Let go</h2>" in done and "Learn Spanish" in done and "Letting a goal go is a decision" in done
    # Back to active: the reflection belongs to an ending, so it goes.
    alex.post(f"/goals/{won.id}/status", data={"status": "active", "reflection": "ignored"})
    assert Goal.get_by_id(won.id).reflection == "" and "Run 5 km" in alex.get("/goals").get_data(as_text=True)
    bad = alex.post(f"/goals/{won.id}/status", data={"status": "deleted"})
    assert bad.status_code == 422 and Goal.get_by_id(won.id).status == "active"


def test_paused_goals_stay_in_the_list_marked_paused(alex, users):
    goal = make_goal(users["client_a"], title="Write a book")
    alex.post(f"/goals/{goal.id}/status", data={"status": "paused"})
    assert "Paused</span>" in alex.get("/goals").get_data(as_text=True)


def test_check_ins_draw_an_accessible_chart_with_a_table(alex, users):
    goal = make_goal(users["client_a"])
    html = alex.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert "No check-ins yet" in html and "<svg" not in html
    assert alex.post(f"/goals/{goal.id}/check-ins", data={"progress": "20", "confidence": "4", "note": "A start"}).status_code == 303
    body = alex.post(f"/goals/{goal.id}/check-ins", data={"progress": "60", "confidence": "8", "note": "Better"},
                     headers=HX).get_data(as_text=True)
    assert '<svg class="line-chart"' in body and 'role="img"' in body
    assert f'<title id="checkins-title-{goal.id}">Check-ins for' in body
    assert "Progress went from 20 % to 60 %, confidence from 4 to 8 out of 10." in body
    assert "<td>60 %</td><td>8/10</td><td>Better</td>" in body
    assert body.count('class="dot-progress"') == 2 and "series-progress" in body


@pytest.mark.parametrize("data,message", [
    ({"progress": "101", "confidence": "5"}, "Enter a number from 0 to 100."),
    ({"progress": "-1", "confidence": "5"}, "Enter a number from 0 to 100."),
    ({"progress": "50", "confidence": "0"}, "Enter a number from 1 to 10."),
    ({"progress": "50", "confidence": "99999999999999999999999"}, "Enter a number from 1 to 10."),
    ({"progress": "lots", "confidence": "5"}, "Enter a number from 0 to 100."),
    ({"progress": "50", "confidence": "5", "note": "x" * 1001}, "Keep the note under 1,000 characters."),
])
def test_bad_check_ins_are_refused(alex, users, data, message):
    goal = make_goal(users["client_a"])
    response = alex.post(f"/goals/{goal.id}/check-ins", data=data, headers=HX)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    from blueprints.goals.models import CheckIn
    assert CheckIn.select().count() == 0


def test_overdue_and_due_this_week_steps_stand_out(alex, users):
    from blueprints.goals.pages import today_for
    today = today_for(users["client_a"])
    goal = make_goal(users["client_a"], steps=[("Late", today - timedelta(days=1), False),
                                               ("Soon", today + timedelta(days=2), False),
                                               ("Later", today + timedelta(days=30), False)])
    html = alex.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert "step overdue" in html and "Overdue ·" in html and "step this_week" in html
    summary = alex.get("/goals").get_data(as_text=True)
    assert "1 overdue" in summary and "1 due this week" in summary
    home = alex.get("/me").get_data(as_text=True)
    assert ">Late</label>" in home and ">Soon</label>" in home and ">Later</label>" not in home


def test_a_suggested_step_is_accepted_or_declined_by_the_client(alex, users):
    from blueprints.goals.models import Step, StepSuggestion
    goal = make_goal(users["client_a"])
    keep = StepSuggestion.create(goal=goal, author=users["coach"], title="Write three things you'd miss")
    drop = StepSuggestion.create(goal=goal, author=users["coach"], title="Quit tomorrow")
    html = alex.get(f"/goals/{goal.id}").get_data(as_text=True)
    assert "Suggested by your coach" in html and "Quit tomorrow" in html
    assert alex.post(f"/goals/{goal.id}/suggestions/{keep.id}/accept").status_code == 303
    body = alex.post(f"/goals/{goal.id}/suggestions/{drop.id}/decline", headers=HX).get_data(as_text=True)
    assert "suggested by your coach</span>" in body and "Quit tomorrow</li>" not in body
    assert [s.title for s in Step.of_goal(goal)] == ["Write three things you'd miss"]
    assert alex.post(f"/goals/{goal.id}/suggestions/{keep.id}/accept").status_code == 404  # decided already
