"""Server-rendered SVG charts: progress bars, a Gantt-like timeline and a dependency graph. Pure Python.

The SVG carries no script and no inline style attribute (the site's CSP forbids them): colours are
presentation attributes (``fill``), and text is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .graph import layers

BRAND = "#0b6e79"
LATE = "#b3261e"
DONE = "#2e7d32"
TRACK = "#e4e8ed"
INK = "#1b2733"
MUTED = "#5b6875"


def _t(value: str, limit: int = 60) -> str:
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return escape(value, quote=True)


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float | None
    href: str = ""


def bars(items: Sequence[Bar], *, title: str, width: int = 640) -> str:
    """Horizontal progress bars, one per row, labelled with the percentage."""
    row, label_w = 28, 240
    if not items:
        return ""
    height = len(items) * row + 10
    bar_w = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'class="chart" aria-label="{_t(title, 200)}"><title>{_t(title, 200)}</title>'
    ]
    for i, item in enumerate(items):
        y = 5 + i * row
        pct = 0.0 if item.percent is None else max(0.0, min(100.0, item.percent))
        label = _t(item.label, 34)
        text = f'<text x="0" y="{y + 17}" font-size="13" fill="{INK}">{label}</text>'
        if item.href:
            text = f'<a href="{escape(item.href, quote=True)}">{text}</a>'
        parts.append(text)
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="16" rx="8" fill="{TRACK}"/>')
        fill = DONE if pct >= 100 else BRAND
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w * pct / 100:.1f}" height="16" rx="8" '
            f'fill="{fill}"/>'
        )
        shown = "—" if item.percent is None else f"{pct:.0f}%"
        parts.append(
            f'<text x="{label_w + bar_w + 8}" y="{y + 17}" font-size="13" fill="{INK}">{shown}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Span:
    label: str
    start: dt.date
    end: dt.date
    percent: float | None = None
    late: bool = False
    href: str = ""
    milestones: tuple[tuple[dt.date, bool], ...] = ()


def timeline(spans: Sequence[Span], *, title: str, today: dt.date, width: int = 900) -> str:
    """A Gantt-like chart: one bar per span between its dates, filled to its progress, with milestones."""
    row, label_w, top = 26, 260, 24
    if not spans:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} 30" class="chart">'
            f"<title>{_t(title, 200)}</title></svg>"
        )
    lo = min(min(s.start for s in spans), today)
    hi = max(max(s.end for s in spans), today)
    days = max((hi - lo).days, 1)
    plot_w = width - label_w - 10
    height = top + len(spans) * row + 10

    def x(day: dt.date) -> float:
        return label_w + plot_w * (day - lo).days / days

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'class="chart" aria-label="{_t(title, 200)}"><title>{_t(title, 200)}</title>'
    ]
    # Year ticks
    for year in range(lo.year, hi.year + 2):
        day = dt.date(year, 1, 1)
        if lo <= day <= hi:
            parts.append(
                f'<line x1="{x(day):.1f}" y1="14" x2="{x(day):.1f}" y2="{height}" stroke="{TRACK}"/>'
            )
            parts.append(f'<text x="{x(day) + 3:.1f}" y="12" font-size="11" fill="{MUTED}">{year}</text>')
    for i, s in enumerate(spans):
        y = top + i * row
        label = f'<text x="0" y="{y + 15}" font-size="12" fill="{INK}">{_t(s.label, 38)}</text>'
        if s.href:
            label = f'<a href="{escape(s.href, quote=True)}">{label}</a>'
        parts.append(label)
        x0, x1 = x(s.start), max(x(s.end), x(s.start) + 2)
        parts.append(
            f'<rect x="{x0:.1f}" y="{y + 3}" width="{x1 - x0:.1f}" height="16" rx="3" fill="{TRACK}" '
            f'stroke="{LATE if s.late else BRAND}"/>'
        )
        if s.percent:
            w = (x1 - x0) * max(0.0, min(100.0, s.percent)) / 100
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 3}" width="{w:.1f}" height="16" rx="3" '
                f'fill="{LATE if s.late else BRAND}"/>'
            )
        for day, done in s.milestones:
            if lo <= day <= hi:
                cx = x(day)
                parts.append(
                    f'<path d="M{cx:.1f} {y + 2} l6 9 l-6 9 l-6 -9 z" fill="{DONE if done else "#fff"}" '
                    f'stroke="{INK}"/>'
                )
    tx = x(today)
    parts.append(
        f'<line x1="{tx:.1f}" y1="14" x2="{tx:.1f}" y2="{height}" stroke="{LATE}" stroke-dasharray="4 3"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class GraphNode:
    id: int
    label: str
    percent: float | None = None
    blocked: bool = False
    href: str = ""


def dependency_graph(nodes: Sequence[GraphNode], edges: Sequence[tuple[int, int]], *, title: str) -> str:
    """Commitments as boxes in layers (prerequisites on the left), arrows from prerequisite to dependant."""
    box_w, box_h, gap_x, gap_y = 190, 44, 70, 18
    depth = layers([n.id for n in nodes], edges)
    columns: dict[int, list[GraphNode]] = {}
    for n in nodes:
        columns.setdefault(depth.get(n.id, 0), []).append(n)
    pos: dict[int, tuple[float, float]] = {}
    for col, members in columns.items():
        for row, n in enumerate(members):
            pos[n.id] = (10 + col * (box_w + gap_x), 10 + row * (box_h + gap_y))
    width = 20 + (max(columns, default=0) + 1) * (box_w + gap_x)
    height = 20 + max((len(m) for m in columns.values()), default=1) * (box_h + gap_y)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'class="chart" aria-label="{_t(title, 200)}"><title>{_t(title, 200)}</title>'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="{MUTED}"/></marker></defs>'
    ]
    for a, b in edges:  # a depends on b: draw b -> a
        if a in pos and b in pos:
            (ax, ay), (bx, by) = pos[a], pos[b]
            parts.append(
                f'<line x1="{bx + box_w:.1f}" y1="{by + box_h / 2:.1f}" '
                f'x2="{ax:.1f}" y2="{ay + box_h / 2:.1f}" '
                f'stroke="{MUTED}" stroke-width="1.5" marker-end="url(#arrow)"/>'
            )
    for n in nodes:
        x, y = pos[n.id]
        stroke = LATE if n.blocked else BRAND
        pct = "—" if n.percent is None else f"{n.percent:.0f}%"
        box = (
            f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="6" fill="#fff" stroke="{stroke}" '
            f'stroke-width="2"/><text x="{x + 8}" y="{y + 18}" font-size="12" fill="{INK}">'
            f"{_t(n.label, 28)}</text>"
            f'<text x="{x + 8}" y="{y + 35}" font-size="11" fill="{MUTED}">{pct}</text>'
        )
        if n.href:
            box = f'<a href="{escape(n.href, quote=True)}">{box}</a>'
        parts.append(box)
    parts.append("</svg>")
    return "".join(parts)
