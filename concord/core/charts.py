"""Concord's one chart kit: server-side SVG charts that carry their values, axis labels, a legend and the
same numbers as a table for screen readers.

Every chart is a :class:`Chart`: its SVG (plain markup with presentation attributes only: no script, no
style attribute, so pages keep their strict Content Security Policy and the PDF brief can embed it), its
legend and a data table. ``{{ chart }}`` in a template renders ``core/_chart.html``: the figure, the legend
in HTML (so it is shaped and translated like any text), and the table behind a "data as a table" control.

Colours mean one thing everywhere: :data:`SURPLUS` for more than needed, done or on time; :data:`DEFICIT`
for less than needed, late or blocked; :data:`PROGRESS` and :data:`SECOND` for a first and a second
series compared with each other. Labels are wrapped onto up to three lines rather than cut; one still
longer ends in "…" in the drawing only, while the table and the tooltip keep it whole. Charts follow the
language's direction: in Urdu the label column is on the right and bars grow leftwards.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONTS = "system-ui, DejaVu Sans, Noto Sans, Noto Nastaliq Urdu, sans-serif"
SURPLUS = "#1b7f3b"
DEFICIT = "#b3261e"
PROGRESS = "#0b5563"
SECOND = "#b4541a"
SERIES = (PROGRESS, SECOND, "#6b3fa0", "#8a5a00", "#2f6fb0", "#5b6875")
TRACK = "#e4e8ed"
INK = "#1b2430"
MUTED = "#5a6472"
LINE_CHARS = 30
MAX_LINES = 3


@dataclass(frozen=True)
class Key:
    """A legend entry: what a colour (or mark) stands for."""

    label: str
    colour: str
    mark: str = "square"  # "square", "line", "dashed" or "diamond"


@dataclass
class Chart:
    """A drawn chart and the numbers behind it."""

    title: str
    svg: SafeString
    legend: list[Key] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""

    def __html__(self) -> str:
        return render_to_string("core/_chart.html", {"chart": self})

    def __str__(self) -> str:
        return self.__html__()


# --- drawing helpers --------------------------------------------------------------------------------------


def _rtl(rtl: bool | None) -> bool:
    return translation.get_language_bidi() if rtl is None else rtl


def wrap(label: str, chars: int = LINE_CHARS, lines: int = MAX_LINES) -> list[str]:
    """``label`` broken at spaces into lines of at most ``chars`` characters (long words are split), at
    most ``lines`` of them, the last ending in "…" when the label is longer still."""
    out: list[str] = []
    current = ""
    for word in str(label).split():
        while len(word) > chars:
            if current:
                out.append(current)
                current = ""
            out.append(word[:chars])
            word = word[chars:]
        if current and len(current) + 1 + len(word) > chars:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: chars - 1].rstrip() + "…"
    return out or [""]


def _text_width(text: str, size: int) -> float:
    return len(text) * size * 0.56


def _open(width: float, height: float, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" class="chart-svg" font-family="{FONTS}" '
        f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
    ]


def _label(x: float, y: float, lines: list[str], *, anchor: str, rtl: bool, size: int = 12, fill=INK) -> str:
    # Set either way: an inline SVG inherits the page's direction, which would put "-73.3" as "73.3-".
    direction = f' direction="{"rtl" if rtl else "ltr"}"'
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size + 2}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}"{direction}>'
        f"{spans}</text>"
    )


def _link(markup: str, href: str) -> str:
    return f'<a href="{escape(href)}">{markup}</a>' if href else markup


def _nice_max(value: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 × 10ⁿ at or above ``value`` (an axis end that reads well)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value - 1e-12:
            return step * power
    return 10 * power


def _count_axis(peak: float) -> tuple[float, int]:
    """The end of an axis of counts and its number of intervals, so that every gridline falls on a whole
    number: steps of one up to 5, else 4 or 5 steps of a round number."""
    if peak <= 5:
        steps = max(1, math.ceil(peak))
        return float(steps), steps
    top = _nice_max(peak)
    return top, 4 if (top / 4).is_integer() else 5


def _fmt(value: float | None, unit: str, decimals: int, signed: bool = False) -> str:
    if value is None:
        return "—"
    sign = "+" if signed and value > 0 else ""
    return f"{sign}{value:.{decimals}f}{unit}"


# --- horizontal bars --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of a bar chart: its label, one value per series (None: not known), and a link."""

    label: str
    values: tuple[float | None, ...]
    href: str = ""


