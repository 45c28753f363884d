"""/coach/calendar tells the coach what reading each calendar found (issue 14): events that could not
be read, the addresses whose declined invitations are free, and that a failing source stays in force."""
import io
from datetime import timedelta
from pathlib import Path

import pytest

from support.accounts import sign_in
from support.calendar import ics, now
from support.pages import HX, readable

FIXTURES = Path(__file__).parent / "fixtures" / "ics"
SKIPPED_LINE = "3 events could not be read"
BROKEN = ["“Birthday lunch”, 3 April 2026 — one of its extra dates could not be read",
          "“Weekly review”, 6 April 2026 — its repeat rule could not be read",
          "“Lunch with Sam”, 7 April 2026 — it has 2 start times"]


def upload(client, body, name="Family", addresses="", **kwargs):
    return client.post("/coach/calendar/sources/upload", content_type="multipart/form-data", **kwargs, data={
        "upload-name": name, "upload-own_addresses": addresses, "upload-file": (io.BytesIO(body), "family.ics")})


def broken_file():
    return (FIXTURES / "broken_events.ics").read_bytes()


@pytest.mark.parametrize("headers", [{}, HX])
def test_events_that_could_not_be_read_are_listed_with_their_summaries_and_dates(client, users, headers):
    from scheduling.models import BusySource
    sign_in(client, "coach")

    response = upload(client, broken_file())

    assert response.status_code == 303
    source = BusySource.get()
    assert (source.event_count, source.skipped_count, source.last_error) == (5, 3, "")
    assert "Added “Family”: 5 events read. 3 events were left out: see below." in readable(client.get("/coach/calendar"))
    page = readable(client.get("/coach/calendar", headers=headers))
    assert f"{SKIPPED_LINE} and do not block your slots" in page
    for line in BROKEN:
        assert line in page
    assert "upload the file again" in page


def test_a_calendar_read_whole_says_so(client, users):
    sign_in(client, "coach")
    start = now() + timedelta(days=2)
    upload(client, ics(busy=[(start, start + timedelta(hours=1))]))
    page = readable(client.get("/coach/calendar"))
    assert "Every event was read." in page and "could not be read" not in page


def test_only_the_first_twenty_are_listed_and_the_rest_counted(client, users):
    event = (b"BEGIN:VEVENT\r\nUID:x-%d@example.com\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:20260407T110000Z\r\n"
             b"DTSTART:20260407T120000Z\r\nSUMMARY:Broken %d\r\nEND:VEVENT\r\n")
    good = (b"BEGIN:VEVENT\r\nUID:good@example.com\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:20260407T110000Z\r\n"
            b"DTEND:20260407T120000Z\r\nSUMMARY:Fine\r\nEND:VEVENT\r\n")
    body = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + good + b"".join(event % (n, n) for n in range(25)) + b"END:VCALENDAR\r\n"
    sign_in(client, "coach")
    assert upload(client, body).status_code == 303
    page = readable(client.get("/coach/calendar"))
    assert "25 events could not be read" in page
    assert "“Broken 19”" in page and "“Broken 20”" not in page and "and 5 more" in page


def test_a_file_with_nothing_readable_is_still_refused_and_nothing_stored(client, users):
    from scheduling.models import BusySource
    sign_in(client, "coach")
    response = upload(client, (FIXTURES / "bad_rrule.ics").read_bytes(), headers=HX)
    assert response.status_code == 422 and "damaged" in readable(response)
    assert BusySource.select().count() == 0


@pytest.mark.parametrize("who", ["anonymous", "client_a", "other_coach"])
def test_nobody_else_sees_what_was_in_the_coach_calendar(client, users, who):
    sign_in(client, "coach")
    upload(client, broken_file())
    client.post("/logout")
    sign_in(client, who)
    for headers in ({}, HX):
        response = client.get("/coach/calendar", headers=headers)
        assert "Birthday lunch" not in response.get_data(as_text=True)


# --- declined invitations -------------------------------------------------------------------------

