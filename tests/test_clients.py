"""Becoming a client: make client (asks once), the invitation and its welcome page, undo,
private notes, archive and packages — and who may reach each of these pages."""
import re
from datetime import timedelta

import pytest

from database import utcnow
from support.accounts import sign_in
from support.booking import make_booking
from support.mail import outbox
from support.pages import HX, unescaped

NEW_PASSWORD = "a new and long password"
MARKER = "PRIVATE-MARKER-7f3a"


@pytest.fixture
def prospect(app, users):
    """A past discovery call by Vera, with her answer to the intake question."""
    return make_booking(users["coach"], utcnow() - timedelta(days=2), name="Vera Visitor", email="vera@example.org",
                        answer="I want my evenings back.")


def make_vera(client, prospect, note="Looking forward to working with you, Vera."):
    sign_in(client, "coach@example.com")
    response = client.post(f"/coach/bookings/{prospect.id}/make-client",
                           data={"name": "Vera Visitor", "email": "vera@example.org", "note": note})
    assert response.status_code == 303, unescaped(response)[:800]
    from blueprints.auth.models import User
    return User.by_email("vera@example.org")


def invitation_link():
    [body] = [m.text_body for m in outbox() if "invited you" in m.subject][-1:]
    return re.search(r"http://localhost(/welcome/[\w-]+)", body).group(1)


# --- make client ---------------------------------------------------------------------------

def test_make_client_asks_once_with_the_booking_filled_in(client, prospect):
    sign_in(client, "coach@example.com")
    url = f"/coach/bookings/{prospect.id}/make-client"
    page = client.get(url)
    html = unescaped(page)
    assert page.status_code == 200 and "<html" in html and "<h1>Make Vera Visitor your client</h1>" in html
    assert 'value="vera@example.org"' in html and "Welcome note" in html
    fragment = unescaped(client.get(url, headers=HX))
    assert "<html" not in fragment and 'id="make-client-form"' in fragment


def test_make_client_emails_the_note_and_keeps_the_discovery_call(client, prospect):
    vera = make_vera(client, prospect, note="So glad we talked on Tuesday.")
    assert vera.role == "client" and vera.password_hash is None
    [mail] = [m for m in outbox() if m.to_addr == "vera@example.org" and "invited you" in m.subject]
    assert "So glad we talked on Tuesday." in mail.text_body and "/welcome/" in mail.text_body
    html = unescaped(client.get(f"/coach/clients/{vera.id}"))
    assert "I want my evenings back." in html and "pending" in html and "Undo" in html


def test_make_client_refuses_another_coachs_client_and_keeps_the_input(client, prospect, users):
    sign_in(client, "coach@example.com")
    response = client.post(f"/coach/bookings/{prospect.id}/make-client",
                           data={"name": "Vera", "email": "olly@example.com", "note": "My long note stays."}, headers=HX)
    html = unescaped(response)
    assert response.status_code == 422 and "belongs to another account" in html and "My long note stays." in html
    from blueprints.auth.models import User
    assert User.by_email("olly@example.com").coach_id == users["other_coach"].id
    assert not [m for m in outbox() if "invited you" in m.subject]


def test_make_client_validation_is_422_with_messages(client, prospect):
    sign_in(client, "coach@example.com")
    response = client.post(f"/coach/bookings/{prospect.id}/make-client",
                           data={"name": "", "email": "not-an-email\x00", "note": "x"})
    html = unescaped(response)
    assert response.status_code == 422 and "Enter the client's name." in html and "like name@example.com" in html


# --- the invitation ------------------------------------------------------------------------

def test_welcome_page_speaks_in_the_coachs_voice_and_signs_the_client_in(client, prospect):
    make_vera(client, prospect, note="So glad we talked on Tuesday.")
    client.post("/logout")
    link = invitation_link()
    page = client.get(link)
    html = unescaped(page)
    assert page.status_code == 200 and "Set a password and you're in" in html
    assert "So glad we talked on Tuesday." in html and "Jo Whitfield" in html and "vera@example.org" in html
    assert page.headers["Cache-Control"] == "private, no-store"
    short = client.post(link, data={"password": "short", "confirm": "short"}, headers=HX)
    assert short.status_code == 422 and "at least 10 characters" in unescaped(short)
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == "/me"
    assert "Hello, Vera" in unescaped(client.get("/me"))


