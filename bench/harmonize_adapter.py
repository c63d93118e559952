"""A weighting of the encoder's dimensions, learned on the other crosswalk, held out (tried; see
docs/evaluation.md, "A weighting of the encoder's dimensions").

Every vector the engine reads becomes ``unit(d * v)`` with ``d = exp(θ / 2)``: one weight per dimension,
the same on both sides, so the cosine becomes ``Σ w_i a_i b_i / (|√w a| |√w b|)`` with ``w = exp(θ)``.
``θ`` starts at 0 (the encoder as it is) and is fitted on the training crosswalk's gold links by the softmax
cross-entropy of ``cos / TEMPERATURE`` over every target that may be ranked, plus ``ρ * mean(θ²)`` (Adam,
`STEP`, `STEPS` full-batch steps, the analytic gradient of `loss_and_gradient`). ``ρ`` (of `STRENGTHS`, or
no weighting) is chosen inside the training crosswalk by 5 folds of its sources grouped by parent, on the
plain weighted cosine. The held-out crosswalk is then ranked by the engine with its fold's settings (fitted
on the other crosswalk, unweighted), every vector weighted and the background similarity recomputed with
the weighting. The plain baselines are printed beside it, on the same items.

    .venv/bin/python bench/harmonize.py --parts adapter

Nothing is fitted on the crosswalk it scores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import harmonize_retrieval as hr
import numpy as np
from harmonize_diversity import _gold_rows
from harmonize_retrieval_variants import _fold_settings, _scores_unrolled, plain_line
from harmonize_sets import Problem

from concord.engine.encoders import l2_normalise
from concord.engine.fusion import FusionParams

# fixed before any score (docs/evaluation.md)
# the second run's (the first, 1 to 0.001 at 0.05, chose no weighting on either crosswalk)
STRENGTHS = (100.0, 10.0, 1.0, 0.1, 0.01, 0.001)
TEMPERATURE = 0.01
STEP = 0.05
STEPS = 300
INNER_FOLDS = 5


class WeightedEncoder:
    """``inner``'s vectors with each dimension scaled by ``scale`` and renormalised."""

    def __init__(self, inner: Any, scale: np.ndarray):
        self.inner = inner
        self.name = inner.name
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.scale = scale.astype(np.float32)

    def encode(self, texts: list[str], *, kind: str = "passage") -> np.ndarray:
        return l2_normalise(np.asarray(self.inner.encode(texts, kind=kind)) * self.scale)


def loss_and_gradient(
    theta: np.ndarray, src: np.ndarray, tgt: np.ndarray, gold: np.ndarray, strength: float
) -> tuple[float, np.ndarray]:
    """The mean softmax cross-entropy of ``cos / TEMPERATURE`` over the columns of ``tgt`` (each source's
    gold weighted evenly; ``gold`` is sources x targets, 0/1) plus ``strength * mean(θ²)``, and its
    gradient in ``θ``. ``src`` and ``tgt`` are unit rows; the cosine is taken after the weighting."""
    w = np.exp(theta)
    a = np.sqrt((src * src) @ w)
    b = np.sqrt((tgt * tgt) @ w)
    cos = ((src * w) @ tgt.T) / np.outer(a, b)
    logits = cos / TEMPERATURE
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    y = gold / gold.sum(axis=1, keepdims=True)
    n = len(src)
    loss = -float((y * np.log(np.maximum(p, 1e-300))).sum()) / n + strength * float(np.mean(theta**2))
    g = (p - y) / TEMPERATURE / n  # d loss / d cos
    gc = g * cos
    d_w = (
        ((src / a[:, None]) * ((g / b[None, :]) @ tgt)).sum(axis=0)
        - (gc.sum(axis=1) / (2 * a * a)) @ (src * src)
        - (gc.sum(axis=0) / (2 * b * b)) @ (tgt * tgt)
    )
    return loss, w * d_w + 2 * strength * theta / len(theta)


def fit_weights(src: np.ndarray, tgt: np.ndarray, gold: np.ndarray, strength: float) -> np.ndarray:
    """``θ`` after `STEPS` full-batch Adam steps from 0 (deterministic)."""
    theta = np.zeros(src.shape[1])
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    for t in range(1, STEPS + 1):
        _, grad = loss_and_gradient(theta, src, tgt, gold, strength)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        theta -= STEP * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return theta


