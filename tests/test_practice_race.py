"""Two coaches of one practice booked at the same instant by different visitors, through two
real server processes (SQLite or PostgreSQL): the no-overlap guarantee is per coach, so both
calls are booked — and each coach's own time still goes to exactly one visitor."""
import urllib.error
import urllib.parse
import urllib.request

import pytest

from support.booking import CHANGE, bookings, free_slots, iso, open_all_week, questions
from support.servers import all_at_once, csrf_of, http_visitor

pytestmark = pytest.mark.slow


def visitor(base, path, coach, start, index):
    """One visitor: opens the booking form at `path`, waits for the others, sends it; (path, status)."""
    def go(ready):
        opener = http_visitor()
        query = urllib.parse.urlencode({"start": iso(start), "tz": "Europe/London"})
        with opener.open(f"{base}{path}/slot?{query}", timeout=20) as response:
            token = csrf_of(response.read().decode())
        change, heard = questions(coach)[:2]
        data = urllib.parse.urlencode({
            "csrf_token": token, "start": iso(start), "tz": "Europe/London", "name": f"Visitor {index}",
            "email": f"visitor{index}@example.org", "consent": "y", f"q{change.id}": CHANGE,
            f"q{heard.id}": ""}).encode()
        ready()
        try:
            with opener.open(urllib.request.Request(f"{base}{path}", data=data), timeout=30) as response:
                return path, response.status
        except urllib.error.HTTPError as exc:
            return path, exc.code
    return go


def race(base, racers, start):
    """`racers`: [(path, coach)], all posting for `start` at the same moment; [(path, status)]."""
    return all_at_once([visitor(base, path, coach, start, i) for i, (path, coach) in enumerate(racers)])


def test_two_coaches_booked_at_the_same_instant_both_succeed(live_server, users):
    jo, pat = users["coach"], users["other_coach"]
    open_all_week(jo)
    open_all_week(pat)
    both_free = sorted({s.start for s in free_slots(jo)} & {s.start for s in free_slots(pat)})
    first, second = both_free[0], both_free[4]

    # One visitor each: both are booked.
    results = race(live_server, [("/book", jo), ("/coaches/pat-other/book", pat)], first)
    assert sorted(status for _, status in results) == [303, 303], results
    assert sorted((b.coach_id, b.starts_at) for b in bookings()) == sorted([(jo.id, first), (pat.id, first)])

    # Four visitors each at another instant: each coach's time goes to exactly one of them.
    racers = [("/book", jo), ("/coaches/pat-other/book", pat)] * 4
    results = race(live_server, racers, second)
    for path in ("/book", "/coaches/pat-other/book"):
        assert sorted(status for p, status in results if p == path) == [303, 409, 409, 409], results
    at_second = [b for b in bookings() if b.starts_at == second and b.status == "confirmed"]
    assert sorted(b.coach_id for b in at_second) == sorted([jo.id, pat.id])
