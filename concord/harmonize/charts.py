"""Server-rendered SVG charts: coverage bars and a heat map of relationships per theme.

Plain SVG with presentation attributes only (no style attributes, no script), so the pages keep their
strict Content Security Policy and the PDF brief can embed the same markup. ``rtl`` mirrors the layout.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONTS = "system-ui, DejaVu Sans, Noto Sans, Noto Nastaliq Urdu, sans-serif"
BRAND, ACCENT, GRID, INK, MUTED = "#0b5563", "#b4541a", "#e4e8ed", "#1b2430", "#5a6472"


def _x(x: float, width: float, rtl: bool) -> float:
    return width - x if rtl else x


def _text(
    x: float, y: float, label: str, *, anchor: str, size: int = 12, fill: str = INK, rtl: bool = False
) -> str:
    # With direction="rtl" the anchors already mirror ("start" is the right end), so they are not swapped.
    direction = ' direction="rtl"' if rtl else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}"{direction}>'
        f"{escape(label)}</text>"
    )


def coverage_bars(rows, source_label: str, target_label: str, *, title: str, rtl: bool = False) -> SafeString:
    """Two bars per theme: the share of source provisions covered and of target provisions covered."""
    label_w, bar_w, row_h, top = 230, 320, 34, 34
    width = label_w + bar_w + 60
    height = top + row_h * max(len(rows), 1) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" class="chart" font-family="{FONTS}">',
        f"<title>{escape(title)}</title>",
    ]
    legend_x = label_w
    for i, (name, colour) in enumerate(((source_label, BRAND), (target_label, ACCENT))):
        x = legend_x + i * 160
        rx = _x(x, width, rtl) - (12 if rtl else 0)
        parts.append(f'<rect x="{rx:.1f}" y="8" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(_x(x + 17, width, rtl), 18, name, anchor="start", rtl=rtl))
    for i, row in enumerate(rows):
        y = top + i * row_h
        parts.append(_text(_x(label_w - 8, width, rtl), y + 18, row.label[:34], anchor="end", rtl=rtl))
        for j, (value, colour) in enumerate(((row.source_coverage, BRAND), (row.target_coverage, ACCENT))):
            by = y + 3 + j * 13
            w = max(0.0, min(1.0, value)) * bar_w
            bg_x = _x(label_w, width, rtl) - (bar_w if rtl else 0)
            parts.append(f'<rect x="{bg_x:.1f}" y="{by}" width="{bar_w}" height="11" fill="{GRID}"/>')
            fx = _x(label_w, width, rtl) - (w if rtl else 0)
            parts.append(f'<rect x="{fx:.1f}" y="{by}" width="{w:.1f}" height="11" fill="{colour}"/>')
            parts.append(
                _text(
                    _x(label_w + bar_w + 6, width, rtl),
                    by + 10,
                    f"{round(value * 100)}%",
                    anchor="start",
                    size=11,
                    fill=MUTED,
                    rtl=rtl,
                )
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - labels are escaped


def _heat(value: int, peak: int) -> str:
    if not value:
        return "#f6f7f9"
    share = value / peak if peak else 0
    # from a pale to the brand teal
    r = round(0xE8 + (0x0B - 0xE8) * share)
    g = round(0xF3 + (0x55 - 0xF3) * share)
    b = round(0xF5 + (0x63 - 0xF5) * share)
    return f"#{r:02x}{g:02x}{b:02x}"


def heat_map(rows, columns: list[tuple[str, str]], *, title: str, rtl: bool = False) -> SafeString:
    """Themes × relationship types; each cell's shade is its count of mappings (the count is written in)."""
    label_w, cell_w, cell_h, top = 200, 62, 28, 44
    width = label_w + cell_w * len(columns) + 10
    height = top + cell_h * max(len(rows), 1) + 10
    peak = max((row.counts.get(key, 0) for row in rows for key, _ in columns), default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" class="chart" font-family="{FONTS}">',
        f"<title>{escape(title)}</title>",
    ]
    for c, (_key, name) in enumerate(columns):
        cx = label_w + c * cell_w + cell_w / 2
        parts.append(
            _text(_x(cx, width, rtl), top - 10, name[:12], anchor="middle", size=10, fill=MUTED, rtl=rtl)
        )
    for i, row in enumerate(rows):
        y = top + i * cell_h
        parts.append(_text(_x(label_w - 8, width, rtl), y + 18, row.label[:34], anchor="end", rtl=rtl))
        for c, (key, _name) in enumerate(columns):
            value = row.counts.get(key, 0)
            x = label_w + c * cell_w
            rx = _x(x, width, rtl) - (cell_w - 2 if rtl else 0)
            fill = _heat(value, peak)
            parts.append(
                f'<rect x="{rx:.1f}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}"/>'
            )
            fill = "#ffffff" if peak and value / peak > 0.55 else INK
            parts.append(
                _text(_x(x + cell_w / 2, width, rtl), y + 18, str(value), anchor="middle", size=11, fill=fill)
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - labels are escaped


def bar_pair(source: float, target: float, *, rtl: bool = False, width: int = 240) -> SafeString:
    """One theme's two coverage bars as a small SVG without text, for layouts that set the labels in HTML
    (the PDF brief: its SVG renderer does not shape Arabic-script text, the HTML renderer does)."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 26" width="{width}" height="26">']
    for j, (value, colour) in enumerate(((source, BRAND), (target, ACCENT))):
        w = max(0.0, min(1.0, value)) * width
        y = 1 + j * 13
        parts.append(f'<rect x="0" y="{y}" width="{width}" height="11" fill="{GRID}"/>')
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
        f'<rect x="0" y="0" width="44" height="22" fill="{_heat(value, peak)}"/>'
        f'<text x="22" y="15" font-size="11" text-anchor="middle" fill="{fill}">{int(value)}</text></svg>'
    )
