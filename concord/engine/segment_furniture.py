"""Page furniture: the running heads, page numbers and "Bill" lines a printer repeats on every page.

The extractors already drop lines that sit in the top or bottom zone of a large share of pages
(:mod:`.layout`). Printed bills defeat that share: left and right pages carry different heads ("4 Bill"
on one, "Computer Crimes 5" on the next), so each head is on only half the pages, and converted text
sometimes loses a page rule. Whatever survives, and text that reaches the segmenter as one string, is
dropped here over the whole document:

- a *running head* is a short, head-shaped line (a capital or a page number first, no closing
  punctuation) whose key (lower case, page number taken off) sits among the first or last lines of
  ``MIN_PAGES`` chunks, or of two when one of them carries a page number ("Bill" and "10 Bill" are one
  head). It is dropped in those zones, and anywhere when it carries a page number;
- a line that is only "Bill" or "Rang Undang-Undang" (the running head of every Malaysian bill) is
  dropped anywhere, with or without its page number, unless it is in capitals ("RANG UNDANG-UNDANG"
  above the long title opens the bill; a head in capitals is still found by repetition);
- the bill's short title as a head ("Data Sharing 5" under "DATA SHARING BILL 2031") is a running head
  from its first page on (the title line is the document's first line, naming a Bill, Act or Akta):
  with its page number anywhere, without it in a zone when it has two words or more and is not in
  capitals (a Part may be titled like the bill: "PERLINDUNGAN DATA PERIBADI");
- a bare page number in a zone is dropped;
- a running head glued to the first words of the page ("Electronic Commerce 7 Seal") loses the head.

Chunks are the extracted pages, cut again at page rules (``-----``) and form feeds, so that Markdown or
text converted from a printed bill has pages even when it arrives as one string.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # segment_lines calls this module while reading a document
    from .segment_lines import Line

# Lines at the top and at the bottom of a chunk that may be furniture.
ZONE_LINES = 2
# Running heads are short.
MAX_HEAD_WORDS = 8
# A head without a page number must come back on this many chunks; with one, on two.
MIN_PAGES = 3

PAGE_BREAK = re.compile(r"^\s*-{3,}\s*$|\f", re.M)
_NUMBERED = re.compile(r"^(?:(?P<pre>\d{1,4})\s+)?(?P<key>.*?)(?:\s+(?P<post>\d{1,4}))?$")
_PAGE_NUMBER = re.compile(r"^(?:[-–—]\s*)?(?:(?:page|halaman|muka surat)\s+)?\d{1,4}(?:\s*[-–—])?$", re.I)
_BILL_HEADS = frozenset(("bill", "rang undang-undang", "rang undang undang"))
_ENDS_IN_NUMBER = re.compile(r"^\d|\d$")
_BILL_START = re.compile(r"^(?:bill|rang undang)", re.I)
_TITLE_LINE = re.compile(r"\b(?:BILL|ACT|AKTA|RANG UNDANG-UNDANG|ORDINANCE|ORDINAN)\b", re.I)
_TITLE_NOISE = re.compile(r"\b(?:bill|act|akta|rang undang-undang|ordinance|ordinan|\d{4})\b|[^\w\s-]", re.I)
# Lines that look like heads but are structure or enumeration, repeated by design.
_NOT_HEAD = re.compile(
    r"^(?:\(?[a-z0-9]{1,4}\)|\d+[A-Za-z]?\.|PART|BAHAGIAN|CHAPTER|BAB|SCHEDULE|JADUAL|Penggal|Division)\b",
)


def furniture_key(text: str) -> tuple[str, bool]:
    """A line's running-head key (lower case, page number off) and whether it carried a page number."""
    match = _NUMBERED.match(text.strip())
    if match is None:  # pragma: no cover - the pattern matches any string
        return text.lower(), False
    key = re.sub(r"\s+", " ", match.group("key")).strip().lower()
    return key, bool(match.group("pre") or match.group("post"))


def _head_shaped(text: str) -> bool:
    return (
        bool(text)
        and (text[0].isupper() or text[0].isdigit())
        and text[-1] not in ".,;:—–-"
        and len(text.split()) <= MAX_HEAD_WORDS
        and not _NOT_HEAD.match(text)
    )


def _zone(chunk: list[Line]) -> set[int]:
    size = len(chunk)
    return {*range(min(ZONE_LINES, size)), *range(max(0, size - ZONE_LINES), size)}


def running_heads(chunks: list[list[Line]]) -> set[str]:
    """The keys of the running heads of a document cut into page chunks."""
    pages: Counter[str] = Counter()
    numbered: set[str] = set()
    for chunk in chunks:
        keys: set[str] = set()
        for i in _zone(chunk):
            text = chunk[i].text
            if not _head_shaped(text):
                continue
            key, has_number = furniture_key(text)
            if key and not key.isdigit():
                keys.add(key)
                if has_number:
                    numbered.add(key)
        pages.update(keys)
    return {k for k, n in pages.items() if n >= MIN_PAGES or (n >= 2 and k in numbered)}


def _short_title(chunks: list[list[Line]]) -> str:
    """The key of the bill's short title ("data sharing" from "DATA SHARING BILL 2031"), or ""."""
    first = next((chunk[0].text for chunk in chunks if chunk), "")
    if len(first.split()) > 12 or not _TITLE_LINE.search(first):
        return ""
    return " ".join(_TITLE_NOISE.sub(" ", first).lower().split())


def drop_furniture(chunks: list[list[Line]]) -> list[Line]:
    """The document's lines without its page furniture (see the module docstring), in order."""
    heads = running_heads(chunks)
    title = _short_title(chunks)
    glued = _glued_pattern(heads | {title} if title else heads)
    kept: list[Line] = []
    for chunk in chunks:
        zone = _zone(chunk)
        for i, line in enumerate(chunk):
            text = line.text
            if i not in zone and not (_ENDS_IN_NUMBER.search(text) or _BILL_START.match(text)):
                kept.append(line)  # outside the zones only a numbered head or a "Bill" line goes
                continue
            key, has_number = furniture_key(line.text)
            if key in _BILL_HEADS and not line.text.isupper():
                continue  # "RANG UNDANG-UNDANG" in capitals opens the bill; as a head it repeats
            if key in heads and (i in zone or has_number):
                continue
            if key == title and (has_number or (i in zone and not text.isupper() and " " in key)):
                continue  # a Part title in capitals that happens to be the short title stays
            if i in zone and _PAGE_NUMBER.match(line.text):
                continue
            if glued is not None and i in zone:
                match = glued.match(line.text)
                if match:
                    line.text = match.group("rest")
            kept.append(line)
    return kept


def _glued_pattern(heads: set[str]) -> re.Pattern[str] | None:
    """A running head and its page number in front of a page's first words: "Electronic Commerce 7 Seal"."""
    if not heads:
        return None
    alternatives = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
    return re.compile(
        rf"^(?:\d{{1,4}}\s+(?:{alternatives})|(?:{alternatives})\s+\d{{1,4}})\s+(?P<rest>\S.*)$", re.I
    )
