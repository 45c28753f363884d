"""Never lose a word: autosaved drafts come back, a signed-out save is made after signing in,
an expired form keeps the text."""
import re

import pytest

from support.accounts import PASSWORD, sign_in
from support.journal import entry_data, write
from support.pages import HX

ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture
def alex(client, users):
    return sign_in(client, "client_a")


def entries(users, who="client_a"):
    from blueprints.journal.models import JournalEntry
    return list(JournalEntry.of_client(users[who]))


def test_autosave_keeps_a_draft_that_comes_back(alex, users):
    response = alex.post("/journal/draft", data={**entry_data("Half a thought about Monday"), "draft_key": "new",
                                                 "tags": "monday", "mood": "2"}, headers=HX)
    assert response.status_code == 200 and "Draft kept at" in response.get_data(as_text=True)
    page = alex.get("/journal").get_data(as_text=True)  # a new tab, after a crash
    assert "We brought back the draft" in page
    assert re.search(r'<textarea[^>]*name="body"[^>]*>\s*Half a thought about Monday</textarea>', page)
    assert 'value="monday"' in page and '<option selected value="2">' in page
    # Saving the entry uses the draft up.
    alex.post("/journal", data=entry_data("Half a thought about Monday, finished."))
    assert "We brought back the draft" not in alex.get("/journal").get_data(as_text=True)


def test_drafts_are_per_person_and_can_be_discarded(client, users):
    sign_in(client, "client_a").post("/journal/draft", data=entry_data("Alex's draft", draft_key="new"), headers=HX)
    client.post("/logout")
    sam = sign_in(client, "client_b")
    assert "Alex" not in sam.get("/journal").get_data(as_text=True)
    sam.post("/logout")
    alex = sign_in(client, "client_a")
    response = alex.post("/journal/draft/discard", data={"draft_key": "new"})
    assert response.status_code == 303
    assert "Alex&#39;s draft" not in alex.get("/journal").get_data(as_text=True)


def test_edit_drafts_come_back_on_the_edit_form(alex, users):
    entry = write(users["client_a"], "Saved words")
    alex.post("/journal/draft", data=entry_data("Saved words and unsaved ones", draft_key=f"entry-{entry.id}"), headers=HX)
    page = alex.get(f"/journal/{entry.id}/edit").get_data(as_text=True)
    assert "Saved words and unsaved ones" in page and "We brought back the draft" in page
    assert "Saved words and unsaved ones" not in alex.get("/journal").get_data(as_text=True).split('id="entry-form"')[1].split("</form>")[0]


def test_autosave_refuses_someone_elses_entry(client, users):
    other = write(users["client_b"], "Sam's entry")
    alex = sign_in(client, "client_a")
    assert alex.post("/journal/draft", data=entry_data("x", draft_key=f"entry-{other.id}"), headers=HX).status_code == 404


def test_autosave_when_signed_out_says_so_without_leaving_the_page(client, users):
    response = client.post("/journal/draft", data=entry_data("typing away", draft_key="new"), headers=HX)
    assert response.status_code == 401 and "HX-Redirect" not in response.headers
    assert "signed out" in response.get_data(as_text=True)


def test_a_save_after_the_login_expired_is_made_after_signing_in(client, users):
    body = "Long careful paragraph. " * 2000  # ~48,000 characters
    response = client.post("/journal", data=entry_data(body, tags="kept", shared="y"), headers=ORIGIN)
    assert response.status_code == 303 and response.headers["Location"] == "/login?next=/journal/resume"
    assert entries(users) == []
    login = client.post("/login?next=/journal/resume", data={"email": "alex@example.com", "password": PASSWORD})
    assert login.headers["Location"] == "/journal/resume"
    resumed = client.get("/journal/resume")
    assert resumed.status_code == 303
    saved = entries(users)
    assert len(saved) == 1 and saved[0].body == body and saved[0].tag_list == ["kept"] and saved[0].shared
    assert "Your entry is saved" in client.get(resumed.headers["Location"]).get_data(as_text=True)
    # The held copy is used once.
    client.get("/journal/resume")
    assert len(entries(users)) == 1


def test_an_htmx_save_after_the_login_expired_also_waits_for_sign_in(client, users):
    response = client.post("/journal", data=entry_data("htmx words"), headers={**HX, **ORIGIN})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/login?next=/journal/resume"
    sign_in(client, "client_a")
    client.get("/journal/resume")
    assert [e.body for e in entries(users)] == ["htmx words"]


def test_an_edit_after_the_login_expired_is_applied_after_signing_in(client, users):
    entry = write(users["client_a"], "Before")
    client.post(f"/journal/{entry.id}", data=entry_data("After"), headers=ORIGIN)
    sign_in(client, "client_a")
    assert client.get("/journal/resume").headers["Location"].endswith(f"/journal/{entry.id}")
    assert [e.body for e in entries(users)] == ["After"]


def test_a_held_save_from_another_site_is_shown_not_saved(client, users):
    client.post("/journal", data=entry_data("Planted by evil.example"), headers={"Origin": "https://evil.example"})
    sign_in(client, "client_a")
    page = client.get("/journal/resume")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Planted by evil.example" in html and "press Save to keep it" in html
    assert entries(users) == []


def test_a_held_save_needs_the_browser_that_sent_it(client, app, users):
    client.post("/journal", data=entry_data("Only my browser"), headers=ORIGIN)
    stranger = app.test_client()
    sign_in(stranger, "client_b")
    assert stranger.get("/journal/resume").status_code == 303
    assert entries(users, "client_b") == [] and entries(users, "client_a") == []


def test_an_expired_form_keeps_the_text(make_app, users):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    sign_in_csrf(client)
    for headers in ({}, HX):
        response = client.post("/journal", data=entry_data("Words typed before lunch", csrf_token="stale"), headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and "Words typed before lunch" in html
        assert "nothing was saved yet" in html
    assert entries(users) == []
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert client.post("/journal", data=entry_data("Words typed before lunch", csrf_token=token)).status_code == 303
    assert len(entries(users)) == 1


def sign_in_csrf(client):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": "alex@example.com", "password": PASSWORD, "csrf_token": token})
    assert response.status_code in (302, 303)


def test_an_autosave_arriving_after_the_save_does_not_bring_the_text_back(alex, users):
    alex.post("/journal", data=entry_data("Saved a moment ago"))
    late = alex.post("/journal/draft", data=entry_data("Saved a moment ago", draft_key="new"), headers=HX)
    assert late.status_code == 200 and "Draft kept" not in late.get_data(as_text=True)
    assert "We brought back the draft" not in alex.get("/journal").get_data(as_text=True)
