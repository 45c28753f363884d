"""Busy times from the coach's own calendar, served over real HTTP on loopback: they block the
right slots, are refreshed by the worker (conditionally), and a broken source never breaks booking."""
from datetime import timedelta

import pytest

from support.accounts import PASSWORD
from support.booking import free_slots, open_all_week, profile_of
from support.calendar import ics, now
from support.pages import HX, readable

MINUTES_30 = timedelta(minutes=30)


@pytest.fixture
def coach(app, client, users):
    open_all_week(users["coach"])
    client.post("/login", data={"email": "coach@example.com", "password": PASSWORD})
    return users["coach"]


@pytest.fixture
def private_ok(app):
    # The test server lives on 127.0.0.1, which production refuses.
    app.config["CALENDAR_ALLOW_PRIVATE_URLS"] = True
    return app


def starts(slots):
    return {slot.start for slot in slots}


def add_by_address(client, server, path="/work.ics", name="Work", **kwargs):
    return client.post("/coach/calendar/sources", data={"url-name": name, "url-url": server.url(path)}, **kwargs)


def make_due(source_id):
    from scheduling.models import BusySource
    BusySource.update(next_refresh_at=now() - timedelta(seconds=1)).where(BusySource.id == source_id).execute()


def run_worker(app):
    from commands import run_worker_pass
    with app.app_context():
        return run_worker_pass(app)["calendars"]


def blocks():
    from scheduling.models import BusyBlock
    return [(b.starts_at, b.ends_at) for b in BusyBlock.select().order_by(BusyBlock.starts_at)]


def the_source():
    from scheduling.models import BusySource
    return BusySource.get()


def test_a_refresh_over_http_blocks_exactly_the_busy_slots(app, client, coach, private_ok, calendar_server):
    slots = free_slots(coach)
    meeting = slots[8]  # busy for two slots from here
    busy_end = meeting.start + 2 * MINUTES_30
    calendar_server.files["/work.ics"] = ics(
        busy=[(meeting.start, busy_end)],
        free=[(slots[2].start, slots[3].end)],  # marked free: blocks nothing
        cancelled=[(slots[12].start, slots[12].end)],  # cancelled: blocks nothing
    )

    response = add_by_address(client, calendar_server)

    assert response.status_code == 303
    source = the_source()
    assert (source.name, source.kind, source.event_count, source.last_error) == ("Work", "url", 3, "")
    assert blocks() == [(meeting.start, busy_end)]
    left = starts(free_slots(coach))
    assert meeting.start not in left and meeting.start + MINUTES_30 not in left
    assert starts(slots) - left == {meeting.start, meeting.start + MINUTES_30}  # nothing else closed
    assert "Last updated just now · 3 events" in readable(client.get("/coach/calendar"))


def test_the_worker_refreshes_due_sources_with_conditional_requests(app, client, coach, private_ok, calendar_server):
    slots = free_slots(coach)
    calendar_server.files["/work.ics"] = ics(busy=[(slots[4].start, slots[4].end)])
    add_by_address(client, calendar_server)
    source = the_source()
    assert source.etag and source.next_refresh_at > now() + timedelta(minutes=10)
    assert run_worker(app) == 0  # not due yet: nobody is fetched

    # The coach adds a meeting in their own calendar; the next scheduled refresh picks it up.
    calendar_server.files["/work.ics"] = ics(busy=[(slots[4].start, slots[4].end), (slots[6].start, slots[6].end)])
    make_due(source.id)
    assert run_worker(app) == 1
    assert blocks() == [(slots[4].start, slots[4].end), (slots[6].start, slots[6].end)]
    assert slots[6].start not in starts(free_slots(coach))

    # Unchanged since: the server answers 304 and the busy times stay as they are.
    version = profile_of(coach).availability_version
    make_due(the_source().id)
    assert run_worker(app) == 1
    assert calendar_server.validators_sent() == [None, source.etag, the_source().etag]
    assert len(blocks()) == 2 and profile_of(coach).availability_version == version
    assert the_source().last_error == "" and the_source().last_success_at > source.last_success_at


