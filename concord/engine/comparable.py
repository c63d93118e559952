"""Finding the most comparable programmes of another party, with the reasons.

A programme is compared by three signals: the themes it shares (Jaccard overlap), the policy instruments it
shares (Jaccard overlap), and its text (the cosine of the encoded texts). The score is their weighted sum,
and each result carries its reasons: the shared themes and instruments and the best-matching passages.

Plain Python and numpy: the app turns models into :class:`ProgrammeText` and reads :class:`Comparable` back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .encoders import Encoder

DEFAULT_WEIGHTS = {"themes": 0.35, "instruments": 0.25, "text": 0.4}
PASSAGE_THRESHOLD = 0.35  # a passage pair at least this similar is shown as a reason
MAX_PASSAGES = 2
_SENTENCE = re.compile(r"(?<=[.!?۔])\s+|\n+")


@dataclass(frozen=True)
class ProgrammeText:
    """What the engine needs of a programme."""

    id: int
    text: str
    themes: frozenset[str] = frozenset()
    instruments: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PassageMatch:
    source: str
    target: str
    similarity: float


@dataclass(frozen=True)
class Comparable:
    """One candidate, its score in [0, 1] and why."""

    id: int
    score: float
    theme_overlap: float
    instrument_overlap: float
    text_similarity: float
    shared_themes: tuple[str, ...] = ()
    shared_instruments: tuple[str, ...] = ()
    passages: tuple[PassageMatch, ...] = field(default=())


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|, 0 when both are empty."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def split_passages(text: str, *, min_chars: int = 20) -> list[str]:
    """``text`` cut into sentences (and lines), dropping fragments shorter than ``min_chars``."""
    return [p.strip() for p in _SENTENCE.split(text or "") if len(p.strip()) >= min_chars]


def _passage_matches(
    source: list[str], src_vecs: np.ndarray, target: list[str], tgt_vecs: np.ndarray
) -> tuple[PassageMatch, ...]:
    if not source or not target:
        return ()
    sims = src_vecs @ tgt_vecs.T
    pairs: list[PassageMatch] = []
    used_s: set[int] = set()
    used_t: set[int] = set()
    for flat in np.argsort(-sims, axis=None):
        i, j = divmod(int(flat), sims.shape[1])
        if sims[i, j] < PASSAGE_THRESHOLD or len(pairs) == MAX_PASSAGES:
            break
        if i in used_s or j in used_t:
            continue
        used_s.add(i)
        used_t.add(j)
        pairs.append(PassageMatch(source[i], target[j], round(float(sims[i, j]), 3)))
    return tuple(pairs)


def rank_comparable(
    source: ProgrammeText,
    candidates: Sequence[ProgrammeText],
    encoder: Encoder,
    *,
    limit: int = 5,
    weights: dict[str, float] | None = None,
) -> list[Comparable]:
    """The ``limit`` candidates most comparable to ``source``, best first (ties by id).

    Candidates that share nothing (no theme, no instrument, and text no closer than orthogonal) are left
    out: an empty list says there is nothing comparable rather than showing unrelated programmes."""
    if not candidates:
        return []
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    texts = [source.text] + [c.text for c in candidates]
    doc_vecs = np.asarray(encoder.encode(texts, kind="passage"), dtype=np.float32)
    passages = [split_passages(t) for t in texts]
    flat = [p for ps in passages for p in ps]
    pas_vecs = (
        np.asarray(encoder.encode(flat, kind="passage"), dtype=np.float32)
        if flat
        else np.zeros((0, doc_vecs.shape[1]), dtype=np.float32)
    )
    offsets = np.cumsum([0] + [len(ps) for ps in passages])
    src_pas = pas_vecs[offsets[0] : offsets[1]]
    out = []
    for n, cand in enumerate(candidates, start=1):
        text_sim = max(0.0, float(doc_vecs[0] @ doc_vecs[n]))
        themes = jaccard(source.themes, cand.themes)
        instruments = jaccard(source.instruments, cand.instruments)
        if not (themes or instruments or text_sim > 0.05):
            continue
        score = w["themes"] * themes + w["instruments"] * instruments + w["text"] * text_sim
        out.append(
            Comparable(
                id=cand.id,
                score=round(score, 4),
                theme_overlap=round(themes, 4),
                instrument_overlap=round(instruments, 4),
                text_similarity=round(text_sim, 4),
                shared_themes=tuple(sorted(source.themes & cand.themes)),
                shared_instruments=tuple(sorted(source.instruments & cand.instruments)),
                passages=_passage_matches(
                    passages[0], src_pas, passages[n], pas_vecs[offsets[n] : offsets[n + 1]]
                ),
            )
        )
    out.sort(key=lambda c: (-c.score, c.id))
    return out[:limit]
