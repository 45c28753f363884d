"""Time zones, in one place: which zones people choose from, how a zone name reads, a local day's
instants and a local time; the 12- or 24-hour clock. Store UTC, compute in the coach's zone,
show in the viewer's zone and on the viewer's clock.

Pure: no Flask, no database. A coach's zone is `CoachProfile.timezone` (blueprints/auth/models).
Zone names people read and clock formats come from Babel (CLDR); the list of zones from the IANA
database's own zone.tab (the `tzdata` package), so legacy aliases never show.
"""
import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from importlib.resources import files
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_time, get_timezone, get_timezone_name
from markupsafe import escape

UTC = timezone.utc
_EN = Locale("en")
_TZDATA = files("tzdata.zoneinfo")


class UnknownZone(ValueError):
    """A zone name we do not offer; str(exc) says so in plain words."""


# --- which zones ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _zone_table():
    """zone.tab: {zone: country code}, one canonical zone per place people live (no aliases such
    as US/Michigan or Asia/Calcutta), in the file's order (each country's most populous first)."""
    zones = {}
    for line in _TZDATA.joinpath("zone.tab").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            country, _, name = line.split("\t")[:3]
            zones[name] = country
    return zones


@lru_cache(maxsize=1)
def time_zones():
    """The canonical Area/City zones people choose from: no legacy aliases, no research stations
    in Antarctica (whose rules are oddities; anyone there can choose UTC or their home zone)."""
    known = available_timezones()
    return tuple(sorted(z for z in _zone_table() if z in known and not z.startswith("Antarctica/")))


@lru_cache(maxsize=1)
def visitor_zones():
    """Every zone a visitor can view times in: the Area/City zones, and plain UTC."""
    return tuple(sorted([*time_zones(), "UTC"]))


@lru_cache(maxsize=1)
def _links():
    """Every other name the IANA database knows → the zone it is a link to (tzdata.zi `L` lines)."""
    links = {}
    for line in _TZDATA.joinpath("tzdata.zi").read_text(encoding="utf-8").splitlines():
        if line.startswith("L "):
            _, target, name = line.split()
            links[name] = target
    return links


@lru_cache(maxsize=1)
def _canonical_names():
    """Every name we accept → the zone we offer for it: aliases (Asia/Calcutta → Asia/Kolkata,
    which browsers still report) included; anything that is always UTC → UTC."""
    offered = set(visitor_zones())
    names = {zone: zone for zone in offered}
    for name in _links():
        target = name
        for _ in range(5):  # links may chain; the database keeps chains short
            target = _links().get(target, target)
        if target in ("Etc/UTC", "Etc/GMT"):
            names[name] = "UTC"
        elif target in offered:
            names.setdefault(name, target)
    names["Etc/UTC"] = names["Etc/GMT"] = "UTC"
    return names


def canonical_zone(name):
    """The zone we offer for `name` (itself, or what an old alias now is), or None."""
    return _canonical_names().get(name or "")


def read_zone(name, default):
    """The visitor's zone name (default when none was given); an old alias is read as today's
    name, and names we don't offer are refused."""
    if not name:
        return canonical_zone(default) or default
    zone = canonical_zone(name)
    if zone is None:
        raise UnknownZone(f"We don't know the time zone “{name[:60]}”. Please choose yours from the list.")
    return zone


# --- how a zone reads -------------------------------------------------------------------------

def zone_label(name):
    """How a zone name reads to a person: "America/New_York" → "America/New York" (the `zone` filter)."""
    return (name or "").replace("_", " ")


@lru_cache(maxsize=1)
def time_zone_choices():
    """(value, label) pairs for a time-zone <select> (WTForms accepts the callable)."""
    return [(z, zone_label(z)) for z in time_zones()]


@lru_cache(maxsize=1)
def _aliases_of():
    aliases = {}
    for name, zone in _canonical_names().items():
        if name != zone:
            aliases.setdefault(zone, []).append(name)
    return aliases


def _cldr_name(zone):
    """The name CLDR files `zone` under (often an older alias: Europe/Kiev for Europe/Kyiv)."""
    meta_zones = get_global("meta_zones")
    for name in (zone, *sorted(_aliases_of().get(zone, ()))):
        if name in meta_zones or "city" in _EN.time_zones.get(name, {}):
            return name
    return zone


def _metazone_name(zone):
    """The shared name of the zone's clock ("Eastern Time"), or "" when CLDR has none."""
    meta_zones = get_global("meta_zones")
    for name in (zone, *sorted(_aliases_of().get(zone, ()))):
        if name in meta_zones:
            names = _EN.meta_zones.get(meta_zones[name], {}).get("long", {})
            return names.get("generic") or names.get("standard") or ""
    return ""


