"""Calendar set-up: bookings stored directly, ICS documents built with icalendar, and a small HTTP
server on loopback that serves calendars with ETags like Google does."""
import hashlib
import secrets
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from icalendar import Calendar, Event

HOUR = timedelta(hours=1)


def now():
    from database import utcnow
    return utcnow()


def add_booking(coach, start, minutes=30, **fields):
    """A booking stored as the booking feature would, last changed an hour ago by default."""
    from scheduling.models import Booking
    token = secrets.token_urlsafe(12)
    values = dict(
        coach=coach, name="Robin Visitor", email="robin@example.org", phone="+44 7700 900123",
        timezone="Europe/Paris", starts_at=start, ends_at=start + timedelta(minutes=minutes),
        location="Video call: https://meet.example.com/jo", manage_token=token,
        uid=f"booking-{token}@localhost", created_at=now() - 2 * HOUR, updated_at=now() - HOUR,
    )
    values.update(fields)
    return Booking.create(**values)


def cancel(booking, when=None):
    """What cancelling does to the row (without the emails blueprints.booking.service would queue)."""
    from scheduling.models import Booking
    when = when or now()
    Booking.update(status="cancelled", cancelled_at=when, cancelled_by="visitor", updated_at=when,
                   sequence=Booking.sequence + 1).where(Booking.id == booking.id).execute()
    return Booking.get_by_id(booking.id)


def settle_profiles(ago=HOUR):
    """Profiles were just created; date them back so Last-Modified comes from what a test does."""
    from blueprints.auth.models import CoachProfile
    CoachProfile.update(updated_at=now() - ago).execute()


def ics(busy=(), free=(), cancelled=(), all_day=()):
    """An ICS document (built with icalendar) with the given (start, end) events."""
    calendar = Calendar()
    calendar.add("PRODID", "-//Test//Calendar//EN")
    calendar.add("VERSION", "2.0")
    groups = [(busy, {}), (free, {"TRANSP": "TRANSPARENT"}), (cancelled, {"STATUS": "CANCELLED"})]
    for number, (start, end, extra) in enumerate(
            (s, e, extra) for spans, extra in groups for s, e in spans):
        event = Event()
        event.add("UID", f"test-{number}@example.com")
        event.add("DTSTAMP", start)
        event.add("DTSTART", start)
        event.add("DTEND", end)
        event.add("SUMMARY", "Dentist")
        for name, value in extra.items():
            event.add(name, value)
        calendar.add_component(event)
    for day in all_day:
        event = Event()
        event.add("UID", f"day-{day}@example.com")
        event.add("DTSTAMP", now())
        event.add("DTSTART", day)
        event.add("SUMMARY", "Holiday")
        calendar.add_component(event)
    return calendar.to_ical()


def parse(body):
    return Calendar.from_ical(body)


def events_of(body):
    return {str(event["UID"]): event for event in parse(body).walk("VEVENT")}


# --- a calendar server on loopback ---------------------------------------------------------

class CalendarServer:
    """Serves `files[path] = body` with a strong ETag and answers If-None-Match with 304."""

    def __init__(self):
        self.files = {}
        self.requests = []  # (path, headers) of every request received
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                body = server.files.get(self.path)
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def validators_sent(self):
        """The If-None-Match of each request, in order (None for an unconditional one)."""
        return [headers.get("If-None-Match") for _, headers in self.requests]


@pytest.fixture
def calendar_server():
    server = CalendarServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()
