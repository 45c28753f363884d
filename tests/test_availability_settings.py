"""Call settings in the availability editor: defaults, persistence, limits, preview."""
import re
from datetime import datetime

import pytest

from support.accounts import sign_in
from support.availability import LONDON, MONDAY, add_hours, label, preview_of, upcoming, version
from support.booking import profile_of
from support.pages import HX

VALID = {"call_minutes": "45", "step_minutes": "15", "buffer_minutes": "10", "min_notice_hours": "24",
         "horizon_days": "90", "max_per_day": "3", "location_kind": "phone", "location_detail": " +44 20 7946 0000 "}


def save(client, headers=None, **changes):
    return client.post("/coach/availability/settings", data={**VALID, **changes}, headers=headers or {})


def test_the_defaults_are_shown(client, users):
    sign_in(client, "coach")
    html = client.get("/coach/availability/settings").get_data(as_text=True)
    for name, value in [("call_minutes", "30"), ("min_notice_hours", "12"), ("horizon_days", "60")]:
        assert re.search(rf'name="{name}"[^>]*value="{value}"', html)
    assert re.search(r'<input checked[^>]*value="video"', html)
    assert 'min="15"' in html and 'max="240"' in html  # the browser knows the limits too


def test_settings_are_saved_without_javascript(client, users):
    sign_in(client, "coach")
    before = version(users["coach"])
    response = save(client)
    assert response.status_code == 303 and response.headers["Location"] == "/coach/availability/settings"
    profile = profile_of(users["coach"])
    assert (profile.call_minutes, profile.step_minutes, profile.buffer_minutes, profile.min_notice_hours,
            profile.horizon_days, profile.max_per_day) == (45, 15, 10, 24, 90, 3)
    assert (profile.location_kind, profile.location_detail) == ("phone", "+44 20 7946 0000")
    assert profile.availability_version == before + 1
    html = client.get("/coach/availability/settings").get_data(as_text=True)
    assert "Call settings saved." in html and 'value="+44 20 7946 0000"' in html


def test_settings_with_htmx_update_the_preview(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "11:00")
    response = save(client, headers=HX, call_minutes="60", step_minutes="60", buffer_minutes="0", max_per_day="")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="call-settings"')
    assert re.search(r'<section id="preview"[^>]*hx-swap-oob="true"', html)
    assert preview_of(html)[label(upcoming(MONDAY))] == ["09:00", "10:00"]
    assert profile_of(users["coach"]).max_per_day is None


def test_a_daily_cap_closes_a_day_once_it_has_that_many_calls(client, users):
    from datetime import datetime, time, timedelta

    from scheduling.models import Booking
    from support.availability import LONDON
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "11:00")
    monday = upcoming(MONDAY)
    starts = datetime.combine(monday, time(10), LONDON)
    Booking.create(coach=users["coach"], name="Vic Visitor", email="vic@example.com", timezone="Europe/London",
                   starts_at=starts, ends_at=starts + timedelta(minutes=30), uid="cap-test@letstalk")
    save(client, call_minutes="30", step_minutes="30", buffer_minutes="0", max_per_day="2")
    assert preview_of(client.get("/coach/availability").get_data(as_text=True))[label(monday)] == ["09:00", "09:30", "10:30"]
    save(client, call_minutes="30", step_minutes="30", buffer_minutes="0", max_per_day="1")
    assert label(monday) not in preview_of(client.get("/coach/availability").get_data(as_text=True))


def test_a_short_horizon_empties_the_preview(client, users):
    sign_in(client, "coach")
    # Hours only on the weekday three days from now: never within a one-day horizon, whatever
    # day and hour the test runs (Monday hours were tomorrow's on a Sunday).
    day = upcoming((datetime.now(LONDON).weekday() + 3) % 7)
    add_hours(client, day.weekday(), "09:00", "10:00")
    save(client, horizon_days="1", min_notice_hours="0")
    html = client.get("/coach/availability").get_data(as_text=True)
    assert label(day) not in preview_of(html)
    assert "Nothing free in the next two weeks" in html


@pytest.mark.parametrize("name,value,message", [
    ("call_minutes", "14", "Between 15 and 240 minutes."),
    ("call_minutes", "241", "Between 15 and 240 minutes."),
    ("call_minutes", "", "Enter a number."),
    ("call_minutes", "half an hour", "Not a valid integer value."),
    ("step_minutes", "4", "Between 5 and 240 minutes."),
    ("buffer_minutes", "-1", "Between 0 and 120 minutes."),
    ("buffer_minutes", "121", "Between 0 and 120 minutes."),
    ("min_notice_hours", "721", "Between 0 and 720 hours"),
    ("horizon_days", "0", "Between 1 and 365 days."),
    ("horizon_days", "366", "Between 1 and 365 days."),
    ("max_per_day", "0", "Between 1 and 50, or leave empty."),
    ("max_per_day", "51", "Between 1 and 50, or leave empty."),
    ("location_kind", "carrier pigeon", "Not a valid choice"),
    ("location_detail", "x" * 501, "Field cannot be longer than 500 characters."),
])
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_invalid_settings_are_refused_and_nothing_is_stored(client, users, name, value, message, headers):
    sign_in(client, "coach")
    before = version(users["coach"])
    response = save(client, headers=headers, **{name: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{name}-error">[^<]*{re.escape(message)}', html)
    assert ("<html" in html) == (not headers)
    profile = profile_of(users["coach"])
    assert (profile.call_minutes, profile.location_kind, profile.availability_version) == (30, "video", before)


def test_zero_buffer_and_zero_notice_are_allowed(client, users):
    sign_in(client, "coach")
    assert save(client, buffer_minutes="0", min_notice_hours="0").status_code == 303
    profile = profile_of(users["coach"])
    assert (profile.buffer_minutes, profile.min_notice_hours) == (0, 0)


def test_an_in_person_meeting_needs_an_address(client, users):
    sign_in(client, "coach")
    response = save(client, location_kind="address", location_detail="  ")
    assert response.status_code == 422
    assert "Enter the address where you&#39;ll meet." in response.get_data(as_text=True)
    assert save(client, location_kind="address", location_detail="12 High Street, Bath").status_code == 303
    assert profile_of(users["coach"]).location_text() == "In person: 12 High Street, Bath"


@pytest.mark.parametrize("kind", ["video", "phone"])
def test_video_and_phone_may_leave_the_detail_empty(client, users, kind):
    sign_in(client, "coach")
    assert save(client, location_kind=kind, location_detail="").status_code == 303
    assert profile_of(users["coach"]).location_kind == kind


def test_settings_of_one_coach_leave_the_other_alone(client, users):
    sign_in(client, "other_coach")
    save(client, call_minutes="90")
    assert profile_of(users["other_coach"]).call_minutes == 90
    assert profile_of(users["coach"]).call_minutes == 30
