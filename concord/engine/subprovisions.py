"""Sub-provisions of a provision, and which sub-provisions of two provisions correspond.

Parameters are compared between *corresponding* sub-provisions only: a section's time limit in subsection
(1) has nothing to say about the fine in the other section's subsection (3), and a penalty belongs to the
offence it punishes. :func:`split_subprovisions` cuts a provision at its structural numbering ("(1)",
"(2)", "(a)", "(i)"), or into sentences when it has none; :func:`align_subprovisions` pairs the parts of two
provisions, one to one and in order, from a similarity the caller gives (an encoder's cosine of the parts'
texts) or, without one, from language-independent evidence: the same label, the same kinds of quantity,
shared digits and references, and relative position.

Pure Python, no model: the caller brings the similarity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# A structural marker: "(1)", "(1A)", "(a)", "(aa)", "(iv)" at the start of the text, after the end of a
# sentence or clause (". (2)", ": (a)", "— (b)"), or after "; and" / ", or" / "; atau". A marker after a
# word ("subsection (1)", "paragraph (a)", "115(1)") is a reference, not structure.
_MARKER = re.compile(
    r"(?:^|(?<=[.;:—–\-])\s*|(?<=[;,])\s*(?:and|or|dan|atau|اور|یا)\s+|(?<=[.;:—–])\s*(?:and|or|dan|atau)\s+)"
    r"\((?P<label>\d{1,3}[A-Z]?|[a-z]{1,2}|[ivx]{1,5}|[٠-٩۰-۹]{1,3}|[\u0600-\u06ff])\)(?=\s)"
)
_ROMAN = re.compile(r"[ivx]{1,5}")
_SENTENCE = re.compile(r"(?<=[.!?۔؟])\s+(?=[^\W\d_]|[\"“(])")


@dataclass(frozen=True, slots=True)
class SubProvision:
    """One part of a provision: ``text[start:end]`` of the provision, with its label.

    ``label`` is the numbering path as written ("(1)", "(1)(a)", "(2)(b)(ii)"), or "s1", "s2" ... for
    sentences of unnumbered text, or "" for a provision that is one part. ``numbered`` tells the two
    apart. ``position`` is the part's middle as a fraction of the provision's length (0 to 1).
    """

    label: str
    start: int
    end: int
    text: str
    numbered: bool
    position: float


def split_subprovisions(text: str) -> list[SubProvision]:
    """Cut ``text`` into its numbered sub-provisions (leaves: the text between two markers), or sentences.

    Text before the first marker (a heading or a chapeau) is a part of its own, labelled "". Numbering is
    read as a path: "(a)" after "(2)" is "(2)(a)"; "(i)" after "(h)" is the letter, after "(a)" a roman
    numeral. A provision with no structure comes back as sentences, or as one part.
    """
    markers = [m for m in _MARKER.finditer(text)]
    if not markers:
        return _sentences(text)
    parts: list[SubProvision] = []
    path: list[tuple[int, str]] = []  # (level, label)
    if text[: markers[0].start()].strip():
        parts.append(_part(text, "", 0, markers[0].start(), numbered=False))
    for k, m in enumerate(markers):
        label = m.group("label")
        level = _level(label, path)
        path = [p for p in path if p[0] < level] + [(level, label)]
        end = markers[k + 1].start() if k + 1 < len(markers) else len(text)
        start = m.start("label") - 1
        parts.append(_part(text, "".join(f"({lab})" for _, lab in path), start, end, numbered=True))
    return [p for p in parts if p.text]


def _level(label: str, path: list[tuple[int, str]]) -> int:
    """1 for "(1)", 2 for "(a)", 3 for "(i)" (or 2 when it follows "(h)"), 4 for Urdu letters."""
    if label[0].isdigit() or "٠" <= label[0] <= "۹":
        return 1
    if _ROMAN.fullmatch(label):
        letter = next((lab for lvl, lab in reversed(path) if lvl == 2), None)
        if letter is None or (len(label) == 1 and len(letter) == 1 and ord(label) == ord(letter) + 1):
            return 2  # "(i)" with no letter above it, or right after "(h)": a letter
        return 3
    if label.isascii():
        return 2
    return 4


def _sentences(text: str, *, min_chars: int = 40) -> list[SubProvision]:
    """Sentences; one shorter than ``min_chars`` ("Penalty: RM500,000.") joins the one before it."""
    cuts = [0, *(m.end() for m in _SENTENCE.finditer(text)), len(text)]
    spans: list[tuple[int, int]] = []
    for a, b in zip(cuts, cuts[1:]):
        if not text[a:b].strip():
            continue
        if spans and (len(text[a:b].strip()) < min_chars or b - spans[-1][0] < min_chars):
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    if len(spans) <= 1:
        return [_part(text, "", 0, len(text), numbered=False)] if text.strip() else []
    return [_part(text, f"s{k + 1}", a, b, numbered=False) for k, (a, b) in enumerate(spans)]


def _part(text: str, label: str, start: int, end: int, *, numbered: bool) -> SubProvision:
    chunk = text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    start, end = start + lead, start + len(chunk.rstrip())
    middle = (start + end) / 2 / max(len(text), 1)
    return SubProvision(label, start, end, text[start:end], numbered, middle)


# --- alignment ------------------------------------------------------------------------------------------

Similarity = Callable[[int, int], float] | Sequence[Sequence[float]]


@dataclass(frozen=True, slots=True)
class PartPair:
    """Part ``source`` of the first provision corresponds to part ``target`` of the second (indices)."""

    source: int
    target: int
    score: float


def align_subprovisions(
    a: Sequence[SubProvision],
    b: Sequence[SubProvision],
    *,
    similarity: Similarity | None = None,
    evidence: Callable[[int, int], float] | None = None,
    threshold: float = 0.4,
) -> list[PartPair]:
    """Pair the parts of two provisions one to one, keeping their order, where they correspond.

    Each pair of parts gets a score in [0, 1]. With ``similarity`` (a callable ``(i, j) -> float`` or a
    matrix, e.g. the cosine of the parts' embeddings) the score is mostly that similarity, rescaled over
    the matrix so that the encoder's own scale does not matter, plus a bonus for the same label; without
    it, the score is built from signals that need no language: the same label (both numbered),
    ``evidence(i, j)`` in [0, 1] from the caller (e.g. shared kinds of quantity), shared digits and
    references ("section 5", "(1)"), and relative position. The alignment is the order-keeping one with
    the largest total of ``score - threshold`` (dynamic programming), so a part may stay unpaired.

    Two one-part provisions always pair: the caller matched the provisions, and that is the evidence.
    """
    if not a or not b:
        return []
    if len(a) == 1 and len(b) == 1:
        return [PartPair(0, 0, 1.0)]
    scores = _scores(a, b, similarity, evidence)
    n, m = len(a), len(b)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 0: pair, 1: skip a, 2: skip b
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [
                (best[i + 1][j + 1] + scores[i][j] - threshold, 0) if scores[i][j] >= threshold else None,
                (best[i + 1][j], 1),
                (best[i][j + 1], 2),
            ]
            value, step = max((o for o in options if o is not None), key=lambda o: (o[0], -o[1]))
            best[i][j], move[i][j] = value, step
    pairs: list[PartPair] = []
    i = j = 0
    while i < n and j < m:
        step = move[i][j]
        if step == 0:
            pairs.append(PartPair(i, j, scores[i][j]))
            i, j = i + 1, j + 1
        elif step == 1:
            i += 1
        else:
            j += 1
    return pairs


def _scores(
    a: Sequence[SubProvision],
    b: Sequence[SubProvision],
    similarity: Similarity | None,
    evidence: Callable[[int, int], float] | None,
) -> list[list[float]]:
    same_scheme = any(p.numbered for p in a) and any(p.numbered for p in b)
    anchors_a = [_anchors(p.text) for p in a]
    anchors_b = [_anchors(p.text) for p in b]

    def structure(i: int, j: int) -> float:
        label = 1.0 if same_scheme and a[i].numbered and a[i].label == b[j].label else 0.0
        return label

    def fallback(i: int, j: int) -> float:
        shared = _jaccard(anchors_a[i], anchors_b[j])
        kinds = evidence(i, j) if evidence else 0.0
        near = 1.0 - min(abs(a[i].position - b[j].position) * 2, 1.0)
        return 0.4 * structure(i, j) + 0.25 * kinds + 0.2 * shared + 0.15 * near

    if similarity is None:
        return [[fallback(i, j) for j in range(len(b))] for i in range(len(a))]
    raw = [[_sim(similarity, i, j) for j in range(len(b))] for i in range(len(a))]
    flat = [x for row in raw for x in row]
    low, high = min(flat), max(flat)
    spread = high - low
    out = []
    for i in range(len(a)):
        row = []
        for j in range(len(b)):
            rescaled = (raw[i][j] - low) / spread if spread > 1e-9 else 1.0
            row.append(0.6 * rescaled + 0.25 * structure(i, j) + 0.15 * fallback(i, j))
        out.append(row)
    return out


def _sim(similarity: Similarity, i: int, j: int) -> float:
    return float(similarity(i, j)) if callable(similarity) else float(similarity[i][j])


def _anchors(text: str) -> frozenset[str]:
    """Digits and references, which read the same in every language: "5", "115", "(1)", "(a)"."""
    digits = re.findall(r"\d+[A-Za-z]?", text)
    refs = re.findall(r"\(\w{1,4}\)", text[1:])  # not the part's own marker
    return frozenset(digits) | frozenset(refs)


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    return len(x & y) / len(x | y) if x and y else 0.0


def numbered_label(label: str) -> bool:
    """Whether a part's label is its numbering as the act writes it ("(3)", "(1)(a)"), which a reader can
    find, rather than this module's label of a sentence ("s2") or of a whole provision ("")."""
    return label.startswith("(")


def group_of(part: SubProvision) -> str:
    """The subsection a part belongs to: "(2)" for "(2)(b)(ii)"; a sentence or a chapeau is its own group."""
    return (
        part.label[: part.label.index(")") + 1]
        if part.numbered and numbered_label(part.label)
        else part.label
    )


def group_subprovisions(parts: Sequence[SubProvision], text: str) -> list[SubProvision]:
    """Merge leaf parts into their subsections ("(1)", "(2)", ...), keeping order; used to align coarsely
    first, since the two languages' texts often lose a paragraph marker each in different places."""
    groups: list[SubProvision] = []
    for p in parts:
        key = group_of(p)
        if groups and groups[-1].label == key:
            last = groups[-1]
            groups[-1] = _part(text, key, last.start, p.end, numbered=last.numbered)
        else:
            groups.append(SubProvision(key, p.start, p.end, p.text, p.numbered, p.position))
    return groups
