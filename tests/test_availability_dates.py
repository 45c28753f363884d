"""Date overrides and one-off slots in the availability editor."""
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest

from support.accounts import sign_in
from support.availability import LONDON, MONDAY, TUESDAY, add_hours, label, preview_of, upcoming, version
from support.pages import HX


def add_override(client, day, kind="block", start="", end="", note="", headers=None):
    data = {"override-day": day.isoformat() if isinstance(day, date) else day, "override-kind": kind,
            "override-start": start, "override-end": end, "override-note": note}
    return client.post("/coach/availability/overrides", data=data, headers=headers or {})


def add_one_off(client, day, at, headers=None):
    data = {"one-off-day": day.isoformat() if isinstance(day, date) else day, "one-off-at": at}
    return client.post("/coach/availability/one-offs", data=data, headers=headers or {})


def overrides(user):
    from scheduling.models import DateOverride
    return [(o.day, o.kind, o.start_time, o.end_time, o.note) for o in DateOverride.for_coach(user)]


def one_offs(user):
    from scheduling.models import OneOffSlot
    return [s.starts_at for s in OneOffSlot.select().where(OneOffSlot.coach == user)]


@pytest.fixture
def monday_hours(client, users):
    """The coach, signed in, available Mondays 09:00–10:00 (30-minute calls)."""
    sign_in(client, "coach")
    assert add_hours(client, MONDAY, "09:00", "10:00").status_code == 303
    return upcoming(MONDAY)


# --- date overrides ---------------------------------------------------------------------------

def test_blocking_a_whole_day_removes_its_slots(client, users, monday_hours):
    before = version(users["coach"])
    response = add_override(client, monday_hours, note="Bank holiday")
    assert response.status_code == 303 and response.headers["Location"] == "/coach/availability/overrides"
    assert overrides(users["coach"]) == [(monday_hours, "block", None, None, "Bank holiday")]
    assert version(users["coach"]) == before + 1
    html = client.get("/coach/availability/overrides").get_data(as_text=True)
    assert label(monday_hours) not in preview_of(html)
    assert "Not available all day" in html and "Bank holiday" in html
    assert f"Blocked all of {monday_hours.strftime('%a %-d %b %Y')}." in html


