"""Who may reach each journal URL (anonymous / client A / client B / coach / another coach), and a
private marker that no coach-reachable response, email or log line may ever contain."""
import logging
from datetime import timedelta

import pytest

from support.accounts import sign_in
from support.journal import session, write
from support.pages import HX

WHO = ["anonymous", "client_a", "client_b", "coach", "other_coach"]
LOGIN = "login"  # anonymous: sent to sign in (302/303, or a held save for POSTs with text)


@pytest.fixture
def world(users):
    """Alex's entry (shared), the coach's prompt, for filling URLs."""
    from blueprints.journal.models import JournalPrompt
    from blueprints.journal.prompts import ensure_library
    ensure_library(users["coach"])
    ensure_library(users["other_coach"])
    entry = write(users["client_a"], "Alex's shared entry", shared=True)
    prompt = JournalPrompt.active(users["coach"]).first()
    return {"entry": entry.id, "prompt": prompt.id, "client": users["client_a"].id}


# (method, url template, expected per WHO)
MATRIX = [
    ("GET", "/journal", [LOGIN, 200, 200, 403, 403]),
    ("POST", "/journal", [LOGIN, 303, 303, 403, 403]),
    ("GET", "/journal/{entry}", [LOGIN, 200, 404, 403, 403]),
    ("GET", "/journal/{entry}/edit", [LOGIN, 200, 404, 403, 403]),
    ("POST", "/journal/{entry}", [LOGIN, 303, 404, 403, 403]),
    ("POST", "/journal/{entry}/share", [LOGIN, 303, 404, 403, 403]),
    ("POST", "/journal/{entry}/delete", [LOGIN, 303, 404, 403, 403]),
    ("POST", "/journal/{entry}/restore", [LOGIN, 303, 303, 403, 403]),
    ("POST", "/journal/draft", [401, 200, 200, 403, 403]),
    ("POST", "/journal/draft/discard", [LOGIN, 303, 303, 403, 403]),
    ("GET", "/journal/resume", [LOGIN, 303, 303, 403, 403]),
    ("GET", "/coach/prompts", [LOGIN, 403, 403, 200, 200]),
    ("POST", "/coach/prompts", [LOGIN, 403, 403, 303, 303]),
    ("GET", "/coach/prompts/{prompt}", [LOGIN, 403, 403, 200, 404]),
    ("POST", "/coach/prompts/{prompt}", [LOGIN, 403, 403, 303, 404]),
    ("POST", "/coach/prompts/{prompt}/retire", [LOGIN, 403, 403, 303, 404]),
    ("POST", "/coach/clients/{client}/journal/assign", [LOGIN, 403, 403, 303, 404]),
    ("POST", "/coach/clients/{client}/journal/{entry}/comments", [LOGIN, 403, 403, 303, 404]),
    ("GET", "/coach/clients/{client}", [LOGIN, 403, 403, 200, 404]),
    ("POST", "/coach/settings/prep-email", [LOGIN, 403, 403, 303, 303]),  # each coach their own
]
DATA = {"body": "Text", "text": "A new prompt?", "assign-prompt": "", "shared": "1", "draft_key": "new",
        "prompt_source": "", "mood": "", "energy": "", "tags": ""}


@pytest.mark.parametrize("method,template,expected", MATRIX, ids=[f"{m} {t}" for m, t, _ in MATRIX])
@pytest.mark.parametrize("who", WHO)
def test_access_matrix(client, users, world, method, template, expected, who):
    sign_in(client, who)
    url = template.format(**world)
    data = {**DATA, f"reply-{world['entry']}-body": "Text", f"prompt-{world['prompt']}-text": "Reworded?"}
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    want = expected[WHO.index(who)]
    if want == LOGIN:
        assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    else:
        assert response.status_code == want, response.get_data(as_text=True)[:300]


def test_the_author_alone_changes_an_entry(client, users, world):
    """Client B's attempts changed nothing of Alex's entry."""
    from blueprints.journal.models import JournalEntry
    sign_in(client, "client_b")
    for url in ("/journal/{entry}", "/journal/{entry}/share", "/journal/{entry}/delete"):
        client.post(url.format(**world), data={**DATA, "shared": "0", "body": "Sam was here"})
    entry = JournalEntry.get_by_id(world["entry"])
    assert entry.body == "Alex's shared entry" and entry.shared and entry.deleted_at is None


