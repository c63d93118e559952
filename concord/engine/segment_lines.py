"""The segmenter's common ground: clean lines with their pages, and the provision tree they grow into.

Both segmenters (statutes, strategy documents) read the same :class:`Line` list and write the same
:class:`TreeBuilder`, which keeps the stack of open provisions, gives every provision a stable id from
its numbering path, and at the end turns the nodes into :class:`~concord.engine.types.Provision`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .segment_furniture import PAGE_BREAK, drop_furniture
from .types import ExtractedText, Provision

# Nesting rank of each level; "definition" sits between subsection and paragraph so that the lettered
# paragraphs of a definition nest under it.
RANK = {
    "document": 0,
    "part": 10,
    "chapter": 20,
    "section": 30,
    "subsection": 40,
    "definition": 45,
    "paragraph": 50,
    "subparagraph": 60,
    "item": 70,
}
# Levels whose text is the whole of their span (their children's text included). Parts and chapters carry
# only their title, so that a long Part does not repeat its sections' text.
SPAN_TEXT_LEVELS = frozenset(("section", "subsection", "definition", "paragraph", "subparagraph", "item"))

_MD_HEADING = re.compile(r"^(#{1,6})\s*")
_BOLD = re.compile(r"\*\*|__")
_ITALIC = re.compile(r"(?<![\w*])_(?=\S)(.+?)(?<=\S)_(?![\w*])")
_BULLET = re.compile(r"^[-*•·]\s+(?=\S)")
_LETTER_SPACED = re.compile(r"^([A-Z]) ([A-Z]{2,})\b")
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(slots=True)
class Line:
    """One non-empty line of the document, cleaned of Markdown markup, with what the markup said."""

    text: str
    page: int | None
    heading: int = 0  # Markdown heading depth (1 for "#"), 0 for body text
    bold: bool = False  # the line started in bold
    blank_before: bool = False


def document_lines(source: ExtractedText | str) -> list[Line]:
    """Split a document into clean lines, each carrying its page number (None when unknown).

    Page furniture (running heads, page numbers, "Bill" lines) is left out: see :mod:`.segment_furniture`.
    """
    if isinstance(source, str):
        pages: list[tuple[int | None, str]] = [(None, source)]
    else:
        pages = [(p.number or None, p.text) for p in source.pages]
    chunks: list[list[Line]] = []
    for page, text in pages:
        for part in PAGE_BREAK.split(text):
            chunk: list[Line] = []
            blank = True
            for raw in part.splitlines():
                line = clean_line(raw)
                if line is None:
                    blank = True
                    continue
                line.page = page
                line.blank_before = blank
                chunk.append(line)
                blank = False
            chunks.append(chunk)
    return drop_furniture(chunks)


def clean_line(raw: str) -> Line | None:
    """Strip Markdown markup from one line; None for an empty line."""
    text = unicodedata.normalize("NFC", raw).strip()
    if not text or set(text) <= set("-_*=#>| "):
        return None
    heading = 0
    match = _MD_HEADING.match(text)
    if match:
        heading = len(match.group(1))
        text = text[match.end() :]
    text = text.lstrip("> ").strip()
    bold = text.startswith(("**", "__"))
    text = _BOLD.sub("", text)
    text = _ITALIC.sub(r"\1", text)
    text = _BULLET.sub("", text)
    text = _LETTER_SPACED.sub(_join_spaced, text)
    text = _SPACES.sub(" ", text).strip()
    if not text:
        return None
    return Line(text, None, heading, bold)


def _join_spaced(match: re.Match[str]) -> str:
    word = match.group(1) + match.group(2)
    known = ("PART", "BAHAGIAN", "CHAPTER", "BAB", "SCHEDULE", "JADUAL", "ARRANGEMENT", "SUSUNAN")
    return word if word in known else match.group(0)


def slug(text: str, limit: int = 40) -> str:
    """A short ASCII id fragment: ``"electronic message"`` → ``electronic-message``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    out = "-".join(words)[:limit].strip("-")
    return out or "x"


ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman_to_int(token: str) -> int | None:
    """``"XIV"`` → 14; None when the token is not a roman numeral."""
    token = token.lower()
    if not token or any(ch not in ROMAN for ch in token):
        return None
    total = 0
    for ch, nxt in zip(token, token[1:] + " "):
        value = ROMAN[ch]
        total += -value if nxt != " " and ROMAN.get(nxt, 0) > value else value
    return total


