"""Progress and chart geometry for goals and the wheel of life — pure functions.

Plain values in (booleans, numbers, dates, strings), plain values out; no Flask, no database.
The templates draw the SVG from what these return, so the maths is tested here once.
"""
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

WEEK_DAYS = 7


def clamp(value, low, high):
    return max(low, min(high, value))


def percent(done, total):
    """Whole percent, halves rounded up (1 of 8 is 13 %, not Python's banker's 12 %)."""
    if total <= 0:
        return 0
    return clamp(int(100 * done / total + 0.5), 0, 100)


def goal_progress(steps_done, manual=None):
    """A goal's progress 0–100: the client's own figure when set, else the share of steps done.

    `steps_done` is one boolean per step. No steps and no figure: 0.
    """
    if manual is not None:
        return clamp(int(manual), 0, 100)
    flags = list(steps_done)
    return percent(sum(1 for done in flags if done), len(flags))


def week_end(today: date) -> date:
    """The last day of "this week": the seven days starting today."""
    return today + timedelta(days=WEEK_DAYS - 1)


def step_urgency(due: date | None, today: date, done: bool) -> str | None:
    """"overdue", "this_week" or None, for how a step should stand out."""
    if done or due is None:
        return None
    if due < today:
        return "overdue"
    if due <= week_end(today):
        return "this_week"
    return None


# --- check-ins over time: a line chart ------------------------------------------------------

@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: int
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    progress: list = field(default_factory=list)
    confidence: list = field(default_factory=list)
    y_ticks: list = field(default_factory=list)  # (y, "50 %", "5") for both axes
    x_labels: list = field(default_factory=list)  # (x, label)

    @property
    def progress_path(self):
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.progress)

    @property
    def confidence_path(self):
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.confidence)


def checkin_chart(points, width=640, height=260, margin=(20, 48, 36, 48)):
    """Geometry of the check-in chart, or None when there is nothing to draw.

    `points` are (moment, progress 0–100, confidence 1–10 or None, label) in time order.
    Progress uses the left axis (0–100 %), confidence the right one (0–10). The x position is
    proportional to time; a single check-in, or several at one moment, sit evenly spaced.
    `margin` is (top, right, bottom, left).
    """
    points = list(points)
    if not points:
        return None
    top, right, bottom, left = margin
    plot_left, plot_right = float(left), float(width - right)
    plot_top, plot_bottom = float(top), float(height - bottom)
    xs = _x_positions([p[0] for p in points], plot_left, plot_right)

    def y_for(fraction):
        return plot_bottom - clamp(fraction, 0.0, 1.0) * (plot_bottom - plot_top)

    progress, confidence = [], []
    for x, (_, pct, conf, label) in zip(xs, points):
        pct = clamp(int(pct), 0, 100)
        progress.append(ChartPoint(x, y_for(pct / 100), pct, label))
        if conf is not None:
            conf = clamp(int(conf), 1, 10)
            confidence.append(ChartPoint(x, y_for(conf / 10), conf, label))
    ticks = [(y_for(i / 4), f"{25 * i} %", f"{i * 2.5:g}") for i in range(5)]
    labels = _x_labels(xs, [p[3] for p in points])
    return LineChart(width, height, plot_left, plot_top, plot_right, plot_bottom,
                     progress, confidence, ticks, labels)


def _x_positions(moments, left, right):
    n = len(moments)
    first, last = moments[0], moments[-1]
    span = (last - first).total_seconds() if n > 1 else 0
    if span <= 0:
        if n == 1:
            return [(left + right) / 2]
        return [left + (right - left) * i / (n - 1) for i in range(n)]
    return [left + (right - left) * (m - first).total_seconds() / span for m in moments]


def _x_labels(xs, labels, most=5):
    """First, last and a few evenly chosen labels in between, so dates never overlap."""
    n = len(xs)
    if n <= most:
        chosen = range(n)
    else:
        chosen = sorted({round(i * (n - 1) / (most - 1)) for i in range(most)})
    return [(xs[i], labels[i]) for i in chosen]


# --- the wheel of life: a radar chart ---------------------------------------------------------

@dataclass(frozen=True)
class RadarSpoke:
    name: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class RadarChart:
    size: int
    center: float
    radius: float
    spokes: list
    rings: list  # (score, "x,y …") for 2, 4, 6, 8, 10
    current: str
    current_dots: list  # (x, y, score, name)
    previous: str | None


def radar_chart(names, current, previous=None, size=360, max_score=10, padding=70):
    """Geometry of the wheel: one spoke per area, scores 0–`max_score` along it.

    `current` and `previous` give one score per name (None counts as 0, out-of-range values
    are clamped). Returns None for no areas.
    """
    names = list(names)
    n = len(names)
    if n == 0:
        return None
    center = size / 2
    radius = center - padding / 2 - 10
    angles = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]

    def point(angle, fraction):
        return center + radius * fraction * math.cos(angle), center + radius * fraction * math.sin(angle)

    def polygon(scores):
        fractions = [clamp(s or 0, 0, max_score) / max_score for s in scores]
        return " ".join("{:.1f},{:.1f}".format(*point(a, f)) for a, f in zip(angles, fractions))

    spokes = []
    for name, angle in zip(names, angles):
        x, y = point(angle, 1)
        lx, ly = point(angle, 1.12)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        spokes.append(RadarSpoke(name, x, y, lx, ly + 4, anchor))
    rings = [(s, polygon([s] * n)) for s in range(2, max_score + 1, 2)]
    scores = [clamp(s or 0, 0, max_score) for s in current]
    dots = [(*point(a, s / max_score), s, name) for a, s, name in zip(angles, scores, names)]
    return RadarChart(size, center, radius, spokes, rings, polygon(current), dots,
                      polygon(previous) if previous is not None else None)
