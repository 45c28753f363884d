"""The availability editor: access, its pages and their htmx fragments, the week grid (edit in
place, add, remove, copy to days), the preview."""
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
    save_week,
    week_grid,
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

PAGES = ["/coach/availability", "/coach/availability/overrides", "/coach/availability/one-offs",
         "/coach/availability/settings", "/coach/availability/questions"]
WRITES = ["/coach/availability/week", "/coach/availability/overrides",
          "/coach/availability/overrides/1/delete", "/coach/availability/one-offs",
          "/coach/availability/one-offs/1/delete", "/coach/availability/settings", "/coach/availability/questions",
          "/coach/availability/questions/1", "/coach/availability/questions/1/delete"]
ACCESS = [("GET", url) for url in PAGES] + [("POST", url) for url in WRITES]


@pytest.mark.parametrize("method,url", ACCESS)
def test_anonymous_is_sent_to_sign_in(client, users, method, url):
    response = client.open(url, method=method, data={})
    assert response.status_code in (302, 303)
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("method,url", ACCESS)
def test_a_client_is_refused(client, users, method, url):
    sign_in(client, "client_a")
    assert client.open(url, method=method, data={}).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_each_coach_gets_their_own_pages(client, users, url):
    for who in ("coach", "other_coach"):
        sign_in(client, who)
        response = client.get(url)
        assert response.status_code == 200 and "<h1>Your availability</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize("kind,url", [
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


@pytest.mark.parametrize("url", ["/coach/availability/overrides/999/delete",
                                 "/coach/availability/one-offs/999/delete", "/coach/availability/questions/999"])
def test_missing_rows_are_not_found(client, users, url):
    sign_in(client, "coach")
    assert client.post(url, data={}).status_code == 404


def test_a_coach_sees_only_their_own_availability(client, users):
    other_coach_rows(users)
    add_hours(client, MONDAY, "09:00", "10:00")  # anonymous: refused, stores nothing
    sign_in(client, "coach")
    html = "".join(client.get(url).get_data(as_text=True) for url in PAGES)
    assert "13:05" not in html and "Pat&#39;s secret holiday" not in html and "Pat&#39;s private question" not in html
    assert "What would you like to change in your working life?" in html
    assert weekly_rows(users["coach"]) == []


def test_saving_the_week_leaves_another_coachs_hours_alone(client, users):
    rows = other_coach_rows(users)
    sign_in(client, "coach")
    add_hours(client, TUESDAY, "09:00", "10:00")
    save_week(client, {f"day{TUESDAY}-0-start": "", f"day{TUESDAY}-0-end": ""})  # the coach's Tuesday emptied
    assert weekly_rows(users["coach"]) == []
    assert weekly_rows(users["other_coach"]) == [(TUESDAY, rows["hours"].start_time, rows["hours"].end_time)]


# --- the pages ------------------------------------------------------------------------------

SECTIONS = {"/coach/availability": ("weekly-hours", "Weekly hours"),
            "/coach/availability/overrides": ("overrides", "Date changes"),
            "/coach/availability/one-offs": ("one-offs", "One-off slots"),
            "/coach/availability/settings": ("call-settings", "Call settings"),
            "/coach/availability/questions": ("questions", "Questions when booking")}


@pytest.mark.parametrize("url", PAGES)
def test_each_part_has_its_own_page_with_the_others_one_tab_away(client, users, url):
    sign_in(client, "coach")
    html = client.get(url).get_data(as_text=True)
    section_id, heading = SECTIONS[url]
    assert "<html" in html and html.count("<h1") == 1 and heading in html and f'id="{section_id}"' in html
    others = [other for other in SECTIONS if other != url]
    assert all(f'id="{SECTIONS[other][0]}"' not in html for other in others)  # one part per page
    tabs = re.search(r'<nav class="tabs".*?</nav>', html, re.S).group(0)
    assert all(f'href="{other}"' in tabs for other in PAGES)
    assert re.search(rf'href="{url}" aria-current="page"', tabs)
    assert "Europe/London" in html and "24-hour clock" in html
    assert ('id="preview"' in html) == (url != "/coach/availability/questions")


@pytest.mark.parametrize("url", PAGES)
def test_each_page_as_an_htmx_fragment(client, users, url):
    sign_in(client, "coach")
    response = client.get(url, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert f'id="{SECTIONS[url][0]}"' in html and '<nav class="tabs"' in html


def test_the_week_page_shows_every_day_and_an_empty_preview(client, users):
    sign_in(client, "coach")
    html = client.get("/coach/availability").get_data(as_text=True)
    assert all(f"<legend>{day}" in html for day in ("Monday", "Sunday"))
    assert "Add weekly hours and your free slots appear here." in html
    # Times are typed as 24-hour text, as the page shows them, not in the browser's own clock.
    assert 'type="time"' not in html and 'placeholder="hh:mm"' in html


# --- the week grid ---------------------------------------------------------------------------

def test_adding_hours_without_javascript_redirects_back_to_the_week(client, users):
    sign_in(client, "coach")
    before = version(users["coach"])
    response = add_hours(client, MONDAY, "09:00", "10:00")
    assert response.status_code == 303
    assert response.headers["Location"] == "/coach/availability"
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(10))]
    assert version(users["coach"]) == before + 1
    html = client.get("/coach/availability").get_data(as_text=True)
    assert "Saved. Monday: 09:00–10:00." in html
    assert preview_of(html)[label(upcoming(MONDAY))] == ["09:00", "09:30"]


