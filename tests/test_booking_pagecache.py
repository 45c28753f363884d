"""The public picker is cached whole, and the cache never outlives the data it shows."""
import time

import pytest

from support.accounts import PASSWORD
from support.booking import book, free_slots, iso
from support.pages import HX


def day_url(slot, tz="Europe/London"):
    return f"/book?date={slot.start.date().isoformat()}&tz={tz}"


def test_a_booked_slot_disappears_from_the_cached_page_at_once(app, open_coach):
    slot = free_slots(open_coach)[4]
    visitor = app.test_client()
    first = visitor.get(day_url(slot)).get_data(as_text=True)
    assert iso(slot.start) in first
    assert visitor.get(day_url(slot)).get_data(as_text=True) == first  # served from the cache

    assert book(app.test_client(), open_coach, slot.start).status_code == 303
    after = visitor.get(day_url(slot)).get_data(as_text=True)
    assert iso(slot.start) not in after


def test_a_new_rule_shows_at_once(app, open_coach):
    from scheduling.models import DateOverride
    from scheduling.service import bump_version
    slot = free_slots(open_coach)[0]
    visitor = app.test_client()
    assert iso(slot.start) in visitor.get(day_url(slot)).get_data(as_text=True)
    DateOverride.create(coach=open_coach, day=slot.start.date(), kind="block")
    bump_version(open_coach.id)
    assert iso(slot.start) not in visitor.get(day_url(slot)).get_data(as_text=True)


def test_shared_page_carries_no_session_token_and_sets_no_cookie(app, open_coach):
    slot = free_slots(open_coach)[0]
    response = app.test_client().get(day_url(slot))
    assert 'name="csrf-token"' not in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_fragment_and_page_are_cached_apart(app, open_coach):
    slot = free_slots(open_coach)[0]
    visitor = app.test_client()
    page = visitor.get(day_url(slot)).get_data(as_text=True)
    fragment = visitor.get(day_url(slot), headers={**HX, "HX-Target": "day-slots"}).get_data(as_text=True)
    assert "<html" in page and "<html" not in fragment
    assert "<html" in visitor.get(day_url(slot)).get_data(as_text=True)


def test_signed_in_coach_gets_their_own_page_not_the_shared_one(app, open_coach):
    slot = free_slots(open_coach)[0]
    app.test_client().get(day_url(slot))  # fill the cache as a stranger
    coach = app.test_client()
    coach.post("/login", data={"email": "coach@example.com", "password": PASSWORD})
    html = coach.get(day_url(slot)).get_data(as_text=True)
    assert "Sign out" in html and 'name="csrf-token"' in html


def test_first_visit_opens_on_the_earliest_free_day(app, users):
    from datetime import timedelta

    from database import utcnow
    from support.booking import open_all_week
    open_all_week(users["coach"], min_notice_hours=1)
    earliest = free_slots(users["coach"], days_ahead=0, hours=24 * 7)[0]
    html = app.test_client().get("/book?tz=Europe/London").get_data(as_text=True)
    assert f'datetime="{iso(earliest.start)}"' in html
    assert "Choose a day" not in html
    # Asking for a month keeps the visitor's choice: no day is picked for them.
    month = (utcnow() + timedelta(days=40)).strftime("%Y-%m")
    assert "Choose a day" in app.test_client().get(f"/book?month={month}&tz=Europe/London").get_data(as_text=True)


# --- served in front of Flask ----------------------------------------------------------------

def flask_requests(app):
    """How many requests reached Flask's request handling (a list that grows by one each)."""
    seen = []
    app.before_request_funcs.setdefault(None, []).append(lambda: seen.append(1))
    return seen


def test_a_stranger_gets_the_cached_page_exactly_as_flask_sent_it(app, open_coach):
    seen = flask_requests(app)
    slot = free_slots(open_coach)[0]
    first = app.test_client().get(day_url(slot))
    again = app.test_client().get(day_url(slot))
    assert len(seen) == 1  # the second answer never reached Flask
    assert again.status_code == 200 and again.get_data() == first.get_data()
    without_id = [(name, value) for name, value in first.headers if name != "X-Request-ID"]
    assert [(name, value) for name, value in again.headers if name != "X-Request-ID"] == without_id
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]


