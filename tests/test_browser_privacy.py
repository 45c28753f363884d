"""In a real browser: the account page's forms answer next to the field without a page load,
the export downloads, and asking to delete the account signs out and says how to cancel.
axe-core checks the pages on the way."""
import io
import zipfile

import pytest

from support.accounts import PASSWORD, sign_in_page
from test_browser_goals import serious_accessibility_problems

pytestmark = pytest.mark.browser


def test_account_export_and_deletion_in_a_browser(users, live_server, page_factory):
    page = page_factory(bypass_csp=True)  # only so the test can add axe-core to the page
    sign_in_page(page, live_server, "alex@example.com")
    page.wait_for_url(live_server + "/me")
    assert page.get_by_role("heading", name="Who has looked at what you share").is_visible()

    page.goto(live_server + "/account")
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Current password").fill("not it")
    page.get_by_label("New password", exact=True).fill("a brand new passphrase")
    page.get_by_label("Repeat the new password").fill("a brand new passphrase")
    page.get_by_role("button", name="Change password").click()
    page.locator("#password-current-error").wait_for()
    assert "isn't your password" in page.locator("#password-current-error").inner_text()
    assert page.url == live_server + "/account"  # answered in place

    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything").click()
    names = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())).namelist()
    assert "letstalk-export.json" in names

    page.get_by_role("link", name="Delete my account").click()
    page.wait_for_url(live_server + "/account/delete")
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.locator("#understood-error").wait_for()  # the box must be ticked
    page.get_by_label("Password", exact=True).fill(PASSWORD)  # a password is never sent back into the page
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(live_server + "/account/delete/scheduled")
    assert page.get_by_role("heading", level=1).inner_text() == "Your account will be deleted"
    assert page.get_by_text("Changed your mind?").is_visible()
    assert serious_accessibility_problems(page) == []
