"""Page layout clean-up shared by the extractors: running headers, running footers and page numbers.

A running header is a line that the printer repeats near the top (or bottom) of many pages: the bill's
title, "4 Bill", "Page 3 of 12". Comparing lines with their digits replaced (``# bill``) finds them even
though the page number changes on every page. Only lines inside the top or bottom zone of a page are ever
candidates, so a sentence that happens to repeat in the body is never removed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# How many lines at the top and at the bottom of a page may belong to a running header or footer.
ZONE_LINES = 3
# A line is running when it sits in the zone of at least this share of pages (and of 2 pages at least).
RUNNING_SHARE = 0.3
# Running headers are short; a long line in the zone is body text.
MAX_RUNNING_LEN = 90

_MARKUP = re.compile(r"[#*_`>|]+")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:page|halaman|muka surat|ms\.?|p\.?|صفحہ)\s*)?"
    r"(?:#|[ivxlc]+)(?:\s*(?:of|/|daripada|dari)\s*#)?[-–—\s]*$",
    re.IGNORECASE,
)
# Numbered or lettered provision lines ("(2)", "(a) ...", "3. The ...") are text, never a running line,
# however alike they look once their digits are replaced.
_ENUMERATION = re.compile(r"^(?:\(?[#a-z]{1,4}\)|#+\.)(?:\s|$)")


@dataclass(slots=True)
class PageLines:
    """The lines of one page and which of them lie in the page's top and bottom zones."""

    lines: list[str]
    top: list[int]
    bottom: list[int]


def running_key(line: str) -> str:
    """Normalise a line for comparison across pages: no markup, lower case, every number as ``#``."""
    key = _MARKUP.sub(" ", line).lower()
    key = _DIGITS.sub("#", key)
    return _SPACES.sub(" ", key).strip()


def is_page_number(line: str) -> bool:
    """True for lines that hold only a page number: ``12``, ``- 12 -``, ``Page 3 of 9``, ``iv``."""
    key = running_key(line)
    return bool(key) and bool(_PAGE_NUMBER.match(key))


def zones_by_position(lines: Sequence[str], size: int = ZONE_LINES) -> tuple[list[int], list[int]]:
    """Top and bottom zones of a page whose only geometry is the order of its lines."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return filled[:size], filled[-size:]


def strip_running_lines(pages: Sequence[PageLines]) -> tuple[list[list[str]], int]:
    """Remove running headers, footers and page numbers; return the pages' remaining lines and the count.

    Needs no fixed template: a normalised line that appears in the top or bottom zone of at least
    ``RUNNING_SHARE`` of the pages (at least two) is running. Lone page numbers in a zone go whatever
    their count.
    """
    seen: Counter[str] = Counter()
    for page in pages:
        keys = {running_key(page.lines[i]) for i in (*page.top, *page.bottom)}
        seen.update(k for k in keys if k and len(k) <= MAX_RUNNING_LEN and not _ENUMERATION.match(k))
    threshold = max(2, math.ceil(RUNNING_SHARE * len(pages)))
    running = {key for key, count in seen.items() if count >= threshold} if len(pages) >= 2 else set()

    removed = 0
    result: list[list[str]] = []
    for page in pages:
        zone = set(page.top) | set(page.bottom)
        kept: list[str] = []
        for i, line in enumerate(page.lines):
            if i in zone and line.strip() and (running_key(line) in running or is_page_number(line)):
                removed += 1
                continue
            kept.append(line)
        result.append(kept)
    return result, removed
