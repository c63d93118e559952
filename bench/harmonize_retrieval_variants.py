"""Retrieval variants aimed at CSF -> SP 800-53 R@10, held out beside the shipped engine; none is shipped.

Printed by ``bench/harmonize.py --parts retrieval`` after the main table (crosswalks only):

- **siblings** (`concord.engine.retrieve.sibling_boost`): a target gains a share of its two best siblings'
  scores (the other controls of its family, the other subcategories of its category). Its weight is a
  third stage of the fit (`harmonize_retrieval.fit_fusion(..., siblings=True)`), chosen on the other
  crosswalk, and the engine then ranks the held-out one.
- **references**: an SP 800-53 control gains a share of the two best scores among the controls it names
  as related, or that name it (the catalogue's cross-references, document structure). Only CSF -> SP
  800-53 has cross-references, so no held-out fold could choose the weight: it was fixed at 0.25 before
  it was scored on CSF (the value the sibling stage chose on CIS, the one structural-smoothing weight a
  held-out fold could inform), and is computed on whole matrices with the CSF fold's settings (fitted on
  CIS). The engine has no input for cross-references and the library extracts none, so it could not be
  fed in real use.

Nothing here is fitted on the fold it scores (`concord.engine.folds.cross_fit` for siblings; a fixed
weight for references).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import harmonize_retrieval as hr
import numpy as np
from harmonize_sets import Problem, folds_for, rows

from concord.engine.evaluate import retrieval_metrics
from concord.engine.fusion import FusionParams, dense_matrix, fuse, hub_background, plan_weight
from concord.engine.retrieve import sibling_boost

REFERENCE_WEIGHT = 0.25  # fixed before it was scored on CSF (see the module docstring)


def siblings_held_out(problems: list[Problem], encoder: Any, background: Any) -> list[str]:
    """The sibling stage fitted on the other crosswalk; each held-out crosswalk ranked by the engine."""
    crosswalks = [p for p in problems if p.dataset == "crosswalk"]
    results = hr.held_out(crosswalks, folds_for(crosswalks), encoder, background, siblings=True)
    lines = []
    for r in results:
        for name, item in r.result.items():
            p: Problem = item["problem"]
            m = retrieval_metrics(item["engine"], p.relevant)
            base, _ = hr.engine_ranked(p, encoder, replace(r.params, sibling_weight=0.0), background)
            b = retrieval_metrics(base, p.relevant)
            lines.append(
                f"  {name}: sibling weight {r.params.sibling_weight} (chosen on the other crosswalk): "
                f"MRR {m.mrr:.3f} R@10 {m.recall[10]:.3f}; same folds without siblings: MRR {b.mrr:.3f} "
                f"R@10 {b.recall[10]:.3f}"
            )
    return lines


def catalogue_references(problem: Problem) -> list[set[int]]:
    """Each target root's linked roots: the catalogue's related controls, both ways, read on base
    controls and enhancements alike and folded onto their roots."""
    related = {
        str(r["id"]): [str(x) for x in r.get("related") or []]
        for r in rows("harmonize/nist-800-53r5-catalog/controls.jsonl")
    }
    ids = [t.id for t in problem.target]
    index = {t: j for j, t in enumerate(ids)}
    roots = problem.matrices["roots"]
    root = (lambda j: j) if roots is None else (lambda j: int(roots[j]))
    links: list[set[int]] = [set() for _ in ids]
    for j, t in enumerate(ids):
        for u in related.get(t, []):
            if u in index and root(j) != root(index[u]):
                links[root(j)].add(root(index[u]))
                links[root(index[u])].add(root(j))
    return links


def reference_boost(scores: np.ndarray, links: list[set[int]], weight: float, top: int = 2) -> np.ndarray:
    """``score(j) + weight * (sum of the best ``top`` linked scores, each clipped at 0) / top``, the same
    form as `sibling_boost` with a target's cross-references in place of its family."""
    finite = np.isfinite(scores)
    clipped = np.where(finite, np.maximum(scores, 0.0), 0.0)
    out = scores.copy()
    for j, linked in enumerate(links):
        if not linked:
            continue
        best = -np.sort(-clipped[:, sorted(linked)], axis=1)[:, :top].sum(axis=1) / top
        out[:, j] = np.where(finite[:, j], scores[:, j] + weight * best, scores[:, j])
    return out


def _scores(problem: Problem, params: FusionParams, background: Any) -> tuple[np.ndarray, np.ndarray | None]:
    m = problem.matrices
    cos, best = hr.cosines(problem, params.context_weight, params.target_context_weight)
    dense, hub = dense_matrix(cos, params, best_sentence=best)
    weight = params.lexical_weight(plan_weight(dense, m["lex"], params)[1])
    fused = fuse(dense, m["lex"], weight, hub_background(background, params, hub))[0]
    scores, allowed = hr._rollup(fused, m["roots"])
    return (scores if allowed is None else np.where(allowed, scores, -np.inf)), allowed


def references_on_whole_matrices(problem: Problem, params: FusionParams, background: Any) -> list[str]:
    """CSF -> SP 800-53 on whole matrices with the fold's settings: without, and with the references at
    the fixed weight (and, for reading only, the siblings at the same weight)."""
    scores, allowed = _scores(problem, params, background)
    links = catalogue_references(problem)
    lines = []
    variants = (
        ("no smoothing", scores),
        (f"references at {REFERENCE_WEIGHT}", reference_boost(scores, links, REFERENCE_WEIGHT)),
    )
    for label, s in variants:
        rr = np.mean(hr.ranks_of(s, problem, allowed))
        r10 = np.mean(hr.recalls_of(s, problem, allowed, 10))
        lines.append(f"  {problem.name}, {label}: MRR {rr:.3f} R@10 {r10:.3f}")
    if problem.matrices.get("groups") is not None:
        s = sibling_boost(scores, problem.matrices["groups"], REFERENCE_WEIGHT)
        rr = np.mean(hr.ranks_of(s, problem, allowed))
        r10 = np.mean(hr.recalls_of(s, problem, allowed, 10))
        lines.append(f"  {problem.name}, siblings at {REFERENCE_WEIGHT}: MRR {rr:.3f} R@10 {r10:.3f}")
    return lines
