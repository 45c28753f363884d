"""The availability editor: access, weekly hours, the page and its htmx fragments, the preview."""
import re
from datetime import datetime, time

import pytest

from support.accounts import EMAILS, PASSWORD, sign_in
from support.availability import (
    MONDAY,
    NEW_YORK,
    TUESDAY,
    add_hours,
    label,
    preview_of,
    upcoming,
    version,
    weekly_rows,
)
from support.pages import HX


def other_coach_rows(users):
    """One row of every kind belonging to the other coach."""
    from blueprints.intake.models import IntakeQuestion
    from scheduling.models import DateOverride, OneOffSlot, WeeklyHours
    other = users["other_coach"]
    day = upcoming(TUESDAY, NEW_YORK)
    return {
        "hours": WeeklyHours.create(coach=other, weekday=TUESDAY, start_time=time(13, 5), end_time=time(14, 55)),
        "override": DateOverride.create(coach=other, day=day, kind="block", note="Pat's secret holiday"),
        "one_off": OneOffSlot.create(coach=other, starts_at=datetime.combine(day, time(7, 5), NEW_YORK)),
        "question": IntakeQuestion.create(coach=other, label="Pat's private question?"),
    }


# --- access control -----------------------------------------------------------------------

WRITES = ["/coach/availability/hours/0", "/coach/availability/hours/1/delete", "/coach/availability/overrides",
          "/coach/availability/overrides/1/delete", "/coach/availability/one-offs",
          "/coach/availability/one-offs/1/delete", "/coach/availability/settings", "/coach/availability/questions",
          "/coach/availability/questions/1", "/coach/availability/questions/1/delete"]


@pytest.mark.parametrize("url", ["/coach/availability"] + WRITES)
def test_anonymous_is_sent_to_sign_in(client, users, url):
    response = client.get(url) if url == "/coach/availability" else client.post(url, data={})
    assert response.status_code in (302, 303)
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("url", ["/coach/availability"] + WRITES)
def test_a_client_is_refused(client, users, url):
    sign_in(client, "client_a")
    response = client.get(url) if url == "/coach/availability" else client.post(url, data={})
    assert response.status_code == 403


@pytest.mark.parametrize("kind,url", [
    ("hours", "/coach/availability/hours/{id}/delete"),
    ("override", "/coach/availability/overrides/{id}/delete"),
    ("one_off", "/coach/availability/one-offs/{id}/delete"),
    ("question", "/coach/availability/questions/{id}/delete"),
    ("question", "/coach/availability/questions/{id}"),
])
def test_another_coachs_rows_are_not_found_and_stay(client, users, kind, url):
    rows = other_coach_rows(users)
    row = rows[kind]
    before = version(users["other_coach"])
    sign_in(client, "coach")
    response = client.post(url.format(id=row.id), data={f"question-{row.id}-label": "Hijacked?"})
    assert response.status_code == 404
    fresh = type(row).get_by_id(row.id)
    assert getattr(fresh, "active", True) and getattr(fresh, "label", "") != "Hijacked?"
    assert version(users["other_coach"]) == before


@pytest.mark.parametrize("url", ["/coach/availability/hours/999/delete", "/coach/availability/overrides/999/delete",
                                 "/coach/availability/one-offs/999/delete", "/coach/availability/questions/999",
                                 "/coach/availability/hours/7"])
def test_missing_rows_are_not_found(client, users, url):
    sign_in(client, "coach")
    assert client.post(url, data={}).status_code == 404


def test_a_coach_sees_only_their_own_availability(client, users):
    other_coach_rows(users)
    add_hours(client, MONDAY, "09:00", "10:00")  # anonymous: refused, stores nothing
    sign_in(client, "coach")
    html = client.get("/coach/availability").get_data(as_text=True)
    assert "13:05" not in html and "Pat&#39;s secret holiday" not in html and "Pat&#39;s private question" not in html
    assert "What would you like to change in your working life?" in html
    assert weekly_rows(users["coach"]) == []


# --- the page -------------------------------------------------------------------------------

def test_the_page_shows_every_section_in_the_coachs_zone(client, users):
    sign_in(client, "coach")
    html = client.get("/coach/availability").get_data(as_text=True)
    assert "<html" in html and html.count("<h1") == 1
    for heading in ("Weekly hours", "Date changes", "One-off slots", "Call settings",
                    "Questions when booking", "Free slots, next two weeks"):
        assert heading in html
    assert "Europe/London" in html
    assert all(day in html for day in ("Monday", "Sunday"))
    assert "Add weekly hours and your free slots appear here." in html


def test_the_page_as_an_htmx_fragment(client, users):
    sign_in(client, "coach")
    response = client.get("/coach/availability", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="weekly-hours"' in html and 'id="preview"' in html and 'id="questions"' in html


# --- weekly hours ---------------------------------------------------------------------------

def test_adding_hours_without_javascript_redirects_back_to_the_section(client, users):
    sign_in(client, "coach")
    before = version(users["coach"])
    response = add_hours(client, MONDAY, "09:00", "10:00")
    assert response.status_code == 303
    assert response.headers["Location"] == "/coach/availability#weekly-hours"
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(10))]
    assert version(users["coach"]) == before + 1
    html = client.get("/coach/availability").get_data(as_text=True)
    assert "Added Monday 09:00–10:00." in html
    assert preview_of(html)[label(upcoming(MONDAY))] == ["09:00", "09:30"]


