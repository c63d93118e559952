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
from collections.abc import Iterator, Sequence

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

    An entry whose number is misprinted out of sequence ("6. Interpretation", "1. Direction by the
    Minister", "8. Variation of a direction", where the body has section 7) is read as the number the
    entries around it leave for it, so it neither overwrites section 1's title nor leaves 7 untitled.
    """
    titles: dict[str, str] = {}
    last: str | None = None
    numbers = _in_sequence(lines)
    for line, text in _arrangement(lines):
        entry = _ENTRY.match(text)
        if entry:
            last = numbers.get(id(line), entry.group("num"))
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


def _arrangement(lines: Sequence[Line]) -> Iterator[tuple[Line, str]]:
    """The arrangement's lines with their text stripped, up to where the bill proper begins."""
    for line in lines:
        text = line.text.strip()
        if _BILL_START.match(text):
            return
        yield line, text


def _in_sequence(lines: Sequence[Line]) -> dict[int, str]:
    """{id(line): number} for the entry lines whose printed number breaks the sequence where the entries
    on both sides leave exactly one number for it: after N and before N + 2, an entry printed with a
    number not above N (OCR and typesetting turn a 7 into a 1) is N + 1."""
    entries = [
        (line, entry.group("num")) for line, text in _arrangement(lines) if (entry := _ENTRY.match(text))
    ]
    repaired: dict[int, str] = {}
    for (_, before), (line, printed), (_, after) in zip(entries, entries[1:], entries[2:]):
        if not (before.isdigit() and after.isdigit() and int(after) == int(before) + 2):
            continue
        digits = re.match(r"\d+", printed)
        if digits is not None and int(digits.group()) <= int(before):
            repaired[id(line)] = str(int(before) + 1)
    return repaired


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

    ``texts`` are the section's first lines (its opening line without the number first). The title is
    looked for, in order, at the ends of those lines, letter by letter (spaces, case and hyphens aside, so
    "by theMinister." is "by the Minister."); a piece must leave words in front of it, and the first
    piece starts with the title's capital. The plan holds for the whole title of two words or more, for
    pieces on two lines or more making half the title at least (a sentence can end in two capitalised
    words by chance, but not interleave with the title), and for a one-word title whose line goes on in
    lower case ("konteksnya Tafsiran." + "menghendaki ..."). None otherwise.
    """
    title_words = norm(title).split()
    whole = "".join(title_words)
    if not whole:
        return None
    ends = [sum(len(w) for w in title_words[: k + 1]) for k in range(len(title_words))]
    at = 0
    plan: dict[int, int] = {}
    for offset, text in enumerate(texts[:MARGIN_LINES]):
        if at == len(whole):
            break
        words = text.split()
        for size in range(min(len(title_words), len(words) - 1), 0, -1):
            tail = words[-size:]
            piece = _letters(tail)
            if len(piece) < 2 or not all(norm(w) for w in tail) or not whole.startswith(piece, at):
                continue
            if at == 0 and not tail[0][:1].isupper():
                continue
            plan[offset] = size
            at += len(piece)
            break
    found = sum(1 for end in ends if end <= at)  # title words spelt in full
    if found >= 2 and (at == len(whole) or (len(plan) >= 2 and 2 * found >= len(title_words))):
        return plan
    if found == 1 and len(title_words) == 1 and plan:
        offset = next(iter(plan))
        following = texts[offset + 1] if offset + 1 < len(texts) else ""
        if texts[offset].rstrip().endswith(".") and following[:1].islower():
            return plan
    return None


def take_off(text: str, words: int) -> str:
    """The line without its last ``words`` words."""
    return " ".join(text.split()[:-words]) if words else text


# A margin note printed to the left of the text spans this many of the lines after the number's line.
LEADING_NOTE_LINES = 5
# A piece of a note at a line's start holds at most this many words ("duty oflicensees.").
_PIECE_WORDS = 4


def _letters(words: Sequence[str]) -> str:
    """The words' letters and digits only: "of", "communi-", "oflicensees." → "ofcommunioflicensees"."""
    return norm(" ".join(words)).replace(" ", "")


def leading_note_plan(texts: Sequence[str], title: str, before: str = "") -> dict[int, int] | None:
    """Where a margin note spliced into the *starts* of the lines after a section's first line is:
    {offset in ``texts``: words to take off its start}.

    A note printed in the left margin comes out of some conversions as the words in front of each line:
    "General 263. (1) A licensee shall use his best endeavour to" + "duty oflicensees. prevent the
    network facilities ...". Its first words usually stand before the number (``before``, which the
    number's reader leaves out), so the pieces here spell the rest of the title, in order, to its end
    with its full stop (spaces, case and hyphens aside). When ``before`` is the title's beginning, the
    pieces must continue it exactly, and the last may be a line of its own ("determination."). Without
    it they may start at any of the title's words, and the plan holds only when the sentence goes on in
    lower case after the last piece on its line and the pieces spell half the title at least: a sentence
    that ends at a line's start ("... approval of the" + "Minister. (2) ...") does not.
    """
    title_words = norm(title).split()
    whole = "".join(title_words)
    lead = _letters(before.split())
    known = bool(lead) and whole.startswith(lead) and len(lead) < len(whole)
    if len(whole) < 4:
        return None
    starts = {len(lead)} if known else {sum(len(w) for w in title_words[:k]) for k in range(len(title_words))}
    plan: dict[int, int] = {}
    at: int | None = None  # how far into the title's letters the pieces have reached
    covered = 0
    for offset, text in enumerate(texts[:LEADING_NOTE_LINES]):
        words = text.split()
        found = _piece(words, whole, starts if at is None else {at}, whole_line=known)
        if found is None:
            return None
        size, begin = found
        piece = _letters(words[:size])
        at, covered = begin + len(piece), covered + len(piece)
        plan[offset] = size
        if at == len(whole):
            if not words[size - 1].endswith("."):
                return None
            if known:
                return plan
            goes_on = size < len(words) and words[size][:1].islower()
            return plan if goes_on and 2 * covered >= len(whole) else None
    return None


def _piece(words: list[str], whole: str, starts: set[int], *, whole_line: bool) -> tuple[int, int] | None:
    """(words, where in the title's letters they begin) of the longest run of a line's first words whose
    letters stand in the title from one of ``starts``; None when none does. A word is left after the
    run unless ``whole_line``."""
    longest = len(words) if whole_line else len(words) - 1
    for size in range(min(_PIECE_WORDS, longest), 0, -1):
        piece = _letters(words[:size])
        if len(piece) < 2 or not all(norm(w) for w in words[:size]):  # "—" is no part of a note
            continue
        for begin in sorted(starts):
            if whole.startswith(piece, begin):
                return size, begin
    return None
