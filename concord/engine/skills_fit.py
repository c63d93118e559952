"""Fitting the skill linker's parameters, measured only on sentences the fit never saw.

The linker's raw signals (`SkillLinker.signals_many`) do not depend on its fusion parameters, so they are
computed once per sentence; every point of a small, coarse grid (`default_grid`) is then scored on every
sentence, which gives a matrix of per-sentence R-Precision@k. Fitting on a set of sentences is picking the
grid point with the best mean over those rows, so `cross_fit` (``engine.folds``) can refit for each fold in
microseconds and score the fold's held-out rows with the point picked without them.

The plain baselines (`BASELINES`: BM25 alone, dense cosine alone, their reciprocal-rank fusion, TF-IDF)
have nothing fitted, and are scored on the same sentences.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .folds import Fold, FoldResult, cross_fit
from .lexical import tokenize
from .skills import LinkerConfig, Signals, SkillLinker, TaxonomySkill, _surface_forms, rank_fused


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    """One development sentence: the set it comes from, its text and its gold skill labels."""

    source: str
    sentence: str
    gold: tuple[str, ...]


def default_grid(label_kinds: Sequence[str] = ("query",)) -> list[dict[str, Any]]:
    """The parameters fitting chooses from: a coarse grid of a hundred points over the fusion method and
    the signals' weights. Both fusions are unchanged by scaling every weight, so ``dense`` stays 1 and the
    others are ratios to it. The grid is small on purpose: the top of the landscape is flat on a hundred
    sentences, and every extra axis (RRF's ``k``, the candidate pool) only adds ways to fit noise, so those
    stay at their usual values (``rrf_k`` 60, 200 candidates).

    Labels are encoded as queries, like the sentences' chunks they are compared with (E5's advice for
    symmetric matching of short texts; in held-out folds it matched or beat labels as passages, and lifted
    plain RRF by 2 to 6 points). Pass ``label_kinds`` to put both kinds in the grid (each kind needs its own
    linker, see `score_grid`)."""
    axes = {
        "zscore": ((0.0, 0.5, 1.0, 2.0), (0.0, 0.25, 0.5, 1.0), (0.0, 1.0, 2.0, 4.0)),
        "rrf": ((0.0, 0.5, 1.0, 2.0), (0.0, 0.5, 1.0), (0.0, 1.0, 2.0)),
    }
    return [
        {
            "fusion": fusion,
            "dense": 1.0,
            "dense_chunk": chunk,
            "lexical": lexical,
            "gazetteer": gazetteer,
            "rrf_k": 60.0,
            "candidates": 200,
            "label_kind": kind,
        }
        for kind in label_kinds
        for fusion, weights in axes.items()
        for chunk, lexical, gazetteer in itertools.product(*weights)
    ]


def r_precision(predicted: Sequence[str], gold: Sequence[str], k: int = 5) -> float:
    """R-Precision@k of one text (a fraction): gold skills in the top ``k`` over min(k, gold)."""
    wanted = set(gold)
    return len(set(predicted[:k]) & wanted) / min(k, len(wanted)) if wanted else 0.0


def top_labels(linker: SkillLinker, sig: Signals, config: LinkerConfig, k: int = 5) -> list[str]:
    """The labels of the ``k`` skills the linker returns for ``sig`` under ``config``."""
    score, pool = linker.fuse(sig, config)
    return [linker.skills[i].label for i in rank_fused(score, pool, k).tolist()]


def score_grid(
    linkers: dict[str, tuple[SkillLinker, Sequence[Signals]]],
    items: Sequence[LabelledSentence],
    grid: Sequence[dict[str, Any]],
    k: int = 5,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """The ``(len(items), len(grid))`` matrix of per-sentence R-Precision@k of every grid point.

    ``linkers`` maps each ``label_kind`` of the grid to a linker built with it and the items' signals."""
    out = np.zeros((len(items), len(grid)), dtype=np.float64)
    for j, point in enumerate(grid):
        linker, signals = linkers[point.get("label_kind", "passage")]
        config = replace(linker.config, **point)
        for i, (sig, item) in enumerate(zip(signals, items)):
            out[i, j] = r_precision(top_labels(linker, sig, config, k), item.gold, k)
        if progress is not None:
            progress(j + 1, len(grid))
    return out


