"""A diverse top ten by maximal marginal relevance, held out (tried; see docs/evaluation.md, "A diverse top
ten").

For each source, the engine's scores after the roll-up are standardised over the targets that may be
ranked, and the `POOL` best form the pool. The first place is the best score. Each next place of the top
`DEPTH` goes to the pool member with the highest ``z(score) - λ * max sim(it, a target already placed)``
(ties to the lower index); the rest follow by score. ``sim`` is the cosine of two targets' vectors as the
engine reads them (in context, with the fold's target context weight), standardised over all pairs of
targets that may be ranked. ``λ`` (of `GRID`) is chosen on the other crosswalk, for the mean of MRR and
R@10, with the settings that fold's fusion was fitted to; the held-out crosswalk is then scored on whole
matrices with the same settings. The plain baselines are printed beside it, on the same items.

    .venv/bin/python bench/harmonize.py --parts diverse

The first place never moves, so acc@1 cannot change. Nothing is fitted on the crosswalk it scores.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import harmonize_retrieval as hr
import numpy as np
from harmonize_retrieval_variants import _scores_unrolled, curve_lines, each_held_out, plain_line
from harmonize_sets import Problem

from concord.engine.fusion import FusionParams

GRID = (0.0, 0.05, 0.1, 0.25, 0.5)  # fixed before any score (docs/evaluation.md)
POOL = 30
DEPTH = 10


def target_similarity(problem: Problem, params: FusionParams, allowed: np.ndarray | None) -> np.ndarray:
    """Cosines between the targets as the engine reads them, standardised over the pairs of targets that
    may be ranked (the diagonal left out)."""
    _, tgt = problem.matrices["sides"]
    weight = params.target_context_weight if problem.matrices["has_context"] else 0.0
    vectors = np.asarray(tgt.in_context(weight), dtype=np.float64)
    sim = vectors @ vectors.T
    keep = np.ones(len(sim), dtype=bool) if allowed is None else allowed
    pairs = sim[np.ix_(keep, keep)][~np.eye(int(keep.sum()), dtype=bool)]
    return (sim - pairs.mean()) / max(float(pairs.std()), 1e-9)


def diversified(row: np.ndarray, sim: np.ndarray, weight: float) -> np.ndarray:
    """The order of one source's targets: the top `DEPTH` placed by maximal marginal relevance over the
    `POOL` best, the rest by score. ``row`` holds -inf for targets that may not be ranked."""
    order = np.lexsort((np.arange(len(row)), -row))
    if weight == 0:
        return order
    finite = np.isfinite(row)
    z = np.where(finite, (row - row[finite].mean()) / max(float(row[finite].std()), 1e-9), -np.inf)
    pool = [int(j) for j in order[:POOL] if finite[j]]
    placed = pool[:1]
    rest = pool[1:]
    while rest and len(placed) < DEPTH:
        worst = sim[np.ix_(rest, placed)].max(axis=1)
        gain = z[rest] - weight * worst
        pick = rest[int(np.lexsort((np.array(rest), -gain))[0])]
        placed.append(pick)
        rest.remove(pick)
    chosen = set(placed)
    return np.array(placed + [int(j) for j in order if int(j) not in chosen])


def _scored(problem: Problem, params: FusionParams, background: Any) -> tuple[np.ndarray, np.ndarray]:
    """The engine's rolled-up scores (-inf where a target may not be ranked) and the target similarity,
    computed once per problem and settings (the folds share settings)."""
    memo = problem.matrices.setdefault("diverse", {})
    if params not in memo:
        scores, allowed = hr._rollup(_scores_unrolled(problem, params, background), problem.matrices["roots"])
        masked = scores if allowed is None else np.where(allowed, scores, -np.inf)
        memo[params] = (masked, target_similarity(problem, params, allowed))
    return memo[params]


def _gold_rows(problem: Problem) -> Iterator[tuple[int, set[int]]]:
    """Each source with gold: its row and the columns of its gold targets."""
    t_index = {p.id: j for j, p in enumerate(problem.target)}
    for i, p in enumerate(problem.source):
        gold = {t_index[t] for t in problem.relevant.get(p.id, ()) if t in t_index}
        if gold:
            yield i, gold


def measured(problem: Problem, params: FusionParams, background: Any, weight: float) -> tuple[float, float]:
    """Full-rank MRR and R@10 on whole matrices, the engine's rolled-up scores re-ordered as above."""
    masked, sim = _scored(problem, params, background)
    reciprocal, recall = [], []
    for i, gold in _gold_rows(problem):
        order = diversified(masked[i], sim, weight)
        first = next(r for r, j in enumerate(order.tolist()) if j in gold)
        reciprocal.append(1.0 / (1 + first))
        recall.append(len(gold & set(order[:DEPTH].tolist())) / len(gold))
    return float(np.mean(reciprocal)), float(np.mean(recall))


