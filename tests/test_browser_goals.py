"""In a real browser: a client creates a goal with two steps, ticks one and sees the bar move
without a page load, records a check-in and sees the chart, fills in two wheels of life and sees
the latest next to the one before. axe-core checks those pages on the way."""
import re

import pytest

from support.accounts import sign_in_page
from support.servers import serious_accessibility_problems

pytestmark = pytest.mark.browser


def progress_value(page, goal_id):
    return page.locator(f"#goal-progress-{goal_id} progress").get_attribute("value")


def test_goal_steps_check_in_and_wheel(users, live_server, page_factory):
    page = page_factory(bypass_csp=True)  # only so the test can add axe-core to the page
    sign_in_page(page, live_server, "alex@example.com")
    page.wait_for_url(live_server + "/me")

    page.goto(live_server + "/goals")
    page.get_by_label("Goal", exact=True).fill("Find a role with more teaching")
    page.get_by_label("Life area").select_option(label="Work & career")
    page.get_by_role("button", name="Add goal").click()
    page.get_by_role("link", name="Find a role with more teaching").click()
    page.wait_for_url(re.compile(r".*/goals/\d+$"))
    goal_id = int(page.url.rsplit("/", 1)[1])

    for step in ("List five roles", "Talk to two people who do them"):
        page.get_by_label("New step").fill(step)
        page.get_by_role("button", name="Add step").click()
        page.get_by_label(step, exact=True).wait_for()
    assert progress_value(page, goal_id) == "0"
    assert not page.get_by_role("button", name="Save ticks").is_visible()  # only without JavaScript

    # Ticking moves the bar in place: the page is not loaded again.
    page.evaluate("window.sameDocument = true")
    page.get_by_label("List five roles", exact=True).check()
    page.wait_for_function(f"document.querySelector('#goal-progress-{goal_id} progress').value === 50")
    assert page.evaluate("window.sameDocument") is True
    assert "1 of 2 steps done" in page.locator(f"#goal-progress-{goal_id}").inner_text()
    # …and can be undone from the message that says so.
    page.locator(".toast").get_by_role("button", name="Undo").click()
    page.wait_for_function(f"document.querySelector('#goal-progress-{goal_id} progress').value === 0")
    assert not page.get_by_label("List five roles", exact=True).is_checked()
    page.get_by_label("List five roles", exact=True).check()
    page.wait_for_function(f"document.querySelector('#goal-progress-{goal_id} progress').value === 50")

    page.get_by_label("Progress (%)", exact=True).fill("40")
    page.get_by_label("Confidence (1–10)").fill("7")
    page.get_by_label("Note (optional)").fill("Two conversations booked.")
    page.get_by_role("button", name="Save check-in").click()
    chart = page.locator("svg.line-chart")
    chart.wait_for()
    assert chart.get_attribute("role") == "img"
    assert "Check-ins for Find a role with more teaching" in chart.locator("title").text_content()
    assert page.evaluate("window.sameDocument") is True
    assert serious_accessibility_problems(page) == []

    # Two wheels of life: the latest is drawn over the one before.
    for money in ("3", "6"):
        page.goto(live_server + "/wheel/new")
        page.get_by_label("Money", exact=True).fill(money)
        page.get_by_label("A word on Money (optional)").fill("tight" if money == "3" else "better")
        page.get_by_role("button", name="Save my wheel").click()
        page.wait_for_url(live_server + "/wheel")
    page.locator("svg.radar polygon.wheel-previous").wait_for()
    assert page.locator("svg.radar polygon.wheel-current").count() == 1
    money_row = page.locator("table.data tr", has=page.get_by_role("rowheader", name="Money"))
    assert re.sub(r"\s+", " ", money_row.inner_text()).startswith("Money 6/10 3/10 +3 better")
    assert serious_accessibility_problems(page) == []

    page.goto(live_server + "/me")
    assert page.locator("#home-wheel svg.radar polygon.wheel-previous").count() == 1
    assert progress_value(page, goal_id) == "50"
    assert serious_accessibility_problems(page) == []
