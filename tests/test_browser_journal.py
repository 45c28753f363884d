"""In a real browser: a client answers the prompt their coach asked, shares it, the coach replies
from the session prep and the client reads the reply; drafts survive a closed tab; hostile text
stays text; and the whole journal works with JavaScript off."""
import re

import pytest

from support.accounts import sign_in_page

pytestmark = pytest.mark.browser
HOSTILE = "<script>window.pwned = 1</script> <img src=x onerror=\"window.pwned = 2\"> [click me](javascript:window.pwned=3)"


@pytest.fixture
def site(app, users, live_server):
    from blueprints.journal import service
    from blueprints.journal.models import JournalPrompt
    from blueprints.journal.prompts import ensure_library
    with app.app_context():
        ensure_library(users["coach"])
        prompt = JournalPrompt.get((JournalPrompt.coach == users["coach"]) & (JournalPrompt.seed_key == "seed-02"))
        service.edit_prompt(prompt, prompt.text + " <script>window.pwned = 6</script>")  # hostile, from a coach
        service.assign_prompt(users["coach"], users["client_a"], prompt)
    return live_server


def sign_in(page, base, email):
    sign_in_page(page, base, email)
    page.wait_for_url(re.compile(r".*/(me|coach)$"))


def test_prompt_answer_share_reply(site, users, page_factory):
    alex = page_factory()
    sign_in(alex, site, "alex@example.com")
    assert alex.get_by_role("heading", name="Jo asked you to think about…").is_visible()
    assert alex.get_by_text("What have you been tolerating?").is_visible()
    alex.get_by_role("link", name="Answer it").click()
    alex.wait_for_url(re.compile(r".*/journal\?answer=\d+#entry-form$"))
    assert alex.get_by_label("Prompt you're answering").input_value() != ""
    form = alex.locator("#entry-form")
    form.get_by_label("Entry").fill("Meetings that could be emails. " + HOSTILE)
    form.get_by_label("Mood").select_option("2")
    form.get_by_label("Tags").fill("work, <svg onload=pwned=5>")
    form.get_by_label("Share with my coach").check()
    form.get_by_role("button", name="Save").click()
    alex.get_by_text("Saved and shared with your coach.").wait_for()
    entry = alex.locator("article.entry").first
    assert "Shared with your coach" in entry.inner_text()
    # Hostile Markdown is text on the page, and nothing of it ran.
    assert "<script>window.pwned = 1</script>" in entry.inner_text()
    assert alex.evaluate("window.pwned") is None
    assert entry.locator("a", has_text="click me").get_attribute("href") is None
    assert "<svg onload=pwned=5>" in entry.locator(".tags").inner_text()
    assert "<script>window.pwned = 6</script>" in alex.locator(".assignment").inner_text()

    coach = page_factory()
    sign_in(coach, site, "coach@example.com")
    coach.goto(f"{site}/coach/clients/{users['client_a'].id}")
    prep = coach.locator("#prep")
    assert "Meetings that could be emails." in prep.inner_text()
    assert coach.evaluate("window.pwned") is None
    prep.locator("summary", has_text="Reply").first.click()
    prep.get_by_label("Your reply").fill("Which of those meetings could you decline? <script>window.pwned = 4</script>")
    prep.get_by_role("button", name="Send reply").click()
    coach.get_by_text("Reply sent.").wait_for()
    assert "Which of those meetings could you decline?" in coach.locator("#prep").inner_text()

    alex.reload()
    reply = alex.locator(".comment").first
    assert "Which of those meetings could you decline?" in reply.inner_text() and "Jo Whitfield" in reply.inner_text()
    assert "<script>window.pwned = 4</script>" in reply.inner_text()
    assert alex.evaluate("window.pwned") is None

    # Un-sharing takes it off the coach's page.
    alex.get_by_role("button", name="Stop sharing").first.click()
    alex.get_by_text("Private again").wait_for()
    coach.reload()
    assert "Meetings that could be emails." not in coach.locator("#prep").inner_text()


def test_draft_autosaves_and_comes_back_after_the_tab_closes(site, users, page_factory):
    page = page_factory()
    sign_in(page, site, "alex@example.com")
    page.goto(site + "/journal")
    page.get_by_label("Entry").press_sequentially("Half-written thought about Friday", delay=5)
    page.get_by_text("Draft kept at").wait_for()
    page.context.clear_cookies()  # and the login expires meanwhile
    page.close()

    later = page_factory()
    sign_in(later, site, "alex@example.com")
    later.goto(site + "/journal")
    assert later.get_by_label("Entry").input_value() == "Half-written thought about Friday"
    assert later.get_by_text("We brought back the draft").is_visible()
    later.get_by_role("button", name="Save").click()
    later.get_by_text("Saved. Only you can see it.").wait_for()
    later.reload()
    assert later.get_by_label("Entry").input_value() == ""