def hbars(
    rows: Sequence[Row],
    series: Sequence[Key],
    *,
    title: str,
    axis_label: str,
    scale: float = 100.0,
    unit: str = "%",
    decimals: int = 0,
    rtl: bool | None = None,
    width: int = 640,
) -> Chart:
    """Horizontal bars, one group per row and one bar per series, each with its value written beside it,
    on an axis from 0 to ``scale`` with ticks and ``axis_label`` under it."""
    rtl = _rtl(rtl)
    wrapped = [wrap(r.label) for r in rows]
    label_w = min(max((_text_width(w, 12) for ls in wrapped for w in ls), default=60) + 12, 250)
    bar_h, gap = 14, 3
    group_h = [max(len(ls) * 14, len(series) * (bar_h + gap)) + 12 for ls in wrapped]
    value_w = 52
    plot_w = width - label_w - value_w
    top, bottom = 8, 44
    height = top + sum(group_h) + bottom

    def x(v: float) -> float:  # plot coordinates, mirrored for right-to-left
        px = label_w + plot_w * max(0.0, min(scale, v)) / scale
        return width - px if rtl else px

    parts = _open(width, height, title)
    y = top
    for row, lines, h in zip(rows, wrapped, group_h):
        lx = width - label_w + 6 if rtl else label_w - 6
        parts.append(_link(_label(lx, y + 12, lines, anchor="end", rtl=rtl), row.href))
        for j, (value, key) in enumerate(zip(row.values, series)):
            by = y + j * (bar_h + gap)
            x0, x1 = x(0), x(scale)
            parts.append(
                f'<rect x="{min(x0, x1):.1f}" y="{by}" width="{abs(x1 - x0):.1f}" height="{bar_h}" '
                f'fill="{TRACK}"/>'
            )
            if value is not None:
                xe = x(value)
                parts.append(
                    f'<rect x="{min(x0, xe):.1f}" y="{by}" width="{abs(xe - x0):.1f}" height="{bar_h}" '
                    f'fill="{key.colour}"><title>{escape(row.label)} — {escape(key.label)}: '
                    f"{_fmt(value, unit, decimals)}</title></rect>"
                )
            vx = x(scale) + (-6 if rtl else 6)
            parts.append(_label(vx, by + 11, [_fmt(value, unit, decimals)], anchor="start", rtl=rtl, size=11))
        y += h
    axis_y = y + 2
    parts.append(f'<line x1="{x(0):.1f}" y1="{axis_y}" x2="{x(scale):.1f}" y2="{axis_y}" stroke="{MUTED}"/>')
    for i in range(5):
        v = scale * i / 4
        parts.append(
            f'<line x1="{x(v):.1f}" y1="{axis_y}" x2="{x(v):.1f}" y2="{axis_y + 4}" stroke="{MUTED}"/>'
        )
        parts.append(
            _label(x(v), axis_y + 16, [_fmt(v, unit, 0)], anchor="middle", rtl=rtl, size=10, fill=MUTED)
        )
    parts.append(
        _label(x(scale / 2), axis_y + 34, [axis_label], anchor="middle", rtl=rtl, size=11, fill=MUTED)
    )
    parts.append("</svg>")
    return Chart(
        title=title,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text is escaped
        legend=list(series),
        columns=[_("Item"), *(k.label for k in series)],
        rows=[[r.label, *(_fmt(v, unit, decimals) for v in r.values)] for r in rows],
    )