def declined_file(days_ahead=3):
    """Two meetings two days from now: one declined at the coach's account address, one at another."""
    start = (now() + timedelta(days=days_ahead)).replace(hour=9, minute=0, second=0, microsecond=0)
    stamp = f"{start:%Y%m%dT%H%M%SZ}"
    later = f"{start + timedelta(hours=4):%Y%m%dT%H%M%SZ}"
    text = (FIXTURES / "declined.ics").read_text()
    text = text.replace("20260402T090000Z", stamp).replace("20260402T100000Z", f"{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}")
    text = text.replace("20260402T130000Z", later).replace("20260402T140000Z", f"{start + timedelta(hours=5):%Y%m%dT%H%M%SZ}")
    text = text.replace("20260403T090000Z", f"{start + timedelta(days=1):%Y%m%dT%H%M%SZ}")
    text = text.replace("20260403T100000Z", f"{start + timedelta(days=1, hours=1):%Y%m%dT%H%M%SZ}")
    return text.encode(), start


def blocks():
    from scheduling.models import BusyBlock
    return sorted((b.starts_at, b.ends_at) for b in BusyBlock.select())


def test_invitations_declined_at_the_account_address_do_not_block(client, users):
    body, start = declined_file()
    sign_in(client, "coach")
    assert upload(client, body).status_code == 303
    found = blocks()
    assert (start, start + timedelta(hours=1)) not in found  # declined as coach@example.com
    assert (start + timedelta(hours=4), start + timedelta(hours=5)) in found  # another address: still busy


def test_an_added_address_counts_too_and_is_shown(client, users):
    body, start = declined_file()
    sign_in(client, "coach")
    response = upload(client, body, addresses="Jo.Private@example.net\n")
    assert response.status_code == 303
    assert (start + timedelta(hours=4), start + timedelta(hours=5)) not in blocks()
    page = readable(client.get("/coach/calendar"))
    assert "Invitations you declined as jo.private@example.net don’t block your slots either." in page


@pytest.mark.parametrize("headers", [{}, HX])
def test_a_wrong_address_is_refused_next_to_the_field_keeping_the_input(client, users, headers):
    from scheduling.models import BusySource
    sign_in(client, "coach")
    response = upload(client, broken_file(), addresses="jo at home\x00", headers=headers)
    assert response.status_code == 422
    page = readable(response)
    assert "isn’t an email address" in page
    assert "jo at home" in response.get_data(as_text=True)
    assert BusySource.select().count() == 0


# --- a source that fails later -----------------------------------------------------------------------

def test_a_failing_address_keeps_its_last_good_busy_times_and_what_it_found(app, client, users, calendar_server):
    from scheduling.models import BusySource
    app.config["CALENDAR_ALLOW_PRIVATE_URLS"] = True
    body, start = declined_file()
    calendar_server.files["/work.ics"] = body
    sign_in(client, "coach")
    response = client.post("/coach/calendar/sources", data={
        "url-name": "Work", "url-url": calendar_server.url("/work.ics"), "url-own_addresses": "jo.private@example.net"})
    assert response.status_code == 303
    source = BusySource.get()
    assert source.address_list == ["jo.private@example.net"]
    before = blocks()
    # Declined at both addresses: free; someone else declined but the coach accepted: busy.
    assert before == [(start + timedelta(days=1), start + timedelta(days=1, hours=1))]

    calendar_server.files["/work.ics"] = b"<html>Sign in to see this calendar</html>"
    response = client.post(f"/coach/calendar/sources/{source.id}/refresh", headers=HX)

    assert blocks() == before
    page = readable(response)
    assert "Couldn’t update: This file is not an iCalendar file." in page
    assert "The busy times read before still block your slots." in page
    assert "Invitations you declined as jo.private@example.net" in page

    calendar_server.files["/work.ics"] = broken_file()
    page = readable(client.post(f"/coach/calendar/sources/{source.id}/refresh", headers=HX))
    assert SKIPPED_LINE in page and "the next update reads them again" in page and BROKEN[0] in page
