"""Themes over time: monthly series, "rising" topics, and the geometry of a small SVG line chart.

Plain Python. The app counts (theme, month) pairs over what the caller may see and passes them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Series:
    """Counts of one theme per month, aligned with the months of a `TrendTable`."""

    theme: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class TrendTable:
    months: tuple[str, ...]  # "YYYY-MM", oldest first
    series: tuple[Series, ...]


@dataclass(frozen=True, slots=True)
class Rising:
    """A theme whose recent count is up on the window before: ``ratio`` is smoothed (+1 on both sides)."""

    theme: str
    recent: int
    before: int
    ratio: float


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive ("YYYY-MM"); empty when first > last."""
    y, m = int(first[:4]), int(first[5:7])
    ly, lm = int(last[:4]), int(last[5:7])
    out = []
    while (y, m) <= (ly, lm):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def build_table(counts: Mapping[tuple[str, str], int], months: list[str]) -> TrendTable:
    """A table of series, one per theme, over ``months`` from ``{(theme, "YYYY-MM"): count}``.

    Series are ordered by total, largest first, then by theme identifier.
    """
    themes = sorted({t for t, _m in counts})
    series = [Series(t, tuple(int(counts.get((t, m), 0)) for m in months)) for t in themes]
    series.sort(key=lambda s: (-s.total, s.theme))
    return TrendTable(tuple(months), tuple(series))


def rising(table: TrendTable, *, window: int = 3, min_recent: int = 2, limit: int = 5) -> list[Rising]:
    """Themes whose count over the last ``window`` months beats the ``window`` months before.

    A theme needs at least ``min_recent`` items in the recent window; the ratio is
    ``(recent + 1) / (before + 1)``, so a theme going from 0 to 3 (ratio 4) ranks above one going
    from 10 to 12 (ratio 1.18). Only ratios above 1 count as rising.
    """
    out = []
    for s in table.series:
        recent = sum(s.counts[-window:])
        before = sum(s.counts[-2 * window : -window]) if len(s.counts) > window else 0
        ratio = (recent + 1) / (before + 1)
        if recent >= min_recent and ratio > 1:
            out.append(Rising(s.theme, recent, before, round(ratio, 2)))
    out.sort(key=lambda r: (-r.ratio, -r.recent, r.theme))
    return out[:limit]


@dataclass(frozen=True, slots=True)
class ChartLine:
    theme: str
    points: str  # "x,y x,y ..." for an SVG polyline
    last_x: float
    last_y: float


def chart_lines(
    table: TrendTable, themes: Iterable[str], *, width: int = 640, height: int = 220, pad: int = 28
) -> tuple[list[ChartLine], int]:
    """Polylines for the given themes, scaled to a ``width`` × ``height`` box; returns (lines, max count)."""
    wanted = set(themes)
    chosen = [s for s in table.series if s.theme in wanted]
    top = max([max(s.counts, default=0) for s in chosen] + [1])
    n = max(len(table.months) - 1, 1)
    lines = []
    for s in chosen:
        pts = []
        for i, c in enumerate(s.counts):
            x = pad + (width - 2 * pad) * i / n
            y = height - pad - (height - 2 * pad) * c / top
            pts.append((round(x, 1), round(y, 1)))
        if pts:
            lines.append(ChartLine(s.theme, " ".join(f"{x},{y}" for x, y in pts), pts[-1][0], pts[-1][1]))
    return lines, top