# --- diverging bars: surplus and deficit ------------------------------------------------------------------


def diverging(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    axis_label: str,
    positive: Key,
    negative: Key,
    unit: str = "",
    decimals: int = 1,
    multiplier: float = 100.0,
    rtl: bool | None = None,
    width: int = 640,
) -> Chart:
    """Bars either side of zero: positive values (``positive``, e.g. a surplus) towards the end side,
    negative ones (``negative``, a deficit) towards the start side, each with its value written at its
    tip; values are shown times ``multiplier`` (shares as percentage points). The axis is symmetric and ends
    at a round number just above the largest value, so small differences stay visible."""
    rtl = _rtl(rtl)
    wrapped = [wrap(label) for label, _v in rows]
    label_w = min(max((_text_width(w, 12) for ls in wrapped for w in ls), default=60) + 12, 230)
    row_h = [max(len(ls) * 14, 18) + 10 for ls in wrapped]
    top, bottom = 8, 44
    value_room = 50
    height = top + sum(row_h) + bottom
    peak = _nice_max(max((abs(v) * multiplier for _l, v in rows), default=0.0))
    half = (width - label_w - 2 * value_room) / 2
    mid_px = label_w + value_room + half

    def x(v: float) -> float:
        px = mid_px + half * max(-1.0, min(1.0, v * multiplier / peak))
        return width - px if rtl else px

    parts = _open(width, height, title)
    y = top
    for (label, value), lines, h in zip(rows, wrapped, row_h):
        lx = width - label_w + 6 if rtl else label_w - 6
        parts.append(_label(lx, y + 12, lines, anchor="end", rtl=rtl))
        key = _side(value, multiplier, decimals, positive, negative)
        x0, xe = x(0), x(value)
        shown = _fmt(value * multiplier, unit, decimals, signed=True)
        if key is not None:
            parts.append(
                f'<rect x="{min(x0, xe):.1f}" y="{y + 2}" width="{max(abs(xe - x0), 1):.1f}" height="16" '
                f'fill="{key.colour}"><title>{escape(label)}: {shown} ({escape(key.label)})</title></rect>'
            )
        vx = xe + (4 if xe >= x0 else -4)  # the value is written past the bar's tip, on its own side
        anchor = "start" if xe >= x0 else "end"
        parts.append(_label(vx, y + 15, [shown], anchor=anchor, rtl=False, size=11))
        y += h
    axis_y = y + 2
    parts.append(f'<line x1="{x(0):.1f}" y1="{top}" x2="{x(0):.1f}" y2="{axis_y}" stroke="{INK}"/>')
    parts.append(
        f'<line x1="{x(-peak / multiplier):.1f}" y1="{axis_y}" x2="{x(peak / multiplier):.1f}" y2="{axis_y}" '
        f'stroke="{MUTED}"/>'
    )
    for step in (-1, -0.5, 0, 0.5, 1):
        v = step * peak / multiplier
        parts.append(
            f'<line x1="{x(v):.1f}" y1="{axis_y}" x2="{x(v):.1f}" y2="{axis_y + 4}" stroke="{MUTED}"/>'
        )
        tick = _fmt(step * peak, unit, 0 if peak >= 10 else 1, signed=True)
        parts.append(_label(x(v), axis_y + 16, [tick], anchor="middle", rtl=False, size=10, fill=MUTED))
    parts.append(_label(x(0), axis_y + 34, [axis_label], anchor="middle", rtl=rtl, size=11, fill=MUTED))
    parts.append("</svg>")
    return Chart(
        title=title,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text is escaped
        legend=[positive, negative],
        columns=[_("Item"), axis_label, _("Reading")],
        rows=[
            [
                label,
                _fmt(v * multiplier, unit, decimals, signed=True),
                getattr(_side(v, multiplier, decimals, positive, negative), "label", _("No difference")),
            ]
            for label, v in rows
        ],
    )