def test_refresh_now_updates_the_component_in_place(app, client, coach, private_ok, calendar_server):
    slots = free_slots(coach)
    calendar_server.files["/work.ics"] = ics(busy=[(slots[4].start, slots[4].end)])
    add_by_address(client, calendar_server)
    source = the_source()
    calendar_server.files["/work.ics"] = ics(busy=[(slots[5].start, slots[5].end), (slots[9].start, slots[9].end)])

    response = client.post(f"/coach/calendar/sources/{source.id}/refresh", headers=HX)

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert f'id="source-{source.id}"' in html and 'hx-target="this"' in html
    assert "Last updated just now · 2 events" in readable(response)
    assert blocks() == [(slots[5].start, slots[5].end), (slots[9].start, slots[9].end)]

    page = client.post(f"/coach/calendar/sources/{source.id}/refresh")  # without JavaScript
    assert page.status_code == 303 and page.headers["Location"] == "/coach/calendar"


def test_a_broken_file_keeps_the_last_good_busy_times(app, client, coach, private_ok, calendar_server):
    slots = free_slots(coach)
    calendar_server.files["/work.ics"] = ics(busy=[(slots[4].start, slots[4].end)])
    add_by_address(client, calendar_server)
    good_etag = the_source().etag
    calendar_server.files["/work.ics"] = b"<html><body>Sign in to Google</body></html>"

    response = client.post(f"/coach/calendar/sources/{the_source().id}/refresh", headers=HX)

    assert response.status_code == 200
    assert "Couldn’t update: This file is not an iCalendar file." in readable(response)
    assert "The busy times read before still block your slots." in readable(response)
    source = the_source()
    assert source.last_error == "This file is not an iCalendar file"
    assert source.etag == good_etag  # so the next refresh fetches the file again
    assert blocks() == [(slots[4].start, slots[4].end)]
    assert slots[4].start not in starts(free_slots(coach))
    assert source.next_refresh_at > now()  # tried again on the usual schedule

    # Fixed at the source: the next refresh clears the error.
    calendar_server.files["/work.ics"] = ics(busy=[(slots[7].start, slots[7].end)])
    client.post(f"/coach/calendar/sources/{source.id}/refresh")
    assert the_source().last_error == "" and blocks() == [(slots[7].start, slots[7].end)]


@pytest.mark.parametrize("body,message", [
    (b"BEGIN:VCALENDAR\r\nX-PAD:" + b"x" * 2_100_000 + b"\r\nEND:VCALENDAR\r\n", "The calendar is larger than 2 MB"),
    (None, "The server answered 404 Not Found"),
])
def test_huge_or_missing_files_mark_the_source_failing(app, client, coach, private_ok, calendar_server, body, message):
    slots = free_slots(coach)
    calendar_server.files["/work.ics"] = ics(busy=[(slots[4].start, slots[4].end)])
    add_by_address(client, calendar_server)
    if body is None:
        del calendar_server.files["/work.ics"]
    else:
        calendar_server.files["/work.ics"] = body
    make_due(the_source().id)
    assert run_worker(app) == 1
    assert the_source().last_error == message
    assert blocks() == [(slots[4].start, slots[4].end)]
    assert client.get("/coach/calendar").status_code == 200


def test_a_loopback_address_is_refused_when_private_addresses_are_not_allowed(app, client, coach, calendar_server):
    from scheduling.models import BusySource
    app.config["CALENDAR_ALLOW_PRIVATE_URLS"] = False  # as in production
    slots = free_slots(coach)
    calendar_server.files["/work.ics"] = ics(busy=[(slots[4].start, slots[4].end)])

    response = add_by_address(client, calendar_server)

    assert response.status_code == 422
    assert "We couldn’t use that address: That address points inside a private network." in readable(response)
    assert calendar_server.url("/work.ics") in response.get_data(as_text=True)  # the input is kept
    assert BusySource.select().count() == 0 and blocks() == []
    assert calendar_server.requests == []  # refused before connecting
    assert starts(free_slots(coach)) == starts(slots)  # booking goes on as before
    fragment = add_by_address(client, calendar_server, headers=HX)
    assert fragment.status_code == 422 and "<html" not in fragment.get_data(as_text=True)


