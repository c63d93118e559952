"""How a target's sentences and its family should count in retrieval, held out one crosswalk at a time.

Used by ``bench/harmonize.py --parts sentences``. Two questions, on the two crosswalks (the only
development sets whose targets have both many sentences and a structure):

- **Sentence pooling.** The dense score blends the whole target's cosine with its sentences'
  (``FusionParams.sentence_weight``). Variants: the best sentence (shipped), the mean of the best two, and
  either one with the target's sentences read in the target's context (``fusion.in_context``: a control
  enhancement's sentences with its base control, as the whole text is). For each held-out crosswalk the
  context weights (and, in the second block, the sentence weight) are chosen on the *other* crosswalk by
  MRR, as ``bench/harmonize.py fit`` chooses them; the held-out crosswalk is then scored. A variant is worth
  keeping only if it wins on both held-out crosswalks.
- **Roll-up onto base controls** (item 3 of issue 11): R@10 and MRR of CSF -> SP 800-53 as a function of
  how much a base control borrows from its best enhancement (``retrieve.rollup``'s ``child_weight``). Only
  one development set has a target hierarchy, so no held-out fold can tune it: the table shows how much the
  figure depends on it, with the shipped settings, and nothing here is chosen from it.

Everything is computed on whole matrices, like ``harmonize_retrieval.simulate``: the figures of the
shipped variant here can differ from the engine's own held-out row by the candidate pool and ties.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import replace
from typing import Any

import numpy as np
from harmonize_retrieval import GRID_CONTEXT, prepare
from harmonize_sets import Problem, ranks_of

from concord.engine.evaluate import retrieval_metrics
from concord.engine.fusion import (
    FusionParams,
    dense_scores,
    fuse,
    hub_background,
    hubness_of,
    in_context,
    plan_weight,
)

POOLINGS = ("max", "top2")
SENTENCE_WEIGHTS = (0.25, 0.5, 0.75)
CHILD_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)


def pooled(sentence_cos: np.ndarray, starts: np.ndarray, how: str) -> np.ndarray:
    """Per target, its sentences' cosines pooled: the best (``max``) or the mean of the best two
    (``top2``; a one-sentence target keeps its one)."""
    if how == "max":
        return np.maximum.reduceat(sentence_cos, starts, axis=1)
    counts = np.diff(np.append(starts, sentence_cos.shape[1]))
    out = np.empty((sentence_cos.shape[0], len(starts)), dtype=np.float32)
    for j, (s0, c) in enumerate(zip(starts.tolist(), counts.tolist())):
        block = sentence_cos[:, s0 : s0 + c]
        out[:, j] = block[:, 0] if c == 1 else np.partition(block, c - 2, axis=1)[:, -2:].mean(axis=1)
    return out


def sentences_in_context(problem: Problem, weight: float) -> np.ndarray:
    """The target's sentence vectors, each read with its provision's parent in context (as the whole
    provision is read by ``_Prepared.in_context``); provisions without a parent keep theirs."""
    _, tgt = problem.matrices["sides"]
    flat, starts = problem.matrices["sentences"]
    if weight <= 0 or not (tgt.parents >= 0).any():
        return flat
    rows = tgt.vectors if tgt.context_vectors is None else np.vstack([tgt.vectors, tgt.context_vectors])
    ctx = in_context(rows, tgt.parents, weight)
    owner = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(flat))))
    parent = tgt.parents[owner]
    out = flat.copy()
    has = parent >= 0
    mixed = flat[has] + weight * ctx[parent[has]]
    out[has] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    return out


def fused_scores(
    problem: Problem, params: FusionParams, background: Any, how: str = "max", sentence_context: bool = False
) -> np.ndarray:
    """The fused (query x target) scores of the problem, as the engine scores them, with the variant."""
    src, tgt = problem.matrices["sides"]
    q, d = src.in_context(params.context_weight), tgt.in_context(params.target_context_weight)
    flat, starts = problem.matrices["sentences"]
    if sentence_context:
        flat = sentences_in_context(problem, params.target_context_weight)
    cos = q @ d.T
    hub = hubness_of(cos, params.hub_k) if params.hub_weight > 0 else None
    dense = dense_scores(cos, params, best_sentence=pooled(q @ flat.T, starts, how), hub=hub)
    weight = plan_weight(dense, problem.matrices["lex"], params)[0]
    return fuse(dense, problem.matrices["lex"], weight, hub_background(background, params, hub))[0]


def metrics(
    problem: Problem, scores: np.ndarray, child_weight: float | None = 0.5
) -> tuple[float, float, float]:
    """MRR and R@10 of the top-10 lists, as the retrieval table counts them, and the MRR over full
    rankings, which the fit maximises (``ranks_of``); rolled up onto roots with ``child_weight`` (None: no
    roll-up)."""
    roots = problem.matrices["roots"]
    allowed = None
    if roots is not None and child_weight is not None:
        best = np.full_like(scores, -np.inf)
        for j, r in enumerate(roots.tolist()):
            best[:, r] = np.maximum(best[:, r], scores[:, j])
        best = np.where(np.isfinite(best), best, scores)  # only roots are ranked; the rest stay finite
        scores = (scores + child_weight * best) / (1 + child_weight)
        allowed = roots == np.arange(len(roots))
    t_ids = [p.id for p in problem.target]
    ranked = {}
    for i, p in enumerate(problem.source):
        row = scores[i] if allowed is None else np.where(allowed, scores[i], -np.inf)
        order = np.lexsort((np.arange(len(row)), -row))[:10]
        ranked[p.id] = [t_ids[j] for j in order]
    m = retrieval_metrics(ranked, problem.relevant)
    return m.mrr, m.recall[10], float(np.mean(ranks_of(scores, problem, allowed)))


def run_sentences(problems: list[Problem], encoder: Any, shipped: FusionParams, background: Any) -> None:
    """Print the held-out table of sentence variants and the roll-up table (see the module docstring)."""
    by_group = {p.group: p for p in problems}
    for p in problems:
        prepare(p, encoder, sentences=True)

    @functools.cache
    def score(group: str, cw: float, tcw: float, sw: float, how: str, sctx: bool) -> tuple[float, ...]:
        params = replace(shipped, context_weight=cw, target_context_weight=tcw, sentence_weight=sw)
        return metrics(by_group[group], fused_scores(by_group[group], params, background, how, sctx))

    context = list(itertools.product(GRID_CONTEXT["context_weight"], GRID_CONTEXT["target_context_weight"]))
    print(
        "\n# Sentence pooling, leave one crosswalk out (context weights, and in the lower block the sentence "
        "weight, chosen on the other crosswalk by MRR over full rankings, as the fit does); MRR and R@10 "
        "of the top-10 lists"
    )
    print(
        f"{'pooling':<10}{'in context':>11}{'sentence weight':>17}  "
        + "".join(f"{g + ' MRR / R@10 (weight)':<32}" for g in by_group)
    )
    for weights in ((shipped.sentence_weight,), SENTENCE_WEIGHTS):
        for how, sctx in itertools.product(POOLINGS, (False, True)):
            cells = []
            for held in by_group:
                others = [g for g in by_group if g != held]
                candidates = [(cw, tcw, sw) for sw in weights for cw, tcw in context]
                order = {c: k for k, c in enumerate(candidates)}

                def fitted(
                    c: tuple[float, float, float],
                    how: str = how,
                    sctx: bool = sctx,
                    others: list[str] = others,
                    order: dict = order,
                ) -> tuple[float, int]:
                    return float(np.mean([score(g, *c, how, sctx)[2] for g in others])), -order[c]

                best = max(candidates, key=fitted)
                mrr, r10, _ = score(held, *best, how, sctx)
                cells.append(f"{mrr:.3f} / {r10:.3f} (sw {best[2]})")
            label = "fitted" if len(weights) > 1 else str(weights[0])
            print(f"{how:<10}{'yes' if sctx else 'no':>11}{label:>17}  " + "".join(f"{c:<32}" for c in cells))
    hierarchical = [p for p in problems if p.matrices["roots"] is not None]
    for p in hierarchical:
        scores = fused_scores(p, shipped, background)
        print(
            f"\n# Roll-up onto base controls, {p.name}, shipped settings (in-sample; one set has a target "
            "hierarchy, so this is not tuned)"
        )
        print(f"{'child weight':<24}{'MRR':>8}{'R@10':>8}")
        for cw in (None, *CHILD_WEIGHTS):
            mrr, r10, _ = metrics(p, scores, cw)
            label = "no roll-up" if cw is None else f"{cw}{' (shipped)' if cw == 0.5 else ''}"
            print(f"{label:<24}{mrr:>8.3f}{r10:>8.3f}")
        n = np.array([len(v) for v in p.relevant.values()])
        ceiling = np.mean(np.minimum(n, 10) / n)
        print(f"R@10 ceiling (gold links per source: mean {n.mean():.1f}, max {n.max()}): {ceiling:.3f}")