def test_adding_hours_with_htmx_swaps_the_section_and_the_preview(client, users):
    sign_in(client, "coach")
    response = add_hours(client, MONDAY, "09:00", "10:00", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<section id="weekly-hours"')
    assert re.search(r'<section id="preview"[^>]*hx-swap-oob="true"', html)
    assert preview_of(html)[label(upcoming(MONDAY))] == ["09:00", "09:30"]
    assert "Saved. Monday: 09:00–10:00." in html  # the toast, out of band
    assert re.search(r'name="day0-0-start"[^>]*value="09:00"|value="09:00"[^>]*name="day0-0-start"', html)


def test_a_range_is_edited_in_place(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "12:00")
    add_hours(client, TUESDAY, "10:00", "11:00")
    fields = week_grid(client)
    assert fields["day0-0-start"] == "09:00" and fields["day0-0-end"] == "12:00"
    fields["day0-0-end"] = "17:30"
    before = version(users["coach"])
    response = save_week(client, fields, headers=HX)
    assert response.status_code == 200 and "Saved. Monday: 09:00–17:30." in response.get_data(as_text=True)
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(17, 30)), (TUESDAY, time(10), time(11))]
    assert version(users["coach"]) == before + 1
    assert week_grid(client)["day0-0-end"] == "17:30"


def test_clearing_a_range_removes_it_and_empties_the_preview(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "10:00")
    fields = week_grid(client)
    fields.update({"day0-0-start": "", "day0-0-end": ""})
    response = save_week(client, fields, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Saved. Monday: not available." in html
    assert preview_of(html) == {} and "0</strong> free slots" in html
    assert weekly_rows(users["coach"]) == []


def test_saving_an_unchanged_week_changes_nothing(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "10:00")
    before = version(users["coach"])
    response = save_week(client, week_grid(client), headers=HX)
    assert "Nothing changed." in response.get_data(as_text=True) and version(users["coach"]) == before


@pytest.mark.parametrize("start,end,message", [
    ("10:00", "09:00", "The end must be after the start"),
    ("10:00", "10:00", "The end must be after the start"),
    ("", "10:00", "Enter both times, or clear both to remove the range."),
    ("09:00", "", "Enter both times, or clear both to remove the range."),
    ("25:00", "26:00", "Enter a time like 09:30 or 9:30 am."),
    ("nine", "5:75", "Enter a time like 09:30 or 9:30 am."),
])
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_invalid_hours_are_refused_and_nothing_is_stored(client, users, start, end, message, headers):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "10:00")
    before = version(users["coach"])
    fields = {**week_grid(client), "day0-0-end": "11:00", f"day{TUESDAY}-0-start": start, f"day{TUESDAY}-0-end": end}
    response = save_week(client, fields, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'class="field compact\s+has-error">.*?' + re.escape(message), html, re.S)
    assert (("<html" in html) == (not headers))
    assert f'value="{start}"' in html and 'value="11:00"' in html  # every input is kept
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(10))] and version(users["coach"]) == before


@pytest.mark.parametrize("typed,end", [("9:30", "12:00"), ("09.30", "12:00"), ("0930", "12:00"), ("09:30:00", "12:00"),
                                       ("9:30 am", "12:00 pm"), ("9:30AM", "12pm")])
def test_times_can_be_typed_loosely(client, users, typed, end):
    sign_in(client, "coach")
    add_hours(client, MONDAY, typed, end)
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9, 30), time(12))]


def test_an_end_of_midnight_closes_the_day(client, users):
    sign_in(client, "coach")
    assert add_hours(client, MONDAY, "23:00", "00:00").status_code == 303
    assert weekly_rows(users["coach"]) == [(MONDAY, time(23), time(0))]
    html = client.get("/coach/availability").get_data(as_text=True)
    assert preview_of(html)[label(upcoming(MONDAY))] == ["23:00", "23:30"]


def test_overlapping_and_touching_hours_are_joined(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "11:00")
    add_hours(client, MONDAY, "14:00", "15:00")
    response = add_hours(client, MONDAY, "10:30", "14:00", headers=HX)
    assert response.status_code == 200
    assert "Saved. Monday: 09:00–15:00." in response.get_data(as_text=True)
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(15))]


