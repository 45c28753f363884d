"""Pure helpers: entries grouped by the session they lead up to, and the mood/energy sparkline."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from blueprints.journal.timeline import group_by_session, sparkline
from support.accounts import sign_in
from support.journal import session, write

T0 = datetime(2027, 3, 1, 9, tzinfo=timezone.utc)


@dataclass
class E:
    created_at: datetime
    name: str = ""


@dataclass
class S:
    starts_at: datetime
    name: str = ""


def day(n, hour=9):
    return T0 + timedelta(days=n, hours=hour - 9)


def shape(groups):
    return [(g.session.name if g.session else None, [e.name for e in g.entries]) for g in groups]


def test_entries_lead_up_to_the_next_session():
    sessions = [S(day(3), "s1"), S(day(10), "s2"), S(day(17), "s3")]
    entries = [E(day(12), "e4"), E(day(9), "e3"), E(day(4), "e2"), E(day(1), "e1")]
    assert shape(group_by_session(entries, sessions)) == [("s3", ["e4"]), ("s2", ["e3", "e2"]), ("s1", ["e1"])]


def test_sessions_with_nothing_before_them_still_show():
    sessions = [S(day(3), "s1"), S(day(10), "s2"), S(day(17), "s3"), S(day(24), "s4")]
    entries = [E(day(20), "late"), E(day(1), "early")]
    assert shape(group_by_session(entries, sessions)) == [("s4", ["late"]), ("s3", []), ("s2", []), ("s1", ["early"])]


def test_after_the_last_session_and_without_sessions():
    assert shape(group_by_session([E(day(30), "new")], [S(day(3), "s1")])) == [(None, ["new"])]
    assert shape(group_by_session([E(day(2), "b"), E(day(1), "a")], [])) == [(None, ["b", "a"])]
    assert group_by_session([], [S(day(3))]) == []


def test_an_entry_written_at_the_start_of_a_session_belongs_to_the_next():
    sessions = [S(day(3), "s1"), S(day(10), "s2")]
    assert shape(group_by_session([E(day(3), "during")], sessions)) == [("s2", ["during"])]


def test_sparkline_points_and_text():
    end = day(56)
    points = [(day(1), 1, 5), (day(28), 3, None), (day(55), 5, 1), (day(-30), 5, 5)]  # last one: too old
    line = sparkline(points, end, weeks=8, width=240, height=48, pad=4)
    xs = [float(p.split(",")[0]) for p in line.mood_points.split()]
    ys = [float(p.split(",")[1]) for p in line.mood_points.split()]
    assert len(xs) == 3 and xs == sorted(xs) and 4 <= xs[0] < xs[-1] <= 236
    assert ys == [44.0, 24.0, 4.0]  # low mood at the bottom, high at the top
    assert len(line.energy_points.split()) == 2
    assert line.summary == ("In the last 8 weeks, mood averaged 3.0 of 5 over 3 entries, rising; "
                            "energy averaged 3.0 of 5 over 2 entries, falling.")
    assert [w[3] for w in line.weeks] == [1, 0, 0, 0, 1, 0, 0, 1]


def test_sparkline_with_nothing_noted():
    line = sparkline([(day(1), None, None)], day(10), weeks=4)
    assert line.mood_points == "" and line.summary == "No mood or energy noted in the last 4 weeks."


def test_a_busy_day_is_one_point_but_every_entry_counts():
    end = day(56)
    points = [(day(10, hour), 1, None) for hour in (9, 10, 11)] + [(day(10, 20), 5, 4), (day(40), 4, 2)]
    line = sparkline(points, end, weeks=8)
    assert len(line.mood_points.split()) == 2 and len(line.mood_dots) == 2  # one point a day
    assert line.mood_points.split()[0].endswith(",34.0")  # that day's average, 2.0
    assert line.summary == ("In the last 8 weeks, mood averaged 2.4 of 5 over 5 entries, rising; "
                            "energy averaged 3.0 of 5 over 2 entries, falling.")
    assert [w[1:] for w in line.weeks if w[3]] == [(2.0, 4.0, 4), (4.0, 2.0, 1)]


def test_the_database_sums_days_as_the_pure_helper_does(users):
    """`JournalEntry.days_noted` (SQL, both databases) gives the same picture as the points."""
    from blueprints.journal.context import TREND_WEEKS, trend_of
    from blueprints.journal.models import JournalEntry
    from database import utcnow
    now = utcnow()
    alex = users["client_a"]
    rows = [(now - timedelta(days=d, hours=h), mood, energy) for d, h, mood, energy in [
        (0, 0, 5, None), (1, 1, 2, 3), (1, 2, None, 4), (1, 23, 4, 4), (13, 5, 3, 1), (20, 0, 1, 5),
        (34, 12, 2, 2), (55, 23, 5, 5), (57, 0, 1, 1)]]  # the last one is older than 8 weeks
    for at, mood, energy in rows:
        write(alex, "x", at=at, mood=mood, energy=energy)
    write(users["client_b"], "someone else", at=now, mood=1, energy=1)
    from_db = trend_of(JournalEntry.of_client(alex), now)
    expected = sparkline(rows, now, weeks=TREND_WEEKS)
    assert from_db == expected
    assert "mood averaged 3.1 of 5 over 7 entries" in from_db.summary  # 8 entries, one without a mood
    assert sum(week[3] for week in from_db.weeks) == 8


def test_journal_page_shows_sessions_as_landmarks(client, users):
    from database import utcnow
    now = utcnow()
    alex = users["client_a"]
    session(users["coach"], alex, now - timedelta(days=10))
    session(users["coach"], alex, now + timedelta(days=3))
    write(alex, "Before the past session", at=now - timedelta(days=12))
    write(alex, "Leading up to the next one", at=now - timedelta(days=1), mood=4, energy=3)
    html = sign_in(client, "client_a").get("/journal").get_data(as_text=True)
    assert html.index("Before your next session on") < html.index("Leading up to the next one") \
        < html.index("Before your session on") < html.index("Before the past session")
    assert html.count('class="landmark"') == 2
    assert "<svg" in html and "mood averaged 4.0 of 5 over 1 entries" in html
    assert pytest  # keeps the import for parametrised additions
