"""The arrangement of sections (the bill's table of contents) as titles, and margin notes in the body.

A printed statute gives each section a marginal note: its title, printed in the margin beside the
section's first lines. Converted to text, the note is lost, or becomes a line of its own above the
section, or is spliced into the ends of the section's first lines ("... melainkan jika konteksnya
Tafsiran." / "Akta Jenayah Tajuk" + "Komputer 1997. ringkas dan"). The arrangement of sections
("ARRANGEMENT OF CLAUSES", "SUSUNAN FASAL") lists the same titles by number, and survives conversion
well, so it is the reference:

- :func:`arrangement_titles` reads it into {number: title};
- :func:`heading_lines` keeps, of the heading-like lines above a section, those that are its title (a
  Division title or the end of the previous sentence above it is not);
- :func:`margin_plan` finds the title's words at the ends of the section's first lines, so they are
  taken out of the text and the section gets its title.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence

from .segment_lines import Line

_ENTRY = re.compile(
    r"^(?:(?:Section|Seksyen|Clause|Fasal|Regulation|Peraturan)\s+)?(?P<num>\d{1,3}[A-Z]{0,2})\s?\.\s+"
    r"(?P<title>\S.*)$"
)
_DIVISION = re.compile(
    r"^(?:PART|BAHAGIAN|CHAPTER|BAB|Part|Bahagian|Chapter|Bab|Penggal|Division|Subdivision|Subpenggal)"
    r"\s+(?:\d+|[IVXLC]+|[A-Z])\.?$"
)
# Where the arrangement ends and the bill proper begins: "A BILL", "i n t i t u l e d", "b e r n a m a".
_BILL_START = re.compile(r"^(?:A BILL|RANG UNDANG-UNDANG|(?:[a-z] ){4,}[a-z])$")
_COLUMN_LABEL = re.compile(r"^(?:Clause|Fasal|Section|Seksyen|Regulation|Peraturan)s?\.?$", re.I)
_OPEN_END = frozenset(
    (
        *("of", "the", "a", "an", "and", "or", "to", "for", "by", "in", "on", "with", "under", "from"),
        *("dan", "atau", "bagi", "yang", "untuk", "oleh", "kepada", "di", "dengan", "daripada", "pada"),
    )
)
# How alike a heading line and the arrangement's title must be (OCR and editions differ a little).
SIMILAR = 0.8
# The margin note may reach into this many lines of the section.
MARGIN_LINES = 4


def norm(text: str) -> str:
    """Words only, lower case, no accents: the form in which titles are compared."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text))


def likeness(a: str, b: str) -> float:
    """How alike two titles read, 0 to 1, once normalised."""
    a, b = norm(a), norm(b)
    if not a or not b:
        return 0.0
    return 1.0 if a == b else difflib.SequenceMatcher(a=a, b=b, autojunk=False).ratio()


def arrangement_titles(lines: Sequence[Line]) -> dict[str, str]:
    """{section number: title} from the lines of an arrangement of sections.

    An entry is ``N. Title``; a line that starts in lower case, or follows an entry ending in "of",
    "dan" ..., continues the title. Part, Chapter and Division headings and their titles, the
    "Clause" / "Fasal" column label and anything else are skipped.
    """
    titles: dict[str, str] = {}
    last: str | None = None
    for line in lines:
        text = line.text.strip()
        if _BILL_START.match(text):
            break
        entry = _ENTRY.match(text)
        if entry:
            last = entry.group("num")
            titles[last] = entry.group("title")
            continue
        if _DIVISION.match(text) or _COLUMN_LABEL.match(text) or last is None:
            last = None
            continue
        words = titles[last].split()
        if not text.isupper() and (text[:1].islower() or (words and words[-1].lower() in _OPEN_END)):
            titles[last] = f"{titles[last]} {text}"
        else:
            last = None
    return {number: _tidy(title) for number, title in titles.items() if _tidy(title)}


def _tidy(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().rstrip(".").strip()


def heading_lines(texts: Sequence[str], title: str) -> int:
    """How many of the heading-like lines just above a section (``texts``, in order) are its title.

    The last line alone, or the last two joined, must read like the arrangement's title (the closer of
    the two wins: "Akta ini." + "Pembatalan pendaftaran" is one line of title); 0 when neither does, so
    that those lines stay where they were.
    """
    best, lines = SIMILAR, 0
    for count in (1, 2):
        if len(texts) >= count:
            score = likeness(" ".join(t.rstrip(".") for t in texts[-count:]), title)
            if score > best or (score == best and lines == 0):
                best, lines = score, count
    return lines


def margin_plan(texts: Sequence[str], title: str) -> dict[int, int] | None:
    """Where a margin note spliced into line ends is: {line offset: words to take off its end}.

    ``texts`` are the section's first lines (its opening line without the number first). The title's
    words are looked for, in order, at the ends of those lines; a piece must leave words in front of
    it, and the first piece starts with the title's capital. The plan holds for the whole title of two
    words or more at one line end, for pieces on two lines or more making half the title at least
    (a sentence can end in two capitalised words by chance, but not interleave with the title), and for
    a one-word title whose line goes on in lower case ("konteksnya Tafsiran." + "menghendaki ...").
    None otherwise.
    """
    wanted = title.split()
    found = 0
    plan: dict[int, int] = {}
    for offset, text in enumerate(texts[:MARGIN_LINES]):
        if found == len(wanted):
            break
        words = text.split()
        remaining = wanted[found:]
        last = words[-1].strip(".,;:").lower() if words else ""
        for size in range(min(len(remaining), len(words) - 1), 0, -1):
            if remaining[size - 1].strip(".,;:").lower() != last:
                continue  # cheap test first: the piece must end with the line's last word
            tail = words[-size:]
            if norm(" ".join(tail)) != norm(" ".join(remaining[:size])):
                continue
            if found == 0 and not tail[0][:1].isupper():
                continue
            plan[offset] = size
            found += size
            break
    if found >= 2 and (found == len(wanted) or (len(plan) >= 2 and 2 * found >= len(wanted))):
        return plan
    if found == 1 and len(wanted) == 1 and plan:
        offset = next(iter(plan))
        following = texts[offset + 1] if offset + 1 < len(texts) else ""
        if texts[offset].rstrip().endswith(".") and following[:1].islower():
            return plan
    return None


def take_off(text: str, words: int) -> str:
    """The line without its last ``words`` words."""
    return " ".join(text.split()[:-words]) if words else text
