"""Limits by meaning: characters per document and per provision, checked before the expensive steps.

A 20 MB text on one line must neither become one provision of 21 million characters nor hold a worker for
minutes. :func:`check_document_length` refuses a text over ``max_chars`` (E204) before it is segmented;
:func:`split_long_provisions` cuts a provision over ``max_chars`` into numbered parts, at a sentence or
word boundary where one is near. Defaults are declared here; applications pass their own settings.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .errors import DocumentTooLongError, LimitOptionError
from .types import Provision

DEFAULT_MAX_DOCUMENT_CHARS = 5_000_000
DEFAULT_MAX_PROVISION_CHARS = 20_000
# Where to look back for a boundary, as a share of the limit: a cut lands in the last fifth of a part.
_BOUNDARY_WINDOW = 0.2
_SENTENCE_END = re.compile(r"[.!?;:。۔]\s")


def _positive(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LimitOptionError(f"{name} must be a positive whole number of characters, not {value!r}.")
    return value


def check_document_length(chars: int, max_chars: int = DEFAULT_MAX_DOCUMENT_CHARS) -> None:
    """Raise :class:`DocumentTooLongError` (E204) when ``chars`` characters are more than ``max_chars``."""
    _positive(max_chars, "max_chars")
    if chars > max_chars:
        raise DocumentTooLongError(
            f"The document has {chars:,} characters of text, more than the limit of {max_chars:,} per "
            "document. Split it into smaller documents (for example one per part), or ask the "
            "administrator to raise the limit.",
            params={"chars": chars, "limit": max_chars},
        )


def cut_points(text: str, max_chars: int) -> list[int]:
    """Where to cut ``text`` so that no piece is longer than ``max_chars``: the end of a sentence, else
    of a word, in the last fifth of each piece; a hard cut when there is neither."""
    cuts: list[int] = []
    start = 0
    while len(text) - start > max_chars:
        end = start + max_chars
        floor = end - max(1, int(max_chars * _BOUNDARY_WINDOW))
        window = text[floor:end]
        sentence = [m.end() for m in _SENTENCE_END.finditer(window)]
        if sentence:
            cut = floor + sentence[-1]
        else:
            space = window.rfind(" ")
            cut = floor + space + 1 if space >= 0 else end
        cuts.append(cut)
        start = cut
    return cuts


def split_long_provisions(
    provisions: list[Provision], max_chars: int = DEFAULT_MAX_PROVISION_CHARS
) -> list[Provision]:
    """The provisions with every one longer than ``max_chars`` split into numbered parts.

    A provision without children becomes parts that follow it as siblings: the first keeps its id (so
    links to it survive), the next ones get ``<id>.part2``... and the number ``<number> [2/3]``. A
    provision with children (a section whose text spans its subsections) keeps only its first
    ``max_chars`` characters, since its children hold the rest. ``order`` is renumbered.
    """
    _positive(max_chars, "max_chars")
    if all(len(p.text) <= max_chars for p in provisions):
        return provisions
    parents = {p.parent for p in provisions if p.parent}
    out: list[Provision] = []
    for p in provisions:
        if len(p.text) <= max_chars:
            out.append(p)
            continue
        if p.id in parents:
            out.append(replace(p, text=p.text[: (cut_points(p.text, max_chars) or [max_chars])[0]].rstrip()))
            continue
        bounds = [0, *cut_points(p.text, max_chars), len(p.text)]
        n = len(bounds) - 1
        for k in range(n):
            piece = p.text[bounds[k] : bounds[k + 1]].strip()
            label = f"[{k + 1}/{n}]"
            out.append(
                replace(
                    p,
                    id=p.id if k == 0 else f"{p.id}.part{k + 1}",
                    number=f"{p.number} {label}".strip(),
                    text=piece,
                    themes=list(p.themes),
                )
            )
    for order, p in enumerate(out):
        p.order = order
    return out
