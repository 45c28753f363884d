"""The zone list people choose from, how a zone reads, and the 12-/24-hour clock (timezones.py:
pure functions, no app)."""
from datetime import datetime, timezone

import pytest

import timezones
from timezones import (UnknownZone, canonical_zone, format_clock, guess_zone, local_time, locale_of, read_zone,
                       uses_12_hour_clock, utc_offset, visitor_zones, zone_description, zone_names, zone_options)

UTC = timezone.utc
# 2026: the US changes on 8 March and 1 November, the EU on 29 March and 25 October,
# Sydney (southern summer) on 5 April and 4 October.
US_WINTER, US_SUMMER = datetime(2026, 3, 8, 6, 59, tzinfo=UTC), datetime(2026, 3, 8, 7, 1, tzinfo=UTC)
EU_SUMMER, EU_WINTER = datetime(2026, 10, 25, 0, 59, tzinfo=UTC), datetime(2026, 10, 25, 1, 1, tzinfo=UTC)
SYDNEY_SUMMER, SYDNEY_WINTER = datetime(2026, 4, 4, 15, 59, tzinfo=UTC), datetime(2026, 4, 4, 16, 1, tzinfo=UTC)


# --- which zones ------------------------------------------------------------------------------

def test_the_list_holds_canonical_zones_only():
    zones = set(visitor_zones())
    for legacy in ("US/Michigan", "US/Eastern", "Asia/Calcutta", "Asia/Saigon", "Europe/Kiev", "America/Buenos_Aires",
                   "GB", "Etc/GMT+5", "Etc/UTC", "GMT", "EST5EDT", "Canada/Pacific"):
        assert legacy not in zones, legacy
    assert not [z for z in zones if z.startswith("Antarctica/")]
    for today in ("Asia/Kolkata", "Asia/Ho_Chi_Minh", "Europe/Kyiv", "America/Argentina/Buenos_Aires",
                  "America/New_York", "Europe/London", "Pacific/Chatham", "UTC"):
        assert today in zones, today
    assert 380 < len(zones) < 460  # zone.tab's places, not the ~600 names of every alias


def test_old_names_are_read_as_todays():
    """Browsers still report some (Chrome: Asia/Calcutta): a link with one keeps working."""
    assert canonical_zone("Asia/Calcutta") == "Asia/Kolkata"
    assert canonical_zone("US/Michigan") == "America/Detroit"
    assert canonical_zone("Europe/Kiev") == "Europe/Kyiv"
    assert canonical_zone("Etc/UTC") == canonical_zone("GMT") == "UTC"
    assert read_zone("Asia/Calcutta", "Europe/London") == "Asia/Kolkata"
    assert read_zone("", "US/Eastern") == "America/New_York"  # an old stored default too
    for unknown in ("Mars/Olympus_Mons", "Antarctica/Troll", "Etc/GMT+5", "../etc/passwd"):
        with pytest.raises(UnknownZone):
            read_zone(unknown, "Europe/London")


# --- how a zone reads -------------------------------------------------------------------------

@pytest.mark.parametrize("zone, place, region", [
    ("America/New_York", "New York", "Eastern Time"),
    ("America/Indiana/Indianapolis", "Indianapolis", "Eastern Time"),
    ("Europe/Kyiv", "Kyiv", "Eastern European Time"),
    ("Europe/Paris", "Paris", "Central European Time"),
    ("Asia/Kolkata", "Kolkata", "India Time"),
    ("America/Argentina/Buenos_Aires", "Buenos Aires", "Argentina Time"),
    ("UTC", "UTC", "Coordinated Universal Time"),
])
def test_zones_read_as_people_say_them(zone, place, region):
    assert zone_names(zone) == (place, region)


def test_every_zone_has_a_readable_name():
    for zone in visitor_zones():
        place, region = zone_names(zone)
        assert place and "_" not in place and "/" not in place, zone
        assert region and "(" not in region and "Unknown" not in region, zone


@pytest.mark.parametrize("zone, before, after, offsets", [
    ("America/New_York", US_WINTER, US_SUMMER, ("UTC−5", "UTC−4")),
    ("Europe/London", EU_SUMMER, EU_WINTER, ("UTC+1", "UTC+0")),
    ("Europe/Berlin", EU_SUMMER, EU_WINTER, ("UTC+2", "UTC+1")),
    ("Australia/Sydney", SYDNEY_SUMMER, SYDNEY_WINTER, ("UTC+11", "UTC+10")),
    ("Asia/Kolkata", US_WINTER, US_SUMMER, ("UTC+5:30", "UTC+5:30")),
])
def test_offsets_are_right_on_both_sides_of_a_dst_change(zone, before, after, offsets):
    assert (utc_offset(zone, before), utc_offset(zone, after)) == offsets