MARKER = "PRIVATE-MARKER-7f3a"


@pytest.fixture
def private_words(users, app):
    """Private text in every shape: a private entry (body, tag, prompt answer), a shared entry
    later made private, a deleted shared entry, and drafts; plus ordinary shared data."""
    from blueprints.journal import service
    from blueprints.journal.models import JournalPrompt
    from blueprints.journal.prompts import ensure_library
    from database import utcnow
    alex, coach = users["client_a"], users["coach"]
    ensure_library(coach)
    prompt = JournalPrompt.active(coach).first()
    service.assign_prompt(coach, alex, prompt)
    now = utcnow()
    session(coach, alex, now - timedelta(days=7))
    session(coach, alex, now + timedelta(days=2))
    write(alex, f"{MARKER} body", tags=[MARKER.lower()[:20]], mood=1, energy=1, prompt_source=prompt.id)
    unshared = write(alex, f"{MARKER} once shared", shared=True, mood=1)
    service.set_shared(unshared, False)
    deleted = write(alex, f"{MARKER} deleted", shared=True)
    service.delete_entry(deleted)
    service.save_draft(alex.id, "new", {"body": f"{MARKER} draft"})
    shared = write(alex, "Shared and fine to read", shared=True, mood=4, energy=4)
    with app.app_context():
        service.add_comment(coach, shared, "A reply", "http://localhost/journal/1", "Let's talk")
    return {"client": alex.id, "entry": shared.id, "private": unshared.id, "prompt": prompt.id}


def coach_get_urls(app, ids):
    """Every GET address a coach can reach, with the ids of this test's rows filled in."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {"client_id": ids["client"], "entry_id": ids["private"], "prompt_id": ids["prompt"]}
        if set(rule.arguments) - set(values):
            continue
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


def test_no_coach_reachable_response_contains_private_words(client, users, private_words, app, caplog):
    from blueprints.auth.models import CoachProfile
    from mail import OutboxMessage
    caplog.set_level(logging.DEBUG)
    sign_in(client, "coach")
    urls = coach_get_urls(app, private_words)
    assert "/coach/clients/{}".format(private_words["client"]) in urls and "/coach/prompts" in urls
    urls.append(f"/calendar/{CoachProfile.get(CoachProfile.user == users['coach']).feed_token}.ics")
    checked = 0
    for url in urls:
        for headers in ({}, HX):
            body = client.get(url, headers=headers).get_data()  # bytes: the icon is no text
            assert MARKER.encode() not in body, url
            assert MARKER.lower()[:20].encode() not in body, url
            checked += 1
    assert checked > 20
    # The shared entry and the coach's page do show what is shared.
    page = client.get(f"/coach/clients/{private_words['client']}").get_data(as_text=True)
    assert "Shared and fine to read" in page and "A reply" in page
    # Writes a coach can try on the private entry reveal nothing either.
    attempt = client.post(f"/coach/clients/{private_words['client']}/journal/{private_words['private']}/comments",
                          data={f"reply-{private_words['private']}-body": "hello?"})
    assert attempt.status_code == 404 and MARKER not in attempt.get_data(as_text=True)
    # The session prep email (the coach asked for it) comes from the same shared-only queries.
    from blueprints.journal.prep_email import send_due_prep_emails
    from database import utcnow
    CoachProfile.update(prep_email=True).execute()
    assert send_due_prep_emails(app, now=utcnow() + timedelta(days=2) - timedelta(hours=1)) == 1
    assert any("Shared and fine to read" in m.text_body for m in OutboxMessage.select())
    for message in OutboxMessage.select():
        assert MARKER not in message.text_body + (message.html_body or "") + message.subject
    assert MARKER not in caplog.text


def test_the_prep_mood_trend_counts_only_shared_entries(client, users, private_words):
    page = sign_in(client, "coach").get(f"/coach/clients/{private_words['client']}").get_data(as_text=True)
    assert "mood averaged 4.0 of 5 over 1 entries" in page  # the private mood-1 entries are not in it