def _side(value: float, multiplier: float, decimals: int, positive: Key, negative: Key) -> Key | None:
    """Which side a value falls on; None when it rounds to zero (no bar, neither colour)."""
    if round(abs(value * multiplier), decimals) == 0:
        return None
    return positive if value > 0 else negative


# --- heat map ---------------------------------------------------------------------------------------------


def heat_colour(value: float, peak: float) -> str:
    """A shade from pale to :data:`PROGRESS` for ``value`` out of ``peak``."""
    if not value:
        return "#f6f7f9"
    share = value / peak if peak else 0
    r = round(0xE8 + (0x0B - 0xE8) * share)
    g = round(0xF3 + (0x55 - 0xF3) * share)
    b = round(0xF5 + (0x63 - 0xF5) * share)
    return f"#{r:02x}{g:02x}{b:02x}"


@dataclass(frozen=True, slots=True)
class _Cell:
    x: float
    y: float
    width: float
    height: float


def _heat_cell(cell: _Cell, value: int, peak: int, name: str, centre_x: float) -> list[str]:
    """One shaded cell of a heat map with its count written in it (white on the darkest shades)."""
    fill = "#ffffff" if peak and value / peak > 0.55 else INK
    return [
        f'<rect x="{cell.x:.1f}" y="{cell.y}" width="{cell.width}" height="{cell.height}" '
        f'fill="{heat_colour(value, peak)}"><title>{escape(name)}: {int(value)}</title></rect>',
        _label(
            centre_x,
            cell.y + (cell.height + 2) / 2 + 4,
            [str(int(value))],
            anchor="middle",
            rtl=False,
            size=11,
            fill=fill,
        ),
    ]


def heat_map(
    rows: Sequence[tuple[str, Sequence[int]]],
    columns: Sequence[str],
    *,
    title: str,
    row_axis: str,
    column_axis: str,
    rtl: bool | None = None,
) -> Chart:
    """A grid of counts (rows × columns), each cell shaded by its count and the count written in it."""
    rtl = _rtl(rtl)
    wrapped = [wrap(label, 26) for label, _v in rows]
    heads = [wrap(c, 11, 2) for c in columns]
    label_w = min(max((_text_width(w, 12) for ls in wrapped for w in ls), default=60) + 12, 210)
    cell_w, top = 78, 58
    row_h = [max(len(ls) * 14 + 8, 28) for ls in wrapped]
    width = label_w + cell_w * len(columns) + 10
    height = top + sum(row_h) + 10
    peak = max((v for _l, vs in rows for v in vs), default=0)

    def x(px: float) -> float:
        return width - px if rtl else px

    parts = _open(width, height, title)
    parts.append(
        _label(
            x(label_w + cell_w * len(columns) / 2),
            12,
            [column_axis],
            anchor="middle",
            rtl=rtl,
            size=11,
            fill=MUTED,
        )
    )
    parts.append(_label(x(label_w - 6), top - 8, [row_axis], anchor="end", rtl=rtl, size=11, fill=MUTED))
    for c, head in enumerate(heads):
        parts.append(
            _label(
                x(label_w + c * cell_w + cell_w / 2),
                top - 24 + (0 if len(head) > 1 else 8),
                head,
                anchor="middle",
                rtl=rtl,
                size=10,
                fill=MUTED,
            )
        )
    y = top
    for (label, values), lines, h in zip(rows, wrapped, row_h):
        parts.append(_label(x(label_w - 6), y + 16, lines, anchor="end", rtl=rtl))
        for c, value in enumerate(values):
            left = label_w + c * cell_w
            cell = _Cell(x(left) - (cell_w - 2 if rtl else 0), y, cell_w - 2, h - 2)
            parts += _heat_cell(cell, value, peak, f"{label} — {columns[c]}", x(left + cell_w / 2))
        y += h
    parts.append("</svg>")
    legend = [
        Key(_("none"), heat_colour(0, peak)),
        Key(_("some"), heat_colour(max(peak / 2, 1), max(peak, 1))),
        Key(_("most (%(n)d)") % {"n": peak}, heat_colour(max(peak, 1), max(peak, 1))),
    ]
    return Chart(
        title=title,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text is escaped
        legend=legend,
        columns=[row_axis, *columns],
        rows=[[label, *(str(int(v)) for v in values)] for label, values in rows],
    )