def test_a_zone_in_the_list_says_its_offset_and_the_time_there_now():
    assert zone_description("America/New_York", datetime(2026, 1, 15, 14, 12, tzinfo=UTC)) == \
        "New York — Eastern Time, UTC−5, now 09:12"
    assert zone_description("America/New_York", datetime(2026, 7, 15, 14, 12, tzinfo=UTC), hour12=True) == \
        "New York — Eastern Time, UTC−4, now 10:12 AM"
    html = zone_options("Asia/Kolkata", datetime(2026, 3, 8, 6, 59, tzinfo=UTC))
    assert '<option value="America/New_York">New York — Eastern Time, UTC−5, now 01:59' in html
    assert '<option value="Asia/Kolkata" selected>Kolkata — India Time, UTC+5:30, now 12:29' in html
    after = zone_options("Asia/Kolkata", datetime(2026, 3, 8, 7, 1, tzinfo=UTC))
    assert '<option value="America/New_York">New York — Eastern Time, UTC−4, now 03:01' in after
    assert '<optgroup label="America">' in html and html.count("<option") == len(visitor_zones())


def test_the_list_is_built_once_a_minute_and_only_marked_after():
    timezones._zone_option_tags.cache_clear()
    moment = datetime(2026, 5, 1, 12, 0, 5, tzinfo=UTC)
    zone_options("UTC", moment)
    zone_options("Europe/Paris", moment.replace(second=40))
    assert timezones._zone_option_tags.cache_info().misses == 1
    zone_options("UTC", moment.replace(minute=1))
    assert timezones._zone_option_tags.cache_info().misses == 2


def test_a_zone_is_guessed_only_where_a_country_keeps_one_clock():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert guess_zone("DE", now) == "Europe/Berlin"
    assert guess_zone("in", now) == "Asia/Kolkata"
    assert guess_zone("GB", now) == "Europe/London"
    for several in ("US", "AU", "CA", "BR", "RU", "ES"):
        assert guess_zone(several, now) is None, several
    assert guess_zone("", now) is None and guess_zone("ZZ", now) is None and guess_zone("AQ", now) is None


# --- the clock --------------------------------------------------------------------------------

@pytest.mark.parametrize("tag, twelve", [
    ("en-US", True), ("en", True), ("en-AU", True), ("hi-IN", True), ("es-MX", True), ("en-CA", True),
    ("en-GB", False), ("en-IE", False), ("de-DE", False), ("fr", False), ("fr-CA", False), ("ja", False),
    ("pt-BR", False),
])
def test_the_clock_follows_the_language(tag, twelve):
    assert uses_12_hour_clock(locale_of(tag)) is twelve


@pytest.mark.parametrize("junk", ["*", "", "x" * 300, "\x00", "zz-ZZ-ZZ"])
def test_a_language_tag_that_names_nothing_is_none(junk):
    assert locale_of(junk) is None


def test_local_times_on_either_clock():
    moment = datetime(2026, 12, 1, 21, 5, tzinfo=UTC)
    assert local_time(moment, "Europe/London", "%a %-d %b, %H:%M") == "Tue 1 Dec, 21:05"
    assert local_time(moment, "Europe/London", "%a %-d %b, %H:%M", hour12=True) == "Tue 1 Dec, 9:05 PM"
    assert local_time(moment, "America/New_York", "%H:%M", hour12=True) == "4:05 PM"
    assert format_clock(moment.replace(hour=0), True) == "12:05 AM"
    assert format_clock(moment.replace(hour=12), True) == "12:05 PM"
    assert format_clock(moment.replace(hour=9), False) == "09:05"


def test_a_stored_zone_reads_as_todays_name_and_is_never_lost(app):
    from werkzeug.datastructures import MultiDict
    from wtforms import Form

    from web.forms import zone_field

    class Settings(Form):
        timezone = zone_field()

    assert Settings(data={"timezone": "US/Michigan"}).timezone.data == "America/Detroit"
    kept = Settings(data={"timezone": "Antarctica/Troll"})  # no longer offered, still theirs
    assert kept.timezone.data == "Antarctica/Troll" and '<option selected value="Antarctica/Troll">' in kept.timezone()
    saved = Settings(MultiDict({"timezone": "Antarctica/Troll"}), data={"timezone": "Antarctica/Troll"})
    assert saved.validate() and saved.timezone.data == "Antarctica/Troll"
    assert not Settings(MultiDict({"timezone": "Antarctica/Troll"})).validate()  # nobody else picks it
