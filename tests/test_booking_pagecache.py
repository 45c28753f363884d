"""The public picker is cached whole, and the cache never outlives the data it shows."""
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
