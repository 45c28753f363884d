"""Build iCalendar documents for bookings: invitations, cancellations and the coach's feed.

Pure: no Flask, no database. Every document is assembled from icalendar objects, so
escaping, CRLF line endings and line folding are icalendar's job, never ours.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vUri

from scheduling.intervals import require_aware

DEFAULT_PRODID = "-//Lets Talk//Booking//EN"
METHODS = frozenset({"PUBLISH", "REQUEST", "CANCEL"})
STATUSES = frozenset({"CONFIRMED", "CANCELLED", "TENTATIVE"})

GOOGLE_TEMPLATE_URL = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE_URL = "https://outlook.live.com/calendar/0/deeplink/compose"


def _require_single_line(value: str, field: str) -> None:
    if "\r" in value or "\n" in value:
        raise ValueError(f"{field} must be a single line")


@dataclass(frozen=True)
class CalendarEvent:
    """One booking as a calendar entry. Checked on creation so bad data fails early."""

    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    conference: str = ""  # a video room's address: CONFERENCE (RFC 7986) so calendars show "Join"
    organizer_email: str = ""
    organizer_name: str = ""
    attendee_email: str = ""
    attendee_name: str = ""
    status: str = "CONFIRMED"
    transparent: bool = False
    stamp: datetime | None = None
    last_modified: datetime | None = None
    tz: ZoneInfo | None = None

    def __post_init__(self) -> None:
        if not self.uid.strip():
            raise ValueError("uid must not be empty")
        _require_single_line(self.uid, "uid")
        if self.conference and (not self.conference.startswith(("https://", "http://"))
                                or any(c.isspace() for c in self.conference)):
            raise ValueError(f"conference must be an http(s) address, got {self.conference!r}")
        if not isinstance(self.sequence, int) or isinstance(self.sequence, bool) or self.sequence < 0:
            raise ValueError(f"sequence must be a whole number >= 0, got {self.sequence!r}")
        require_aware(self.start, "start")
        require_aware(self.end, "end")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        for field in ("stamp", "last_modified"):
            if getattr(self, field) is not None:
                require_aware(getattr(self, field), field)
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {sorted(STATUSES)}, got {self.status!r}")
        for field in ("organizer_email", "attendee_email"):
            email = getattr(self, field)
            if email and ("@" not in email or any(c.isspace() for c in email)):
                raise ValueError(f"{field} is not an email address: {email!r}")
        if self.tz is not None and not isinstance(self.tz, ZoneInfo):
            raise ValueError("tz must be a zoneinfo.ZoneInfo so it has a TZID to publish")


def event_calendar(
    events: Iterable[CalendarEvent], *, method: str, prodid: str = DEFAULT_PRODID
) -> bytes:
    """An invitation (REQUEST), a cancellation (CANCEL) or a plain export (PUBLISH)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    events = list(events)
    if not events:
        raise ValueError("a calendar needs at least one event")
    if method != "PUBLISH":
        # iTIP (RFC 5546) messages are about one calendar object, i.e. one UID, and mail
        # clients only show Accept/Decline when organizer and attendee are both known.
        if len({event.uid for event in events}) != 1:
            raise ValueError(f"a {method} message carries exactly one booking (one uid)")
        for event in events:
            if not event.organizer_email or not event.attendee_email:
                raise ValueError(f"{method} needs organizer_email and attendee_email")
    calendar = _new_calendar(prodid, method)
    for event in events:
        calendar.add_component(_vevent(event, method))
    _add_timezones(calendar, events)
    return calendar.to_ical()


def feed_calendar(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    refresh: timedelta = timedelta(hours=1),
    prodid: str = DEFAULT_PRODID,
) -> bytes:
    """The coach's subscription feed. Same input (with stamps given) gives the same bytes."""
    if refresh <= timedelta(0):
        raise ValueError("refresh must be a positive duration")
    events = list(events)
    calendar = _new_calendar(prodid, "PUBLISH")
    calendar.calendar_name = name  # writes both NAME (RFC 7986) and X-WR-CALNAME
    # RFC 7986 makes VALUE=DURATION mandatory here; icalendar's own setter leaves it out.
    calendar.add("REFRESH-INTERVAL", refresh, parameters={"VALUE": "DURATION"})
    # An X- property would otherwise be written as text ("1:00:00"), which Outlook ignores.
    calendar.add("X-PUBLISHED-TTL", vDuration(refresh))
    for event in events:
        calendar.add_component(_vevent(event, "PUBLISH"))
    _add_timezones(calendar, events)
    return calendar.to_ical()


def google_calendar_link(event: CalendarEvent) -> str:
    """A link that opens Google Calendar's "new event" page pre-filled with this booking."""
    params = {
        "action": "TEMPLATE",
        "text": event.summary,
        "dates": f"{_utc_compact(event.start)}/{_utc_compact(event.end)}",
        "details": _details_with_url(event),
        "location": event.location,
    }
    if event.tz is not None:
        params["ctz"] = event.tz.key
    return f"{GOOGLE_TEMPLATE_URL}?{_query(params)}"


