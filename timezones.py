"""Time zones, in one place: the zones people choose from, how a zone name reads, local times.

Store UTC, compute in the coach's zone, show in the viewer's zone. Pure: no Flask, no database.
"""
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones


@lru_cache(maxsize=1)
def time_zones():
    """The IANA Area/City zones people choose from (no Etc/ or SystemV/ oddities)."""
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def zone_label(name):
    """How a zone name reads to a person: "America/New_York" → "America/New York"."""
    return (name or "").replace("_", " ")


@lru_cache(maxsize=1)
def time_zone_choices():
    """(value, label) pairs for a time-zone <select> (WTForms accepts the callable)."""
    return [(z, zone_label(z)) for z in time_zones()]


def local_time(value, zone_name, fmt="%a %-d %b %Y, %H:%M"):
    """An aware datetime shown in `zone_name` (the viewer's zone)."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone_name)).strftime(fmt)
