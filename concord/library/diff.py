"""Provision-level differences between two versions: added, removed and changed, with a word-level diff.

Provisions are matched by their number and title first (what a reader means by "the same section"),
then by their stable key, then by their number alone (a renumbered tree keeps its keys only as far as
the numbering path allows), then by their text. Texts are compared normalised: whitespace, quote and
dash forms and lines of page furniture (a page number, "Bill") do not make a change, so a running head
that moved between two printings does not report provisions as changed. An amending instrument
("amendment" mode) lists only what it changes, so provisions of the base it does not mention are
unchanged, not removed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

Op = Literal["added", "removed", "changed", "unchanged"]
_TOKEN = re.compile(r"\s+|[^\s]+")
_FURNITURE_LINE = re.compile(r"^\W*(?:\d{1,4}\W*)?(?:Bill|Rang Undang-Undang)?(?:\W*\d{1,4})?\W*$", re.I)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00ad": None})


@dataclass(frozen=True, slots=True)
class Side:
    key: str
    number: str
    heading: str
    text: str
    level: str


@dataclass(slots=True)
class Segment:
    """A run of words on one side of the diff: ``kind`` is "same", "del" (old side) or "ins" (new side)."""

    kind: str
    text: str


@dataclass(slots=True)
class DiffRow:
    op: Op
    old: Side | None
    new: Side | None
    old_segments: list[Segment] = field(default_factory=list)
    new_segments: list[Segment] = field(default_factory=list)

    @property
    def key(self) -> str:
        return (self.new or self.old).key  # type: ignore[union-attr]

    @property
    def number(self) -> str:
        return (self.new or self.old).number  # type: ignore[union-attr]


def _content(side: Side) -> str:
    return f"{side.heading}\n{side.text}".strip()


def normalise(text: str) -> str:
    """Text as compared: one form of quotes and dashes, single spaces, no lines of page furniture."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    lines = (line for line in text.splitlines() if line.strip() and not _FURNITURE_LINE.match(line.strip()))
    return " ".join(" ".join(lines).split())


def _title(side: Side) -> str:
    return " ".join(re.findall(r"\w+", side.heading.lower()))


# Word diffs cost the product of the two lengths: above this many word pairs, compare sentences instead.
WORD_DIFF_MAX_PAIRS = 4_000_000
_SENTENCE = re.compile(r"[^.;:!?\n]*(?:[.;:!?]+|\n|$)\s*")


def word_diff(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Old and new text cut into same/deleted/inserted runs of words (whitespace kept); very long texts
    are compared sentence by sentence, so one diff stays quick."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(a) * len(b) > WORD_DIFF_MAX_PAIRS:
        a = [s for s in _SENTENCE.findall(old) if s]
        b = [s for s in _SENTENCE.findall(new) if s]
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(left, "same", "".join(a[i1:i2]))
            _append(right, "same", "".join(b[j1:j2]))
            continue
        if i2 > i1:
            _append(left, "del", "".join(a[i1:i2]))
        if j2 > j1:
            _append(right, "ins", "".join(b[j1:j2]))
    return left, right


def _append(segments: list[Segment], kind: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1].text += text
    else:
        segments.append(Segment(kind, text))


def diff_provisions(
    old: list[Side],
    new: list[Side],
    *,
    mode: Literal["full", "amendment"] = "full",
    segments: bool = True,
) -> list[DiffRow]:
    """Rows in the new version's order, removed provisions placed after their old predecessor.

    With ``segments=False`` changed rows come without their word diff (the costly part): counting
    changes, or paging through them, then diffs only the rows shown (:func:`add_segments`).
    """
    normalised: dict[int, str] = {}
    matched = _match(old, new, normalised)
    used = {m.key for m in matched.values()}
    rows: list[DiffRow] = []
    for side in new:
        base = matched.get(side.key)
        if base is None:
            rows.append(DiffRow("added", None, side, [], [Segment("ins", _content(side))]))
        elif _normalised(base, normalised) == _normalised(side, normalised):
            rows.append(
                DiffRow(
                    "unchanged",
                    base,
                    side,
                    [Segment("same", _content(base))],
                    [Segment("same", _content(side))],
                )
            )
        else:
            rows.append(DiffRow("changed", base, side))
    if segments:
        add_segments(rows)
    if mode == "full":
        # Place each removed provision after the nearest earlier old provision that is still present.
        position = {row.old.key: i for i, row in enumerate(rows) if row.old is not None}
        inserts: list[tuple[int, int, DiffRow]] = []
        last = -1
        for n, side in enumerate(old):
            if side.key in used:
                last = position.get(side.key, last)
                continue
            inserts.append((last, n, DiffRow("removed", side, None, [Segment("del", _content(side))], [])))
        for after, _n, row in sorted(inserts, key=lambda t: (t[0], t[1]), reverse=True):
            rows.insert(after + 1, row)
    return rows


def add_segments(rows: list[DiffRow]) -> list[DiffRow]:
    """Fill in the word diff of the changed rows among ``rows`` that lack one; returns ``rows``."""
    for row in rows:
        if row.op == "changed" and not row.old_segments and row.old and row.new:
            row.old_segments, row.new_segments = word_diff(_content(row.old), _content(row.new))
    return rows


def _normalised(side: Side, memo: dict[int, str]) -> str:
    key = id(side)
    if key not in memo:
        memo[key] = normalise(_content(side))
    return memo[key]


def _match(old: list[Side], new: list[Side], memo: dict[int, str] | None = None) -> dict[str, Side]:
    """{new key: old side}, each old side used once: by number and title, key, number, then text."""
    memo = {} if memo is None else memo
    matched: dict[str, Side] = {}
    used: set[str] = set()
    rules = (
        lambda s: (s.level, s.number, _title(s)) if s.number and s.heading else None,
        lambda s: s.key,
        lambda s: (s.level, s.number) if s.number else None,
        lambda s: (s.level, _normalised(s, memo)) if s.text else None,
    )
    for rule in rules:
        index: dict[object, list[Side]] = {}
        for side in old:
            value = rule(side)
            if value is not None and side.key not in used:
                index.setdefault(value, []).append(side)
        for side in new:
            if side.key in matched:
                continue
            value = rule(side)
            candidates = [c for c in index.get(value, []) if c.key not in used] if value is not None else []
            if candidates:
                matched[side.key] = candidates[0]
                used.add(candidates[0].key)
    return matched


def summarize(rows: list[DiffRow]) -> dict[str, int]:
    counts = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
    for row in rows:
        counts[row.op] += 1
    return counts
