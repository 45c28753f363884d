"""The coach's calendar page: subscription links, the open-slots option, a new secret,
the list of busy-time sources, and who may see and change any of it."""
import io
import re
from datetime import datetime, timedelta, timezone

import pytest

from support.accounts import sign_in
from support.booking import profile_of
from support.calendar import ics, now
from support.pages import HX, readable


def make_source(coach, name="Work", kind="url", **fields):
    from scheduling.models import BusySource
    url = "https://calendar.google.com/calendar/ical/jo%40example.com/private-abc/basic.ics" if kind == "url" else ""
    return BusySource.create(coach=coach, name=name, kind=kind, url=url, **fields)


# --- access control ----------------------------------------------------------------------------

def post_urls(source_id):
    return {
        "/coach/calendar/feed/open-slots": {"include_open_slots": "y"},
        "/coach/calendar/feed/regenerate": {"confirm": "y"},
        "/coach/calendar/sources": {"url-name": "Work", "url-url": "ftp://example.com/x.ics"},
        "/coach/calendar/sources/upload": {"upload-name": "Work"},
        f"/coach/calendar/sources/{source_id}/refresh": {},
        f"/coach/calendar/sources/{source_id}/remove": {},
    }


@pytest.mark.parametrize("who,expected", [("anonymous", 302), ("client_a", 403), ("other_coach", 200), ("coach", 200)])
def test_calendar_page_access(client, users, who, expected):
    sign_in(client, who)
    response = client.get("/coach/calendar")
    assert response.status_code == expected
    if who == "anonymous":
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("index", range(6))
@pytest.mark.parametrize("who", ["anonymous", "client_a"])
def test_calendar_posts_refuse_non_coaches(client, users, who, index):
    from scheduling.models import BusySource
    source = make_source(users["coach"])
    token = profile_of(users["coach"]).feed_token
    url, data = list(post_urls(source.id).items())[index]
    sign_in(client, who)
    response = client.post(url, data=data)
    if who == "anonymous":
        assert response.status_code in (302, 303) and response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == 403
    assert BusySource.select().count() == 1 and profile_of(users["coach"]).feed_token == token


@pytest.mark.parametrize("action", ["refresh", "remove"])
def test_another_coachs_source_is_404_and_untouched(client, users, action):
    from scheduling.models import BusySource
    source = make_source(users["coach"])
    sign_in(client, "other_coach")
    assert client.post(f"/coach/calendar/sources/{source.id}/{action}").status_code == 404
    assert client.post(f"/coach/calendar/sources/{source.id}/{action}", headers=HX).status_code == 404
    stored = BusySource.get_by_id(source.id)
    assert stored.last_attempt_at is None and stored.last_error == ""


def test_a_missing_source_is_404(client, users):
    sign_in(client, "coach")
    assert client.post("/coach/calendar/sources/999/refresh").status_code == 404
    assert client.post("/coach/calendar/sources/999/remove").status_code == 404


def test_each_coach_sees_only_their_own_sources_and_feed(client, users):
    make_source(users["coach"], name="Jo's work calendar")
    make_source(users["other_coach"], name="Pat's family calendar")
    sign_in(client, "other_coach")
    response = client.get("/coach/calendar")
    text, html = readable(response), response.get_data(as_text=True)
    assert "Pat's family calendar" in text and "Jo's work calendar" not in text
    assert profile_of(users["other_coach"]).feed_token in html
    assert profile_of(users["coach"]).feed_token not in html


# --- the page ----------------------------------------------------------------------------------

def test_page_shows_both_subscription_addresses_with_labels(client, users):
    sign_in(client, "coach")
    response = client.get("/coach/calendar")
    html = response.get_data(as_text=True)
    token = profile_of(users["coach"]).feed_token
    assert html.count("<h1>") == 1
    assert f'value="http://localhost/calendar/{token}.ics"' in html
    assert f'value="webcal://localhost/calendar/{token}.ics"' in html
    assert '<label for="feed-web">' in html and '<label for="feed-webcal">' in html
    assert 'data-copy="feed-web" hidden' in html and "js/copy.js" in html
    text = readable(response)
    assert "Google Calendar" in text and "Apple Calendar" in text and "Outlook" in text


def test_page_as_htmx_fragment(client, users):
    sign_in(client, "coach")
    html = client.get("/coach/calendar", headers=HX).get_data(as_text=True)
    assert "<html" not in html and "<h1>Calendar</h1>" in html
    assert profile_of(users["coach"]).feed_token in html


def test_every_control_has_a_label(client, users):
    make_source(users["coach"])
    sign_in(client, "coach")
    html = client.get("/coach/calendar").get_data(as_text=True)
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="(?:hidden|submit)")[^>]*\bid="([^"]+)"', html)
    assert ids, "expected form controls"
    for control_id in ids:
        assert f'for="{control_id}"' in html, control_id


