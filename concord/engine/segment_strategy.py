"""Strategy and policy documents: numbered headings, thrusts, strategies and initiatives.

Written for documents in the style of Malaysia's MyDigital blueprint and the Digital Pakistan Policy:

- numbered headings ``1.``, ``1.1``, ``1.1.1`` (depth 1 → part, 2 → chapter, 3 → section, 4 → subsection,
  deeper → paragraph), ids ``n1``, ``n1.1``, ``n1.1.1``;
- "Thrust 1" / "Teras 1" / "Pillar 1" (part, ``t1``), "Strategy S1" / "Strategi 2" (chapter, ``t1.s2``),
  "Initiative 3" / "Inisiatif 3" (section, ``t1.s2.i3``);
- Markdown headings without numbers (``#`` → part, ``##`` → chapter, ...), ids from their words;
- lettered items ``(a)`` / ``a)`` under the heading above them.

Contents entries (lines that end in dot leaders or a gap and a page number) are skipped.
"""

from __future__ import annotations

import re

from .segment_lines import Line, TreeBuilder, slug

_DEPTH_LEVEL = ("part", "chapter", "section", "subsection", "paragraph")
_MD_LEVEL = ("part", "chapter", "section", "subsection", "paragraph", "paragraph")
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})(?:\.|\)|(?=\s))\s+(?P<rest>\S.*)$")
_NAMED = re.compile(
    r"^(?P<kw>Thrust|Teras|Pillar|Tonggak|Tunjang|Strategy|Strategi|Initiative|Inisiatif|Goal|Matlamat|"
    r"Objective|Objektif)\s+(?P<num>[A-Z]{0,2}\d{1,3}(?:\.\d{1,3})?|[IVX]{1,5})\b\s*[:.\-–—]?\s*(?P<rest>.*)$",
    re.I,
)
_NAMED_LEVEL = {
    "thrust": ("part", "t"),
    "teras": ("part", "t"),
    "pillar": ("part", "t"),
    "tonggak": ("part", "t"),
    "tunjang": ("part", "t"),
    "goal": ("part", "g"),
    "matlamat": ("part", "g"),
    "strategy": ("chapter", "s"),
    "strategi": ("chapter", "s"),
    "objective": ("chapter", "o"),
    "objektif": ("chapter", "o"),
    "initiative": ("section", "i"),
    "inisiatif": ("section", "i"),
}
_CONTENTS_HEADER = re.compile(r"^(?:table of )?contents|^(?:isi )?kandungan$", re.I)
_CONTENTS_ENTRY = re.compile(r"(?:\.{3,}|…+|\s{2,}|\t)\s*\d{1,3}$")
_LETTERED = re.compile(r"^\(?(?P<num>[a-z]|[ivx]{1,4})\)\s+(?P<rest>\S.*)$")
MAX_TITLE_WORDS = 16


def segment_strategy(lines: list[Line]) -> TreeBuilder:
    """Read a strategy or policy document's lines into a provision tree."""
    tree = TreeBuilder()
    top = 0
    for line in lines:
        text = line.text
        if _CONTENTS_HEADER.match(text) or _CONTENTS_ENTRY.search(text):
            continue  # the contents list: headings with dot leaders and page numbers
        named = _NAMED.match(text)
        numbered = _NUMBERED.match(text) if named is None else None
        if named:
            level, prefix = _NAMED_LEVEL[named.group("kw").lower()]
            number = named.group("num")
            title, body = _split_title(named.group("rest"))
            tree.open(
                level,
                f"{prefix}{number.lower()}",
                number=f"{named.group('kw').title()} {number}",
                heading=title,
                page=line.page,
            )
            _text(tree, body)
            continue
        if numbered and _plausible(numbered.group("num"), top, line):
            number = numbered.group("num")
            depth = number.count(".") + 1
            if depth == 1:
                top = int(number)
            title, body = _split_title(numbered.group("rest"), heading=line.heading > 0 or line.bold)
            level = _DEPTH_LEVEL[min(depth, len(_DEPTH_LEVEL)) - 1]
            tree.open(level, f"n{number}", number=number, heading=title, page=line.page, absolute=True)
            _text(tree, body)
            continue
        if line.heading:
            level = _MD_LEVEL[min(line.heading, len(_MD_LEVEL)) - 1]
            tree.open(level, f"h-{slug(text)}", heading=text, page=line.page)
            continue
        lettered = _LETTERED.match(text)
        if lettered and tree.current is not None:
            tree.open("item", lettered.group("num"), label=lettered.group("num"), page=line.page)
            tree.add_text(lettered.group("rest"))
            continue
        tree.add_text(text)
    return tree


def _plausible(number: str, top: int, line: Line) -> bool:
    """A numbered heading, not a list item or a figure: its first number may not run far ahead."""
    parts = [int(p) for p in number.split(".")]
    if len(parts) == 1:
        return parts[0] <= top + 3 or line.heading > 0
    return parts[0] <= max(top, 1) + 1 and all(p < 100 for p in parts)


def _split_title(rest: str, *, heading: bool = True) -> tuple[str, str]:
    """A short first line is the heading; a sentence is body text."""
    rest = rest.strip()
    for separator in (": ", " – ", " — ", " - "):
        if separator in rest:
            title, body = rest.split(separator, 1)
            if len(title.split()) <= MAX_TITLE_WORDS:
                return title.strip(), body.strip()
    words = rest.split()
    if len(words) <= MAX_TITLE_WORDS and (heading or not rest.endswith(".")):
        return rest.rstrip("."), ""
    return "", rest


def _text(tree: TreeBuilder, body: str) -> None:
    if body:
        tree.add_text(body)