def test_a_replayed_page_is_logged_like_any_request(app, open_coach):
    import json
    import logging

    from logs import JSONLineFormatter, logger
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(json.loads(JSONLineFormatter().format(record)))
    logger.addHandler(handler)
    try:
        slot = free_slots(open_coach)[0]
        app.test_client().get(day_url(slot))
        again = app.test_client().get(day_url(slot), headers={"X-Request-ID": "edge-1234abcd"})
    finally:
        logger.removeHandler(handler)
    assert again.headers["X-Request-ID"] == "edge-1234abcd"
    assert [(line["path"], line["endpoint"], line["status"], line["user_id"]) for line in lines] == [
        ("/book", "booking.book", 200, None)] * 2
    assert lines[1]["request_id"] == "edge-1234abcd" and "date=" not in json.dumps(lines)


def test_only_cookieless_gets_are_answered_in_front_of_flask(app, open_coach):
    seen = flask_requests(app)
    slot = free_slots(open_coach)[0]
    app.test_client().get(day_url(slot))
    with_cookie = app.test_client()
    with_cookie.set_cookie("unrelated", "1")
    assert iso(slot.start) in with_cookie.get(day_url(slot)).get_data(as_text=True)
    app.test_client().head(day_url(slot))
    assert len(seen) == 3


def test_each_coach_has_their_own_stamp(app, users, open_coach):
    """Another coach's change leaves this coach's cached page alone; their own change does not."""
    from blueprints.booking import views
    from scheduling.service import bump_version
    renders = []
    original = views.render_picker_page
    views.render_picker_page = lambda *args: renders.append(1) or original(*args)
    try:
        slot = free_slots(open_coach)[0]
        app.test_client().get(day_url(slot))
        bump_version(users["other_coach"].id)
        app.test_client().get(day_url(slot))
        assert len(renders) == 1
        bump_version(open_coach.id)
        app.test_client().get(day_url(slot))
        assert len(renders) == 2
    finally:
        views.render_picker_page = original


def test_an_error_page_is_never_kept(app, open_coach):
    seen = flask_requests(app)
    for _ in range(2):
        assert app.test_client().get("/book?tz=Not/AZone").status_code == 400
    assert len(seen) == 2


def read_many(url, count):
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    def read(_):
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.read().decode()
    with ThreadPoolExecutor(4) as pool:  # several connections at once: both workers answer
        return list(pool.map(read, range(count)))


@pytest.mark.slow
def test_after_a_booking_no_worker_offers_the_slot_beyond_the_staleness_bound(live_server, users):
    """Two gunicorn workers with the page cached; a visitor books. SQLite: gone at once.
    PostgreSQL (listening): gone within 2 × HEARTBEAT at worst, then never offered again."""
    from scheduling import stamps
    from support.app import ON_POSTGRES
    from support.booking import booking_form, open_all_week
    from support.servers import form_page, http_visitor, post_booking
    coach = users["coach"]
    open_all_week(coach)
    slot = free_slots(coach)[4]
    url = live_server + day_url(slot)
    assert all(iso(slot.start) in html for html in read_many(url, 16))

    visitor = http_visitor()
    token = form_page(visitor, live_server, slot.start)
    assert post_booking(visitor, live_server, {**booking_form(coach, slot.start), "csrf_token": token})[0] == 303

    def nobody_offers_it(count=8):
        return not any(iso(slot.start) in html for html in read_many(url, count))
    if ON_POSTGRES:
        deadline = time.monotonic() + 2 * stamps.HEARTBEAT
        while not nobody_offers_it() and time.monotonic() < deadline:
            time.sleep(0.02)
    assert nobody_offers_it(24)


def test_a_coachs_own_booking_page_is_cached_under_their_stamp(app, users):
    """/coaches/<slug>/book is kept like /book, and only under its own coach's stamp."""
    from blueprints.booking import views
    from scheduling.service import bump_version
    from support.booking import open_all_week
    open_all_week(users["other_coach"])
    renders = []
    original = views.render_picker_page
    views.render_picker_page = lambda *args: renders.append(args[1]) or original(*args)
    try:
        for _ in range(2):
            assert "Pat Other" in app.test_client().get("/coaches/pat-other/book").get_data(as_text=True)
        assert renders == ["pat-other"]
        bump_version(users["coach"].id)  # the other coach's change: Pat's page stays
        app.test_client().get("/coaches/pat-other/book")
        assert renders == ["pat-other"]
        bump_version(users["other_coach"].id)
        app.test_client().get("/coaches/pat-other/book")
        assert renders == ["pat-other", "pat-other"]
    finally:
        views.render_picker_page = original