# --- lines over time --------------------------------------------------------------------------------------


def lines(
    series: Sequence[tuple[str, Sequence[int]]],
    months: Sequence[str],
    *,
    title: str,
    axis_label: str,
    width: int = 640,
    height: int = 240,
) -> Chart:
    """Counts per month, one line per series, with a value axis, month ticks and the last value written."""
    left, right, top, bottom = 44, 60, 14, 48
    top_value, intervals = _count_axis(max((max(c, default=0) for _l, c in series), default=0))
    n = max(len(months) - 1, 1)
    plot_w, plot_h = width - left - right, height - top - bottom

    def pt(i: int, c: float) -> tuple[float, float]:
        return left + plot_w * i / n, top + plot_h * (1 - c / top_value)

    parts = _open(width, height, title)
    for step in range(intervals + 1):
        v = top_value * step / intervals
        _x0, yy = pt(0, v)
        parts.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{left + plot_w}" y2="{yy:.1f}" stroke="{TRACK}"/>')
        label = f"{v:g}"
        parts.append(_label(left - 6, yy + 4, [label], anchor="end", rtl=False, size=10, fill=MUTED))
    every = max(1, len(months) // 6)
    for i, month in enumerate(months):
        if i % every == 0 or i == len(months) - 1:
            xx, _y = pt(i, 0)
            parts.append(
                _label(xx, top + plot_h + 16, [month], anchor="middle", rtl=False, size=10, fill=MUTED)
            )
    parts.append(
        _label(left + plot_w / 2, height - 8, [_("Month")], anchor="middle", rtl=False, size=11, fill=MUTED)
    )
    parts.append(
        f'<text x="12" y="{top + plot_h / 2:.1f}" font-size="11" fill="{MUTED}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">{escape(axis_label)}</text>'
    )
    legend = []
    for k, (label, counts) in enumerate(series):
        colour = SERIES[k % len(SERIES)]
        legend.append(Key(label, colour, "line"))
        points = [pt(i, c) for i, c in enumerate(counts)]
        if points:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                f'points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in points)}">'
                f"<title>{escape(label)}</title></polyline>"
            )
            lx, ly = points[-1]
            parts.append(f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="3.5" fill="{colour}"/>')
            parts.append(
                _label(lx + 6, ly + 4, [str(counts[-1])], anchor="start", rtl=False, size=11, fill=colour)
            )
    parts.append("</svg>")
    return Chart(
        title=title,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text is escaped
        legend=legend,
        columns=[_("Month"), *(label for label, _c in series)],
        rows=[[m, *(str(c[i]) if i < len(c) else "" for _l, c in series)] for i, m in enumerate(months)],
    )


# --- measured values over dates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DatedSeries:
    """Measured values on dates (one line), with reference marks (such as a baseline and a target) drawn
    as diamonds of the same colour and listed in the table."""

    label: str
    points: tuple[tuple[dt.date, float], ...]
    marks: tuple[tuple[str, dt.date, float], ...] = ()


def _num(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def _dated_series(
    s: DatedSeries,
    colour: str,
    unit: str,
    x: Callable[[dt.date], float],
    y: Callable[[float], float],
    rows: list[list[str]],
) -> list[str]:
    """One series of `dated_lines`: its line, a dot per value and a diamond per mark, each with a tooltip;
    each value and mark is added to the table ``rows`` too."""
    parts = []
    points = sorted(s.points)
    if len(points) > 1:
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
            f'points="{" ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)}"/>'
        )
    for d, v in points:
        parts.append(
            f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="4" fill="{colour}"><title>{escape(s.label)}, '
            f"{d.isoformat()}: {_num(v)} {escape(unit)}</title></circle>"
        )
        rows.append([s.label, d.isoformat(), f"{_num(v)} {unit}", ""])
    for name, d, v in s.marks:
        cx, cy = x(d), y(v)
        parts.append(
            f'<path d="M{cx:.1f} {cy - 6:.1f} l5 6 l-5 6 l-5 -6 z" fill="{colour}" stroke="{INK}">'
            f"<title>{escape(s.label)}, {escape(name)} {d.isoformat()}: {_num(v)} {escape(unit)}"
            "</title></path>"
        )
        rows.append([s.label, d.isoformat(), f"{_num(v)} {unit}", name])
    return parts


def dated_lines(
    series: Sequence[DatedSeries],
    *,
    title: str,
    unit: str,
    width: int = 640,
    height: int = 260,
) -> Chart | None:
    """Values over real dates, one line per series in the same ``unit`` (so they can share one axis), each
    point with a tooltip, reference marks as diamonds, the value axis from 0 (or the lowest value) and the
    first, middle and last dates. None when there is nothing to draw."""
    every = [(d, v) for s in series for d, v in (*s.points, *((d, v) for _l, d, v in s.marks))]
    if not every:
        return None
    left, right, top, bottom = 64, 24, 14, 44
    d0, d1 = min(d for d, _v in every), max(d for d, _v in every)
    v0 = min(0.0, min(v for _d, v in every))
    v1 = _nice_max(max(v for _d, v in every)) if max(v for _d, v in every) > 0 else 1.0
    span = max((d1 - d0).days, 1)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(d: dt.date) -> float:
        return left + (plot_w * (d - d0).days / span if d1 != d0 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - v0) / (v1 - v0))

    parts = _open(width, height, title)
    for step in range(5):
        v = v0 + (v1 - v0) * step / 4
        parts.append(
            f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + plot_w}" y2="{y(v):.1f}" stroke="{TRACK}"/>'
        )
        parts.append(_label(left - 6, y(v) + 4, [_num(v)], anchor="end", rtl=False, size=10, fill=MUTED))
    ticks = [d0] if d0 == d1 else [d0, d0 + dt.timedelta(days=span // 2), d1] if span > 60 else [d0, d1]
    for d in ticks:
        anchor = "middle" if d0 == d1 or d not in (d0, d1) else "start" if d == d0 else "end"
        parts.append(
            _label(
                x(d), top + plot_h + 16, [d.isoformat()[:7]], anchor=anchor, rtl=False, size=10, fill=MUTED
            )
        )
    parts.append(
        f'<text x="12" y="{top + plot_h / 2:.1f}" font-size="11" fill="{MUTED}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">{escape(unit)}</text>'
    )
    legend: list[Key] = []
    rows: list[list[str]] = []
    for k, s in enumerate(series):
        colour = SERIES[k % len(SERIES)]
        legend.append(Key(s.label, colour, "line"))
        parts += _dated_series(s, colour, unit, x, y, rows)
    if any(s.marks for s in series):
        legend.append(Key(_("Baseline or target"), MUTED, "diamond"))
    parts.append("</svg>")
    return Chart(
        title=title,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text is escaped
        legend=legend,
        columns=[_("Series"), _("Date"), _("Value"), _("Mark")],
        rows=rows,
    )


# --- timeline ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    label: str
    start: dt.date
    end: dt.date
    percent: float | None = None
    late: bool = False
    href: str = ""
    milestones: tuple[tuple[dt.date, bool], ...] = ()


def timeline(spans: Sequence[Span], *, title: str, today: dt.date, width: int = 900) -> Chart:
    """A Gantt-like chart: one bar per span between its dates, filled to its progress (late ones in
    :data:`DEFICIT`), with milestones, year ticks, today's line and the progress written at the end."""
    wrapped = [wrap(s.label, 34, 2) for s in spans]
    label_w, top = 250, 26
    row_h = [max(len(ls) * 14 + 8, 26) for ls in wrapped]
    lo = min([s.start for s in spans] + [today])
    hi = max([s.end for s in spans] + [today])
    days = max((hi - lo).days, 1)
    plot_w = width - label_w - 50
    height = top + sum(row_h) + 34

    def x(day: dt.date) -> float:
        return label_w + plot_w * (day - lo).days / days

    parts = _open(width, height, title)
    for year in range(lo.year, hi.year + 2):
        day = dt.date(year, 1, 1)
        if lo <= day <= hi:
            parts.append(
                f'<line x1="{x(day):.1f}" y1="14" x2="{x(day):.1f}" y2="{height - 30}" stroke="{TRACK}"/>'
            )
            parts.append(_label(x(day) + 3, 12, [str(year)], anchor="start", rtl=False, size=11, fill=MUTED))
    y = top
    for s, lines_, h in zip(spans, wrapped, row_h):
        parts.append(_link(_label(0, y + 14, lines_, anchor="start", rtl=False), s.href))
        colour = DEFICIT if s.late else PROGRESS
        x0, x1 = x(s.start), max(x(s.end), x(s.start) + 2)
        parts.append(
            f'<rect x="{x0:.1f}" y="{y + 3}" width="{x1 - x0:.1f}" height="16" rx="3" fill="{TRACK}" '
            f'stroke="{colour}"/>'
        )
        if s.percent:
            w = (x1 - x0) * max(0.0, min(100.0, s.percent)) / 100
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 3}" width="{w:.1f}" height="16" rx="3" fill="{colour}"/>'
            )
        parts.append(
            _label(x1 + 4, y + 16, [_fmt(s.percent, "%", 0)], anchor="start", rtl=False, size=11, fill=INK)
        )
        for day, done in s.milestones:
            if lo <= day <= hi:
                cx = x(day)
                parts.append(
                    f'<path d="M{cx:.1f} {y + 2} l6 9 l-6 9 l-6 -9 z" fill="{SURPLUS if done else "#fff"}" '
                    f'stroke="{INK}"/>'
                )
        y += h
    tx = x(today)
    parts.append(
        f'<line x1="{tx:.1f}" y1="14" x2="{tx:.1f}" y2="{height - 30}" stroke="{INK}" '
        'stroke-dasharray="4 3"/>'
    )
    parts.append(
        _label(label_w + plot_w / 2, height - 8, [_("Date")], anchor="middle", rtl=False, size=11, fill=MUTED)
    )
    parts.append("</svg>")
    return Chart(
        title=title,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text is escaped
        legend=[
            Key(_("Progress, on time"), PROGRESS),
            Key(_("Progress, late"), DEFICIT),
            Key(_("Milestone reached"), SURPLUS, "diamond"),
            Key(_("Milestone planned"), "#ffffff", "diamond"),
            Key(_("Today"), INK, "dashed"),
        ],
        columns=[_("Commitment"), _("Start"), _("End"), _("Progress"), _("Late")],
        rows=[
            [
                s.label,
                s.start.isoformat(),
                s.end.isoformat(),
                _fmt(s.percent, "%", 0),
                _("yes") if s.late else _("no"),
            ]
            for s in spans
        ],
    )


