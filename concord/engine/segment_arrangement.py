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

from .segment_lines import Line, join_text

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

    An arrangement whose entries run on, as a PDF or a web page may give them ("5. Prinsip Am 6. Prinsip
    Notis dan 7. ..."), is read too: inside a line only the *next* number in sequence starts an entry
    (6 or 5A after 5, never a "section 5." cited in a title), and the words before it continue the last
    title, whatever their case.
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
            titles[last], entries = _run_on(entry.group("title"), last)
        elif _DIVISION.match(text) or _COLUMN_LABEL.match(text) or last is None:
            last = None
            continue
        else:
            head, entries = _run_on(text, last)
            if entries or titles[last] == "" or _continues(titles[last], text):
                titles[last] = join_text([titles[last], head])
            else:
                last = None
        for number, title in entries:
            last = number
            titles[number] = title
    return {number: _tidy(title) for number, title in titles.items() if _tidy(title)}


_NUMBER_IN_LINE = re.compile(r"(?<!\S)(\d{1,3}[A-Z]{0,2})\s?\.(?=\s|$)")
_CITED_BEFORE = re.compile(
    r"(?:section|sections|seksyen|subsection|subseksyen|clause|fasal|paragraph|perenggan|Act|Akta|"
    r"regulation|peraturan|Part|Bahagian)\s*$",
    re.I,
)


def _run_on(text: str, last: str) -> tuple[str, list[tuple[str, str]]]:
    """``text`` cut where the next entries in sequence start: the words before the first (they belong to
    ``last``'s entry) and [(number, title)] of the entries that follow.

    A number is taken only when it follows the previous one ("6" or "5A" after "5") and is not cited
    ("section 5."), so numbers in a title stay in it.
    """
    entries: list[tuple[str, str]] = []
    head, number, begin = "", "", 0
    for match in _NUMBER_IN_LINE.finditer(text):
        candidate = match.group(1)
        if candidate not in _successors(last) or _CITED_BEFORE.search(text[: match.start()]):
            continue
        words = text[begin : match.start()].strip()
        if number:
            entries.append((number, words))
        else:
            head = words
        number, begin, last = candidate, match.end(), candidate
    if number:
        entries.append((number, text[begin:].strip()))
    else:
        head = text.strip()
    return head, entries


def _successors(number: str) -> tuple[str, ...]:
    """The numbers that may follow ``number`` in an arrangement: 6 and 5A after 5, 5B and 6 after 5A."""
    digits = re.match(r"\d+", number)
    if digits is None:
        return ()
    value, suffix = int(digits.group()), number[digits.end() :]
    following = f"{value}{chr(ord(suffix[-1]) + 1)}" if suffix and suffix[-1] < "Z" else f"{value}A"
    return (str(value + 1), following)


def _continues(title: str, text: str) -> bool:
    """A line that starts in lower case, or follows a title ending in "of" or "dan", goes on with it."""
    words = title.split()
    return not text.isupper() and (text[:1].islower() or (bool(words) and words[-1].lower() in _OPEN_END))


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
