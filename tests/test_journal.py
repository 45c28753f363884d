"""Writing in the journal: create, edit in place, share, delete with undo — page and htmx."""
import re

import pytest

from support.accounts import sign_in
from support.journal import entry_data, write
from support.pages import HX


@pytest.fixture
def alex(client, users):
    return sign_in(client, "client_a")


def entry_of(users, who="client_a"):
    from blueprints.journal.models import JournalEntry
    return JournalEntry.of_client(users[who]).first()


def test_write_an_entry_without_javascript(alex, users):
    response = alex.post("/journal", data=entry_data("I *finally* asked for the Friday off.", mood="4",
                                                     energy="2", tags="Time, family ,time"))
    assert response.status_code == 303
    entry = entry_of(users)
    assert response.headers["Location"].endswith(f"/journal#entry-{entry.id}")
    assert (entry.mood, entry.energy, entry.tag_list, entry.shared) == (4, 2, ["time", "family"], False)
    page = alex.get("/journal").get_data(as_text=True)
    assert "I <em>finally</em> asked for the Friday off." in page
    assert "Saved. Only you can see it." in page and "Private" in page
    assert "Mood: 4 · Good" in page and "Energy: 2 · Tired" in page


def test_write_an_entry_in_place_with_htmx(alex, users):
    response = alex.post("/journal", data=entry_data("Written in place.", shared="y"), headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="journal"' in html and "Written in place." in html
    assert "Saved and shared with your coach." in html  # the toast, out of band
    # The form came back empty for the next entry.
    assert re.search(r'<textarea[^>]*name="body"[^>]*>\s*</textarea>', html)
    assert entry_of(users).shared is True


def test_the_form_follows_the_contract(alex):
    html = alex.get("/journal").get_data(as_text=True)
    assert re.search(r'<label for="body">Entry', html)
    assert re.search(r'<label for="shared">Share with', html)
    assert re.search(r'<input[^>]*id="shared"[^>]*type="checkbox"', html) and "checked" not in html.split('id="shared"')[1][:40]
    assert re.search(r'<button type="submit" class="button primary">Save</button>', html)
    assert html.count("<h1") == 1


@pytest.mark.parametrize("data,field,message", [
    (entry_data(""), "body", "Write something before saving."),
    (entry_data("x" * 50_001), "body", "up to 50,000 characters"),
    (entry_data("kept text", mood="99999999999999999999"), "mood", "Choose a number from 1 to 5"),
    (entry_data("kept text", energy="-1"), "energy", "Choose a number from 1 to 5"),
    (entry_data("kept text", tags=",".join(f"t{i}" for i in range(11))), "tags", "at most 10 tags"),
    (entry_data("kept text", tags="x" * 30), "tags", "under 25 characters"),
    (entry_data("kept text", prompt_source="999999"), "prompt_source", "Choose one of your coach"),
])
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_validation_errors_keep_the_text_and_store_nothing(alex, users, data, field, message, headers):
    response = alex.post("/journal", data=data, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and f'id="{field}-error"' in html
    if data["body"] and len(data["body"]) < 1000:
        assert data["body"] in html
    assert entry_of(users) is None


def test_a_50000_character_entry_is_saved_whole(alex, users):
    body = ("Fifty thousand characters of honesty. " * 1400)[:50_000]
    assert alex.post("/journal", data=entry_data(body)).status_code == 303
    assert entry_of(users).body == body
    assert alex.get(f"/journal/{entry_of(users).id}").get_data(as_text=True).count("Fifty thousand") == 1316


def test_nul_and_control_characters_are_ordinary_input(alex, users):
    response = alex.post("/journal", data=entry_data("before\x00after\x07bell", tags="wo\x00rk, \x1bhome"))
    assert response.status_code == 303
    entry = entry_of(users)
    assert "\x00" not in entry.body and entry.body.startswith("beforeafter")
    assert entry.tag_list == ["work", "home"]


def test_tags_autocomplete_from_the_clients_own_tags(client, users):
    write(users["client_a"], tags=["teaching", "energy"])
    write(users["client_b"], tags=["sams-secret-tag"])
    html = sign_in(client, "client_a").get("/journal").get_data(as_text=True)
    assert '<option value="energy">' in html and '<option value="teaching">' in html
    assert "sams-secret-tag" not in html


def test_edit_in_place(alex, users):
    entry = write(users["client_a"], "First version", tags=["a"])
    form = alex.get(f"/journal/{entry.id}/edit", headers={**HX, "HX-Target": f"entry-{entry.id}"})
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "<html" not in html and "<h1" not in html
    assert f'id="entry-{entry.id}"' in html and "First version" in html
    saved = alex.post(f"/journal/{entry.id}", data=entry_data("Second version", tags="b"),
                      headers={**HX, "HX-Target": f"entry-{entry.id}"})
    html = saved.get_data(as_text=True)
    assert saved.status_code == 200 and "Second version" in html and "<form" in html and "<textarea" not in html
    assert entry_of(users).tag_list == ["b"]


def test_edit_without_javascript(alex, users):
    entry = write(users["client_a"], "First version")
    page = alex.get(f"/journal/{entry.id}/edit").get_data(as_text=True)
    assert "<html" in page and "Edit your entry" in page and "First version" in page
    response = alex.post(f"/journal/{entry.id}", data=entry_data("Second version"))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/journal/{entry.id}")
    bad = alex.post(f"/journal/{entry.id}", data=entry_data("", tags="kept-tag"))
    assert bad.status_code == 422 and "kept-tag" in bad.get_data(as_text=True)
    assert entry_of(users).body == "Second version"


def test_share_and_unshare(alex, users):
    entry = write(users["client_a"], "Share me later")
    response = alex.post(f"/journal/{entry.id}/share", data={"shared": "1"}, headers=HX)
    assert "Shared with your coach" in response.get_data(as_text=True) and "Stop sharing" in response.get_data(as_text=True)
    assert entry_of(users).shared
    response = alex.post(f"/journal/{entry.id}/share", data={"shared": "0", "back": "list"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/journal#entry-{entry.id}")
    assert not entry_of(users).shared


def test_delete_and_undo_in_place(alex, users):
    entry = write(users["client_a"], "Regrettable sentence", shared=True)
    response = alex.post(f"/journal/{entry.id}/delete", headers=HX)
    html = response.get_data(as_text=True)
    assert "Entry deleted." in html and "Undo" in html and "Regrettable" not in html
    assert "Regrettable" not in alex.get("/journal").get_data(as_text=True)
    restored = alex.post(f"/journal/{entry.id}/restore", headers=HX)
    assert "Regrettable sentence" in restored.get_data(as_text=True)
    assert "Regrettable sentence" in alex.get("/journal").get_data(as_text=True)


def test_delete_and_undo_without_javascript(alex, users):
    entry = write(users["client_a"], "Gone for a moment")
    response = alex.post(f"/journal/{entry.id}/delete")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/journal?deleted={entry.id}")
    page = alex.get(response.headers["Location"]).get_data(as_text=True)
    assert "Entry deleted." in page and f'action="/journal/{entry.id}/restore"' in page
    assert alex.get(f"/journal/{entry.id}").status_code == 404
    response = alex.post(f"/journal/{entry.id}/restore", data={"back": "list"})
    assert response.status_code == 303
    assert "Gone for a moment" in alex.get("/journal").get_data(as_text=True)


def test_undo_expires_and_the_worker_erases_the_entry(alex, users, app):
    from datetime import timedelta

    from blueprints.journal.models import UNDO_WINDOW, JournalEntry
    from blueprints.journal.service import purge_deleted
    from database import utcnow
    entry = write(users["client_a"], "Old news")
    alex.post(f"/journal/{entry.id}/delete")
    JournalEntry.update(deleted_at=utcnow() - UNDO_WINDOW - timedelta(seconds=1)).where(JournalEntry.id == entry.id).execute()
    response = alex.post(f"/journal/{entry.id}/restore")
    assert response.status_code == 303
    assert "can no longer be brought back" in alex.get("/journal").get_data(as_text=True)
    assert ("journal", purge_deleted) in app.extensions["worker_tasks"]
    assert purge_deleted(app) == 1
    assert JournalEntry.get_or_none(JournalEntry.id == entry.id) is None


def test_each_view_as_page_and_fragment(alex, users):
    entry = write(users["client_a"], "Both ways")
    for url, marker in [("/journal", "Both ways"), (f"/journal/{entry.id}", "Both ways"),
                        (f"/journal/{entry.id}/edit", "Both ways"), ("/me", "Both ways")]:
        page = alex.get(url)
        assert page.status_code == 200 and "<html" in page.get_data(as_text=True) and marker in page.get_data(as_text=True)
        fragment = alex.get(url, headers=HX)
        body = fragment.get_data(as_text=True)
        assert fragment.status_code == 200 and "<html" not in body and marker in body, url
        assert "HX-Request" in fragment.headers["Vary"]


def test_markdown_is_rendered_but_never_runs(alex, users):
    hostile = ("<script>alert('body')</script> [click](javascript:alert(1)) <img src=x onerror=alert(2)> "
               "<a href=\"javascript:alert(3)\">raw</a> **bold**")
    alex.post("/journal", data=entry_data(hostile, tags="<b>tag</b>, \"><script>x</script>"))
    entry = entry_of(users)
    html = alex.get(f"/journal/{entry.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "<script>x" not in html and "<img" not in html
    assert not re.search(r"<a[^>]*href=[\"']?javascript:", html)
    assert "&lt;script&gt;alert" in html and "<strong>bold</strong>" in html
    assert "&lt;b&gt;tag&lt;/b&gt;" in html and "<b>tag</b>" not in html


def test_home_shows_plain_excerpts_of_the_latest_entries(alex, users):
    write(users["client_a"], "Time to *think* and <b>breathe</b>")
    html = alex.get("/me").get_data(as_text=True)
    assert "Time to think and &lt;b&gt;breathe&lt;/b&gt;" in html and "*think*" not in html
