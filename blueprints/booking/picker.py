"""Reading what a visitor picked (day, month, slot start) and laying out a month.

Pure functions over plain values: no Flask, no database. A bad value raises `BadChoice`,
whose message is written for the visitor and shown on the page.
"""
import calendar
from dataclasses import dataclass
from datetime import date, datetime, timezone

UTC = timezone.utc
SANE_YEARS = (1970, 2999)  # any start outside these years is refused before any arithmetic
_WEEKS = calendar.Calendar(firstweekday=calendar.MONDAY)


class BadChoice(ValueError):
    """A day, month or time the visitor cannot use; str(exc) says why, in plain words."""


def parse_day(text):
    """`YYYY-MM-DD` → date; None when absent."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadChoice(f"“{text[:40]}” is not a date we understand; dates look like 2025-03-14.") from None


def parse_month(text):
    """`YYYY-MM` → the first day of that month; None when absent."""
    if not text:
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise BadChoice(f"“{text[:40]}” is not a month we understand; months look like 2025-03.") from None


def parse_start(text):
    """An ISO 8601 instant with an offset (as our slot links carry) → aware UTC datetime."""
    try:
        value = datetime.fromisoformat((text or "").strip())
    except ValueError:
        raise BadChoice("That time was not understood. Please choose a time from the list.") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise BadChoice("That time has no time zone. Please choose a time from the list.")
    # Far from any bookable time, and near the ends of what datetime can count (year 1 or
    # 9999): day windows and call lengths around it would overflow.
    if not SANE_YEARS[0] <= value.year <= SANE_YEARS[1]:
        raise BadChoice("That time is not one we offer. Please choose a time from the list.")
    return value.astimezone(UTC)


def iso_utc(moment):
    """The form our links and hidden fields carry a slot start in."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def first_of_month(day):
    return day.replace(day=1)


def add_months(first, count):
    index = first.year * 12 + first.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_weeks(first):
    """Weeks (Monday first) of the month starting `first`; days of other months are None."""
    return [[day if day.month == first.month else None for day in week]
            for week in _WEEKS.monthdatescalendar(first.year, first.month)]


@dataclass(frozen=True)
class PickerChoice:
    month: date        # first day of the month shown
    day: date | None   # the day whose slots are listed


def choose(day_text, month_text, today, last_day):
    """What to show for ?date= and ?month=, given the visitor's today and the last bookable day.

    A date before today or after the booking horizon is refused with a message (the page
    then shows the current month); a month outside that range likewise.
    """
    day = parse_day(day_text)
    if day is not None:
        if day < today:
            raise BadChoice(f"{day:%-d %B %Y} has already passed. Please choose a day from today on.")
        if day > last_day:
            raise BadChoice(f"Calls can be booked up to {last_day:%-d %B %Y}. Please choose an earlier day.")
        return PickerChoice(first_of_month(day), day)
    month = parse_month(month_text)
    if month is None:
        return PickerChoice(first_of_month(today), None)
    if month < first_of_month(today):
        raise BadChoice(f"{month:%B %Y} has already passed.")
    if month > first_of_month(last_day):
        raise BadChoice(f"Calls can be booked up to {last_day:%-d %B %Y}.")
    return PickerChoice(month, None)