# --- dependency graph -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphNode:
    id: int
    label: str
    percent: float | None = None
    blocked: bool = False
    href: str = ""


def dependency_graph(
    nodes: Sequence[GraphNode], edges: Sequence[tuple[int, int]], depth: dict[int, int], *, title: str
) -> Chart:
    """Boxes in layers (``depth``: prerequisites on the left), an arrow from prerequisite to dependant,
    each box with its progress; blocked ones outlined in :data:`DEFICIT`."""
    box_w, box_h, gap_x, gap_y = 200, 58, 70, 18
    columns: dict[int, list[GraphNode]] = {}
    for n in nodes:
        columns.setdefault(depth.get(n.id, 0), []).append(n)
    pos: dict[int, tuple[float, float]] = {}
    for col, members in columns.items():
        for row, n in enumerate(members):
            pos[n.id] = (10 + col * (box_w + gap_x), 10 + row * (box_h + gap_y))
    width = 20 + (max(columns, default=0) + 1) * (box_w + gap_x)
    height = 20 + max((len(m) for m in columns.values()), default=1) * (box_h + gap_y)
    parts = _open(width, height, title)
    parts.append(
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="{MUTED}"/></marker></defs>'
    )
    for a, b in edges:  # a depends on b: draw b -> a
        if a in pos and b in pos:
            (ax, ay), (bx, by) = pos[a], pos[b]
            parts.append(
                f'<line x1="{bx + box_w:.1f}" y1="{by + box_h / 2:.1f}" '
                f'x2="{ax:.1f}" y2="{ay + box_h / 2:.1f}" '
                f'stroke="{MUTED}" stroke-width="1.5" marker-end="url(#arrow)"/>'
            )
    for n in nodes:
        bx, by = pos[n.id]
        stroke = DEFICIT if n.blocked else PROGRESS
        box = (
            f'<rect x="{bx}" y="{by}" width="{box_w}" height="{box_h}" rx="6" fill="#fff" stroke="{stroke}" '
            f'stroke-width="2"/>'
            + _label(bx + 8, by + 16, wrap(n.label, 28, 2), anchor="start", rtl=False)
            + _label(
                bx + 8, by + 50, [_fmt(n.percent, "%", 0)], anchor="start", rtl=False, size=11, fill=MUTED
            )
        )
        parts.append(_link(box, n.href))
    parts.append("</svg>")
    names = {n.id: n.label for n in nodes}
    return Chart(
        title=title,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text is escaped
        legend=[
            Key(_("Commitment"), PROGRESS),
            Key(_("Blocked commitment"), DEFICIT),
            Key(_("Arrow: from a prerequisite to what depends on it"), MUTED, "line"),
        ],
        columns=[_("Commitment"), _("Depends on"), _("Progress"), _("Blocked")],
        rows=[
            [
                n.label,
                "; ".join(names[b] for a, b in edges if a == n.id and b in names) or "—",
                _fmt(n.percent, "%", 0),
                _("yes") if n.blocked else _("no"),
            ]
            for n in nodes
        ],
    )


