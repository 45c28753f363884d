"""Deleting an account: asked for with the password, a 7-day grace period that signing in
cancels, then the worker erases every trace of the client — searched for in every column of
every table, the full-text index included — while the coach's calendar feed still parses."""
import re
from datetime import timedelta

import pytest
from icalendar import Calendar

from support.accounts import EMAILS, PASSWORD, sign_in
from support.mail import outbox
from support.pages import HX, readable
from support.privacy import fill

DELETE = {"password": PASSWORD, "understood": "y"}


@pytest.fixture
def lives(app, users):
    with app.app_context():
        return {who: fill(users, who, tag, slot) for slot, (who, tag) in enumerate((("client_a", "alpha"), ("client_b", "bravo")))}


def ask_to_delete(client, who="client_a"):
    sign_in(client, who)
    response = client.post("/account/delete", data=DELETE)
    assert response.status_code == 303 and response.headers["Location"] == "/account/delete/scheduled"
    return response


def grace_over():
    from blueprints.privacy.models import AccountDeletion
    from database import utcnow
    AccountDeletion.update(erase_after=utcnow() - timedelta(minutes=1)).execute()


def run_worker(app):
    from commands import run_worker_pass
    return run_worker_pass(app)["account deletion"]


# --- every column of every table ------------------------------------------------------------------