def test_blocking_part_of_a_day_with_htmx(client, users, monday_hours):
    response = add_override(client, monday_hours, start="09:30", end="10:00", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="overrides"')
    assert re.search(r'<section id="preview"[^>]*hx-swap-oob="true"', html)
    assert preview_of(html)[label(monday_hours)] == ["09:00"]
    assert "Not available 09:30–10:00" in html


def test_extra_hours_on_a_date_add_slots(client, users):
    sign_in(client, "coach")
    day = upcoming(TUESDAY)
    response = add_override(client, day, kind="extra", start="18:00", end="19:00", headers=HX)
    assert response.status_code == 200
    assert preview_of(response.get_data(as_text=True))[label(day)] == ["18:00", "18:30"]
    assert overrides(users["coach"]) == [(day, "extra", time(18), time(19), "")]


@pytest.mark.parametrize("kind,start,end,field,message", [
    ("extra", "", "", "start", "Extra hours need a start and an end time."),
    ("block", "09:00", "", "end", "Enter both times, or neither to block the whole day."),
    ("block", "", "10:00", "start", "Enter both times, or neither to block the whole day."),
    ("block", "10:00", "09:00", "end", "The end must be after the start"),
    ("extra", "12:00", "12:00", "end", "The end must be after the start"),
    ("holiday", "", "", "kind", "Not a valid choice"),
])
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_invalid_overrides_are_refused(client, users, monday_hours, kind, start, end, field, message, headers):
    before = version(users["coach"])
    response = add_override(client, monday_hours, kind=kind, start=start, end=end, note="kept note", headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="override-{field}-error">[^<]*{re.escape(message)}', html)
    assert ("<html" in html) == (not headers)
    assert 'value="kept note"' in html
    assert overrides(users["coach"]) == [] and version(users["coach"]) == before


@pytest.mark.parametrize("day,message", [("", "Pick a date."), ("2020-01-01", "Pick today or a later date."),
                                         ("31/12/2030", "Not a valid date value")])
def test_override_dates_must_be_today_or_later(client, users, day, message):
    sign_in(client, "coach")
    response = add_override(client, day)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert overrides(users["coach"]) == []


def test_an_override_for_today_is_accepted(client, users):
    sign_in(client, "coach")
    today = datetime.now(LONDON).date()
    assert add_override(client, today).status_code == 303
    assert overrides(users["coach"])[0][0] == today


def test_removing_an_override_brings_the_slots_back(client, users, monday_hours):
    from scheduling.models import DateOverride
    add_override(client, monday_hours)
    row = DateOverride.get(DateOverride.coach == users["coach"])
    before = version(users["coach"])
    response = client.post(f"/coach/availability/overrides/{row.id}/delete", headers=HX)
    assert response.status_code == 200
    assert preview_of(response.get_data(as_text=True))[label(monday_hours)] == ["09:00", "09:30"]
    assert overrides(users["coach"]) == [] and version(users["coach"]) == before + 1


def test_past_overrides_are_not_listed(client, users):
    from scheduling.models import DateOverride
    DateOverride.create(coach=users["coach"], day=date(2020, 5, 4), kind="block", note="Long gone")
    sign_in(client, "coach")
    assert "Long gone" not in client.get("/coach/availability/overrides").get_data(as_text=True)


# --- one-off slots ----------------------------------------------------------------------------

def test_a_one_off_slot_is_stored_in_utc_and_offered(client, users):
    sign_in(client, "coach")
    day = upcoming(TUESDAY)
    before = version(users["coach"])
    response = add_one_off(client, day, "18:00")
    assert response.status_code == 303 and response.headers["Location"] == "/coach/availability/one-offs"
    assert one_offs(users["coach"]) == [datetime.combine(day, time(18), LONDON).astimezone(timezone.utc)]
    assert version(users["coach"]) == before + 1
    html = client.get("/coach/availability/one-offs").get_data(as_text=True)
    assert preview_of(html)[label(day)] == ["18:00"]
    assert f"Added a one-off slot: {day.strftime('%a %-d %b %Y')}, 18:00." in html


def test_a_one_off_slot_with_htmx(client, users):
    sign_in(client, "coach")
    day = upcoming(TUESDAY)
    response = add_one_off(client, day, "07:15", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<section id="one-offs"')
    assert re.search(r'<section id="preview"[^>]*hx-swap-oob="true"', html)
    assert preview_of(html)[label(day)] == ["07:15"]


def test_a_duplicate_one_off_is_refused(client, users):
    sign_in(client, "coach")
    day = upcoming(TUESDAY)
    add_one_off(client, day, "18:00")
    before = version(users["coach"])
    response = add_one_off(client, day, "18:00", headers=HX)
    assert response.status_code == 422
    assert re.search(r'id="one-off-at-error">You already offer a call at that time.', response.get_data(as_text=True))
    assert len(one_offs(users["coach"])) == 1 and version(users["coach"]) == before


def test_another_coach_may_offer_the_same_instant(client, users):
    from scheduling.models import OneOffSlot
    day = upcoming(TUESDAY)
    OneOffSlot.create(coach=users["other_coach"], starts_at=datetime.combine(day, time(18), LONDON))
    sign_in(client, "coach")
    assert add_one_off(client, day, "18:00").status_code == 303


@pytest.mark.parametrize("day,at,message", [
    (None, "00:00", "That time has passed."),
    ("2020-01-06", "09:00", "That time has passed."),
    ("", "09:00", "Pick a date."),
    ("tomorrow", "09:00", "Not a valid date value"),
    ("next", "", "Enter a start time."),
])
def test_invalid_one_offs_are_refused(client, users, day, at, message):
    sign_in(client, "coach")
    today = datetime.now(LONDON).date()
    day = today.isoformat() if day is None else (today + timedelta(days=3)).isoformat() if day == "next" else day
    response = add_one_off(client, day, at)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert one_offs(users["coach"]) == []


def test_a_one_off_in_the_spring_forward_gap_is_refused(client, users):
    sign_in(client, "coach")
    year = datetime.now(LONDON).year + 1
    last_sunday_of_march = max(date(year, 3, d) for d in range(25, 32) if date(year, 3, d).weekday() == 6)
    response = add_one_off(client, last_sunday_of_march, "01:30")
    assert response.status_code == 422
    assert "the clocks go forward then" in response.get_data(as_text=True)
    assert one_offs(users["coach"]) == []


def test_removing_a_one_off(client, users):
    from scheduling.models import OneOffSlot
    sign_in(client, "coach")
    day = upcoming(TUESDAY)
    add_one_off(client, day, "18:00")
    row = OneOffSlot.get(OneOffSlot.coach == users["coach"])
    before = version(users["coach"])
    response = client.post(f"/coach/availability/one-offs/{row.id}/delete")
    assert response.status_code == 303
    assert one_offs(users["coach"]) == [] and version(users["coach"]) == before + 1
    assert label(day) not in preview_of(client.get("/coach/availability").get_data(as_text=True))