# --- small marks for layouts that set the text in HTML (the PDF brief) ------------------------------------


def bar_pair(source: float, target: float, *, rtl: bool = False, width: int = 240) -> SafeString:
    """Two coverage bars (:data:`PROGRESS` and :data:`SECOND`) as a small SVG without text, beside HTML
    labels and values (the PDF's SVG renderer does not shape Arabic-script text, its HTML renderer does)."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 26" width="{width}" height="26">']
    for j, (value, colour) in enumerate(((source, PROGRESS), (target, SECOND))):
        w = max(0.0, min(1.0, value)) * width
        y = 1 + j * 13
        parts.append(f'<rect x="0" y="{y}" width="{width}" height="11" fill="{TRACK}"/>')
        parts.append(
            f'<rect x="{width - w if rtl else 0:.1f}" y="{y}" width="{w:.1f}" height="11" fill="{colour}"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers only


def heat_cell(value: int, peak: int) -> SafeString:
    """One heat-map cell as a small SVG square with its count."""
    fill = "#ffffff" if peak and value / peak > 0.55 else INK
    return mark_safe(  # noqa: S308 - numbers only
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 44 22" width="44" height="22">'
        f'<rect x="0" y="0" width="44" height="22" fill="{heat_colour(value, peak)}"/>'
        f'<text x="22" y="15" font-size="11" text-anchor="middle" fill="{fill}">{int(value)}</text></svg>'
    )