def test_a_used_invitation_says_so_and_points_to_sign_in(client, prospect):
    make_vera(client, prospect)
    client.post("/logout")
    link = invitation_link()
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.post("/logout")
    again = client.get(link)
    assert again.status_code == 410 and "already been used" in unescaped(again) and 'href="/login"' in unescaped(again)
    reuse = client.post(link, data={"password": "someone else's pw", "confirm": "someone else's pw"})
    assert reuse.status_code == 410
    assert client.post("/login", data={"email": "vera@example.org", "password": NEW_PASSWORD}).status_code == 303


def test_an_expired_invitation_says_whom_to_ask(client, prospect):
    make_vera(client, prospect)
    client.post("/logout")
    from blueprints.clients.models import Invitation
    Invitation.update(expires_at=utcnow() - timedelta(minutes=1)).execute()
    page = client.get(invitation_link())
    html = unescaped(page)
    assert page.status_code == 410 and "has expired" in html and "Ask Jo Whitfield to send you a new one" in html
    post = client.post(invitation_link(), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    from blueprints.auth.models import User
    assert post.status_code == 410 and User.by_email("vera@example.org").password_hash is None


def test_an_invitation_opened_in_someone_elses_session_is_refused(client, prospect):
    make_vera(client, prospect)
    sign_in(client, "alex@example.com")
    page = client.get(invitation_link())
    assert page.status_code == 409 and "for someone else" in unescaped(page) and "alex@example.com" in unescaped(page)
    post = client.post(invitation_link(), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    from blueprints.auth.models import User
    assert post.status_code == 409 and User.by_email("vera@example.org").password_hash is None


def test_a_new_invitation_replaces_the_old_link(client, prospect):
    vera = make_vera(client, prospect)
    old = invitation_link()
    assert client.post(f"/coach/clients/{vera.id}/invitation").status_code == 303
    new = invitation_link()
    client.post("/logout")
    assert old != new and client.get(old).status_code == 410 and client.get(new).status_code == 200


def test_undo_while_the_invitation_is_unused(client, prospect):
    vera = make_vera(client, prospect)
    link = invitation_link()
    response = client.post(f"/coach/clients/{vera.id}/invitation/undo", headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/coach/clients"
    from blueprints.auth.models import User
    from scheduling.models import Booking
    assert User.by_email("vera@example.org") is None
    assert Booking.get_by_id(prospect.id).client_id is None  # the call stays, as the prospect's
    assert "<strong>Vera Visitor</strong>" not in unescaped(client.get("/coach/clients"))
    client.post("/logout")
    gone = client.get(link)
    assert gone.status_code == 404 and "doesn't work" in unescaped(gone)


def test_undo_is_refused_once_the_client_accepted(client, prospect):
    vera = make_vera(client, prospect)
    link = invitation_link()
    client.post("/logout")
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    sign_in(client, "coach@example.com")
    response = client.post(f"/coach/clients/{vera.id}/invitation/undo")
    assert response.status_code == 303
    from blueprints.auth.models import User
    assert User.by_email("vera@example.org") is not None
    html = unescaped(client.get(f"/coach/clients/{vera.id}"))
    assert "can't be undone" in html and "accepted" in html and "Undo" not in html


def test_adding_a_client_by_email_alone_sends_the_note(client, users):
    sign_in(client, "coach@example.com")
    client.post("/coach/clients", data={"name": "Kim Lee", "email": "kim@example.com", "note": "Hi Kim!"})
    [mail] = [m for m in outbox() if m.to_addr == "kim@example.com"]
    assert "Hi Kim!" in mail.text_body
    assert "invitation pending" in unescaped(client.get("/coach/clients"))


# --- private notes ---------------------------------------------------------------------------

def add_notes(client, users):
    alex = users["client_a"]
    session = make_booking(users["coach"], utcnow() - timedelta(days=1), name="Alex Morgan", email="alex@example.com",
                           client=alex, kind="session")
    sign_in(client, "coach@example.com")
    assert client.post(f"/coach/clients/{alex.id}/notes", data={"body": f"General {MARKER}", "booking": 0}).status_code == 303
    assert client.post(f"/coach/clients/{alex.id}/notes",
                       data={"body": f"Session {MARKER}", "booking": session.id}).status_code == 303
    return session


def test_notes_per_client_and_per_session_show_on_the_client_page(client, users):
    add_notes(client, users)
    html = unescaped(client.get(f"/coach/clients/{users['client_a'].id}"))
    assert f"General {MARKER}" in html and f"Session {MARKER}" in html and "Only you can read these" in html
    assert f"Session {MARKER}" not in unescaped(client.get(f"/coach/clients/{users['client_b'].id}"))


def test_an_empty_note_is_422_and_stores_nothing(client, users):
    sign_in(client, "coach@example.com")
    response = client.post(f"/coach/clients/{users['client_a'].id}/notes", data={"body": "  \x00 ", "booking": 0},
                           headers=HX)
    assert response.status_code == 422 and "Write the note first." in unescaped(response)
    from blueprints.clients.models import PrivateNote
    assert PrivateNote.select().count() == 0


def test_a_note_cannot_be_attached_to_someone_elses_session(client, users):
    other = make_booking(users["coach"], utcnow() - timedelta(days=1), client=users["client_b"], kind="session",
                         email="sam@example.com")
    sign_in(client, "coach@example.com")
    response = client.post(f"/coach/clients/{users['client_a'].id}/notes", data={"body": "x", "booking": other.id})
    assert response.status_code == 422 and "Not a valid choice" in unescaped(response)


def test_deleting_a_note(client, users):
    add_notes(client, users)
    from blueprints.clients.models import PrivateNote
    note = PrivateNote.select().first()
    assert client.post(f"/coach/clients/{users['client_a'].id}/notes/{note.id}/delete").status_code == 303
    assert PrivateNote.select().count() == 1


def client_pages_without_arguments(app):
    """Every page of the client's own space (/me…, /journal, /goals…) — /me/export too, once it exists."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments
                   and rule.rule.startswith(("/me", "/journal", "/goals"))})


def client_reachable_urls(app, users, session):
    from scheduling.models import Booking
    fresh = Booking.get_by_id(session.id)
    from blueprints.auth.models import User
    feeds = []
    for client in (users["client_a"], users["client_b"]):
        User.update(feed_token=f"feed-{client.id}").where(User.id == client.id).execute()
        feeds.append(f"/calendar/client/feed-{client.id}.ics")
    return [*client_pages_without_arguments(app), f"/booking/{fresh.manage_token}",
            f"/booking/{fresh.manage_token}.ics", *feeds]


def readable_body(response):
    """The text of a page, or of every file in a downloaded zip (/me/export)."""
    if response.mimetype == "application/zip":
        import io
        import zipfile
        archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    return response.get_data(as_text=True)


def test_private_notes_never_reach_the_client(app, client, users):
    session = add_notes(client, users)
    assert {"/me", "/journal", "/goals", "/me/book", "/me/calendar"} <= set(client_pages_without_arguments(app))
    for who in ("alex@example.com", "sam@example.com"):
        sign_in(client, who)
        for url in client_reachable_urls(app, users, session):
            for headers in ({}, HX):
                response = client.get(url, headers=headers)
                assert response.status_code < 400, (who, url, response.status_code)
                assert MARKER not in readable_body(response), (who, url)
    assert not any(MARKER in (m.text_body + (m.ics or "")) for m in outbox())


# --- archive and packages ---------------------------------------------------------------------

def test_archive_keeps_the_client_able_to_sign_in(client, users):
    alex = users["client_a"]
    sign_in(client, "coach@example.com")
    assert client.post(f"/coach/clients/{alex.id}/archive").status_code == 303
    html = unescaped(client.get("/coach/clients"))
    assert "Archived (1)" in html
    assert "archived" in unescaped(client.get(f"/coach/clients/{alex.id}"))
    sign_in(client, "alex@example.com")
    assert client.get("/me").status_code == 200
    sign_in(client, "coach@example.com")
    client.post(f"/coach/clients/{alex.id}/unarchive")
    assert "Archived (" not in unescaped(client.get("/coach/clients"))


def test_package_shows_sessions_used(client, users):
    alex = users["client_a"]
    for days in (-3, 4):
        make_booking(users["coach"], utcnow() + timedelta(days=days), client=alex, kind="session",
                     email="alex@example.com", name="Alex Morgan")
    sign_in(client, "coach@example.com")
    since = (utcnow() - timedelta(days=10)).date().isoformat()
    assert client.post(f"/coach/clients/{alex.id}/package", data={"sessions": 6, "since": since}).status_code == 303
    assert "1 of 6 used · 1 booked" in unescaped(client.get(f"/coach/clients/{alex.id}"))
    bad = client.post(f"/coach/clients/{alex.id}/package", data={"sessions": "99999999999999", "since": since,
                                                                   "note": "paid in cash"}, headers=HX)
    assert bad.status_code == 422 and "from 1 to 200" in unescaped(bad) and "paid in cash" in unescaped(bad)


def test_package_progress_maths():
    from blueprints.clients.package import package_progress
    now = utcnow()
    starts = [now - timedelta(days=30), now - timedelta(days=3), now, now + timedelta(days=2)]
    progress = package_progress(2, starts, now - timedelta(days=10), now)
    assert (progress.used, progress.booked, progress.left) == (2, 1, 0)
    assert progress.summary == "2 of 2 used · 1 booked" and progress.percent == 100


# --- access: every new address, for everyone ----------------------------------------------------

def new_urls(users, prospect, note_id):
    alex = users["client_a"].id
    return [
        ("GET", f"/coach/bookings/{prospect.id}/make-client"),
        ("POST", f"/coach/clients/{alex}/notes"),
        ("POST", f"/coach/clients/{alex}/notes/{note_id}/delete"),
        ("POST", f"/coach/clients/{alex}/archive"),
        ("POST", f"/coach/clients/{alex}/unarchive"),
        ("POST", f"/coach/clients/{alex}/package"),
        ("POST", f"/coach/clients/{alex}/invitation"),
        ("POST", f"/coach/clients/{alex}/invitation/undo"),
        ("GET", f"/coach/clients/{alex}"),
    ]


@pytest.mark.parametrize("who, expected", [
    (None, 302), ("alex@example.com", 403), ("sam@example.com", 403), ("other@example.com", 404),
    ("coach@example.com", None)])
def test_access_matrix(client, users, prospect, who, expected):
    from blueprints.clients.models import PrivateNote
    note = PrivateNote.create(coach=users["coach"], client=users["client_a"], body=f"About Alex {MARKER}")
    client.post("/logout")
    if who:
        sign_in(client, who)
    for method, url in new_urls(users, prospect, note.id):
        response = client.open(url, method=method, data={"body": "x", "booking": 0})
        if expected is None:
            assert response.status_code in (200, 303, 422), (method, url, response.status_code)
        else:
            assert response.status_code == expected, (method, url, response.status_code)
            assert MARKER not in response.get_data(as_text=True)
    if expected is not None:
        assert PrivateNote.get_by_id(note.id).body == f"About Alex {MARKER}"
        from blueprints.auth.models import User
        assert User.get_by_id(users["client_a"].id).coach_id == users["coach"].id


def test_welcome_form_errors_come_back_as_a_fragment(client, prospect):
    make_vera(client, prospect)
    client.post("/logout")
    response = client.post(invitation_link(), data={"password": NEW_PASSWORD, "confirm": "different"}, headers=HX)
    html = unescaped(response)
    assert response.status_code == 422 and "<html" not in html and 'id="welcome-form"' in html
    assert "The two passwords are not the same." in html


def test_undo_is_refused_while_sessions_are_booked(client, prospect, users):
    vera = make_vera(client, prospect)
    make_booking(users["coach"], utcnow() + timedelta(days=3), client=vera, kind="session", email="vera@example.org")
    response = client.post(f"/coach/clients/{vera.id}/invitation/undo")
    assert response.status_code == 303 and response.headers["Location"] == f"/coach/clients/{vera.id}"
    from blueprints.auth.models import User
    assert User.by_email("vera@example.org") is not None
    assert "Cancel them first" in unescaped(client.get(f"/coach/clients/{vera.id}"))
