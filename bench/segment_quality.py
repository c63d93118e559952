"""What the segmentation benchmark checks inside provisions: titles, page furniture, definitions, junk.

Every reference here is read from the raw Markdown file with rules of its own, independent of the
engine's code, so that a segmenter change cannot move the yardstick:

*Section titles* come from the arrangement of clauses: ``N. Title`` entries, a title wrapped onto the
next line when that line starts in lower case or the entry ends in a word such as "of" / "dan".
Division headings inside the arrangement ("Penggal 2", "Division 2" and their italic title) are skipped.

*Page furniture* is found page by page (pages are cut at the ``-----`` rules): a line among the first two
or last two lines of a page whose normalised form (markup gone, page numbers dropped, lower case) comes
back on at least two pages is a running head; a bare page number there is furniture, and so is a line
holding only a number anywhere unless the line before ends in a reference word ("section"); a line
that is only "Bill" / "Rang Undang-Undang" (with or without a page number) is furniture anywhere; so is
a margin note printed at the end of a body line, found as an arrangement title (capitalised as printed,
after a lower-case word, with its full stop) that ends a longer line after the enacting formula while
the sentence goes on in lower case on the next line. A furniture line is *left in text* when an output
provision's heading or own text holds it joined to one of its neighbouring lines (the last words of the
line before it or the first words of the line after it), which is what a segmenter that failed to drop
it produces.

*Nested definitions*: provisions opening with a quoted definition whose parent opens with one too.
*Merged definitions*: provisions whose own text (children's text taken out) holds two or more quoted
definitions (``"term" means``, ``"istilah" ertinya`` ...). *Junk*: provisions whose text has no word but
connectives and punctuation ("; and", "."); *short*: text under 10 characters (some are real items,
"a fine;", so they are printed apart).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from concord.engine.types import Provision

_ARRANGEMENT = re.compile(r"^\W*(?:ARRANGEMENT OF (?:CLAUSES|SECTIONS)|SUSUNAN (?:FASAL|SEKSYEN))\W*$", re.I)
_BILL_START = re.compile(r"^\W*(?:A BILL|RANG UNDANG-UNDANG)\W*$|ENACTED|DIPERBUAT")
_ENTRY = re.compile(r"^[\W_]*?(\d+[A-Z]?)\s?\.[*_]*\s+(\S.*)$")
_DIVISION = re.compile(r"^[\W_]*(?:Penggal|Division|Chapter|Bab|PART|BAHAGIAN)\s+[\dIVXL]+\W*$", re.I)
_ENDS_OPEN = re.compile(
    r"\b(?:of|the|and|or|to|for|by|in|on|with|dan|atau|bagi|yang|untuk|oleh|kepada|di)\W*$"
)
_RULE = re.compile(r"(?m)^\s*-{5,}\s*$")
_MARKUP = re.compile(r"[#*_`>|]+")
_PAGE_NUMBER = re.compile(r"^\d{1,4}$|^[-–—]\s*\d+\s*[-–—]$|^page \d+(?: of \d+)?$")
_BILL_HEAD = re.compile(r"^(?:\d+\s+)?(?:bill|rang undang-undang)(?:\s+\d+)?$")
_ENUMERATED = re.compile(r"^(?:\(?[a-z0-9]{1,4}\)|\d+[a-z]?\.)(?:\s|$)")
_DEFINITION_START = re.compile(
    r"(?:^|(?<=[\s;:—–-]))[“\"][^”\"]{1,80}[”\"](?:\s*(?:or|atau|and|dan)\s*[“\"][^”\"]{1,80}[”\"])*"
    r"\s*(?:\([^)]{0,60}\)\s*)?,?\s*(?:means|includes|ertinya|termasuklah|has the meaning|mempunyai erti)\b"
)
_REFERENCE_WORDS = frozenset(
    (
        *("section", "sections", "seksyen", "subsection", "subseksyen", "paragraph", "paragraphs"),
        *("perenggan", "under", "bawah", "of", "and", "or", "dan", "atau", "to", "kepada", "in", "dalam"),
    )
)
_CONNECTIVES = frozenset(("and", "or", "dan", "atau", "but", "tetapi", "the", "of"))
NEIGHBOUR_WORDS = 3
# The bills whose text was read while writing the furniture, title and definition rules (and PECA);
# the others are held out and their figures are printed apart.
DEVELOPMENT_BILLS = frozenset(("DR-3-1997", "DR-17-2006", "DR-35-2009", "DR-1-1991"))


def words(text: str) -> list[str]:
    text = text.lower().replace("_", " ")
    return re.findall(r"[a-z0-9]+", text)


def norm_title(text: str) -> str:
    return " ".join(words(text))


# --- arrangement titles ------------------------------------------------------------------------------------


def arrangement_titles(markdown: str) -> dict[str, str]:
    """Section number → title, as the arrangement of clauses prints them (empty when there is none).

    Two held-out bills misprint one entry's number ("_1._ Direction by the Minister." between 6 and 8,
    "_21._ Use of trustworthy systems." between 26 and 28; checked against the body and the Malay
    arrangement): an entry whose number is not above the one before, where the one after is two above
    it, is the number between."""
    lines = [_MARKUP.sub(" ", line).strip() for line in markdown.splitlines()]
    start = next((i for i, line in enumerate(lines) if _ARRANGEMENT.match(line)), None)
    if start is None:
        return {}
    titles: dict[str, str] = {}
    last: str | None = None
    skip_title = False
    entries = ((i, _ENTRY.match(line)) for i, line in enumerate(lines[start + 1 :], start + 1))
    printed = [(i, m.group(1)) for i, m in entries if m]
    misprinted = {
        i: str(int(a) + 1)
        for (_, a), (i, n), (_, b) in zip(printed, printed[1:], printed[2:])
        if a.isdigit()
        and b.isdigit()
        and n[:1].isdigit()
        and int(b) == int(a) + 2
        and int(re.match(r"\d+", n).group()) <= int(a)  # type: ignore[union-attr]
    }
    for i, line in enumerate(lines[start + 1 :], start + 1):
        if not line or _RULE.match(line):
            continue
        if titles and _BILL_START.search(line):
            break
        entry = _ENTRY.match(line)
        if entry:
            last = misprinted.get(i, entry.group(1))
            titles[last] = entry.group(2).strip()
            skip_title = False
            continue
        if _DIVISION.match(line):
            skip_title, last = True, None
            continue
        if skip_title or last is None:
            skip_title = False
            continue
        if line[:1].islower() or _ENDS_OPEN.search(titles[last]):
            titles[last] = f"{titles[last]} {line}"
        else:
            last = None
    return {number: re.sub(r"\s+", " ", title).strip().rstrip(".") for number, title in titles.items()}


def notes_left(
    pairs: list[tuple[int, int]], sections: list[Provision], numbers: list[str | None], titles: dict[str, str]
) -> list[tuple[str, str]]:
    """True sections whose matched output section still holds the end of its margin note spliced into the
    text: the arrangement title's last word (alone or glued to the word before, "oflicensees.") with a
    full stop, in the first 80 words, and the sentence going on after it in lower case. [(number,
    excerpt)]."""
    left = []
    for i, j in pairs:
        title = titles.get(numbers[j] or "")
        last = words(title)[-1:] if title else []
        if not last or len(last[0]) < 3:
            continue
        head = " ".join(sections[i].text.split()[:80])
        found = re.search(rf"(?i)[a-z]*{re.escape(last[0])}\.\s+[a-z]", head)
        if found and head[found.end() - 1].islower():
            left.append((numbers[j] or "", head[max(0, found.start() - 30) : found.end() + 20]))
    return left


def title_recall(
    pairs: list[tuple[int, int]], sections: list[Provision], numbers: list[str | None], titles: dict[str, str]
) -> tuple[int, int]:
    """(true sections whose matched output section carries the arrangement's title, true sections titled)."""
    titled = [j for j, number in enumerate(numbers) if number in titles]
    matched = {j: i for i, j in pairs}
    right = sum(
        1
        for j in titled
        if j in matched and norm_title(sections[matched[j]].heading) == norm_title(titles[numbers[j]])  # type: ignore[index]
    )
    return right, len(titled)


# --- page furniture ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Furniture:
    text: str  # the furniture line, normalised
    before: str  # last words of the body line before it
    after: str  # first words of the body line after it


def _key(line: str) -> str:
    key = " ".join(words(_MARKUP.sub(" ", line)))
    return re.sub(r"^\d+\s+|\s+\d+$", "", key)


def furniture_lines(markdown: str, titles: dict[str, str]) -> list[Furniture]:
    """Every page-furniture line of the raw file, with its neighbours (see the module docstring)."""
    pages = [
        [ln for ln in page.splitlines() if _MARKUP.sub("", ln).strip()] for page in _RULE.split(markdown)
    ]
    zone_keys: Counter[str] = Counter()
    for page in pages:
        zone = {_key(ln) for ln in (*page[:2], *page[-2:]) if _head_shaped(ln)}
        zone_keys.update(k for k in zone if k and len(k.split()) <= 6 and not _ENUMERATED.match(k))
    running = {k for k, n in zone_keys.items() if n >= 2}
    inline_titles = sorted(set(titles.values()), key=len, reverse=True)
    enacted = False
    flat: list[tuple[list[str], str]] = []  # (body words, furniture text): one of the two is empty
    for page in pages:
        zone = {*range(2), *range(len(page) - 2, len(page))}
        for k, line in enumerate(page):
            plain = " ".join(words(_MARKUP.sub(" ", line)))
            enacted = enacted or bool(re.search(r"ENACTED|DIPERBUAT", line))
            previous = words(page[k - 1])[-1:] if k else []
            bare_number = bool(re.fullmatch(r"\d{1,3}", _MARKUP.sub("", line).strip())) and not (
                previous and previous[0] in _REFERENCE_WORDS
            )
            if (
                bare_number
                or _BILL_HEAD.match(plain)
                or (k in zone and (_PAGE_NUMBER.match(plain) or _key(line) in running))
            ):
                flat.append(([], plain))
                continue
            following = _MARKUP.sub(" ", page[k + 1]).strip() if k + 1 < len(page) else ""
            continues = following[:1].islower()
            margin = _margin_note(line, inline_titles) if enacted and continues else None
            if margin:
                flat.append((plain[: -len(margin)].split(), ""))
                flat.append(([], margin))
                continue
            flat.append((plain.split(), ""))
    found: list[Furniture] = []
    for k, (_, text) in enumerate(flat):
        if not text:
            continue
        before = next((w for w, f in reversed(flat[:k]) if w), [])
        after = next((w for w, f in flat[k + 1 :] if w), [])
        found.append(Furniture(text, " ".join(before[-NEIGHBOUR_WORDS:]), " ".join(after[:NEIGHBOUR_WORDS])))
    return found


def _head_shaped(line: str) -> bool:
    """Running heads start with a capital or a page number and end without punctuation."""
    plain = _MARKUP.sub(" ", line).strip()
    return bool(plain) and (plain[0].isupper() or plain[0].isdigit()) and plain[-1] not in ".,;:—–-"


def _margin_note(line: str, titles: list[str]) -> str | None:
    """The arrangement title printed, capitalised as in the arrangement, at the end of a longer body line
    after a lower-case word (a margin note), if any; returned normalised."""
    plain = re.sub(r"\s+", " ", _MARKUP.sub(" ", line)).strip()
    if not plain.endswith("."):
        return None  # a margin note ends in a full stop while the sentence beside it goes on
    plain = plain.rstrip(".")
    for title in titles:
        if plain.endswith(" " + title) and len(plain) > len(title) + 12:
            head = plain[: -len(title)].split()
            if (
                head
                and head[-1][:1].islower()
                and head[-1].lower() not in ("section", "seksyen", "the", "of")
            ):
                return norm_title(title)
    return None


def furniture_left(found: list[Furniture], provisions: list[Provision]) -> list[Furniture]:
    """The furniture lines an output provision still holds (joined to a neighbour line)."""
    by_parent: dict[str | None, list[Provision]] = {}
    for p in provisions:
        by_parent.setdefault(p.parent, []).append(p)
    hay = " | ".join(
        f"{' '.join(words(p.heading))} | {' '.join(words(own_text(p, by_parent.get(p.id, []))))}"
        for p in provisions
    )
    hay = f" {hay} "
    left: list[Furniture] = []
    for f in found:
        joins = [
            s
            for s in (f"{f.before} {f.text}" if f.before else "", f"{f.text} {f.after}" if f.after else "")
            if s
        ]
        if any(f" {join} " in hay for join in joins):
            left.append(f)
    return left


# --- definitions and junk ----------------------------------------------------------------------------------


def own_text(provision: Provision, children: list[Provision]) -> str:
    """A provision's text without its children's (the children's text is part of a span level's text)."""
    text = provision.text
    for child in children:
        if child.text:
            text = text.replace(child.text, " ", 1)
    return text


def merged_definitions(provisions: list[Provision]) -> list[Provision]:
    by_parent: dict[str | None, list[Provision]] = {}
    for p in provisions:
        by_parent.setdefault(p.parent, []).append(p)
    return [
        p for p in provisions if len(_DEFINITION_START.findall(own_text(p, by_parent.get(p.id, [])))) >= 2
    ]


def nested_definitions(provisions: list[Provision]) -> list[Provision]:
    """Provisions that open with a quoted definition under a provision that opens with one too: a
    definition nested under the one before it instead of being its sibling."""
    opens = {p.id for p in provisions if _DEFINITION_START.match(re.sub(r"^\([a-z]{1,4}\)\s*", "", p.text))}
    return [p for p in provisions if p.id in opens and p.parent in opens]


def junk(provisions: list[Provision]) -> tuple[list[Provision], list[Provision]]:
    """(provisions with no word but connectives, provisions under 10 characters), parts and chapters aside."""
    body = [p for p in provisions if p.level not in ("part", "chapter", "document")]
    empty = [p for p in body if not any(w not in _CONNECTIVES and not w.isdigit() for w in _letters(p.text))]
    short = [p for p in body if len(p.text.strip()) < 10]
    return empty, short


def _letters(text: str) -> list[str]:
    return re.findall(r"[a-z]{2,}", re.sub(r"\([a-z0-9]{1,4}\)", " ", text.lower()))


# --- printing ---------------------------------------------------------------------------------------------


def _split(document: str) -> str:
    bill = document.split(".")[0]
    if document.startswith("PECA"):
        return "dev"
    return "dev" if bill in DEVELOPMENT_BILLS else "held-out"


def print_inside(rows: list[Any]) -> None:
    """Titles, furniture, definitions and junk per document, then summed over the development and the
    held-out documents apart."""
    header = (
        f"{'document':<22} {'fmt':<4} {'split':<8} {'titles':>9} {'title%':>7} {'furnit.':>8} {'left':>5} "
        f"{'notes':>5} {'merged':>6} {'nested':>6} {'junk':>5} {'short':>5}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        share = f"{r.titles_right / r.titled:.1%}" if r.titled else "n/a"
        print(
            f"{r.document:<22} {r.fmt:<4} {_split(r.document):<8} "
            f"{f'{r.titles_right}/{r.titled}':>9} {share:>7} "
            f"{r.furniture:>8} {r.furniture_left:>5} {r.notes_left:>5} {r.merged:>6} {r.nested:>6} "
            f"{r.junk:>5} {r.short:>5}"
        )
    for split in ("dev", "held-out"):
        chosen = [r for r in rows if _split(r.document) == split]
        if not chosen:
            continue
        titled = sum(r.titled for r in chosen)
        right = sum(r.titles_right for r in chosen)
        share = f"{right / titled:.1%}" if titled else "n/a"
        print(
            f"{split:<8} ({len(chosen)} documents): section titles {right}/{titled} ({share}), "
            "furniture left "
            f"{sum(r.furniture_left for r in chosen)}/{sum(r.furniture for r in chosen)}, margin notes left "
            f"{sum(r.notes_left for r in chosen)}/{titled}, merged definitions "
            f"{sum(r.merged for r in chosen)}, nested {sum(r.nested for r in chosen)}, "
            f"junk {sum(r.junk for r in chosen)}, short "
            f"{sum(r.short for r in chosen)}"
        )
    print(
        "titles = true sections whose output section carries the arrangement's title; furnit. = furniture "
        "lines in the raw file, left = still inside a provision; notes = titled sections whose text still "
        "holds its margin note's end spliced mid-sentence ('... issue the Minister. directions'); merged = "
        "provisions holding 2+ quoted "
        "definitions; nested = definitions nested under another definition; "
        "definitions; junk = no word but connectives; short = text under 10 characters (some are real items)."
    )