def test_adding_hours_with_htmx_swaps_the_section_and_the_preview(client, users):
    sign_in(client, "coach")
    response = add_hours(client, MONDAY, "09:00", "10:00", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="weekly-hours"')
    assert re.search(r'<section id="preview"[^>]*hx-swap-oob="true"', html)
    assert preview_of(html)[label(upcoming(MONDAY))] == ["09:00", "09:30"]
    assert "Added Monday 09:00–10:00." in html  # the toast, out of band
    assert "Remove Monday 09:00–10:00" in html


@pytest.mark.parametrize("start,end,message", [
    ("10:00", "09:00", "The end must be after the start"),
    ("10:00", "10:00", "The end must be after the start"),
    ("", "10:00", "Enter a start time."),
    ("09:00", "", "Enter an end time."),
    ("25:00", "26:00", "Enter a time like 09:30."),
])
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_invalid_hours_are_refused_and_nothing_is_stored(client, users, start, end, message, headers):
    sign_in(client, "coach")
    before = version(users["coach"])
    response = add_hours(client, TUESDAY, start, end, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert re.search(r'class="field\s+has-error">.*?' + re.escape(message), html, re.S)
    assert (("<html" in html) == (not headers))
    assert f'value="{start}"' in html  # the input is kept
    assert weekly_rows(users["coach"]) == [] and version(users["coach"]) == before


def test_an_end_of_midnight_closes_the_day(client, users):
    sign_in(client, "coach")
    assert add_hours(client, MONDAY, "23:00", "00:00").status_code == 303
    assert weekly_rows(users["coach"]) == [(MONDAY, time(23), time(0))]
    html = client.get("/coach/availability").get_data(as_text=True)
    assert "23:00–midnight" in html
    assert preview_of(html)[label(upcoming(MONDAY))] == ["23:00", "23:30"]


def test_overlapping_and_touching_hours_are_joined(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "11:00")
    add_hours(client, MONDAY, "14:00", "15:00")
    response = add_hours(client, MONDAY, "10:30", "14:00", headers=HX)
    assert response.status_code == 200
    assert "Monday is now 09:00–15:00 (joined with the hours it overlapped)." in response.get_data(as_text=True)
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(15))]


def test_hours_already_covered_change_nothing(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "17:00")
    before = version(users["coach"])
    response = add_hours(client, MONDAY, "10:00", "11:00", headers=HX)
    assert "Monday already includes 10:00–11:00." in response.get_data(as_text=True)
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(17))]
    assert version(users["coach"]) == before


def test_several_ranges_on_one_day_and_on_other_days(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "10:00")
    add_hours(client, MONDAY, "16:00", "16:30")
    add_hours(client, TUESDAY, "09:00", "09:30")
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(10)), (MONDAY, time(16), time(16, 30)),
                                           (TUESDAY, time(9), time(9, 30))]
    preview = preview_of(client.get("/coach/availability").get_data(as_text=True))
    assert preview[label(upcoming(MONDAY))] == ["09:00", "09:30", "16:00"]
    assert preview[label(upcoming(TUESDAY))] == ["09:00"]


def test_removing_hours_empties_the_preview(client, users):
    from scheduling.models import WeeklyHours
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "10:00")
    row = WeeklyHours.get(WeeklyHours.coach == users["coach"])
    before = version(users["coach"])
    response = client.post(f"/coach/availability/hours/{row.id}/delete", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Removed Monday 09:00–10:00." in html
    assert preview_of(html) == {} and "0</strong> free slots" in html
    assert weekly_rows(users["coach"]) == [] and version(users["coach"]) == before + 1
    plain = client.post(f"/coach/availability/hours/{row.id}/delete")
    assert plain.status_code == 404


def test_the_preview_is_in_each_coachs_own_zone(client, users):
    sign_in(client, "other_coach")
    add_hours(client, MONDAY, "09:00", "10:00")
    html = client.get("/coach/availability").get_data(as_text=True)
    assert "America/New York" in html
    assert preview_of(html)[label(upcoming(MONDAY, NEW_YORK))] == ["09:00", "09:30"]


def test_the_preview_counts_the_slots(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "11:00")
    html = client.get("/coach/availability").get_data(as_text=True)
    mondays = len(preview_of(html))  # two Mondays fit in two weeks, or one when it falls short
    assert f"{4 * mondays}</strong> free slots" in html


def test_csrf_token_of_a_prefixed_form_is_accepted(make_app, users):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": EMAILS["coach"], "password": PASSWORD, "csrf_token": token})
    page = client.get("/coach/availability").get_data(as_text=True)
    form_token = re.search(r'name="day0-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert add_hours(client, MONDAY, "09:00", "10:00").status_code == 400  # no token: refused
    response = client.post("/coach/availability/hours/0", data={
        "day0-csrf_token": form_token, "day0-start": "09:00", "day0-end": "10:00"})
    assert response.status_code == 303
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(10))]
