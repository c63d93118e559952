"""Which lines of a statute open sections: the patterns, the candidates and the number sequence.

A line that could open a section is a *candidate* (``_candidate``); ``_accept`` then keeps the candidates
whose numbers make a plausible sequence (see :mod:`.segment_statute` for the rules). The patterns for
Parts, Chapters, schedules, subsections and definitions live here too, so that both passes of the
statute reader share one set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .segment_lines import Line


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ARRANGEMENT = re.compile(
    r"^(?:ARRANGEMENT OF (?:CLAUSES|SECTIONS|REGULATIONS|RULES)|SUSUNAN (?:FASAL|SEKSYEN|PERATURAN|KAEDAH)"
    r"|(?:TABLE OF )?CONTENTS|(?:ISI )?KANDUNGAN)\.?$",
    re.I,
)
_ENACTING = re.compile(r"\b(?:BE IT ENACTED|ENACTED by|hereby enacted|DIPERBUAT oleh|INILAH DIPERBUAT)\b")
_END_MATTER = re.compile(
    r"^(?:EXPLANATORY (?:STATEMENT|NOTE|MEMORANDUM)|HURAIAN|(?:STATEMENT OF )?OBJECTS AND REASONS"
    r"|FINANCIAL IMPLICATIONS?|IMPLIKASI KEWANGAN|PERNYATAAN TUJUAN DAN SEBAB)\b",
    re.I,
)
_ORDINALS = (
    "FIRST|SECOND|THIRD|FOURTH|FIFTH|SIXTH|SEVENTH|EIGHTH|NINTH|TENTH|"
    "PERTAMA|KEDUA|KETIGA|KEEMPAT|KELIMA|KEENAM|KETUJUH|KELAPAN|KESEMBILAN|KESEPULUH"
)
_SCHEDULE = re.compile(
    rf"^(?:(?P<pre>{_ORDINALS}) )?(?:SCHEDULES?|JADUAL)(?: (?P<post>{_ORDINALS}|[IVX]+|\d+))?"
    r"\.?(?:\s*[\[(].*[\])])?$"
)
_PART = re.compile(r"^(?P<kw>PART|BAHAGIAN|Part|Bahagian)\s+(?P<num>[IVXLC]+|\d+|[A-Z])\b\.?\s*(?P<rest>.*)$")
_CHAPTER = re.compile(
    r"^(?P<kw>CHAPTER|BAB|Chapter|Bab)\s*[-–—:]?\s*(?P<num>[IVXLC]+|\d+|[A-Z])\b\.?\s*(?P<rest>.*)$"
)
_DIVISION = re.compile(r"^(?:Penggal|Division|Subdivision|Subpenggal)\s+(?P<num>\d{1,2}|[IVX]{1,4})\.?$")
_NUM = r"(?P<num>\d{1,3}[A-Z]{0,2}|(?=[lIO]?\d)[\dlIO]{2,3}[A-Z]?)"
_KEYWORD = r"(?:(?:Section|Seksyen|Sec\.|Regulation|Peraturan|Rule|Kaedah|Article|Perkara)\s+)?"
_LEAD = re.compile(rf"^{_KEYWORD}{_NUM}\s?\.(?!\d)\s*(?P<rest>.*)$")
_NODOT = re.compile(rf"^{_NUM}\s?[,*:;]?\s+(?P<rest>\(1\)\s.*)$")
_PREFIXED = re.compile(
    rf"^(?P<prefix>(?:[^\s\d()]+\s+){{1,3}}?){_NUM}(?:\s?\.|\s?[,*]?(?=\s+\(1\)))\s+(?P<rest>(?:\([1l]\)|[A-Z\"“']).*)$"
)
_PREFIX_STOP = _words(
    "section sections seksyen subsection subsections subseksyen paragraph paragraphs perenggan "
    "clause clauses fasal act akta part bahagian chapter bab schedule jadual regulation "
    "regulations peraturan rule rules kaedah article item no nos number ordinance ordinan page "
    "under"
)
_TITLE_SPLIT = re.compile(
    r"^(?P<title>[A-Z][^()]{2,150}?)\s*(?:[:.]\s?[-–—]+|\s[-–—]+|[-–—]+(?=\s*\(1\))|\.(?=\s*\(1\)))\s*"
    r"(?P<body>.*)$"
)
_LOST_NUMBER = re.compile(r"^(?P<title>[A-Z][^()]{2,150}?)\s*(?:[:.]?\s?[-–—]+|:)\s*(?P<body>\(1\)\s*.*)$")
_SUBSECTION = re.compile(r"^\((?P<num>\d{1,3}[A-Z]?|l)\)\s*(?P<rest>.*)$")
_PARAGRAPH = re.compile(r"^\((?P<num>[a-z]{1,3})\)\s*(?P<rest>.*)$")
_ITEM = re.compile(r"^\((?P<num>[A-Z]{1,2})\)\s+(?P<rest>.*)$")
# A quoted definition: '"term" means', '"computer output" or "output" means', '"seize" with respect to
# ... includes', '"istilah" ertinya'. The term is the first quoted one.
_DEFINITION = re.compile(
    r"^[“\"‘'‘]\s?(?P<term>[^\"”’']{1,80}?)\s?[”\"’']"
    r"(?:\s*(?:or|and|atau|dan)\s*[“\"‘'][^\"”’']{1,80}[”\"’'])*"
    r"\s*(?:\([^)]*\)\s*)?,?\s*(?:[^“\"”.;:]{1,80}?\s)?"
    r"(?:means|includes|has the|shall have|shall mean|refers|ertinya|termasuklah|mempunyai|merujuk)\b"
)
_INTERPRETATION = re.compile(
    r"interpretation|definitions?|tafsiran|takrif|In this (?:Act|Part|Ordinance|Regulations?|Rules)"
    r"|Dalam (?:Akta|Bahagian|Peraturan|Kaedah)[^.,]{0,40} ini",
    re.I,
)
# A subsection that opens definitions for its own section: "For the purposes of this section—" + quoted
# definitions, "Bagi maksud seksyen ini—", "In this section—".
_LOCAL_DEFINITIONS = re.compile(
    r"^(?:(?:For the purposes of|In) this (?:section|subsection|Part|Chapter)|Bagi maksud "
    r"(?:seksyen|subseksyen|Bahagian|Bab) ini|Dalam (?:seksyen|subseksyen|Bahagian|Bab) ini)"
    r"\b[^.]{0,60}[—:-]\s*$",
    re.I,
)
_FORMULA_TAIL = re.compile(r"(?:context otherwise requires|menghendaki makna yang lain)\W*$", re.I)
# An amending bill's "... the following new section:" / "... seksyen baru berikut:"; the text after it
# quotes sections of another Act, whose numbers are not this bill's.
_INSERTION_INTRO = re.compile(r"\b(?:new|baru)\b[^.]*:\W*$", re.I)
_QUOTE_START = ('"', "“", "'", "‘")
# A line that ends in a reference ("... under section 5", "... paragraphs (a), (b) and", "... perenggan"):
# a marker at the start of the next line ("(1); and", "(c).") completes the reference, it opens nothing.
_REFERENCE_END = re.compile(
    r"(?:\b(?:sections?|sub-?sections?|paragraphs?|sub-?paragraphs?|items?|clauses?|regulations?|"
    r"seksyen|subseksyen|perenggan|subperenggan|butiran|fasal|peraturan)"
    r"(?:\s+\d{1,3}[A-Z]{0,2}(?:\s?\([^()\s]{1,6}\))*)?"
    r"|\([a-z0-9]{1,4}\)\s*(?:,|and|or|dan|atau|to|hingga))\s*$",
    re.I,
)
_MARKER_LINE = re.compile(r"^\((?:\d{1,3}[A-Z]?|[a-z]{1,4}|[A-Z]{1,2}|l)\)")
# Text with no word but connectives: "; and", ".", ", (b) or (c)". Never a provision of its own.
_CONNECTIVE_ONLY = re.compile(r"^(?:[\s,;:.\-–—)]|\b(?:and|or|dan|atau)\b|\([a-z0-9]{1,4}\))*$", re.I)
_NOISE = re.compile(r"^(?:[\divxlcIVXLC]{1,5}(?:\s?[.,]\s?\d{1,3})?|[-–—]\s?\d+\s?[-–—])$")
_CONTINUATION_END = _words(
    "section seksyen subsection subseksyen paragraph perenggan of under to and or the dan atau kepada bawah"
)
_TITLE_STOP_END = _words(
    "of the a an to and or by in for with on at as dan atau yang di ke dengan bagi untuk oleh "
    "kepada daripada pada"
)
_MODAL = re.compile(r"\b(?:shall|may|must|hendaklah|boleh|is|are|means|ertinya)\b")
_ROMANS = _words("i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx")

JUMP_WINDOW = 10
WEAK_JUMP_WINDOW = 3


@dataclass(slots=True)
class _Candidate:
    index: int
    number: int
    suffix: str
    printed: str
    rest: str
    strong: bool
    heading_form: bool  # a Markdown heading or bold line: the way sections look in this document
    prefix: str = ""  # words before the number: a margin note's beginning ("General 263. (1) ...")


def _to_int(token: str) -> tuple[int, str]:
    """``"10A"`` → (10, "A"); OCR look-alikes in the digits are mended (``3lA`` → 31, "A")."""
    match = re.match(r"^([\dlIO]+)([A-Z]*)$", token)
    if not match:
        return 0, ""
    digits = match.group(1).translate(str.maketrans("lIO", "110"))
    return int(digits), match.group(2)


def _candidate(body: list[Line], i: int) -> _Candidate | None:
    line = body[i]
    text = line.text
    prefix = ""
    match = _LEAD.match(text) or _NODOT.match(text)
    if match is None:
        match = _PREFIXED.match(text)
        if match is None:
            return None
        prefix = match.group("prefix").strip()
        last_word = prefix.split()[-1].lower().strip(".,'’")
        margin_note = prefix.endswith(".")  # "Schedule. 7. (1) ...": a margin note, not a reference
        if len(prefix) > 40 or (last_word in _PREFIX_STOP and not margin_note):
            return None
        if not re.fullmatch(r"[A-Za-z][\w'’.,-]*", last_word or "-"):
            return None
    token = match.group("num")
    number, suffix = _to_int(token)
    if number == 0 or len(suffix) > 2:
        return None
    rest = match.group("rest").strip()
    if i > 0 and not prefix and not (line.heading or line.bold or rest.startswith("(1)")):
        previous_words = body[i - 1].text.rstrip(" ,").split()
        if (
            previous_words
            and previous_words[-1].lower() in _CONTINUATION_END
            and not _heading_like(body[i - 1])
        ):
            return None  # "... under section" / "12. The ...": a reference broken across lines
    heading_form = (line.heading > 0 or line.bold) and not prefix
    strong = (
        heading_form
        or rest.startswith("(1)")
        or bool(_TITLE_SPLIT.match(rest) and len(_TITLE_SPLIT.match(rest).group("title").split()) <= 20)  # type: ignore[union-attr]
        or (i > 0 and _heading_like(body[i - 1]))
    )
    return _Candidate(i, number, suffix, token, rest, strong, heading_form, prefix)


def _heading_like(line: Line) -> bool:
    """A short title line such as "Interpretation" or "# Power to investigate"."""
    text = line.text
    words = text.split()
    if not words or len(words) > 14 or len(text) > 110 or not text[0].isupper():
        return False
    if text[-1] in ",;:—-–" or _LEAD.match(text) or _PART.match(text) or _CHAPTER.match(text):
        return False
    if text.endswith(".") and not (line.heading or line.bold or len(words) <= 3):
        return False
    if words[-1].lower().strip(".") in _TITLE_STOP_END or _MODAL.search(text):
        return False
    return not text.isupper() or line.heading > 0


def _insertion_intro(body: list[Line], i: int) -> bool:
    text = body[i].text
    if _INSERTION_INTRO.search(text):
        return True
    return (
        text.rstrip().endswith((":", ":—", ":-"))
        and i + 1 < len(body)
        and body[i + 1].text.startswith(_QUOTE_START)
    )


def _continues(cand: _Candidate, following: list[_Candidate]) -> int:
    """How many of the next candidates go on in sequence from this one (7 → 8 → 9 gives 2)."""
    last, count = (cand.number, cand.suffix), 0
    for other in following:
        if _consistent(other.number, other.suffix, last):
            last, count = (other.number, other.suffix), count + 1
    return count


def _consistent(number: int, suffix: str, last: tuple[int, str]) -> bool:
    last_number, last_suffix = last
    if number == last_number + 1 and suffix in ("", "A"):
        return True
    return (
        number == last_number
        and bool(suffix)
        and suffix > last_suffix
        and len(suffix) <= len(last_suffix) + 1
    )


def _accept(body: list[Line], candidates: list[_Candidate]) -> dict[int, tuple[_Candidate, bool]]:
    """Pick the candidates that open sections: {line index: (candidate, number trusted)}."""
    accepted: dict[int, tuple[_Candidate, bool]] = {}
    last: tuple[int, str] | None = None
    insertion = False
    intros = {i for i in range(len(body)) if _insertion_intro(body, i)}
    schedules = {i for i, line in enumerate(body) if _SCHEDULE.match(line.text)}
    previous_index = -1
    in_schedule = False
    for k, cand in enumerate(candidates):
        between = range(previous_index + 1, cand.index)
        if any(i in intros for i in between):
            insertion = True
        if any(i in schedules for i in between):
            in_schedule = True
        previous_index = cand.index
        if last is None:
            ok = cand.number <= 2 or cand.strong
            trusted = ok
        elif _consistent(cand.number, cand.suffix, last):
            ok = trusted = True
        elif insertion or in_schedule:
            ok = trusted = False
        elif last[0] < cand.number <= last[0] + (JUMP_WINDOW if cand.strong else WEAK_JUMP_WINDOW):
            # A jump forward (sections lost in between) needs the numbers after it to go on from it.
            following = candidates[k + 1 : k + 6]
            continued = _continues(cand, following)
            ok = cand.strong or continued >= 2
            trusted = ok and (continued >= 1 or not following)
        elif not cand.strong:
            ok = trusted = False
        else:
            ok = cand.number >= 2 and (
                cand.heading_form or (cand.index > 0 and _heading_like(body[cand.index - 1]))
            )
            trusted = False
        if (
            in_schedule
            and ok
            and not (last is not None and _consistent(cand.number, cand.suffix, last) and cand.strong)
        ):
            ok = False
        if ok:
            accepted[cand.index] = (cand, trusted)
            insertion = False
            in_schedule = False
            if trusted:
                last = (cand.number, cand.suffix)
    return accepted