def test_a_stored_source_that_turns_private_fails_without_harm(app, client, coach, calendar_server):
    from scheduling.models import BusyBlock, BusySource
    from scheduling.service import bump_version
    app.config["CALENDAR_ALLOW_PRIVATE_URLS"] = False
    slots = free_slots(coach)
    source = BusySource.create(coach=coach, name="Work", url=calendar_server.url("/work.ics"),
                               next_refresh_at=now() - timedelta(minutes=1), event_count=1,
                               last_success_at=now() - timedelta(hours=1))
    BusyBlock.create(source=source, starts_at=slots[4].start, ends_at=slots[4].end)
    bump_version(coach.id)

    assert run_worker(app) == 1

    assert the_source().last_error == "That address points inside a private network"
    assert calendar_server.requests == []
    assert blocks() == [(slots[4].start, slots[4].end)]
    assert "That address points inside a private network" in readable(client.get("/coach/calendar"))
    assert slots[4].start not in starts(free_slots(coach))


def test_a_non_http_address_is_refused_with_a_plain_message(client, coach):
    from scheduling.models import BusySource
    response = client.post("/coach/calendar/sources", data={"url-name": "Disk", "url-url": "file:///etc/passwd"})
    assert response.status_code == 422 and "starts with https:// or webcal://" in readable(response)
    assert BusySource.select().count() == 0


def test_an_unreachable_address_is_not_stored(app, client, coach, private_ok, calendar_server):
    from scheduling.models import BusySource
    response = add_by_address(client, calendar_server, path="/missing.ics")
    assert response.status_code == 422
    assert "We couldn’t use that address: The server answered 404 Not Found." in readable(response)
    assert BusySource.select().count() == 0


def test_two_workers_never_take_the_same_source(app, coach):
    from blueprints.calendar.service import claim, due_sources
    from scheduling.models import BusySource
    source = BusySource.create(coach=coach, name="Work", url="https://example.com/a.ics",
                               next_refresh_at=now() - timedelta(minutes=1))
    moment = now()
    first, second = list(due_sources(moment)), list(due_sources(moment))  # both saw it due
    assert claim(first[0], moment) is True
    assert claim(second[0], moment) is False
    assert list(due_sources(moment)) == []
    assert BusySource.get_by_id(source.id).next_refresh_at > moment


def test_uploaded_files_are_never_fetched_by_the_worker(app, coach):
    from scheduling.models import BusySource
    BusySource.create(coach=coach, name="File", kind="upload", next_refresh_at=now() - timedelta(minutes=1))
    assert run_worker(app) == 0


def test_removed_while_refreshing_stores_nothing(app, coach, private_ok, calendar_server):
    from blueprints.calendar import service as sources
    from scheduling.models import BusySource
    slots = free_slots(coach)
    calendar_server.files["/work.ics"] = ics(busy=[(slots[4].start, slots[4].end)])
    source = BusySource.create(coach=coach, name="Work", url=calendar_server.url("/work.ics"))
    BusySource.delete().where(BusySource.id == source.id).execute()  # the coach removed it meanwhile
    with app.app_context():
        assert sources.refresh_source(source, app.config) is None
    assert blocks() == []


def test_busy_times_of_one_coach_never_block_another(app, client, users, coach, private_ok, calendar_server):
    open_all_week(users["other_coach"])
    before = starts(free_slots(users["other_coach"]))
    slots = free_slots(coach)
    calendar_server.files["/work.ics"] = ics(busy=[(slots[0].start, slots[-1].end)])
    add_by_address(client, calendar_server)
    assert free_slots(coach) == []
    assert starts(free_slots(users["other_coach"])) == before
