"""In a real browser: the demo coach and a demo client sign in and see their home pages."""
import pytest

from support.accounts import sign_in_page

pytestmark = pytest.mark.browser


def test_demo_coach_signs_in_and_sees_today(demo_site, page_factory):
    page = page_factory()
    sign_in_page(page, demo_site, "coach@example.com")
    page.wait_for_url(demo_site + "/coach")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Jo"
    assert page.get_by_role("link", name="Availability").is_visible()
    assert page.get_by_text("Welcome back, Jo.").is_visible()


def test_demo_client_signs_in_and_sees_their_space(demo_site, page_factory):
    page = page_factory()
    sign_in_page(page, demo_site, "alex@example.com")
    page.wait_for_url(demo_site + "/me")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Alex"
    assert page.get_by_role("heading", name="Your next session").is_visible()
    page.get_by_role("link", name="Goals", exact=True).click()
    page.wait_for_url(demo_site + "/goals")
    assert page.get_by_text("Find a role with more teaching in it").is_visible()


def test_wrong_password_shows_message_next_to_the_field(demo_site, page_factory):
    page = page_factory()
    page.goto(demo_site + "/login")
    page.get_by_label("Email").fill("coach@example.com")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    error = page.locator("#password-error")
    error.wait_for()
    assert "don't match" in error.inner_text()
    assert page.get_by_label("Email").input_value() == "coach@example.com"
    assert page.url.startswith(demo_site + "/login")
