"""Progress and chart geometry: pure functions, no app."""
from datetime import date, datetime, timedelta, timezone

import pytest

from blueprints.goals import charts

T0 = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)


@pytest.mark.parametrize("flags,manual,expected", [
    ([], None, 0),                       # no steps, no figure
    ([True, True, True], None, 100),     # all done
    ([True, False, False], None, 33),
    ([True, True, False], None, 67),
    ([True] + [False] * 7, None, 13),    # 12.5 rounds up, not to even
    ([False, False], None, 0),
    ([True, False], 80, 80),             # set by hand wins over the steps
    ([], 0, 0),                          # by hand, even zero
    ([True], 250, 100), ([True], -5, 0),  # limits
])
def test_goal_progress(flags, manual, expected):
    assert charts.goal_progress(flags, manual) == expected


@pytest.mark.parametrize("due,done,expected", [
    (None, False, None),
    (date(2026, 3, 9), False, "overdue"),
    (date(2026, 3, 10), False, "this_week"),   # today
    (date(2026, 3, 16), False, "this_week"),   # the seventh day
    (date(2026, 3, 17), False, None),
    (date(2026, 3, 1), True, None),            # done steps never stand out
])
def test_step_urgency(due, done, expected):
    assert charts.step_urgency(due, date(2026, 3, 10), done) == expected


def test_checkin_chart_with_no_history_draws_nothing():
    assert charts.checkin_chart([]) is None


def test_one_checkin_sits_in_the_middle():
    chart = charts.checkin_chart([(T0, 40, 7, "1 Mar")])
    assert chart.progress[0].x == (chart.left + chart.right) / 2
    assert chart.progress[0].y == pytest.approx(chart.bottom - 0.4 * (chart.bottom - chart.top))
    assert chart.confidence[0].y == pytest.approx(chart.bottom - 0.7 * (chart.bottom - chart.top))
    assert chart.x_labels == [(chart.progress[0].x, "1 Mar")]


def test_many_checkins_spread_by_time_and_values_at_the_limits():
    points = [(T0, 0, 1, "a"), (T0 + timedelta(days=1), 100, 10, "b"), (T0 + timedelta(days=4), 50, None, "c")]
    chart = charts.checkin_chart(points)
    xs = [p.x for p in chart.progress]
    assert xs[0] == chart.left and xs[-1] == chart.right
    assert xs[1] == pytest.approx(chart.left + (chart.right - chart.left) / 4)
    assert chart.progress[0].y == chart.bottom and chart.progress[1].y == chart.top
    assert [p.value for p in chart.confidence] == [1, 10]  # no confidence: no point
    assert chart.progress_path.count(",") == 3


def test_out_of_range_values_are_clamped_and_same_moment_points_spread_evenly():
    chart = charts.checkin_chart([(T0, 150, 20, "a"), (T0, -3, 0, "b"), (T0, 50, 5, "c")])
    assert [p.value for p in chart.progress] == [100, 0, 50]
    assert [p.value for p in chart.confidence] == [10, 1, 5]
    xs = [p.x for p in chart.progress]
    assert xs == sorted(xs) and xs[1] == pytest.approx((chart.left + chart.right) / 2)


def test_many_checkins_label_at_most_five_dates_including_first_and_last():
    points = [(T0 + timedelta(days=i), i, 5, f"d{i}") for i in range(30)]
    labels = [label for _, label in charts.checkin_chart(points).x_labels]
    assert len(labels) == 5 and labels[0] == "d0" and labels[-1] == "d29"


def _points(polygon):
    return [tuple(map(float, p.split(","))) for p in polygon.split()]


def test_all_zero_wheel_collapses_to_the_centre():
    chart = charts.radar_chart(["A", "B", "C", "D"], [0, 0, 0, 0])
    assert all(p == (chart.center, chart.center) for p in _points(chart.current))
    assert chart.previous is None


def test_full_wheel_reaches_the_outer_ring_and_the_first_spoke_points_up():
    chart = charts.radar_chart(["A", "B", "C", "D"], [10, 10, 10, 10], [5, None, 5, 5])
    outer = dict(chart.rings)[10]
    assert chart.current == outer
    top = _points(chart.current)[0]
    assert top[0] == pytest.approx(chart.center) and top[1] == pytest.approx(chart.center - chart.radius, abs=0.1)
    previous = _points(chart.previous)
    assert previous[1] == pytest.approx((chart.center, chart.center), abs=0.1)  # unrated: at the centre
    assert [s.anchor for s in chart.spokes] == ["middle", "start", "middle", "end"]


def test_wheel_scores_are_clamped_and_no_areas_draw_nothing():
    chart = charts.radar_chart(["A", "B", "C"], [99, -4, 5])
    assert [d[2] for d in chart.current_dots] == [10, 0, 5]
    assert charts.radar_chart([], []) is None
    assert len(charts.radar_chart(["Only"], [7]).spokes) == 1