def outlook_calendar_link(event: CalendarEvent) -> str:
    """A link that opens Outlook on the web's compose form pre-filled with this booking."""
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.summary,
        "startdt": _utc_iso(event.start),
        "enddt": _utc_iso(event.end),
        "body": _details_with_url(event),
        "location": event.location,
    }
    return f"{OUTLOOK_COMPOSE_URL}?{_query(params)}"


def _new_calendar(prodid: str, method: str) -> Calendar:
    # Calendar.new() would add a random UID, which breaks byte-for-byte stable feeds.
    calendar = Calendar()
    calendar.add("PRODID", prodid)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", method)
    return calendar


def _vevent(event: CalendarEvent, method: str) -> Event:
    status = "CANCELLED" if method == "CANCEL" else event.status
    vevent = Event()
    vevent.add("UID", event.uid)
    vevent.add("DTSTAMP", event.stamp or datetime.now(timezone.utc))
    vevent.add("DTSTART", _published_time(event.start, event.tz))
    vevent.add("DTEND", _published_time(event.end, event.tz))
    vevent.add("SEQUENCE", event.sequence)
    vevent.add("SUMMARY", event.summary)
    vevent.add("STATUS", status)
    # A cancelled booking no longer takes the coach's time, whatever it was before.
    free = event.transparent or status == "CANCELLED"
    vevent.add("TRANSP", "TRANSPARENT" if free else "OPAQUE")
    for name, value in (("DESCRIPTION", event.description), ("LOCATION", event.location),
                        ("URL", event.url)):
        if value:
            vevent.add(name, value)
    if event.conference:
        vevent.add("CONFERENCE", vUri(event.conference),
                   parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join the video call"})
    if event.last_modified is not None:
        vevent.add("LAST-MODIFIED", event.last_modified)
    _add_people(vevent, event, method)
    return vevent


def _add_people(vevent: Event, event: CalendarEvent, method: str) -> None:
    if event.organizer_email:
        vevent.add("ORGANIZER", vCalAddress.new(event.organizer_email, cn=event.organizer_name or None))
    if event.attendee_email:
        attendee = vCalAddress.new(
            event.attendee_email,
            cn=event.attendee_name or None,
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION" if method == "REQUEST" else None,
            rsvp=False,  # the booking is already settled; no reply is expected
        )
        vevent.add("ATTENDEE", attendee)


def _published_time(moment: datetime, tz: ZoneInfo | None) -> datetime:
    """The value to write: wall-clock time in tz (TZID=...), or UTC ("Z") without tz."""
    utc = moment.astimezone(timezone.utc)
    if tz is None:
        return utc
    local = utc.astimezone(tz)
    # TZID times carry no fold: readers take the *first* of two identical wall-clock times
    # (RFC 5545 3.3.5). The second 01:30 on a fall-back night can only be written in UTC.
    if local.fold == 1 and local.replace(fold=0).utcoffset() != local.utcoffset():
        return utc
    return local


def _add_timezones(calendar: Calendar, events: list[CalendarEvent]) -> None:
    """Put one VTIMEZONE before the events for every TZID they use, in a stable order."""
    used_tzids = sorted(calendar.get_missing_tzids())  # sorted: set order changes per process
    if not used_tzids:
        return
    moments = [moment for event in events for moment in (event.start, event.end)]
    # Whole years, with a margin so a local date just across New Year is still covered.
    first = date((min(moments) - timedelta(days=2)).year, 1, 1)
    last = date((max(moments) + timedelta(days=2)).year + 1, 1, 1)
    for position, tzid in enumerate(used_tzids):
        calendar.subcomponents.insert(position, _vtimezone(tzid, first, last))


def _vtimezone(tzid: str, first: date, last: date) -> Timezone:
    vtimezone = Timezone.from_tzid(tzid, first_date=first, last_date=last)
    for observance in vtimezone.subcomponents:
        _onsets_in_old_offset(observance)
    return vtimezone


def _onsets_in_old_offset(observance) -> None:
    """Fix the onset times icalendar 7 writes for clocks that jump forward.

    RFC 5545 wants each onset as the wall-clock time *before* the change (in TZOFFSETFROM),
    e.g. 01:00 for London's spring change. icalendar writes the first wall-clock time after
    it (02:00), which puts the change an hour late. Backward changes are already right.
    """
    jump = observance.TZOFFSETTO - observance.TZOFFSETFROM
    if jump <= timedelta(0):
        return
    observance.DTSTART = observance.DTSTART - jump
    onsets = [start - jump for start, _ in observance.rdates]
    observance.rdates = onsets or None


def _utc_compact(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _utc_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _details_with_url(event: CalendarEvent) -> str:
    # Web "add to calendar" forms have no URL field; the video link must survive somewhere.
    if event.url and event.url not in event.description:
        return f"{event.description}\n\n{event.url}".strip()
    return event.description


def _query(params: dict[str, str]) -> str:
    present = {key: value for key, value in params.items() if value}
    # quote (not quote_plus) so spaces are %20, which both services read the same way.
    return urlencode(present, quote_via=quote, safe="/")