def test_several_ranges_on_one_day_and_on_other_days(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "10:00")
    add_hours(client, MONDAY, "16:00", "16:30")
    add_hours(client, TUESDAY, "09:00", "09:30")
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(10)), (MONDAY, time(16), time(16, 30)),
                                           (TUESDAY, time(9), time(9, 30))]
    fields = week_grid(client)
    assert {name for name in fields if name.startswith("day0-")} == {
        f"day0-{i}-{part}" for i in range(3) for part in ("start", "end")}  # two ranges and an empty pair
    preview = preview_of(client.get("/coach/availability").get_data(as_text=True))
    assert preview[label(upcoming(MONDAY))] == ["09:00", "09:30", "16:00"]
    assert preview[label(upcoming(TUESDAY))] == ["09:00"]


# --- copy a day to other days ----------------------------------------------------------------

def test_copy_to_all_weekdays(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "12:00")
    add_hours(client, MONDAY, "13:00", "17:00")
    add_hours(client, 5, "10:00", "11:00")  # Saturday stays as it is
    response = save_week(client, {**week_grid(client), "copy_from": "0"}, headers=HX, copy_weekdays="1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Tuesday: 09:00–12:00, 13:00–17:00; Wednesday:" in html
    rows = weekly_rows(users["coach"])
    assert rows == [(day, start, end) for day in range(5) for start, end in ((time(9), time(12)), (time(13), time(17)))] \
        + [(5, time(10), time(11))]


def test_copy_to_ticked_days_saves_the_grid_as_edited_first(client, users):
    sign_in(client, "coach")
    add_hours(client, TUESDAY, "09:00", "12:00")
    add_hours(client, 3, "08:00", "09:00")  # Thursday: replaced by the copy
    fields = {**week_grid(client), "day1-0-end": "13:00", "copy_from": "1"}
    response = client.post("/coach/availability/week", data={**fields, "copy_to": ["3", "6"], "copy_chosen": "1"})
    assert response.status_code == 303
    assert weekly_rows(users["coach"]) == [(TUESDAY, time(9), time(13)), (3, time(9), time(13)), (6, time(9), time(13))]


def test_copy_to_ticked_days_without_a_tick_is_refused(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "12:00")
    before = version(users["coach"])
    response = save_week(client, {**week_grid(client), "copy_from": "0"}, headers=HX, copy_chosen="1")
    assert response.status_code == 422 and "Tick the days to copy to." in response.get_data(as_text=True)
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(12))] and version(users["coach"]) == before


def test_copying_an_empty_day_clears_the_others(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "12:00")
    add_hours(client, TUESDAY, "09:00", "12:00")
    save_week(client, {**week_grid(client), "copy_from": "6"}, copy_weekdays="1")  # Sunday has none
    assert weekly_rows(users["coach"]) == []


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


def test_the_week_form_needs_its_csrf_token(make_app, users):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": EMAILS["coach"], "password": PASSWORD, "csrf_token": token})
    page = client.get("/coach/availability").get_data(as_text=True)
    form_token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert add_hours(client, MONDAY, "09:00", "10:00").status_code == 400  # no token: refused
    response = client.post("/coach/availability/week", data={
        "csrf_token": form_token, "day0-0-start": "09:00", "day0-0-end": "10:00"})
    assert response.status_code == 303
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(10))]


# --- the viewer's clock ----------------------------------------------------------------------

US = {"Accept-Language": "en-US,en;q=0.8"}


def test_on_a_12_hour_clock_the_inputs_and_the_shown_times_agree(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "13:30")
    # Babel may put a narrow no-break space before AM/PM; a reader sees a space.
    html = client.get("/coach/availability", headers=US).get_data(as_text=True).replace("\u202f", " ")
    assert "on a 12-hour clock" in html and "9:30 am" in html
    assert re.search(r'name="day0-0-start"[^>]*value="9:00 AM"|value="9:00 AM"[^>]*name="day0-0-start"', html)
    assert 'value="1:30 PM"' in html
    assert preview_of(html)[label(upcoming(MONDAY))][:4] == ["9:00", "AM", "9:30", "AM"]
    # What the grid shows comes back as it was shown (either space), and as people type it.
    fields = {**week_grid(client), "day0-0-start": "9:00\u202fAM", "day0-0-end": "1:30 pm", "day1-0-start": "8 am",
              "day1-0-end": "12:00 PM"}
    response = client.post("/coach/availability/week", data=fields, headers={**HX, **US})
    assert response.status_code == 200
    assert "Saved. Tuesday: 8:00 AM–12:00 PM." in response.get_data(as_text=True).replace("\u202f", " ")
    assert weekly_rows(users["coach"]) == [(MONDAY, time(9), time(13, 30)), (TUESDAY, time(8), time(12))]


def test_on_a_24_hour_clock_the_page_says_so(client, users):
    sign_in(client, "coach")
    add_hours(client, MONDAY, "09:00", "13:30")
    html = client.get("/coach/availability", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert "on a 24-hour clock" in html and 'value="13:30"' in html and "PM" not in html
