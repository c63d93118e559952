"""An indicator's values over time as a server-side SVG line chart, with its baseline and target.

This small chart function serves the programme page until the shared chart module (values, labels and
legends for every app) lands on main; it will then move onto that module, keeping its output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 16, 64  # room for the axis labels and the legend
SERIES, BASELINE, TARGET = "#1d5fa8", "#777", "#c2571a"


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: Decimal


def _fmt(value: Decimal) -> str:
    return number_format(
        value.normalize() if value == value.to_integral() else value, decimal_pos=None, use_l10n=True
    )


@dataclass(frozen=True)
class _Frame:
    """The plot's scales: dates to x and values to y, as SVG coordinates (text, one decimal)."""

    d0: dt.date
    d1: dt.date
    v0: Decimal
    v1: Decimal

    @property
    def span_days(self) -> int:
        return max((self.d1 - self.d0).days, 1)

    def x(self, d: dt.date, shift: float = 0.0) -> str:
        plot_w = WIDTH - LEFT - RIGHT
        at = plot_w * ((d - self.d0).days / self.span_days) if self.d1 != self.d0 else plot_w / 2
        return f"{LEFT + at + shift:.1f}"

    def y(self, v: Decimal, shift: float = 0.0) -> str:
        plot_h = HEIGHT - TOP - BOTTOM
        return f"{TOP + plot_h * float((self.v1 - v) / (self.v1 - self.v0)) + shift:.1f}"


def _value_axis(f: _Frame, unit: str) -> list[str]:
    """Five labelled grid lines from the lowest value (or 0) to the highest, and the unit along the axis."""
    parts = []
    for i in range(5):
        v = f.v0 + (f.v1 - f.v0) * Decimal(i) / 4
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d0d0"/>'
                '<text x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                f.y(v),
                f.y(v),
                LEFT - 6,
                f.y(v, 4),
                _fmt(v.quantize(Decimal("0.01"))),
            )
        )
    middle = TOP + (HEIGHT - TOP - BOTTOM) // 2
    parts.append(
        format_html(
            '<text x="14" y="{}" transform="rotate(-90 14 {})" text-anchor="middle">{}</text>',
            middle,
            middle,
            unit,
        )
    )
    return parts


def _date_axis(f: _Frame) -> list[str]:
    """The first and last dates, and the middle one when they are far apart. The outer labels align to
    the plot's edges, so the frame does not cut them off."""
    ticks = [f.d0, f.d1] if f.d0 != f.d1 else [f.d0]
    if f.span_days > 60:
        ticks.insert(1, f.d0 + dt.timedelta(days=f.span_days // 2))
    parts = []
    for d in ticks:
        anchor = "middle" if f.d0 == f.d1 else "start" if d == f.d0 else "end" if d == f.d1 else "middle"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}">{}</text>',
                f.x(d),
                HEIGHT - BOTTOM + 18,
                anchor,
                date_format(d, "M Y"),
            )
        )
    return parts


def _series(f: _Frame, points: list[Point], unit: str) -> list[str]:
    if not points:
        return []
    path = " ".join(f"{f.x(p.date)},{f.y(p.value)}" for p in points)
    return [
        format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>', path, SERIES),
        format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="4" fill="{}"><title>{}: {} {}</title></circle>',
            ((f.x(p.date), f.y(p.value), SERIES, date_format(p.date), _fmt(p.value), unit) for p in points),
        ),
    ]


def _marks(f: _Frame, baseline: Point | None, target: Point | None, unit: str) -> list[str]:
    parts = []
    for mark, colour, label in ((baseline, BASELINE, _("Baseline")), (target, TARGET, _("Target"))):
        if mark is not None:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="9" height="9" fill="{}"><title>{}: {} {}</title></rect>',
                    f.x(mark.date, -4.5),
                    f.y(mark.value, -4.5),
                    colour,
                    label,
                    _fmt(mark.value),
                    unit,
                )
            )
    return parts


def _legend() -> list[str]:
    y = HEIGHT - 16
    return [
        format_html(
            '<circle cx="{}" cy="{}" r="4" fill="{}"/><text x="{}" y="{}">{}</text>',
            LEFT,
            y - 4,
            SERIES,
            LEFT + 10,
            y,
            _("Measured values"),
        ),
        *(
            format_html(
                '<rect x="{}" y="{}" width="9" height="9" fill="{}"/><text x="{}" y="{}">{}</text>',
                LEFT + offset,
                y - 9,
                colour,
                LEFT + offset + 14,
                y,
                label,
            )
            for offset, colour, label in ((170, BASELINE, _("Baseline")), (290, TARGET, _("Target")))
        ),
    ]


def indicator_line_chart(
    points: list[Point],
    *,
    unit: str,
    title: str,
    chart_id: str,
    baseline: Point | None = None,
    target: Point | None = None,
) -> SafeString:
    """An SVG line-and-points chart of ``points``, with the baseline and target as marked points, the value
    axis in ``unit``, labelled ticks on both axes and a legend. Empty string when there is nothing to
    draw. ``chart_id`` is the id of the SVG's title element, unique on the page."""
    points = sorted(points, key=lambda p: p.date)
    everything = points + [p for p in (baseline, target) if p is not None]
    if not everything:
        return mark_safe("")
    v0 = min(min(p.value for p in everything), Decimal(0))
    v1 = max(p.value for p in everything)
    frame = _Frame(
        d0=min(p.date for p in everything),
        d1=max(p.date for p in everything),
        v0=v0,
        v1=v1 if v1 != v0 else v0 + 1,
    )
    parts = [
        *_value_axis(frame, unit),
        *_date_axis(frame),
        *_series(frame, points, unit),
        *_marks(frame, baseline, target, unit),
        *_legend(),
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}" class="chart" direction="ltr" font-size="12" font-family="sans-serif">'
        '<title id="{}">{}</title>{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        title,
        format_html_join("", "{}", ((p,) for p in parts)),
    )
