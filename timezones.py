"""Time zones, in one place: which zones people choose from, how a zone name reads, a local day's
instants and a local time. Store UTC, compute in the coach's zone, show in the viewer's zone.

Pure: no Flask, no database. A coach's zone is `CoachProfile.timezone` (blueprints/auth/models).
"""
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from markupsafe import escape

UTC = timezone.utc


class UnknownZone(ValueError):
    """A zone name we do not offer; str(exc) says so in plain words."""


@lru_cache(maxsize=1)
def time_zones():
    """The IANA Area/City zones people choose from (no Etc/ or SystemV/ oddities)."""
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))))


@lru_cache(maxsize=1)
def visitor_zones():
    """Every zone a visitor can view times in: the Area/City zones, and plain UTC."""
    return tuple(sorted([*time_zones(), "UTC"]))


@lru_cache(maxsize=1)
def _known_visitor_zones():
    return frozenset(visitor_zones())


def read_zone(name, default):
    """The visitor's zone name (default when none was given); names we don't offer are refused."""
    if not name:
        return default
    if name not in _known_visitor_zones():
        raise UnknownZone(f"We don't know the time zone “{name[:60]}”. Please choose yours from the list.")
    return name


def zone_label(name):
    """How a zone name reads to a person: "America/New_York" → "America/New York" (the `zone` filter)."""
    return (name or "").replace("_", " ")


@lru_cache(maxsize=1)
def time_zone_choices():
    """(value, label) pairs for a time-zone <select> (WTForms accepts the callable)."""
    return [(z, zone_label(z)) for z in time_zones()]


@lru_cache(maxsize=4)
def _zone_option_tags(zones):
    """Grouped by area ("Europe" → "Paris"): easier to scan, and a third smaller on the wire.

    Closing </option> tags are optional in HTML and left out for the same reason.
    """
    parts, area = [], None
    for zone in zones:
        zone_area, _, place = zone.partition("/")
        if not place:  # "UTC": outside any group
            parts.append(("</optgroup>" if area else "") + f'<option value="{escape(zone)}">{escape(zone)}')
            area = None
            continue
        if zone_area != area:
            parts.append(("</optgroup>" if area else "") + f'<optgroup label="{escape(zone_area)}">')
            area = zone_area
        parts.append(f'<option value="{escape(zone)}">{escape(zone_label(place))}')
    return "".join(parts) + ("</optgroup>" if area else "")


def zone_options(selected, zones=None):
    """`<option>`s for every visitor zone (or `zones`, a tuple), `selected` marked.

    Built once and then only marked: ~430 zones rendered through Jinja on every page view
    cost more than everything else on the booking page together.
    """
    tag = f'<option value="{escape(selected)}">'
    return _zone_option_tags(zones or visitor_zones()).replace(tag, tag[:-1] + " selected>", 1)


def day_window(day, zone):
    """[start, end) in UTC of the local calendar day `day` in `zone` (23 or 25 hours on DST days)."""
    start = datetime.combine(day, datetime.min.time(), zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_today(now, zone_name):
    """The date it is at `now` in `zone_name`."""
    return now.astimezone(ZoneInfo(zone_name)).date()


def local_time(value, zone_name, fmt="%a %-d %b %Y, %H:%M"):
    """An aware datetime shown in `zone_name` (the viewer's zone; the `local` filter)."""
    if value is None:
        return ""
    try:
        return value.astimezone(ZoneInfo(zone_name)).strftime(fmt)
    except OverflowError:  # a stored date at the very end of the calendar: show it as UTC
        return value.strftime(fmt) + " UTC"
