"""The indicator chart: points where the values are, both axes labelled, a legend, and nothing drawn for
an indicator without values, baseline or target."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from concord.programmes.charts import BOTTOM, HEIGHT, TOP, Point, indicator_line_chart


def _chart(**kw):
    return indicator_line_chart(
        [Point(dt.date(2023, 1, 1), Decimal("10")), Point(dt.date(2024, 1, 1), Decimal("30"))],
        unit="people",
        title="Trained <staff>",
        chart_id="c1",
        **kw,
    )


def test_points_are_placed_by_value_and_date():
    svg = str(_chart())
    circles = [
        (float(x), float(y))
        for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="4" fill="#1d5fa8"><title', svg)
    ]
    (x1, y1), (x2, y2) = circles
    assert x1 < x2  # later dates to the right
    bottom = HEIGHT - BOTTOM
    # The value axis runs from 0 to the largest value: 30 at the top, 10 a third of the way up.
    assert abs(y2 - TOP) < 0.1
    assert abs((bottom - y1) / (bottom - TOP) - 1 / 3) < 0.01


def test_axes_legend_and_title_are_labelled_and_escaped():
    svg = str(
        _chart(
            baseline=Point(dt.date(2022, 1, 1), Decimal("5")),
            target=Point(dt.date(2025, 1, 1), Decimal("50")),
        )
    )
    assert "Trained &lt;staff&gt;" in svg and "<staff>" not in svg
    assert ">people</text>" in svg
    assert ">Jan 2022</text>" in svg and ">Jan 2025</text>" in svg
    for label in ("Measured values", "Baseline", "Target"):
        assert f">{label}</text>" in svg
    assert "<title>Baseline: 5 people</title>" in svg and "<title>Target: 50 people</title>" in svg
    assert 'aria-labelledby="c1"' in svg and '<title id="c1">' in svg


def test_nothing_to_draw_gives_nothing():
    assert indicator_line_chart([], unit="%", title="Empty", chart_id="c2") == ""


def test_one_value_is_drawn_in_the_middle():
    svg = str(
        indicator_line_chart([Point(dt.date(2024, 1, 1), Decimal("0"))], unit="%", title="T", chart_id="c3")
    )
    assert svg.count('r="4" fill="#1d5fa8"><title') == 1
