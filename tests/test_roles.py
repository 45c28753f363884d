"""Access control as a matrix: anonymous / client A / client B / coach / other coach."""
import pytest

from support.accounts import sign_in

COACH_PAGES = ["/coach", "/coach/settings", "/coach/clients", "/coach/bookings",
               "/coach/availability", "/coach/calendar"]
CLIENT_PAGES = ["/me", "/journal", "/goals", "/me/calendar"]
@pytest.mark.parametrize("url", COACH_PAGES + CLIENT_PAGES)
def test_anonymous_is_sent_to_sign_in(client, users, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("who,expected", [("client_a", 403), ("client_b", 403), ("coach", 200), ("other_coach", 200)])
@pytest.mark.parametrize("url", COACH_PAGES)
def test_coach_pages(client, users, url, who, expected):
    sign_in(client, who)
    assert client.get(url).status_code == expected


@pytest.mark.parametrize("who,expected", [("client_a", 200), ("client_b", 200), ("coach", 403), ("other_coach", 403)])
@pytest.mark.parametrize("url", CLIENT_PAGES)
def test_client_pages(client, users, url, who, expected):
    sign_in(client, who)
    assert client.get(url).status_code == expected


def test_htmx_request_for_a_protected_page_redirects_the_whole_page(client, users):
    response = client.get("/coach", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/login")


def test_each_client_sees_only_their_own_journal(client, users):
    sign_in(client, "client_a")
    from blueprints.journal.models import JournalEntry
    JournalEntry.create(client=users["client_a"], body="Alex's private thought")
    JournalEntry.create(client=users["client_b"], body="Sam's private thought")
    html = client.get("/journal").get_data(as_text=True)
    assert ("Alex's private thought" in html or "Alex&#39;s private thought" in html) and "Sam" not in html


def test_coach_sees_only_shared_entries_of_own_clients(client, users):
    from blueprints.journal.models import JournalEntry
    JournalEntry.create(client=users["client_a"], body="shared by alex", shared=True)
    JournalEntry.create(client=users["client_a"], body="private to alex", shared=False)
    JournalEntry.create(client=users["other_client"], body="shared with another coach", shared=True)
    sign_in(client, "coach")
    html = client.get("/coach").get_data(as_text=True)
    assert "shared by alex" in html
    assert "private to alex" not in html and "another coach" not in html


def test_coach_client_list_is_their_own(client, users):
    sign_in(client, "other_coach")
    html = client.get("/coach/clients").get_data(as_text=True)
    assert "Olly Other" in html and "Alex" not in html and "Sam" not in html
