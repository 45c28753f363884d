"""A 30-minute discovery call and a 60-minute coaching session race for overlapping times
through two real server processes (SQLite or PostgreSQL): exactly one of them wins."""
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest

from support.accounts import PASSWORD
from support.booking import CHANGE, bookings, free_slots, iso, open_all_week, questions
from support.servers import csrf_of, http_visitor

pytestmark = pytest.mark.slow
RACERS = 12


def signed_in_client(base, email):
    opener = http_visitor()
    with opener.open(f"{base}/login", timeout=20) as response:
        token = csrf_of(response.read().decode())
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD}).encode()
    status, _ = post_booking_to(opener, f"{base}/login", data)
    assert status == 303
    return opener


def post_booking_to(opener, url, data):
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_call_and_a_session_on_overlapping_times_never_both_book(live_server, users):
    from scheduling.models import SessionType
    coach = users["coach"]
    open_all_week(coach, call_minutes=30, step_minutes=30)
    session_type = SessionType.create(coach=coach, name="Coaching session", minutes=60,
                                      location_detail="https://meet.example.com/room")
    call_start = free_slots(coach)[2].start
    session_start = call_start - timedelta(minutes=30)  # 60 minutes from here covers the call's half hour
    change, heard = questions(coach)[:2]

    racers = []
    for index in range(RACERS):
        if index % 2:
            opener = http_visitor()
            url = f"{live_server}/book/slot?" + urllib.parse.urlencode({"start": iso(call_start), "tz": "Europe/London"})
            with opener.open(url, timeout=20) as response:
                token = csrf_of(response.read().decode())
            data = {"csrf_token": token, "start": iso(call_start), "tz": "Europe/London", "name": f"Visitor {index}",
                    "email": f"visitor{index}@example.org", "consent": "y", f"q{change.id}": CHANGE, f"q{heard.id}": ""}
            racers.append((opener, f"{live_server}/book", data))
        else:
            opener = signed_in_client(live_server, ("alex@example.com", "sam@example.com")[index // 2 % 2])
            url = f"{live_server}/me/book/{session_type.id}/slot?" + urllib.parse.urlencode(
                {"start": iso(session_start), "tz": "Europe/London"})
            with opener.open(url, timeout=20) as response:
                token = csrf_of(response.read().decode())
            data = {"csrf_token": token, "type": session_type.id, "start": iso(session_start), "tz": "Europe/London"}
            racers.append((opener, f"{live_server}/me/book", data))

    barrier = threading.Barrier(RACERS)
    results = [None] * RACERS

    def run(index, opener, url, data):
        body = urllib.parse.urlencode(data).encode()
        barrier.wait(timeout=30)
        results[index] = post_booking_to(opener, url, body)

    threads = [threading.Thread(target=run, args=(i, *racer)) for i, racer in enumerate(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    statuses = sorted(status for status, _ in results)
    assert statuses == [303] + [409] * (RACERS - 1), statuses
    [booking] = bookings()
    assert (booking.kind, booking.starts_at) in {("discovery", call_start), ("session", session_start)}
