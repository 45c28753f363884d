"""In a real browser, under the Content-Security-Policy: htmx works, progress bars keep their
width, and no page trips the policy (no inline script, no eval, no injected <style>)."""
import pytest

from support.accounts import sign_in_page

pytestmark = pytest.mark.browser


def watch_for_violations(page):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    return violations


def test_pages_work_under_the_policy_without_violations(demo_site, page_factory):
    page = page_factory()
    violations = watch_for_violations(page)
    page.goto(demo_site + "/book")
    page.locator(".calendar-month").wait_for()
    sign_in_page(page, demo_site, "alex@example.com")  # an htmx form: answered by HX-Redirect
    page.wait_for_url(demo_site + "/me")
    page.locator("#goals-heading").wait_for()  # the client's home, its htmx-refreshed sections included
    page.goto(demo_site + "/account")
    page.get_by_role("button", name="Sign out everywhere").click()
    page.wait_for_url(demo_site + "/login")
    assert page.get_by_text("You are signed out on every device").is_visible()
    assert violations == []