def test_edit_in_place_and_delete_with_undo(site, users, page_factory):
    page = page_factory()
    sign_in(page, site, "alex@example.com")
    page.goto(site + "/journal")
    page.get_by_label("Entry").fill("First draft of a thought")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved. Only you can see it.").wait_for()
    card = page.locator("article.entry").first
    card.get_by_role("link", name="Edit this entry").click()
    editor = page.locator("form.entry.editing")
    editor.get_by_label("Entry").fill("Second thoughts")
    editor.get_by_role("button", name="Save").click()
    page.locator("article.entry", has_text="Second thoughts").wait_for()
    assert page.url.endswith("/journal")  # all in place
    page.locator("article.entry").first.get_by_role("button", name="Delete this entry").click()
    page.get_by_text("Entry deleted.").wait_for()
    page.get_by_role("button", name="Undo").click()
    page.locator("article.entry", has_text="Second thoughts").wait_for()


def test_the_journal_works_without_javascript(site, users, page_factory):
    page = page_factory(java_script_enabled=False)
    sign_in(page, site, "alex@example.com")
    page.goto(site + "/journal")
    form = page.locator("#entry-form")
    form.get_by_label("Entry").fill("Written with JavaScript off")
    form.get_by_label("Energy").select_option("4")
    form.get_by_label("Tags").fill("quiet, evening")
    form.get_by_label("Share with my coach").check()
    form.get_by_role("button", name="Save").click()
    page.get_by_text("Saved and shared with your coach.").wait_for()
    card = page.locator("article.entry", has_text="Written with JavaScript off")
    assert "Energy: 4 · Lively" in card.inner_text()

    # An empty save is explained next to the field.
    page.get_by_role("button", name="Save").click()
    assert "Write something before saving." in page.locator("#body-error").inner_text()

    card.get_by_role("link", name="Edit this entry").click()
    page.get_by_label("Entry").fill("Edited with JavaScript off")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Edited with JavaScript off").wait_for()

    page.get_by_role("button", name="Stop sharing").click()
    page.get_by_text("Private again").wait_for()
    page.goto(site + "/journal?q=edited")
    assert page.locator("#journal-results article.entry").count() == 1
    page.goto(site + "/journal?tag=quiet")
    page.locator("article.entry").first.get_by_role("button", name="Delete this entry").click()
    page.get_by_text("Entry deleted.").wait_for()
    page.get_by_role("button", name="Undo").click()
    page.get_by_text("Entry restored.").wait_for()
    assert page.get_by_text("Edited with JavaScript off").is_visible()


def test_prompt_answer_share_reply_without_javascript(site, users, page_factory):
    """The whole round trip again, both people with JavaScript off: plain forms and links only."""
    alex = page_factory(java_script_enabled=False)
    sign_in(alex, site, "alex@example.com")
    assert alex.get_by_text("What have you been tolerating?").is_visible()
    alex.get_by_role("link", name="Answer it").click()
    alex.wait_for_url(re.compile(r".*/journal\?answer=\d+#entry-form$"))
    form = alex.locator("#entry-form")
    assert "What have you been tolerating?" in form.get_by_label("Prompt you're answering").locator("option:checked").inner_text()
    form.get_by_label("Entry").fill("Tolerating the Sunday-evening inbox. " + HOSTILE)
    form.get_by_label("Share with my coach").check()
    form.get_by_role("button", name="Save").click()
    alex.get_by_text("Saved and shared with your coach.").wait_for()
    entry = alex.locator("article.entry", has_text="Sunday-evening inbox")
    assert "<script>window.pwned = 1</script>" in entry.inner_text()

    coach = page_factory(java_script_enabled=False)
    sign_in(coach, site, "coach@example.com")
    coach.goto(f"{site}/coach/clients/{users['client_a'].id}")
    prep = coach.locator("#prep")
    assert "Tolerating the Sunday-evening inbox." in prep.inner_text()
    card = prep.locator("article", has_text="Sunday-evening inbox").first
    card.locator("summary", has_text="Reply").click()
    card.get_by_label("Your reply").fill("What would it take to leave it until Monday? <b>bold?</b>")
    card.get_by_role("button", name="Send reply").click()
    coach.get_by_text("Reply sent.").wait_for()
    assert "/coach/clients/" in coach.url and "What would it take to leave it until Monday?" in coach.locator("#prep").inner_text()

    alex.reload()
    reply = alex.locator("article.entry", has_text="Sunday-evening inbox").locator(".comment").first
    assert "What would it take to leave it until Monday? <b>bold?</b>" in reply.inner_text()
    assert "Jo Whitfield" in reply.inner_text()


def test_a_draft_typed_offline_comes_back_from_this_browser(site, users, page_factory):
    page = page_factory()
    sign_in(page, site, "alex@example.com")
    page.goto(site + "/journal")
    page.context.set_offline(True)  # the autosave cannot reach the server
    page.get_by_label("Entry").press_sequentially("Written on the train, no signal", delay=5)
    page.wait_for_timeout(1500)  # longer than the autosave's debounce: it was tried, and failed
    later = page.context.new_page()  # the tab is closed; a new one opens when the signal is back
    page.close()
    later.context.set_offline(False)
    later.goto(site + "/journal")
    assert later.get_by_label("Entry").input_value() == "Written on the train, no signal"
    later.get_by_role("button", name="Save").click()
    later.get_by_text("Saved. Only you can see it.").wait_for()
    assert later.get_by_label("Entry").input_value() == ""  # saved: the form is new, not refilled
    later.reload()
    assert later.get_by_label("Entry").input_value() == ""
    assert later.locator("article.entry", has_text="Written on the train, no signal").count() == 1
