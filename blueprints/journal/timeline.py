"""Pure helpers for reflecting over time: entries grouped by the session they lead up to,
and a mood/energy sparkline. Plain values in, plain values out — no Flask, no database."""
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import timedelta


@dataclass
class Group:
    session: object = None  # the session these entries lead up to (None: none booked yet)
    entries: list = field(default_factory=list)


def group_by_session(entries, sessions):
    """`entries` newest first; `sessions` any order, each with `.starts_at`.

    Returns groups newest first; each holds the entries written before its session (and after
    the one before). Sessions between the page's first and last group appear as empty groups,
    so the rhythm of sessions stays visible even when nothing was written between two of them.
    """
    sessions = sorted(sessions, key=lambda s: s.starts_at)
    starts = [s.starts_at for s in sessions]
    groups, keys = [], []
    for entry in entries:
        key = bisect_right(starts, entry.created_at)  # index of the first session after the entry
        if keys and keys[-1] == key:
            groups[-1].entries.append(entry)
            continue
        if keys:  # sessions skipped between the previous group and this one
            for missing in range(keys[-1] - 1, key, -1):
                groups.append(Group(sessions[missing]))
                keys.append(missing)
        groups.append(Group(sessions[key] if key < len(sessions) else None, [entry]))
        keys.append(key)
    return groups


@dataclass
class Day:
    """What was noted on one day of the sparkline's period (day 0 starts the period)."""
    number: int
    mood_total: int = 0
    moods: int = 0
    energy_total: int = 0
    energies: int = 0
    entries: int = 0

    @property
    def mood(self):
        return self.mood_total / self.moods if self.moods else None

    @property
    def energy(self):
        return self.energy_total / self.energies if self.energies else None


@dataclass
class Sparkline:
    width: int
    height: int
    mood_points: str
    energy_points: str
    mood_dots: list
    weeks: list  # (week starting, mood average or None, energy average or None, entries)
    summary: str


def _y(value, height, pad):
    return round(height - pad - (value - 1) / 4 * (height - 2 * pad), 1)


def _average(values):
    values = [v for v in values if v]
    return round(sum(values) / len(values), 1) if values else None


def _ratio(total, count):
    return round(total / count, 1) if count else None


def days_of(points, start, end):
    """(datetime, mood or None, energy or None) points → one `Day` per day with entries, in order.

    The database sums the same per day (`JournalEntry.days_noted`), so the picture costs the same
    however many entries a day holds."""
    days = {}
    for at, mood, energy in points:
        if not start <= at <= end:
            continue
        number = int((at - start).total_seconds() // 86400)
        day = days.setdefault(number, Day(number))
        day.entries += 1
        if mood:
            day.mood_total, day.moods = day.mood_total + mood, day.moods + 1
        if energy:
            day.energy_total, day.energies = day.energy_total + energy, day.energies + 1
    return [days[n] for n in sorted(days)]


def sparkline(points, end, weeks=8, width=240, height=48, pad=4):
    """`points`: (datetime, mood or None, energy or None) over the last `weeks` weeks up to `end`."""
    start = end - timedelta(weeks=weeks)
    return sparkline_of_days(days_of(points, start, end), end, weeks, width, height, pad)


def sparkline_of_days(days, end, weeks=8, width=240, height=48, pad=4):
    """`days`: `Day`s of the last `weeks` weeks up to `end`, day 0 starting `end - weeks`.

    Returns coordinates for an SVG polyline per measure (one point a day: the day's average),
    weekly averages for a table, and one sentence that says the same for people who cannot see
    the picture. Averages and counts are over entries, not days.
    """
    start = end - timedelta(weeks=weeks)
    last = weeks * 7 - 1  # an entry at exactly `end` counts in the last day
    days = sorted(days, key=lambda d: d.number)

    def x(day):  # the middle of the day
        return round(pad + (min(day.number, last) + 0.5) / (last + 1) * (width - 2 * pad), 1)

    def line(measure):
        return " ".join(f"{x(d)},{_y(getattr(d, measure), height, pad)}" for d in days if getattr(d, measure))

    week_rows = []
    for n in range(weeks):
        inside = [d for d in days if min(d.number, last) // 7 == n]
        week_rows.append((start + timedelta(weeks=n),
                          _ratio(sum(d.mood_total for d in inside), sum(d.moods for d in inside)),
                          _ratio(sum(d.energy_total for d in inside), sum(d.energies for d in inside)),
                          sum(d.entries for d in inside)))
    return Sparkline(width, height, line("mood"), line("energy"),
                     [(x(d), _y(d.mood, height, pad)) for d in days if d.mood],
                     week_rows, _summary(days, weeks))


def _trend(values):
    """Rising, falling or steady: the later half of the days against the earlier half."""
    if len(values) < 2:
        return ""
    half = len(values) // 2
    before, after = _average(values[:half]), _average(values[half:])
    if after - before >= 0.5:
        return ", rising"
    if before - after >= 0.5:
        return ", falling"
    return ", steady"


def _summary(days, weeks):
    moods = sum(d.moods for d in days)
    energies = sum(d.energies for d in days)
    if not moods and not energies:
        return f"No mood or energy noted in the last {weeks} weeks."
    parts = []
    if moods:
        parts.append(f"mood averaged {_ratio(sum(d.mood_total for d in days), moods)} of 5 over {moods} entries"
                     f"{_trend([d.mood for d in days if d.mood])}")
    if energies:
        parts.append(f"energy averaged {_ratio(sum(d.energy_total for d in days), energies)} of 5 over "
                     f"{energies} entries{_trend([d.energy for d in days if d.energy])}")
    return f"In the last {weeks} weeks, " + "; ".join(parts) + "."