def test_source_status_in_plain_words(client, users):
    make_source(users["coach"], name="Work", event_count=42, last_success_at=now() - timedelta(minutes=5))
    make_source(users["coach"], name="Family", last_error="The address could not be found",
                last_attempt_at=now() - timedelta(minutes=2), last_success_at=now() - timedelta(hours=3),
                event_count=7)
    make_source(users["coach"], name="Holidays", kind="upload", event_count=1, last_success_at=now())
    sign_in(client, "coach")
    text = readable(client.get("/coach/calendar"))
    assert "Last updated 5 minutes ago · 42 events" in text
    assert "Couldn’t update: The address could not be found." in text
    assert "Last tried 2 minutes ago. The busy times read before still block your slots." in text
    assert "Secret address at calendar.google.com" in text
    assert "private-abc" not in text  # the rest of the address is the secret
    assert "Read just now · 1 event" in text and "Uploaded file" in text


# --- the open-slots option and a new secret ---------------------------------------------------

def test_open_slots_option_saves(client, users):
    sign_in(client, "coach")
    response = client.post("/coach/calendar/feed/open-slots", data={"include_open_slots": "y"})
    assert response.status_code == 303 and response.headers["Location"] == "/coach/calendar"
    assert profile_of(users["coach"]).feed_include_open_slots is True
    checkbox = re.search(r'<input[^>]*id="include_open_slots"[^>]*>', client.get("/coach/calendar").get_data(as_text=True))
    assert "checked" in checkbox.group(0)

    response = client.post("/coach/calendar/feed/open-slots", data={}, headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/coach/calendar"
    assert profile_of(users["coach"]).feed_include_open_slots is False


def test_regenerate_needs_confirmation(client, users):
    token = profile_of(users["coach"]).feed_token
    sign_in(client, "coach")
    page = client.post("/coach/calendar/feed/regenerate", data={})
    assert page.status_code == 422 and "Tick the box to confirm." in readable(page) and "<html" in page.get_data(as_text=True)
    fragment = client.post("/coach/calendar/feed/regenerate", data={}, headers=HX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 422 and "<html" not in html and 'id="regenerate-form"' in html
    assert profile_of(users["coach"]).feed_token == token


def test_regenerate_as_htmx_redirects_the_page(client, users):
    token = profile_of(users["coach"]).feed_token
    sign_in(client, "coach")
    response = client.post("/coach/calendar/feed/regenerate", data={"confirm": "y"}, headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/coach/calendar"
    assert profile_of(users["coach"]).feed_token != token
    assert client.get(f"/calendar/{token}.ics").status_code == 404


# --- adding sources: the forms ---------------------------------------------------------------

@pytest.mark.parametrize("data,message", [
    ({"url-name": "", "url-url": "https://example.com/a.ics"}, "Give this calendar a name"),
    ({"url-name": "Work", "url-url": ""}, "Paste the calendar’s secret address."),
    ({"url-name": "Work", "url-url": "ftp://example.com/a.ics"}, "starts with https:// or webcal://"),
    ({"url-name": "Work", "url-url": "file:///etc/passwd"}, "starts with https:// or webcal://"),
])
def test_url_form_errors_keep_input(client, users, data, message):
    from scheduling.models import BusySource
    sign_in(client, "coach")
    for headers in ({}, HX):
        response = client.post("/coach/calendar/sources", data=data, headers=headers)
        assert response.status_code == 422 and message in readable(response)
        html = response.get_data(as_text=True)
        assert ("<html" in html) is (headers == {})
        assert 'id="add-url-form"' in html
        if data["url-url"]:
            assert data["url-url"] in html
    assert BusySource.select().count() == 0


def test_upload_stores_busy_blocks(client, users):
    from scheduling.models import BusyBlock, BusySource
    start = (now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    sign_in(client, "coach")
    response = client.post("/coach/calendar/sources/upload", content_type="multipart/form-data", data={
        "upload-name": "Family", "upload-file": (io.BytesIO(ics(busy=[(start, start + timedelta(hours=2))])), "family.ics")})
    assert response.status_code == 303
    source = BusySource.get()
    assert (source.name, source.kind, source.event_count, source.last_error) == ("Family", "upload", 1, "")
    assert [(b.starts_at, b.ends_at) for b in BusyBlock.select()] == [(start, start + timedelta(hours=2))]
    page = readable(client.get("/coach/calendar"))
    assert "Family" in page and "Added “Family”: 1 event read." in page


@pytest.mark.parametrize("headers", [{}, HX])
def test_a_broken_upload_stores_nothing_and_says_why(client, users, headers):
    from scheduling.models import BusyBlock, BusySource
    sign_in(client, "coach")
    response = client.post("/coach/calendar/sources/upload", content_type="multipart/form-data", headers=headers, data={
        "upload-name": "Family", "upload-file": (io.BytesIO(b"<html>not a calendar</html>"), "family.ics")})
    assert response.status_code == 422
    assert "We couldn’t read that file: This file is not an iCalendar file." in readable(response)
    assert 'id="add-upload-form"' in response.get_data(as_text=True)
    assert BusySource.select().count() == 0 and BusyBlock.select().count() == 0


def test_a_damaged_upload_stores_nothing(client, users):
    from scheduling.models import BusySource
    body = ics(busy=[(now(), now() + timedelta(hours=1))])
    sign_in(client, "coach")
    response = client.post("/coach/calendar/sources/upload", content_type="multipart/form-data", data={
        "upload-name": "Cut", "upload-file": (io.BytesIO(body[: len(body) // 2]), "cut.ics")})
    assert response.status_code == 422 and "damaged" in readable(response)
    assert BusySource.select().count() == 0


def test_an_upload_over_2_mb_is_refused(client, users):
    from scheduling.models import BusySource
    sign_in(client, "coach")
    huge = b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"x" * 2_100_000 + b"\r\nEND:VCALENDAR\r\n"
    response = client.post("/coach/calendar/sources/upload", content_type="multipart/form-data", data={
        "upload-name": "Huge", "upload-file": (io.BytesIO(huge), "huge.ics")})
    assert response.status_code == 413
    assert "That file is larger than 2 MB." in readable(response)
    assert BusySource.select().count() == 0


def test_an_upload_just_under_the_limit_is_checked_by_its_own_size(client, users):
    from blueprints.calendar import service as sources
    from scheduling.models import BusySource
    sign_in(client, "coach")
    exactly_too_big = b"x" * (sources.MAX_BYTES + 1)  # within the request allowance, over the file limit
    response = client.post("/coach/calendar/sources/upload", content_type="multipart/form-data", data={
        "upload-name": "Huge", "upload-file": (io.BytesIO(exactly_too_big), "huge.ics")})
    assert response.status_code == 413 and BusySource.select().count() == 0


def test_upload_without_a_file(client, users):
    sign_in(client, "coach")
    response = client.post("/coach/calendar/sources/upload", content_type="multipart/form-data",
                           data={"upload-name": "Family"})
    assert response.status_code == 422 and "Choose the .ics file" in readable(response)


def test_upload_field_accepts_ics(client, users):
    sign_in(client, "coach")
    html = client.get("/coach/calendar").get_data(as_text=True)
    assert 'type="file"' in html and 'accept=".ics,text/calendar"' in html
    assert 'enctype="multipart/form-data"' in html


# --- removing a source ------------------------------------------------------------------------

def test_remove_deletes_source_and_blocks_and_frees_the_time(client, users):
    from scheduling.models import BusyBlock, BusySource
    source = make_source(users["coach"])
    BusyBlock.create(source=source, starts_at=now(), ends_at=now() + timedelta(hours=1))
    version = profile_of(users["coach"]).availability_version
    sign_in(client, "coach")
    response = client.post(f"/coach/calendar/sources/{source.id}/remove", headers=HX)
    assert response.status_code == 200 and 'id="source-' not in response.get_data(as_text=True)
    assert BusySource.select().count() == 0 and BusyBlock.select().count() == 0
    assert profile_of(users["coach"]).availability_version == version + 1


def test_remove_without_javascript_redirects(client, users):
    source = make_source(users["coach"])
    sign_in(client, "coach")
    response = client.post(f"/coach/calendar/sources/{source.id}/remove")
    assert response.status_code == 303 and response.headers["Location"] == "/coach/calendar"


def test_an_upload_source_has_no_refresh(client, users):
    source = make_source(users["coach"], kind="upload")
    sign_in(client, "coach")
    assert client.post(f"/coach/calendar/sources/{source.id}/refresh").status_code == 404


def test_time_ago_words():
    from blueprints.calendar.service import time_ago
    base = datetime(2026, 3, 29, 12, 0, tzinfo=timezone.utc)
    assert time_ago(base, base) == "just now"
    assert time_ago(base - timedelta(seconds=59), base) == "just now"
    assert time_ago(base - timedelta(minutes=1), base) == "1 minute ago"
    assert time_ago(base - timedelta(minutes=5, seconds=30), base) == "5 minutes ago"
    assert time_ago(base - timedelta(hours=2), base) == "2 hours ago"
    assert time_ago(base - timedelta(days=3), base) == "3 days ago"
    assert time_ago(base + timedelta(minutes=1), base) == "just now"  # a clock a little ahead

