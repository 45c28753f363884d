"""In a real browser: the coach's navigation on a 390-px phone (one line, a menu that opens with
and without JavaScript) and on a desktop (the links in one line); bookings rows and tabs;
axe-core on the coach's main pages."""
import pytest

from support.accounts import sign_in_page
from support.servers import serious_accessibility_problems

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo_site(app, live_server):
    from seed import seed_demo
    from support.accounts import PASSWORD
    with app.app_context():
        seed_demo(PASSWORD)
    return live_server


def coach_page(page_factory, site, viewport, **options):
    # en-GB: the times this test types and reads are on a 24-hour clock (en-US reads 12-hour ones).
    options.setdefault("locale", "en-GB")
    page = page_factory(viewport=viewport, bypass_csp=True, **options)  # bypass_csp: only to add axe-core
    sign_in_page(page, site, "coach@example.com")
    page.wait_for_url(site + "/coach")
    page.reload()  # without the sign-in toast (on a phone it sits over the header)
    return page


def tops(locator):
    """The distinct top edges (rounded) of the elements: one value means one line."""
    return {round(box["y"]) for box in (el.bounding_box() for el in locator.all()) if box}


def test_on_a_phone_the_coach_nav_is_one_line_and_opens_as_a_menu(demo_site, page_factory):
    page = coach_page(page_factory, demo_site, PHONE)
    menu = page.locator("summary", has_text="Menu")
    assert menu.is_visible()
    assert not page.get_by_role("link", name="Availability").is_visible()  # folded away
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 80  # brand and Menu on one line
    assert len(tops(page.locator(".header-inner > *"))) == 1
    menu.click()
    links = page.locator(".nav-menu .nav > li")
    assert links.count() >= 10 and all(links.nth(i).is_visible() for i in range(links.count()))
    page.get_by_role("link", name="Bookings", exact=True).click()
    page.wait_for_url(demo_site + "/coach/bookings")
    assert not page.get_by_role("link", name="Availability").is_visible()  # closed on the new page


def test_the_phone_menu_opens_without_javascript(demo_site, page_factory):
    page = coach_page(page_factory, demo_site, PHONE, java_script_enabled=False)
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("link", name="Availability").click()
    page.wait_for_url(demo_site + "/coach/availability")


def test_on_a_phone_tabs_and_booking_rows_fit(demo_site, page_factory):
    page = coach_page(page_factory, demo_site, PHONE)
    page.goto(demo_site + "/coach/bookings")
    assert len(tops(page.locator(".tabs .tab"))) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    row = page.locator(".call-link").first
    when, who = row.locator(".when").bounding_box(), row.locator(".who").bounding_box()
    assert when["x"] + when["width"] <= who["x"]  # the time has its own column, the name its own
    name = row.locator(".who").inner_text()
    row.click()
    page.get_by_role("heading", level=1, name=name, exact=False).wait_for()
    assert not page.get_by_label("Message to the visitor (goes into the cancellation email)").is_visible()


@pytest.mark.parametrize("width", [1024, 1280])
def test_on_a_desktop_the_nav_links_are_one_line(demo_site, page_factory, width):
    page = coach_page(page_factory, demo_site, {"width": width, "height": 800})
    assert not page.locator("summary", has_text="Menu").is_visible()
    assert page.get_by_role("link", name="Availability").is_visible()
    assert len(tops(page.locator(".nav-menu .nav > li"))) == 1
    assert len(tops(page.locator(".header-inner > *"))) == 1  # and beside the site's name


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_coach_pages_have_no_serious_accessibility_problems(demo_site, page_factory, viewport):
    page = coach_page(page_factory, demo_site, viewport)
    problems = {}
    for path in ("/coach", "/coach/bookings", "/coach/availability", "/coach/settings"):
        page.goto(demo_site + path)
        problems[path] = serious_accessibility_problems(page)
    page.goto(demo_site + "/coach/bookings")
    page.locator(".call-link").first.click()
    page.locator("#booking-detail").wait_for()
    problems["a booking"] = serious_accessibility_problems(page)
    assert problems == {path: [] for path in problems}


def test_the_week_is_edited_in_place_and_copied_on_a_phone(demo_site, page_factory):
    page = coach_page(page_factory, demo_site, PHONE)
    page.goto(demo_site + "/coach/availability")
    assert len(tops(page.locator(".tabs .tab"))) == 1
    page.locator("#day0-0-end").fill("16:00")  # Monday, in place
    page.locator("#day5-0-start").fill("10:00")  # Saturday's empty pair
    page.locator("#day5-0-end").fill("12:00")
    page.get_by_label("Copy the hours of").select_option(label="Monday")
    page.get_by_role("button", name="Copy to all weekdays (Monday–Friday)").click()
    page.wait_for_function("document.querySelector('#day4-0-end').value === '16:00'")  # Friday, copied
    assert page.locator("#day5-0-start").input_value() == "10:00"  # Saturday saved as entered
    assert page.locator("#day0-1-start").input_value() == ""  # a fresh empty pair under Monday's range
    page.get_by_label("Copy the hours of").select_option(label="Saturday")
    page.get_by_label("Sunday").check()
    page.get_by_role("button", name="Copy to ticked days").click()
    page.wait_for_function("document.querySelector('#day6-0-start').value === '10:00'")
