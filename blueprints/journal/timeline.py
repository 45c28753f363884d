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


def sparkline(points, end, weeks=8, width=240, height=48, pad=4):
    """`points`: (datetime, mood or None, energy or None) over the last `weeks` weeks up to `end`.

    Returns coordinates for an SVG polyline per measure, weekly averages for a table, and one
    sentence that says the same for people who cannot see the picture.
    """
    start = end - timedelta(weeks=weeks)
    points = sorted((p for p in points if start <= p[0] <= end), key=lambda p: p[0])
    span = (end - start).total_seconds()

    def x(at):
        return round(pad + (at - start).total_seconds() / span * (width - 2 * pad), 1)

    def line(index):
        return " ".join(f"{x(p[0])},{_y(p[index], height, pad)}" for p in points if p[index])

    week_rows = []
    for n in range(weeks):
        lo, hi = start + timedelta(weeks=n), start + timedelta(weeks=n + 1)
        inside = [p for p in points if lo <= p[0] < hi or (n == weeks - 1 and p[0] == hi)]
        week_rows.append((lo, _average(p[1] for p in inside), _average(p[2] for p in inside), len(inside)))
    moods = [p[1] for p in points if p[1]]
    energies = [p[2] for p in points if p[2]]
    return Sparkline(width, height, line(1), line(2),
                     [(x(p[0]), _y(p[1], height, pad)) for p in points if p[1]],
                     week_rows, _summary(moods, energies, weeks))


def _trend(values):
    if len(values) < 2:
        return ""
    half = len(values) // 2
    before, after = _average(values[:half]), _average(values[half:])
    if after - before >= 0.5:
        return ", rising"
    if before - after >= 0.5:
        return ", falling"
    return ", steady"


def _summary(moods, energies, weeks):
    if not moods and not energies:
        return f"No mood or energy noted in the last {weeks} weeks."
    parts = []
    if moods:
        parts.append(f"mood averaged {_average(moods)} of 5 over {len(moods)} entries{_trend(moods)}")
    if energies:
        parts.append(f"energy averaged {_average(energies)} of 5 over {len(energies)} entries{_trend(energies)}")
    return f"In the last {weeks} weeks, " + "; ".join(parts) + "."
