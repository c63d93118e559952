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


@dataclass(frozen=True)
class Point:
    date: dt.date
    value: Decimal


def _fmt(value: Decimal) -> str:
    return number_format(
        value.normalize() if value == value.to_integral() else value, decimal_pos=None, use_l10n=True
    )


def indicator_line_chart(
    points: list[Point],
    *,
    unit: str,
    title: str,
    chart_id: str,
    baseline: Point | None = None,
    target: Point | None = None,
) -> SafeString:
    """An SVG line-and-points chart of ``points`` (sorted by date), with the baseline and target as marked
    points, the value axis in ``unit``, labelled ticks on both axes and a legend. Empty string when there is
    nothing to draw. ``chart_id`` is the id of the SVG's title element, unique on the page."""
    points = sorted(points, key=lambda p: p.date)
    marks = [p for p in (baseline, target) if p is not None]
    everything = points + marks
    if not everything:
        return mark_safe("")
    dates = [p.date for p in everything]
    values = [p.value for p in everything]
    d0, d1 = min(dates), max(dates)
    v0, v1 = min(min(values), Decimal(0)), max(values)
    if v1 == v0:
        v1 = v0 + 1
    span_days = max((d1 - d0).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(d: dt.date) -> str:
        return f"{LEFT + (plot_w * ((d - d0).days / span_days) if d1 != d0 else plot_w / 2):.1f}"

    def y(v: Decimal) -> str:
        return f"{TOP + plot_h * float((v1 - v) / (v1 - v0)):.1f}"

    parts: list[str] = []
    # Value axis: five ticks from v0 to v1.
    for i in range(5):
        v = v0 + (v1 - v0) * Decimal(i) / 4
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d0d0"/>'
                '<text x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                y(v),
                y(v),
                LEFT - 6,
                f"{float(y(v)) + 4:.1f}",
                _fmt(v.quantize(Decimal("0.01"))),
            )
        )
    # Date axis: the first and last dates, and the middle one when they are far apart.
    ticks = [d0, d1] if d0 != d1 else [d0]
    if span_days > 60:
        ticks.insert(1, d0 + dt.timedelta(days=span_days // 2))
    for d in ticks:
        # The outer labels align to the plot's edges, so they are not cut off by the frame.
        anchor = "start" if d == d0 and d0 != d1 else "end" if d == d1 and d0 != d1 else "middle"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}">{}</text>',
                x(d),
                HEIGHT - BOTTOM + 18,
                anchor,
                date_format(d, "M Y"),
            )
        )
    parts.append(
        format_html(
            '<text x="14" y="{}" transform="rotate(-90 14 {})" text-anchor="middle">{}</text>',
            TOP + plot_h // 2,
            TOP + plot_h // 2,
            unit,
        )
    )
    if points:
        path = " ".join(f"{x(p.date)},{y(p.value)}" for p in points)
        parts.append(
            format_html('<polyline points="{}" fill="none" stroke="#1d5fa8" stroke-width="2"/>', path)
        )
        parts.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="4" fill="#1d5fa8"><title>{}: {} {}</title></circle>',
                ((x(p.date), y(p.value), date_format(p.date), _fmt(p.value), unit) for p in points),
            )
        )
    for mark, colour, label in ((baseline, "#777", _("Baseline")), (target, "#c2571a", _("Target"))):
        if mark is not None:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="9" height="9" fill="{}">'
                    "<title>{}: {} {}</title></rect>",
                    f"{float(x(mark.date)) - 4.5:.1f}",
                    f"{float(y(mark.value)) - 4.5:.1f}",
                    colour,
                    label,
                    _fmt(mark.value),
                    unit,
                )
            )
    legend_y = HEIGHT - 16
    legend = [
        format_html(
            '<circle cx="{}" cy="{}" r="4" fill="#1d5fa8"/><text x="{}" y="{}">{}</text>',
            LEFT,
            legend_y - 4,
            LEFT + 10,
            legend_y,
            _("Measured values"),
        ),
        format_html(
            '<rect x="{}" y="{}" width="9" height="9" fill="#777"/><text x="{}" y="{}">{}</text>',
            LEFT + 170,
            legend_y - 9,
            LEFT + 184,
            legend_y,
            _("Baseline"),
        ),
        format_html(
            '<rect x="{}" y="{}" width="9" height="9" fill="#c2571a"/><text x="{}" y="{}">{}</text>',
            LEFT + 290,
            legend_y - 9,
            LEFT + 304,
            legend_y,
            _("Target"),
        ),
    ]
    body = format_html_join("", "{}", ((p,) for p in parts + legend))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}" class="chart" direction="ltr" font-size="12" font-family="sans-serif">'
        '<title id="{}">{}</title>{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        title,
        body,
    )