def text_columns():
    """(table, column) for every column of every table, the FTS index's own tables included."""
    from database import db, is_postgres
    if is_postgres():
        rows = db.execute_sql(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND data_type IN ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb', 'tsvector')")
        return [(table, column) for table, column in rows]
    tables = [row[0] for row in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [(table, info[1]) for table in tables
            for info in db.execute_sql(f'PRAGMA table_info("{table}")')]


def places_with(word):
    """Every (table, column) where `word` appears, in any case."""
    from database import db, is_postgres
    found = []
    for table, column in text_columns():
        cast = f'CAST("{column}" AS TEXT)' if is_postgres() else f'CAST("{column}" AS TEXT)'
        if is_postgres():
            cast = f"encode(\"{column}\", 'escape')" if _is_bytea(table, column) else f'"{column}"::text'
        query = f'SELECT COUNT(*) FROM "{table}" WHERE LOWER({cast}) LIKE %s' if is_postgres() else \
            f'SELECT COUNT(*) FROM "{table}" WHERE LOWER({cast}) LIKE ?'
        if db.execute_sql(query, (f"%{word.lower()}%",)).fetchone()[0]:
            found.append((table, column))
    if not is_postgres():
        matches = db.execute_sql("SELECT COUNT(*) FROM journal_entry_fts WHERE journal_entry_fts MATCH ?",
                                 (f'"{word}"',)).fetchone()[0]
        if matches:
            found.append(("journal_entry_fts", "MATCH"))
    else:
        from blueprints.journal.search import PG_DOCUMENT
        matches = db.execute_sql(f"SELECT COUNT(*) FROM journal_entry WHERE {PG_DOCUMENT} @@ plainto_tsquery("
                                 "'english', %s)", (word,)).fetchone()[0]
        if matches:
            found.append(("journal_entry", "tsvector"))
    return found


def _is_bytea(table, column):
    from database import db
    return db.execute_sql("SELECT data_type FROM information_schema.columns WHERE table_name = %s "
                          "AND column_name = %s", (table, column)).fetchone()[0] == "bytea"


def test_the_table_search_finds_what_is_there(app, lives):
    """The search below must be able to fail: before erasure it finds every word."""
    for word in lives["client_a"]["client"] + ["Alex Morgan", EMAILS["client_a"]]:
        assert places_with(word), word
    assert ("journal_entry_fts", "MATCH") in places_with("alphasharedentry") or \
        ("journal_entry", "tsvector") in places_with("alphasharedentry")


# --- asking ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_the_page_says_what_happens_and_how_to_cancel(client, users, headers):
    sign_in(client, "client_a")
    response = client.get("/account/delete", headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and ("<html" in html) == (not headers)
    page = readable(response)
    assert "Password" in page and "Delete my account" in page
    if not headers:
        assert "7 days" in page and "sign in again" in page


@pytest.mark.parametrize("url", ["/account/delete"])
@pytest.mark.parametrize("who, status", [("anonymous", 302), ("coach", 403), ("other_coach", 403)])
def test_only_clients_delete_their_account(client, users, url, who, status):
    sign_in(client, who)
    assert client.get(url).status_code == status
    assert client.post(url, data=DELETE).status_code == status
    from blueprints.privacy.models import AccountDeletion
    assert AccountDeletion.select().count() == 0


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
@pytest.mark.parametrize("data, field, message", [
    ({"password": "not my password", "understood": "y"}, "password", "isn't your password"),
    ({"password": PASSWORD}, "understood", "Tick the box"),
    ({"understood": "y"}, "password", "Enter your current password"),
], ids=["wrong-password", "not-ticked", "no-password"])
def test_a_refused_request_says_why_and_deletes_nothing(client, users, headers, data, field, message):
    sign_in(client, "client_a")
    response = client.post("/account/delete", data=data, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and ("<html" in html) == (not headers)
    error = re.search(rf'id="{field}-error">([^<]*)<', html)
    assert error and message in error.group(1).replace("&#39;", "'")
    from blueprints.privacy.models import AccountDeletion
    assert AccountDeletion.select().count() == 0
    assert client.get("/me").status_code == 200  # still signed in


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_asking_signs_out_everywhere_and_tells_client_and_coach(app, users, headers):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(phone, "client_a"), sign_in(laptop, "client_a")
    response = laptop.post("/account/delete", data=DELETE, headers=headers)
    assert response.status_code in (204, 303)
    assert laptop.get("/me").status_code == 302 and phone.get("/me").status_code == 302
    page = readable(laptop.get("/account/delete/scheduled"))
    assert "will be deleted" in page and "Sign in before then" in page
    to_client, to_coach = outbox()[-2:]
    assert to_client.to_addr == EMAILS["client_a"] and "sign in before then" in to_client.text_body.lower()
    assert to_coach.to_addr == EMAILS["coach"] and "Alex Morgan" in to_coach.text_body
    sign_in(laptop, "coach")
    coach_page = readable(laptop.get(f"/coach/clients/{users['client_a'].id}"))
    assert "Account deletion requested" in coach_page


def test_signing_in_during_the_grace_period_cancels_it(app, client, lives):
    ask_to_delete(client)
    response = client.post("/login", data={"email": EMAILS["client_a"], "password": PASSWORD})
    assert response.status_code == 303
    assert "will not be deleted" in readable(client.get("/me"))
    from blueprints.privacy.models import AccountDeletion
    assert AccountDeletion.select().count() == 0
    assert [m.to_addr for m in outbox()[-2:]] == [EMAILS["client_a"], EMAILS["coach"]]
    grace_over()
    assert run_worker(app) == 0
    assert places_with("alphasharedentry")  # all still there


def test_nothing_is_erased_before_the_grace_period_ends(app, client, lives):
    ask_to_delete(client)
    assert run_worker(app) == 0
    assert places_with("alphasharedentry")


# --- erasing --------------------------------------------------------------------------------------

def test_after_the_grace_period_no_table_holds_a_word_of_the_client(app, client, lives, users):
    ask_to_delete(client)
    grace_over()
    assert run_worker(app) == 1
    for word in lives["client_a"]["client"] + ["Alex Morgan", EMAILS["client_a"]]:
        assert places_with(word) == [], word
    # Everyone else's words are untouched, and so are the coach's own notes (until they choose).
    for word in lives["client_b"]["client"] + lives["client_a"]["coach_private"]:
        assert places_with(word), word
    assert client.post("/login", data={"email": EMAILS["client_a"], "password": PASSWORD}).status_code == 422


def test_on_sqlite_not_even_the_database_file_keeps_the_words(app, client, lives):
    """Free pages and the write-ahead log keep old bytes unless told not to (secure_delete, checkpoint)."""
    from database import db, is_postgres
    if is_postgres():
        pytest.skip("SQLite's file; PostgreSQL's dead rows go with autovacuum")
    path = db.execute_sql("PRAGMA database_list").fetchone()[2]
    ask_to_delete(client)
    grace_over()
    run_worker(app)
    raw = b"".join(open(p, "rb").read() for p in (path, path + "-wal") if __import__("os").path.exists(p))
    for word in lives["client_a"]["client"]:
        assert word.encode() not in raw, word
    assert b"bravosharedentry" in raw  # the search can find a word that is there


def test_every_model_is_searched(app, lives):
    """The column list above comes from the database itself; it must cover every text field of
    every model in models.py."""
    import peewee as pw
    from models import ALL_MODELS
    searched = set(text_columns())
    fields = {(model._meta.table_name, field.column_name) for model in ALL_MODELS
              for field in model._meta.sorted_fields if isinstance(field, (pw.CharField, pw.TextField))}
    assert len(fields) > 50 and fields <= searched, fields - searched


def test_the_coach_feed_keeps_anonymous_cancelled_events(app, client, lives, users):
    from blueprints.auth.models import CoachProfile
    token = CoachProfile.get(CoachProfile.user == users["coach"]).feed_token
    ask_to_delete(client)
    grace_over()
    run_worker(app)
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.get_data())
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    past, ahead = (events[f"alpha-session-{n}@test"] for n in (0, 1))
    assert str(ahead["STATUS"]) == "CANCELLED" and str(past["STATUS"]) == "CONFIRMED"
    assert "Former client" in str(ahead["SUMMARY"])
    assert "Alex Morgan" not in feed.get_data(as_text=True) and "alpha" not in str(ahead.get("DESCRIPTION"))
    assert "Sam Rivera" in feed.get_data(as_text=True)  # the other client's sessions are as they were


def test_the_coach_is_told_without_the_name_and_asked_about_notes(app, client, lives, users):
    ask_to_delete(client)
    grace_over()
    run_worker(app)
    told = outbox()[-1]
    assert told.to_addr == EMAILS["coach"] and "2 private notes" in told.text_body
    assert "Alex" not in told.text_body


# --- the coach's notes ----------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
@pytest.mark.parametrize("decision, kept", [("keep", True), ("delete", False)])
def test_the_coach_keeps_or_deletes_their_notes_after_erasure(app, client, lives, users, headers, decision, kept):
    ask_to_delete(client)
    grace_over()
    run_worker(app)
    sign_in(client, "coach")
    url = f"/coach/clients/{users['client_a'].id}"
    page = readable(client.get(url))
    assert "Account deleted" in page and "Keep my notes" in page and "Former client" in page
    response = client.post(url + "/notes-after-deletion", data={"decision": decision}, headers=headers)
    assert response.status_code in (204, 303)
    for word in lives["client_a"]["coach_private"]:
        assert bool(places_with(word)) == kept


def test_notes_the_coach_chose_to_delete_go_with_the_account(app, client, lives, users):
    ask_to_delete(client)
    sign_in(client, "coach")
    client.post(f"/coach/clients/{users['client_a'].id}/notes-after-deletion", data={"decision": "delete"})
    for word in lives["client_a"]["coach_private"]:
        assert places_with(word)  # not yet: the client may still come back
    grace_over()
    run_worker(app)
    for word in lives["client_a"]["coach_private"]:
        assert places_with(word) == []


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_the_notes_choice_needs_an_answer(app, client, lives, users, headers):
    ask_to_delete(client)
    sign_in(client, "coach")
    response = client.post(f"/coach/clients/{users['client_a'].id}/notes-after-deletion", data={}, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and ("<html" in html) == (not headers)
    assert "Choose whether to keep or delete" in html
    from blueprints.privacy.models import AccountDeletion
    assert AccountDeletion.get().notes_decision == ""


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("client_a", 403), ("client_b", 403),
                                         ("other_coach", 404)])
def test_only_the_clients_coach_decides_about_notes(app, client, lives, users, who, status):
    ask_to_delete(client)
    sign_in(client, who)
    response = client.post(f"/coach/clients/{users['client_a'].id}/notes-after-deletion", data={"decision": "delete"})
    assert response.status_code == status
    assert places_with(lives["client_a"]["coach_private"][0])


def test_there_is_nothing_to_decide_for_a_client_who_did_not_ask(client, lives, users):
    sign_in(client, "coach")
    response = client.post(f"/coach/clients/{users['client_b'].id}/notes-after-deletion", data={"decision": "delete"})
    assert response.status_code == 404
