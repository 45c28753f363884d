"""In a real browser, under the Content-Security-Policy: htmx works, progress bars keep their
width, and no page trips the policy (no inline script, no eval, no injected <style>)."""
import pytest

from support.accounts import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_site(app, live_server):
    from seed import seed_demo
    with app.app_context():
        seed_demo(PASSWORD)
    return live_server


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
    page.goto(demo_site + "/login")
    page.get_by_label("Email").fill("alex@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()  # an htmx form: answered by HX-Redirect
    page.wait_for_url(demo_site + "/me")
    page.locator("#goals-heading").wait_for()  # the client's home, its htmx-refreshed sections included
    page.goto(demo_site + "/account")
    page.get_by_role("button", name="Sign out everywhere").click()
    page.wait_for_url(demo_site + "/login")
    assert page.get_by_text("You are signed out on every device").is_visible()
    assert violations == []
