"""Cited sentences highlighted safely: escape the text, then wrap the cited spans in <mark>."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from concord.engine.harmonize import provision_text
from concord.engine.types import Provision as EngineProvision


def compared_text(heading: str, text: str) -> str:
    """The text the engine compared (and that cited offsets point into): heading line, then text."""
    return provision_text(
        EngineProvision(id="x", number="", heading=heading or "", text=text or "", level="")
    )


def _locate(text: str, span: dict) -> tuple[int, int] | None:
    start, end, cited = span.get("start"), span.get("end"), span.get("text") or ""
    in_range = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
    if in_range and (not cited or text[start:end] == cited):
        return start, end
    if cited:  # the provision changed since the run: find the sentence again, or leave it out
        at = text.find(cited)
        if at >= 0:
            return at, at + len(cited)
    return None


def highlight(text: str, spans: list[dict]) -> SafeString:
    """``text`` as HTML with each located span in <mark>; overlapping spans are merged."""
    ranges = sorted(r for r in (_locate(text, s) for s in spans or [] if isinstance(s, dict)) if r)
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above
