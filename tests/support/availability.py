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


def add_hours(client, weekday, start, end, headers=None):
    return client.post(f"/coach/availability/hours/{weekday}",
                       data={f"day{weekday}-start": start, f"day{weekday}-end": end}, headers=headers or {})
