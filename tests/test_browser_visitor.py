"""In a real browser, as a new visitor on a 390-px phone: each tap brings what it opened into
view (and the focus with it); the pages a visitor and a client see have no serious accessibility
problems (axe-core) and no console errors; a toast never covers the header."""
import re
from datetime import date, timedelta

import pytest

from support.accounts import PASSWORD
from support.axe import serious_accessibility_problems
from support.booking import CHANGE, open_all_week

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}

IN_VIEW = """(selector) => {
  const element = document.querySelector(selector);
  if (!element) return false;
  const box = element.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}"""


@pytest.fixture
def site(app, users, live_server):
    with app.app_context():
        open_all_week(users["coach"])
    return live_server


def next_month():
    return (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)


def in_view(page, selector):
    return page.evaluate(IN_VIEW, selector)


def test_on_a_phone_each_tap_brings_what_it_opened_into_view(site, page_factory):
    page = page_factory(timezone_id="Europe/London", viewport=PHONE, reduced_motion="reduce")
    page.goto(f"{site}/book?month={next_month():%Y-%m}&tz=Europe/London")  # no day open yet

    # A day in the month's last week: on a phone its times come below the month, off screen.
    day = page.locator("a[data-day]").last
    name = day.get_attribute("aria-label").split(":")[0]
    day.click()
    page.locator("#day-heading", has_text=name).wait_for()
    page.wait_for_function(IN_VIEW, arg="#day-slots .slot")
    assert in_view(page, "#day-heading")
    assert page.evaluate("document.activeElement.id") == "day-heading"  # a screen reader reads the day next

    # A time: the form opens with its summary and first field on screen, the summary focused.
    page.locator("a.slot").nth(5).click()
    page.locator("#step-start", has_text="Your call").wait_for()
    page.wait_for_function(IN_VIEW, arg="#name")
    assert in_view(page, "#step-start") and in_view(page, "#name")
    assert page.evaluate("document.activeElement.id") == "step-start"


def test_without_javascript_the_links_jump_to_what_they_opened(site, page_factory):
    page = page_factory(viewport=PHONE, java_script_enabled=False)
    page.goto(f"{site}/book?month={next_month():%Y-%m}&tz=Europe/London")
    page.locator("a[data-day]").last.click()
    page.wait_for_url(re.compile(r".*#day-heading$"))
    assert in_view(page, "#day-heading")
    page.locator("a.slot").nth(5).click()
    page.wait_for_url(re.compile(r".*#step-start$"))
    assert in_view(page, "#step-start")


def test_the_zone_list_can_be_searched(site, page_factory):
    page = page_factory(timezone_id="Europe/London", locale="en-GB")
    page.goto(f"{site}/book?tz=Europe/London")
    page.get_by_label("Find your time zone").fill("kolkata")
    assert page.locator("#tz option").count() == 1
    assert page.locator("#tz-search-count").inner_text() == "1 time zone matches."
    page.get_by_label("Find your time zone").press("Enter")
    page.locator("[data-zone-note]", has_text="Kolkata time").wait_for()
    assert "tz=Asia%2FKolkata" in page.url or "tz=Asia/Kolkata" in page.url
    page.get_by_label("Find your time zone").fill("utc-5")
    assert page.locator('#tz option[value="America/New_York"]').count() == 1
    assert page.locator('#tz option[value="Europe/Paris"]').count() == 0


def test_visitor_and_client_pages_have_no_serious_accessibility_problems(site, page_factory):
    page = page_factory(timezone_id="America/New_York", locale="en-US", viewport=PHONE,
                        bypass_csp=True)  # only so the test can add axe-core to the page
    problems = {}

    def check(name):
        found = serious_accessibility_problems(page)
        if found:
            problems[name] = found

    page.goto(site + "/")
    check("/")
    page.goto(site + "/book")
    page.locator(".tz-note", has_text="New York time").first.wait_for()
    check("/book")
    page.locator("a.slot").first.click()
    page.get_by_label("Your name").wait_for()
    check("the form")
    page.get_by_label("Your name").fill("Robin Visitor")
    page.get_by_label("Email").fill("robin@example.org")
    page.get_by_label("What would you like to change in your working life?").fill(CHANGE)
    page.get_by_label("I agree that my details are stored").check()
    page.get_by_role("button", name="Book this call").click()
    page.get_by_role("heading", name="Your call is booked").wait_for()
    check("the confirmation")
    page.get_by_role("link", name="Cancel this call…").click()
    page.get_by_role("button", name="Yes, cancel the call").wait_for()
    check("the cancel step")
    page.goto(site + "/login")
    check("/login")
    page.get_by_label("Email").fill("alex@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site + "/me")
    check("/me")
    assert problems == {}


def test_public_pages_have_no_console_errors_and_an_icon(site, page_factory):
    page = page_factory(timezone_id="America/New_York", viewport=PHONE)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append((page.url, message.text)))
    page.on("pageerror", lambda error: errors.append((page.url, str(error))))
    page.on("response", lambda response: response.status >= 400 and errors.append((response.url, response.status)))
    for path in ("/", "/login", "/privacy", "/book"):
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
    page.locator("a.slot").first.click()
    page.get_by_label("Your name").wait_for()
    icon = page.request.get(site + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/vnd.microsoft.icon"
    assert errors == []


def test_a_toast_never_covers_the_header(site, page_factory):
    for viewport in (PHONE, {"width": 1280, "height": 800}):
        page = page_factory(viewport=viewport)
        page.goto(site + "/login")
        page.get_by_label("Email").fill("alex@example.com")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        toast = page.locator(".toast", has_text="Welcome back, Alex.")
        toast.wait_for()
        header, box = page.locator(".site-header").bounding_box(), toast.bounding_box()
        assert box["y"] >= header["y"] + header["height"], viewport
        h1 = page.locator("h1").bounding_box()
        assert box["y"] >= h1["y"] + h1["height"] or box["y"] + box["height"] <= h1["y"], viewport
