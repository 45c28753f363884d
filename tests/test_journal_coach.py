"""The coach's side: prompt library, asking a client a prompt, session prep, replies and their email."""
import re
from datetime import timedelta

import pytest

from support.accounts import sign_in
from support.journal import entry_data, session, write
from support.mail import deliver_mail
from support.pages import HX

ISSUE_PROMPTS = [
    "What do you need from work right now that you aren't getting?",
    "What have you been tolerating?",
    "What would need to be true for Monday morning to feel okay?",
    "Where did work and home pull against each other this week — and where did they help each other?",
    "What went differently than you expected?",
    "What do you most want from our next session?",
]


@pytest.fixture
def coach(client, users):
    return sign_in(client, "coach")


def prompts_of(coach_user):
    from blueprints.journal.models import JournalPrompt
    return list(JournalPrompt.library(coach_user))


def test_each_coach_starts_with_a_library_in_the_practices_voice(coach, users):
    html = coach.get("/coach/prompts").get_data(as_text=True)
    from markupsafe import escape
    for text in ISSUE_PROMPTS:
        assert str(escape(text)) in html
    assert len(prompts_of(users["coach"])) == 20
    coach.get("/coach/prompts")  # visiting again seeds nothing more
    assert len(prompts_of(users["coach"])) == 20
    assert prompts_of(users["other_coach"]) == []  # seeded when that coach first needs it


def test_add_edit_retire_a_prompt(coach, users):
    response = coach.post("/coach/prompts", data={"text": "What surprised you about yourself?"})
    assert response.status_code == 303
    prompt = prompts_of(users["coach"])[-1]
    assert prompt.text == "What surprised you about yourself?"
    row = coach.get(f"/coach/prompts/{prompt.id}?edit=1", headers=HX).get_data(as_text=True)
    assert "<html" not in row and 'id="prompt-%d-text"' % prompt.id in row
    edited = coach.post(f"/coach/prompts/{prompt.id}", data={f"prompt-{prompt.id}-text": "What surprised you?"}, headers=HX)
    assert "What surprised you?" in edited.get_data(as_text=True) and "<textarea" not in edited.get_data(as_text=True)
    retired = coach.post(f"/coach/prompts/{prompt.id}/retire", data={"retired": "1"}, headers=HX)
    assert "retired" in retired.get_data(as_text=True) and "Use again" in retired.get_data(as_text=True)
    # Retired prompts are not offered to clients.
    coach.post("/logout")
    assert "What surprised you?" not in sign_in(coach, "client_a").get("/journal").get_data(as_text=True)


@pytest.mark.parametrize("text,message", [("", "Write the question."), ("x" * 301, "under 300 characters")])
def test_prompt_validation(coach, users, text, message):
    for headers in ({}, HX):
        response = coach.post("/coach/prompts", data={"text": text}, headers=headers)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert len(prompts_of(users["coach"])) == 20


def test_prompt_pages_full_and_fragment(coach, users):
    coach.get("/coach/prompts")
    prompt = prompts_of(users["coach"])[0]
    for url in ("/coach/prompts", f"/coach/prompts/{prompt.id}"):
        page = coach.get(url).get_data(as_text=True)
        assert "<html" in page and page.count("<h1") == 1 and "What do you need from work" in page
        fragment = coach.get(url, headers=HX).get_data(as_text=True)
        assert "<html" not in fragment and "What do you need from work" in fragment


def test_assigning_a_prompt_shows_it_to_the_client(client, users):
    coach = sign_in(client, "coach")
    coach.get("/coach/prompts")
    prompt = prompts_of(users["coach"])[1]  # "What have you been tolerating?"
    alex_id = users["client_a"].id
    response = coach.post(f"/coach/clients/{alex_id}/journal/assign", data={"assign-prompt": str(prompt.id)}, headers=HX)
    assert response.status_code == 200 and "You asked: <strong>What have you been tolerating?" in response.get_data(as_text=True)
    client.post("/logout")
    alex = sign_in(client, "client_a")
    for url in ("/journal", "/me"):
        html = alex.get(url).get_data(as_text=True)
        assert "Jo asked you to think about…" in html and "What have you been tolerating?" in html
    answer_page = alex.get(f"/journal?answer={prompt.id}").get_data(as_text=True)
    assert f'<option selected value="{prompt.id}">What have you been tolerating?</option>' in answer_page
    alex.post("/journal", data=entry_data("Late replies from my manager.", prompt_source=str(prompt.id)))
    assert "You wrote about it on" in alex.get("/me").get_data(as_text=True)
    # Sam was not asked anything.
    client.post("/logout")
    assert "asked you to think about" not in sign_in(client, "client_b").get("/journal").get_data(as_text=True)


def test_assign_refuses_a_prompt_of_another_coach_and_another_coachs_client(client, users):
    from blueprints.journal.prompts import ensure_library
    ensure_library(users["other_coach"])
    foreign = prompts_of(users["other_coach"])[0]
    coach = sign_in(client, "coach")
    response = coach.post(f"/coach/clients/{users['client_a'].id}/journal/assign", data={"assign-prompt": str(foreign.id)})
    assert response.status_code == 422 and "Choose a prompt from your library." in response.get_data(as_text=True)
    assert coach.post(f"/coach/clients/{users['other_client'].id}/journal/assign", data={"assign-prompt": ""}).status_code == 404