def training_data(
    problem: Problem, params: FusionParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A crosswalk read as the engine reads it with ``params`` (in context): the source vectors of the
    sources with gold, every target's vector, the gold (sources x targets), the columns that may be ranked,
    and each source's group (its parent, or itself)."""
    m = problem.matrices
    src, tgt = m["sides"]
    context = m["has_context"]
    q = np.asarray(src.in_context(params.context_weight if context else 0.0), dtype=np.float64)
    d = np.asarray(tgt.in_context(params.target_context_weight if context else 0.0), dtype=np.float64)
    roots = m["roots"]
    allowed = np.ones(len(d), dtype=bool) if roots is None else roots == np.arange(len(roots))
    rows, golds = zip(*_gold_rows(problem), strict=True)
    gold = np.zeros((len(rows), len(d)))
    for r, cols in enumerate(golds):
        gold[r, sorted(cols)] = 1.0
    parents = src.parents[list(rows)] if len(src.parents) else np.full(len(rows), -1)
    groups = np.where(parents >= 0, parents, -1 - np.array(rows))
    return q[list(rows)], d, gold, allowed, groups


def plain_measures(
    theta: np.ndarray | None, q: np.ndarray, d: np.ndarray, gold: np.ndarray, roots: np.ndarray | None
) -> tuple[float, float]:
    """MRR and R@10 of the plain (weighted) cosine over ``q``'s rows, rolled up as the engine rolls up."""
    if theta is not None:
        scale = np.exp(theta / 2)
        q, d = l2_normalise(q * scale), l2_normalise(d * scale)
    scores, allowed = hr._rollup(np.asarray(q @ d.T, dtype=np.float64), roots)
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    reciprocal, recall = [], []
    for row, g in zip(scores, gold, strict=True):
        cols = set(np.flatnonzero(g).tolist())
        order = np.lexsort((np.arange(len(row)), -row))
        reciprocal.append(1.0 / (1 + next(r for r, j in enumerate(order.tolist()) if j in cols)))
        recall.append(len(cols & set(order[:10].tolist())) / len(cols))
    return float(np.mean(reciprocal)), float(np.mean(recall))


def chosen_strength(problem: Problem, params: FusionParams) -> tuple[float | None, list[str]]:
    """``ρ`` (None: no weighting) by `INNER_FOLDS` folds of the problem's sources grouped by parent, for
    the mean of MRR and R@10 of the plain weighted cosine on the inner held-out sources; and what each
    scored. No weighting stays unless a strength beats it; ties go to the larger strength."""
    q, d, gold, allowed, groups = training_data(problem, params)
    order = {g: k % INNER_FOLDS for k, g in enumerate(dict.fromkeys(groups.tolist()))}
    fold = np.array([order[g] for g in groups.tolist()])
    results: dict[float | None, list[float]] = {}
    for strength in (None, *STRENGTHS):
        scores = []
        for k in range(INNER_FOLDS):
            test = fold == k
            theta = None if strength is None else fitted(q[~test], d, gold[~test], allowed, strength)
            scores.append(sum(plain_measures(theta, q[test], d, gold[test], problem.matrices["roots"])) / 2)
        results[strength] = scores
    mean = {s: float(np.mean(v)) for s, v in results.items()}
    best = max(mean.values())
    chosen = next(s for s in (None, *STRENGTHS) if mean[s] == best)
    return chosen, [f"none {mean[None]:.3f}"] + [f"{s} {mean[s]:.3f}" for s in STRENGTHS]


def fitted(
    q: np.ndarray, d: np.ndarray, gold: np.ndarray, allowed: np.ndarray, strength: float
) -> np.ndarray:
    """``θ`` fitted on sources ``q`` against the targets that may be ranked (sources left with no gold
    among them are left out)."""
    keep = gold[:, allowed].sum(axis=1) > 0
    return fit_weights(q[keep], d[allowed], gold[keep][:, allowed], strength)


def weighted_problem(problem: Problem, encoder: Any, theta: np.ndarray) -> Problem:
    """A copy of ``problem`` prepared as the engine reads it with every vector weighted by ``θ``."""
    copy = replace(problem, matrices={})
    hr.prepare(copy, WeightedEncoder(encoder, np.exp(theta / 2)), sentences=True)
    return copy


def measured(problem: Problem, params: FusionParams, background: Any) -> tuple[float, float]:
    """Full-rank MRR and R@10 of the engine's scores on whole matrices, rolled up as the engine rolls up."""
    scores, allowed = hr._rollup(_scores_unrolled(problem, params, background), problem.matrices["roots"])
    masked = scores if allowed is None else np.where(allowed, scores, -np.inf)
    return (
        float(np.mean(hr.ranks_of(masked, problem, allowed))),
        float(np.mean(hr.recalls_of(masked, problem, allowed, 10))),
    )


def run_adapter(
    problems: list[Problem], encoder: Any, background: Any, background_of: Callable[[Any], Any]
) -> list[str]:
    """Each crosswalk held out: ``ρ`` chosen and ``θ`` fitted on the other (with the other's fold
    settings), the engine's figures with and without the weighting, and the plain baselines."""
    crosswalks = [p for p in problems if p.dataset == "crosswalk"]
    for p in crosswalks:
        hr.prepare(p, encoder, sentences=True)
    lines = ["", "# A weighting of the encoder's dimensions learned on the other crosswalk, each held out"]
    for p in crosswalks:
        others = [q for q in crosswalks if q is not p]
        if len(others) != 1:
            continue
        other = others[0]
        settings = _fold_settings(others, background)
        strength, inner = chosen_strength(other, settings)
        mrr0, r100 = measured(p, settings, background)
        line = f"  {p.name}: inner folds on {other.name} (mean of MRR and R@10): {', '.join(inner)}"
        if strength is None:
            lines += [line, f"    no weighting chosen: MRR {mrr0:.3f} R@10 {r100:.3f}"]
        else:
            q, d, gold, allowed, _ = training_data(other, settings)
            theta = fitted(q, d, gold, allowed, strength)
            weighted = weighted_problem(p, encoder, theta)
            moved = background_of(WeightedEncoder(encoder, np.exp(theta / 2)))
            mrr, r10 = measured(weighted, settings, moved)
            lines += [
                line,
                f"    ρ {strength}: MRR {mrr:.3f} R@10 {r10:.3f}; without: MRR {mrr0:.3f} R@10 {r100:.3f}; "
                f"weights from {np.exp(theta).min():.2f} to {np.exp(theta).max():.2f}",
            ]
            alone = hr.plain_ranked(weighted, {"weighted dense": weighted.matrices["cos"]}, "-")
            lines.append(plain_line(p, {"weighted dense": alone["weighted dense"]}))
        lines.append(plain_line(p, hr.baseline_ranked(p)))
    return lines
