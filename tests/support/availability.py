"""The availability editor's tests: dates that are always ahead, the preview as data, posting hours."""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from support.booking import profile_of
from support.pages import readable

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY, TUESDAY = 0, 1
def upcoming(weekday, zone=LONDON):
    """The first `weekday` at least two days ahead in `zone`: inside the two-week preview and
    far beyond the default 12 hours' notice, whatever the time the test runs."""
    day = datetime.now(zone).date() + timedelta(days=2)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def label(day):
    return day.strftime("%a %-d %b")


def preview_of(html):
    """The preview section as {"Mon 12 Jan": ["09:00", "09:30"]}, read from the HTML."""
    section = re.search(r'<section id="preview".*?</section>', html, re.S)
    assert section, "no preview section"
    days = {}
    for day, times in re.findall(r'<strong>([^<]*)</strong>\s*<ul class="tags">(.*?)</ul>', section.group(0), re.S):
        days[day.strip()] = readable(times).split()
    return days


def version(user):
    return profile_of(user).availability_version


def weekly_rows(user):
    from scheduling.models import WeeklyHours
    return [(r.weekday, r.start_time, r.end_time) for r in WeeklyHours.for_coach(user)]


def week_grid(client):
    """The week grid's time fields as the page shows them: {"day0-0-start": "09:00", …}."""
    page = client.get("/coach/availability")
    fields = {}
    for tag in re.findall(r"<input [^>]*>", page.get_data(as_text=True)):
        name = re.search(r'name="(day\d-\d+-(?:start|end))"', tag)
        if name:
            value = re.search(r'value="([^"]*)"', tag)
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def save_week(client, fields, headers=None, **buttons):
    return client.post("/coach/availability/week", data={**fields, **buttons}, headers=headers or {})


def add_hours(client, weekday, start, end, headers=None):
    """Fill in the empty pair of `weekday` in the week grid and save it, as a coach does."""
    fields = week_grid(client)
    pairs = sorted({int(name.split("-")[1]) for name in fields if name.startswith(f"day{weekday}-")})
    empty = next((i for i in pairs if not fields[f"day{weekday}-{i}-start"] and not fields[f"day{weekday}-{i}-end"]), 0)
    fields.update({f"day{weekday}-{empty}-start": start, f"day{weekday}-{empty}-end": end})
    return save_week(client, fields, headers)
