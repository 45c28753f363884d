"""A quick look at a calendar's raw text, before the (slow) full parse.

Most of a 2 MB export is years of past events. Parsing them costs most of the reading time and
tells us nothing, so events that plainly lie outside the window are left out of the text handed
to icalendar. "Plainly": one DTSTART and one DTEND, both dates readable from their digits, no
repetition or change of a repeating event, and at least two days from the window on the same
side (so no time zone can bring them in). Anything else is parsed as usual.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_EDGE = re.compile(r"^(BEGIN|END):VEVENT[ \t]*(?:\r?\n|\Z)", re.IGNORECASE | re.MULTILINE)
_FOLD = re.compile(r"\r?\n[ \t]")
_TIME_LINE = re.compile(r"^(DTSTART|DTEND|DURATION|RRULE|RDATE|EXDATE|RECURRENCE-ID|BEGIN)[;:](.*)$",
                        re.IGNORECASE | re.MULTILINE)
_DAY = re.compile(r"(\d{4})(\d{2})(\d{2})")
# The widest distance between a wall-clock date and its UTC date, and a day to spare.
SAFE_DISTANCE = timedelta(days=2)


def skip_events_outside(text: str, window: tuple[datetime, datetime]) -> str:
    """`text` without the VEVENT blocks that plainly end before or start after `window`."""
    first, last = window[0].date() - SAFE_DISTANCE, window[1].date() + SAFE_DISTANCE
    kept, position = [], 0
    for start, body, end in _event_blocks(text):
        days = _plain_days(text[body:end.start()])
        if days and (max(days) < first or min(days) > last):
            kept.append(text[position:start])
            position = end.end()
    if not kept:
        return text
    kept.append(text[position:])
    return "".join(kept)


def _event_blocks(text: str):
    """(start, body start, END match) of each BEGIN:VEVENT … END:VEVENT, in one pass (linear even
    for a hostile file of unclosed BEGINs). After a BEGIN inside an event nothing more is cut: the
    parser decides what such a file means."""
    opened = None
    for edge in _EDGE.finditer(text):
        if edge.group(1).upper() == "BEGIN":
            if opened is not None:
                return
            opened = edge
        elif opened is not None:
            yield opened.start(), opened.end(), edge
            opened = None


def _plain_days(block: str) -> tuple[date, date] | None:
    """The start and end days of a one-off event, or None if the event needs a full reading."""
    found: dict[str, list[str]] = {}
    for name, value in _TIME_LINE.findall(_FOLD.sub("", block)):
        if name.upper() == "BEGIN" and value.strip().upper() == "VALARM":
            continue  # a reminder changes nothing about the event's time
        found.setdefault(name.upper(), []).append(value)
    if set(found) != {"DTSTART", "DTEND"} or len(found["DTSTART"]) != 1 or len(found["DTEND"]) != 1:
        return None  # repeating, changed, nested, DURATION, missing or doubled: read it properly
    try:
        return tuple(_day(found[name][0]) for name in ("DTSTART", "DTEND"))
    except ValueError:
        return None


def _day(value: str) -> date:
    digits = _DAY.match(value.rsplit(":", 1)[-1].strip())
    if digits is None:
        raise ValueError(value)
    return date(*(int(part) for part in digits.groups()))
