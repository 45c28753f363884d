"""Coaches' stamps on PostgreSQL: kept by each worker and forgotten when the database announces a
change (LISTEN/NOTIFY); a worker whose listening connection dies reads them each time instead.

The changes here are made from another connection, as another worker's booking would be: this
process does not forget its stamps by itself, only the notification (or its absence) decides.
No timed assertions: a stale page is allowed for at most 2 × HEARTBEAT (the documented bound),
and the tests wait at most that long for it to go.
"""
import time

import pytest

from support.app import ON_POSTGRES
from support.booking import free_slots, iso, make_booking

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="LISTEN/NOTIFY is PostgreSQL's; SQLite reads each time")


def eventually(condition, seconds):
    """True as soon as `condition()` is; False if it still is not after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def listening(make_app, open_coach):
    from scheduling import stamps
    app = make_app(STAMP_LISTEN=True)
    store = stamps.store()
    store.primary()  # starts the listener
    assert eventually(store.healthy, 10), "the listener never connected"
    yield app, store
    store.stop()


@pytest.fixture
def stamp_reads(monkeypatch):
    """How many times a stamp was read from the database."""
    from blueprints.auth.models import CoachProfile
    reads = []
    for name in ("primary_stamp", "stamp_of"):
        original = getattr(CoachProfile, name)
        monkeypatch.setattr(CoachProfile, name, lambda *a, _o=original: reads.append(1) or _o(*a))
    return reads


def booked_elsewhere(coach, start, database_url):
    """Another worker's booking: the row, and the coach's version raised, committed by another connection."""
    import psycopg2
    make_booking(coach, start)
    with psycopg2.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute("UPDATE coach_profile SET availability_version = availability_version + 1, "
                       "updated_at = now() WHERE user_id = %s", (coach.id,))
    conn.close()


def page_of(app, slot):
    return app.test_client().get(f"/book?date={slot.start.date().isoformat()}&tz=Europe/London").get_data(as_text=True)


def test_a_cached_page_costs_no_query_and_stops_offering_a_slot_booked_elsewhere_within_the_bound(
        listening, open_coach, stamp_reads, database_url):
    from scheduling import stamps
    app, store = listening
    slot = free_slots(open_coach)[3]
    assert iso(slot.start) in page_of(app, slot)
    reads = len(stamp_reads)
    assert iso(slot.start) in page_of(app, slot)
    assert len(stamp_reads) == reads  # served on the kept stamp: no round trip

    booked_elsewhere(open_coach, slot.start, database_url)
    assert eventually(lambda: iso(slot.start) not in page_of(app, slot), 2 * stamps.HEARTBEAT)


def test_a_worker_whose_listener_dies_reads_stamps_each_time_then_listens_again(
        listening, open_coach, stamp_reads, database_url, monkeypatch):
    import psycopg2
    app, store = listening
    slot = free_slots(open_coach)[5]
    assert iso(slot.start) in page_of(app, slot)

    refuse = {"on": True}
    connect = store._connect
    monkeypatch.setattr(store, "_connect", lambda: connect() if not refuse["on"] else 1 / 0)
    with psycopg2.connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", (store.backend_pid,))
    conn.close()
    assert eventually(lambda: not store.healthy(), 10), "the dead connection went unnoticed"

    booked_elsewhere(open_coach, slot.start, database_url)  # its notification reaches no one
    reads = len(stamp_reads)
    assert iso(slot.start) not in page_of(app, slot)  # at once: the stamp was read, not remembered
    page_of(app, slot)
    assert len(stamp_reads) >= reads + 2

    refuse["on"] = False
    assert eventually(store.healthy, 10), "the listener never came back"
    other = free_slots(open_coach)[7]
    assert iso(other.start) in page_of(app, other)
    reads = len(stamp_reads)
    page_of(app, other)
    assert len(stamp_reads) == reads  # listening again: stamps kept