def best_point(matrix: np.ndarray, rows: Sequence[int], strata: Sequence[Hashable] | None = None) -> int:
    """The grid point (column) with the best mean over ``rows``; ties go to the earlier point.

    With ``strata`` (one label per matrix row, such as the set a sentence comes from), the mean is taken
    per stratum and then averaged, so a large set does not decide for the small ones: an unseen kind of
    sentence is better served by the point that is good on every kind than on the commonest."""
    rows = list(rows)
    if strata is None:
        return int(np.argmax(matrix[rows].mean(axis=0)))
    groups: dict[Hashable, list[int]] = {}
    for r in rows:
        groups.setdefault(strata[r], []).append(r)
    means = np.mean([matrix[g].mean(axis=0) for g in groups.values()], axis=0)
    return int(np.argmax(means))


@dataclass(frozen=True, slots=True)
class HeldOut:
    """Per-sentence held-out scores (row -> R-Precision) and the folds that produced them."""

    scores: dict[int, float]
    folds: list[FoldResult[int, dict[int, float]]]

    def mean(self, rows: Sequence[int]) -> float:
        """Mean held-out R-Precision (in %) over ``rows``."""
        values = [self.scores[r] for r in rows if r in self.scores]
        return 100.0 * float(np.mean(values)) if values else float("nan")


def held_out(
    matrix: np.ndarray,
    rows: Sequence[int],
    group_of: Callable[[int], Hashable],
    folds: Sequence[Fold],
    fit: Callable[[np.ndarray, list[int]], int] = best_point,
) -> HeldOut:
    """Cross-fit over ``rows`` of a `score_grid` matrix: for each fold, ``fit`` a grid point on the training
    rows and read the test rows' scores at that point. No row is ever scored with a point fitted on it."""
    results = cross_fit(
        list(rows),
        group_of,
        lambda train: fit(matrix, train),
        lambda point, test: {r: float(matrix[r, point]) for r in test},
        folds,
    )
    scores: dict[int, float] = {}
    for result in results:
        scores.update(result.result)
    return HeldOut(scores, results)


def held_out_repeated(
    matrix: np.ndarray,
    rows: Sequence[int],
    group_of: Callable[[int], Hashable],
    fold_sets: Sequence[Sequence[Fold]],
    fit: Callable[[np.ndarray, list[int]], int] = best_point,
) -> HeldOut:
    """`held_out` once per fold assignment in ``fold_sets`` (say, k folds under several seeds); each row's
    score is the mean of its held-out scores, which takes the luck of one assignment out of the figure."""
    runs = [held_out(matrix, rows, group_of, folds, fit) for folds in fold_sets]
    scores = {r: float(np.mean([run.scores[r] for run in runs])) for r in runs[0].scores}
    return HeldOut(scores, [f for run in runs for f in run.folds])


# --- the plain baselines ------------------------------------------------------------------------------------

BASELINES: dict[str, dict[str, Any]] = {
    "BM25 alone": {"fusion": "zscore", "dense": 0.0, "dense_chunk": 0.0, "lexical": 1.0, "gazetteer": 0.0},
    "dense cosine alone": {
        "fusion": "zscore",
        "dense": 1.0,
        "dense_chunk": 0.0,
        "lexical": 0.0,
        "gazetteer": 0.0,
    },
    "RRF(BM25, dense), k=60": {
        "fusion": "rrf",
        "dense": 1.0,
        "dense_chunk": 0.0,
        "lexical": 1.0,
        "gazetteer": 0.0,
        "rrf_k": 60.0,
        "candidates": 1000,
    },
}


class TfidfIndex:
    """TF-IDF cosine of a text against each label (log tf, smooth idf), the classic lexical baseline."""

    def __init__(self, skills: Sequence[TaxonomySkill]) -> None:
        docs = [Counter(tokenize(" ".join(_surface_forms(s)), "en")) for s in skills]
        df = Counter(t for d in docs for t in d)
        self.idf = {t: math.log((1 + len(docs)) / (1 + n)) + 1.0 for t, n in df.items()}
        self.n = len(docs)
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, doc in enumerate(docs):
            weights = {t: (1 + math.log(c)) * self.idf[t] for t, c in doc.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for t, w in weights.items():
                self.postings.setdefault(t, []).append((i, w / norm))

    def scores(self, text: str) -> np.ndarray:
        """Cosine of ``text``'s TF-IDF vector with every label's."""
        counts = Counter(t for t in tokenize(text, "en") if t in self.idf)
        out = np.zeros(self.n, dtype=np.float64)
        for t, c in counts.items():
            w = (1 + math.log(c)) * self.idf[t]
            for i, v in self.postings[t]:
                out[i] += w * v
        return out