def look_alikes(problem: Problem, params: FusionParams, background: Any) -> str:
    """How alike the pairs within the engine's top tens are (the standardised target similarity above),
    by whether both, one or neither of the pair is gold: the measurement that explains the curves."""
    masked, sim = _scored(problem, params, background)
    kinds: dict[str, list[float]] = {"both gold": [], "one gold": [], "neither": []}
    for i, gold in _gold_rows(problem):
        top = np.lexsort((np.arange(masked.shape[1]), -masked[i]))[:DEPTH].tolist()
        for a, x in enumerate(top):
            for y in top[a + 1 :]:
                n = (x in gold) + (y in gold)
                kinds[("neither", "one gold", "both gold")[n]].append(float(sim[x, y]))
    return "; ".join(f"{k} {np.mean(v):.2f} ({len(v)} pairs)" for k, v in kinds.items() if v)


def run_diverse(problems: list[Problem], encoder: Any, background: Any) -> list[str]:
    """Each crosswalk held out: λ chosen on the other, the figures with and without it, the curve (for
    reading only), and the plain baselines on the same items."""
    crosswalks = [p for p in problems if p.dataset == "crosswalk"]
    for p in crosswalks:
        hr.prepare(p, encoder, sentences=True)
    lines = [
        "",
        "# A diverse top ten (maximal marginal relevance) over the engine's scores, each crosswalk held out",
    ]
    for p, other, settings, chosen, curve in each_held_out(crosswalks, background, GRID, measured):
        lines += curve_lines(p, other, chosen, curve, "λ")
        lines.append(
            f"    similarity within the top tens (standardised): {look_alikes(p, settings, background)}"
        )
        lines.append(plain_line(p, hr.baseline_ranked(p)))
    return lines


def one_to_one(problems: list[Problem], results: list[Any], background: Any) -> list[str]:
    """The second step of the rule: each fold of the bills and the NTREX pools, with λ chosen on that
    fold's training problems (every problem its fusion settings were fitted on), for the mean over them
    of the mean of MRR and R@10; then the held-out problems' MRR with and without it."""
    lines = ["", "# A diverse top ten on the other sets, each fold with λ chosen on its training problems"]
    for r in results:
        held = [item["problem"] for item in r.result.values() if item["problem"].dataset != "crosswalk"]
        if not held:
            continue
        train = [p for p in problems if p.group in r.fitted_on]

        def objective(weight: float, params: FusionParams = r.params, train: list[Problem] = train) -> float:
            return float(np.mean([sum(measured(p, params, background, weight)) / 2 for p in train]))

        chosen = max(GRID, key=lambda w: (objective(w), -w))
        for p in held:
            (mrr, _), (mrr0, _) = (
                measured(p, r.params, background, chosen),
                measured(p, r.params, background, 0.0),
            )
            lines.append(f"  {r.fold} / {p.name}: λ {chosen}: MRR {mrr:.3f}; without: MRR {mrr0:.3f}")
    return lines