def test_session_prep_shows_what_was_shared_since_the_last_session(client, users):
    from blueprints.journal.models import JournalEntry
    from database import utcnow
    alex, coach_user = users["client_a"], users["coach"]
    now = utcnow()
    session(coach_user, alex, now - timedelta(days=7))
    upcoming = session(coach_user, alex, now + timedelta(days=1))
    write(alex, "Shared before the last session", shared=True, at=now - timedelta(days=9))
    write(alex, "Shared since the last session", shared=True, mood=2, at=now - timedelta(days=3))
    write(alex, "Private since the last session", at=now - timedelta(days=2))
    coach = sign_in(client, "coach")
    page = coach.get(f"/coach/clients/{alex.id}").get_data(as_text=True)
    prep = page.split('id="prep"')[1]
    assert prep.index("Shared since the last session") < prep.index("Earlier") < prep.index("Shared before the last session")
    assert "Private since" not in page
    assert "mood averaged 2.0 of 5" in page and "<svg" in prep
    # Linked from the upcoming session on the dashboard.
    dashboard = coach.get("/coach").get_data(as_text=True)
    assert f'href="/coach/clients/{alex.id}#prep"' in dashboard
    shared_since = JournalEntry.shared_by(alex, coach_user).first()
    assert f'href="/coach/clients/{alex.id}#prep-entry-{shared_since.id}"' in dashboard
    assert upcoming.id


def test_the_coachs_view_follows_unsharing(client, users):
    entry = write(users["client_a"], "Changed my mind about this one", shared=True)
    coach = sign_in(client, "coach")
    assert "Changed my mind" in coach.get(f"/coach/clients/{users['client_a'].id}").get_data(as_text=True)
    client.post("/logout")
    sign_in(client, "client_a").post(f"/journal/{entry.id}/share", data={"shared": "0"})
    client.post("/logout")
    coach = sign_in(client, "coach")
    assert "Changed my mind" not in coach.get(f"/coach/clients/{users['client_a'].id}").get_data(as_text=True)
    assert "Changed my mind" not in coach.get("/coach").get_data(as_text=True)


def test_reply_to_a_shared_entry_emails_the_client_without_the_entry(client, users, mail_app, smtp_server):
    entry = write(users["client_a"], "Secret-ish words about my manager", shared=True)
    coach = sign_in(client, "coach")
    url = f"/coach/clients/{users['client_a'].id}/journal/{entry.id}/comments"
    empty = coach.post(url, data={f"reply-{entry.id}-body": "  "}, headers=HX)
    assert empty.status_code == 422 and "Write a reply first." in empty.get_data(as_text=True)
    assert f'id="reply-{entry.id}-body-error"' in empty.get_data(as_text=True)
    response = coach.post(url, data={f"reply-{entry.id}-body": "That sounds *hard*. Let's start there."}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "That sounds <em>hard</em>." in html and "Reply sent." in html
    deliver_mail(mail_app)
    [message] = smtp_server.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    assert message["To"] == "alex@example.com" and "Jo Whitfield replied" in message["Subject"]
    assert f"http://localhost/journal/{entry.id}" in text
    assert "manager" not in text and "hard" not in text
    client.post("/logout")
    page = sign_in(client, "client_a").get(f"/journal/{entry.id}").get_data(as_text=True)
    assert "Jo Whitfield</strong> replied" in page and "That sounds <em>hard</em>." in page


def test_reply_without_javascript_returns_to_the_entry_on_the_prep(client, users):
    entry = write(users["client_a"], "Shared", shared=True)
    coach = sign_in(client, "coach")
    response = coach.post(f"/coach/clients/{users['client_a'].id}/journal/{entry.id}/comments", data={f"reply-{entry.id}-body": "Noted."})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#prep-entry-{entry.id}")


def test_hostile_prompts_and_replies_are_text(client, users):
    entry = write(users["client_a"], "Shared", shared=True)
    coach = sign_in(client, "coach")
    coach.post("/coach/prompts", data={"text": "<script>alert('prompt')</script>?"})
    prompt = prompts_of(users["coach"])[-1]
    coach.post(f"/coach/clients/{users['client_a'].id}/journal/assign", data={"assign-prompt": str(prompt.id)})
    coach.post(f"/coach/clients/{users['client_a'].id}/journal/{entry.id}/comments",
               data={f"reply-{entry.id}-body": "<script>alert('reply')</script>[x](javascript:alert(1))"})
    for html in (coach.get("/coach/prompts").get_data(as_text=True),
                 coach.get(f"/coach/clients/{users['client_a'].id}").get_data(as_text=True)):
        assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    client.post("/logout")
    alex = sign_in(client, "client_a")
    for url in ("/journal", "/me", f"/journal/{entry.id}"):
        html = alex.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and not re.search(r"<a[^>]*href=\"javascript:", html)
