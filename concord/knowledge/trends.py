"""Themes over time, counted over the search index and only over what the caller may see."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from concord.engine import trends as engine

from . import registry, rules
from .models import SearchEntry

PALETTE = ["#0b5563", "#b4541a", "#1f7a3f", "#6b3fa0", "#a3262a", "#8a5a00"]


@dataclass
class Chart:
    months: list[str]
    lines: list[dict]
    top: int
    width: int
    height: int
    rising: list[engine.Rising]
    table: engine.TrendTable
    labels: dict[str, str]
    ticks: list[dict]


def _months_back(today: dt.date, months: int) -> tuple[str, str]:
    y, m = today.year, today.month
    for _ in range(months - 1):
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return f"{y:04d}-{m:02d}", f"{today.year:04d}-{today.month:02d}"


def counts(user, *, months: int = 24, kinds: list[str] | None = None, today: dt.date | None = None):
    """``{(theme, "YYYY-MM"): count}`` over visible index entries of the trend kinds, and the months."""
    today = today or timezone.localdate()
    first, last = _months_back(today, months)
    trend_kinds = [s.kind for s in registry.sources() if s.in_trends and (not kinds or s.kind in kinds)]
    rows = (
        SearchEntry.objects.filter(rules.entries_q(user), kind__in=trend_kinds)
        .filter(date__gte=dt.date(int(first[:4]), int(first[5:]), 1), date__lte=today)
        .exclude(themes="")
        .values_list("themes", "date")
    )
    counter: Counter[tuple[str, str]] = Counter()
    for themes, date in rows.iterator(chunk_size=2000):
        month = f"{date.year:04d}-{date.month:02d}"
        for theme in themes.split():
            counter[(theme, month)] += 1
    return counter, engine.month_range(first, last)


def chart(
    user,
    *,
    months: int = 24,
    kinds: list[str] | None = None,
    today: dt.date | None = None,
    width: int = 640,
    height: int = 220,
    lines: int = 5,
) -> Chart:
    from concord.library.models import Theme

    counter, month_list = counts(user, months=months, kinds=kinds, today=today)
    table = engine.build_table(counter, month_list)
    rising = engine.rising(table)
    chosen = [r.theme for r in rising] or [s.theme for s in table.series[:lines]]
    chosen = chosen[:lines]
    polylines, top = engine.chart_lines(table, chosen, width=width, height=height)
    labels = {t.slug: t.label() for t in Theme.objects.all()}
    drawn = [
        {
            "theme": line.theme,
            "label": labels.get(line.theme, line.theme),
            "points": line.points,
            "x": line.last_x,
            "y": line.last_y,
            "color": PALETTE[i % len(PALETTE)],
            "counts": next((s.counts for s in table.series if s.theme == line.theme), []),
        }
        for i, line in enumerate(polylines)
    ]
    n = max(len(month_list) - 1, 1)
    ticks = [
        {"x": round(28 + (width - 56) * i / n, 1), "label": m}
        for i, m in enumerate(month_list)
        if i % max(1, len(month_list) // 6) == 0
    ]
    return Chart(month_list, drawn, top, width, height, rising, table, labels, ticks)