@dataclass(slots=True)
class Node:
    """A provision while the document is being read.

    ``local`` is the id fragment (``s6``, ``1``, ``a``), joined to the parent's id unless ``absolute``.
    ``label`` is the printed marker of a subsection or paragraph (``1``, ``a``); their ``number`` is built
    from the nearest numbered ancestor (``6(1)(a)``) when the tree is finished, so that numbers inferred
    late (lost section numbers) reach the children.
    """

    level: str
    local: str
    number: str
    heading: str
    page: int | None
    parent: Node | None
    absolute: bool = False
    label: str = ""
    own: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    id: str = ""


# Levels numbered from their ancestor: 6 → 6(1) → 6(1)(a) → 6(1)(a)(i).
_DERIVED_NUMBER = frozenset(("subsection", "paragraph", "subparagraph", "item"))


class TreeBuilder:
    """Keeps the open provisions; ids and derived numbers are given when the tree is finished."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.stack: list[Node] = []

    @property
    def current(self) -> Node | None:
        return self.stack[-1] if self.stack else None

    def open(
        self,
        level: str,
        local: str,
        *,
        number: str = "",
        label: str = "",
        heading: str = "",
        page: int | None = None,
        under: Node | None = None,
        absolute: bool = False,
    ) -> Node:
        """Open a provision at ``level``; it nests under the nearest open provision of a lower rank.

        With ``under``, provisions opened after ``under`` are closed first (``under`` itself stays open
        if its rank allows).
        """
        rank = RANK[level]
        if under is not None and under in self.stack:
            while self.stack[-1] is not under:
                self.stack.pop()
        while self.stack and RANK[self.stack[-1].level] >= rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        node = Node(level, local, number, heading, page, parent, absolute, label)
        if parent is not None:
            parent.children.append(node)
        self.nodes.append(node)
        self.stack.append(node)
        return node

    def close_all(self) -> None:
        self.stack.clear()

    def add_text(self, text: str) -> None:
        if self.stack:
            self.stack[-1].own.append(text)

    def finish(self) -> None:
        """Give every node its unique id (in document order) and its derived number."""
        seen: dict[str, int] = {}
        for node in self.nodes:
            base = node.local if node.absolute or node.parent is None else f"{node.parent.id}.{node.local}"
            count = seen.get(base, 0)
            seen[base] = count + 1
            node.id = base if count == 0 else f"{base}-{count + 1}"
            if node.level in _DERIVED_NUMBER:
                ancestor = node.parent
                while ancestor is not None and (ancestor.level == "definition" or not ancestor.number):
                    ancestor = ancestor.parent
                node.number = f"{ancestor.number if ancestor else ''}({node.label})"

    def provisions(self, language: str | None) -> list[Provision]:
        """The nodes in document order as provisions; span levels get their descendants' text too."""
        self.finish()
        full: dict[int, str] = {}
        for node in reversed(self.nodes):
            parts = [join_text(node.own)] + [_marked(child, full[id(child)]) for child in node.children]
            full[id(node)] = "\n".join(p for p in parts if p)
        return [
            Provision(
                id=node.id,
                number=node.number,
                heading=node.heading,
                text=full[id(node)] if node.level in SPAN_TEXT_LEVELS else join_text(node.own),
                level=node.level,
                parent=node.parent.id if node.parent else None,
                page=node.page,
                language=language,
                order=order,
            )
            for order, node in enumerate(self.nodes)
        ]


def _marked(node: Node, text: str) -> str:
    """A child's text as it reads inside its parent: with its printed marker, ``(a) is attached ...``."""
    return f"({node.label}) {text}" if node.label and text else text


def join_text(lines: list[str]) -> str:
    """Join wrapped lines into running text, mending words hyphenated across lines."""
    out = ""
    for line in lines:
        if not out:
            out = line
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            before = out[:-1].rsplit(" ", 1)[-1]
            after = line.split(" ", 1)[0].rstrip(".,;:")
            # Malay reduplication ("apa-apa", "kedua-dua") keeps its hyphen; a word broken at the line
            # end is mended.
            out = out + line if before.lower().endswith(after.lower()) else out[:-1] + line
        else:
            out += " " + line
    return out.strip()