@lru_cache(maxsize=None)
def zone_names(zone):
    """(place, region) as people say them: ("New York", "Eastern Time"), ("Kyiv", "Eastern European Time")."""
    if zone == "UTC":
        return "UTC", "Coordinated Universal Time"
    cldr = _cldr_name(zone)
    place = _EN.time_zones.get(cldr, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
    region = get_timezone_name(get_timezone(cldr), "long", "generic", locale=_EN)
    if "(" in region:  # CLDR's fallback, "Ukraine (Kyiv) Time": the clock's own name reads better
        region = _metazone_name(zone) or re.sub(r" \([^)]*\)", "", region)
    if "Unknown" in region:  # a zone newer than Babel's CLDR data (America/Coyhaique): its country
        region = f"{_EN.territories.get(_zone_table().get(zone, ''), 'Local')} Time"
    return place, region


@lru_cache(maxsize=None)
def _zone(name):
    return ZoneInfo(name)  # held here: zoneinfo's own cache is weak and re-reads files


def _offset_text(offset):
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'−' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")


def utc_offset(zone, now):
    """"UTC−5", "UTC+5:30", "UTC+0": the offset `zone` has at the instant `now`."""
    return _offset_text(now.astimezone(_zone(zone)).utcoffset())


def zone_description(zone, now, hour12=False):
    """"New York — Eastern Time, UTC−5, now 09:12": the zone as the list of zones shows it."""
    place, region = zone_names(zone)
    local = now.astimezone(_zone(zone))
    return f"{place} — {region}, {_offset_text(local.utcoffset())}, now {format_clock(local, hour12)}"


@lru_cache(maxsize=1)
def _zone_groups(zones):
    """[(area, [(zone, escaped "Place — Region")…])…]: areas and places in alphabetical order."""
    groups = {}
    for zone in zones:
        area = zone.partition("/")[0] if "/" in zone else ""
        place, region = zone_names(zone)
        groups.setdefault(area, []).append((place, zone, str(escape(f"{place} — {region}"))))
    return [(area, [(zone, text) for _, zone, text in sorted(groups[area])]) for area in sorted(groups)]


@lru_cache(maxsize=8)
def _zone_option_tags(zones, minute, hour12):
    """Grouped by area ("Europe" → "Paris — Central European Time, UTC+1, now 10:12"). Built once
    a minute (the offsets and times in it change) and then only marked.

    Closing </option> tags are optional in HTML and left out: ~400 zones are a lot of bytes.
    """
    now_at = {}  # offset → ", UTC+1, now 10:12": a few dozen offsets among all the zones
    parts = []
    for area, zones_of_area in _zone_groups(zones):
        options = []
        for zone, text in zones_of_area:
            offset = minute.astimezone(_zone(zone)).utcoffset()
            if offset not in now_at:
                now_at[offset] = f", {_offset_text(offset)}, now {format_clock(minute + offset, hour12)}"
            options.append(f'<option value="{zone}">{text}{now_at[offset]}')
        parts.append(f'<optgroup label="{area}">{"".join(options)}</optgroup>' if area else "".join(options))
    return "".join(parts)


def zone_options(selected, now=None, hour12=False, zones=None):
    """`<option>`s for every visitor zone (or `zones`, a tuple), `selected` marked.

    Built once a minute and then only marked: ~400 zones rendered through Jinja on every page
    view cost more than everything else on the booking page together.
    """
    minute = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    tag = f'<option value="{escape(selected)}">'
    return _zone_option_tags(zones or visitor_zones(), minute, bool(hour12)).replace(tag, tag[:-1] + " selected>", 1)


def guess_zone(country, now=None):
    """The zone of a country whose zones all keep one clock (Germany, India, Japan…), or None
    where the country spans several (the United States, Australia…): a guess there would be wrong
    for half its people. `country` is an ISO code as in "en-GB"."""
    return _guess_zone((country or "").upper()[:3], (now or datetime.now(UTC)).date())


@lru_cache(maxsize=512)
def _guess_zone(country, day):
    zones = [zone for zone, code in _zone_table().items() if code == country and zone in _offered_area_zones()]
    if not zones:
        return None
    noon = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)
    instants = [noon + timedelta(days=days) for days in (0, 91, 182, 273)]  # through both DST seasons
    offsets = {tuple(moment.astimezone(_zone(zone)).utcoffset() for moment in instants) for zone in zones}
    return zones[0] if len(offsets) == 1 else None


@lru_cache(maxsize=1)
def _offered_area_zones():
    return frozenset(time_zones())


# --- the clock --------------------------------------------------------------------------------

@lru_cache(maxsize=256)
def locale_of(tag):
    """A Babel Locale for a language tag ("en-US", "de"), or None when it names none we know."""
    try:
        return Locale.parse((tag or "").replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def uses_12_hour_clock(locale):
    """True where people read 9:00 AM (en-US, en-AU, hi-IN…), False for 09:00 (en-GB, de, fr…)."""
    pattern = locale.time_formats["short"].pattern
    return "h" in pattern.replace("'h'", "") or "K" in pattern


def format_clock(moment, hour12=False):
    """A time of day on the viewer's clock: "9:00 AM" or "09:00"."""
    return format_time(moment, "h:mm a" if hour12 else "HH:mm", locale=_EN)


def day_window(day, zone):
    """[start, end) in UTC of the local calendar day `day` in `zone` (23 or 25 hours on DST days)."""
    start = datetime.combine(day, datetime.min.time(), zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_today(now, zone_name):
    """The date it is at `now` in `zone_name`."""
    return now.astimezone(ZoneInfo(zone_name)).date()


def local_time(value, zone_name, fmt="%a %-d %b %Y, %H:%M", hour12=False):
    """An aware datetime shown in `zone_name` (the viewer's zone; the `local` filter). `%H:%M` in
    `fmt` is the time of day on the viewer's clock: 12-hour ("9:00 AM") when `hour12`."""
    if value is None:
        return ""
    try:
        moment = value.astimezone(ZoneInfo(zone_name))
    except OverflowError:  # a stored date at the very end of the calendar: show it as UTC
        moment, fmt = value, fmt + " UTC"
    if hour12 and "%H:%M" in fmt:
        fmt = fmt.replace("%H:%M", format_clock(moment, True).replace("%", "%%"))
    return moment.strftime(fmt)
