"""Retrieval on every development problem: the engine's fusion fitted fold by fold, against baselines.

Used by ``bench/harmonize.py`` (``run`` and ``fit``). For each problem the costly parts are computed once
(cosine, best-sentence cosine, BM25), so a grid of fusion settings costs matrix arithmetic only. The
grid's winner for a fold is chosen on the *other* folds' problems (`concord.engine.folds.cross_fit`), and
the fold is then scored by the engine itself (`harmonize.rank_targets`) with those settings.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import replace
from typing import Any

import numpy as np
from harmonize_sets import Problem, ranks_of

from concord.engine.evaluate import retrieval_metrics
from concord.engine.folds import Fold, FoldResult, cross_fit
from concord.engine.fusion import (
    FusionParams,
    dense_matrix,
    fuse,
    hub_background,
    plan_weight,
    sentence_scores,
    several_sentences,
)
from concord.engine.harmonize import HarmonizeOptions, _prepare, rank_targets, target_groups, target_roots
from concord.engine.lexical import BM25Index
from concord.engine.retrieve import sibling_boost

# How a fit chooses among the grid's settings: "argmax" (the best objective; ties: the earlier), "smooth"
# (the best objective averaged with the grid's neighbours') or "bagged" (the setting that wins most often
# over resamples of the training sources), see `best_of`. Set by ``--select``.
SELECT = "argmax"
BAGS = 100

GRID_DENSE: dict[str, tuple] = {
    "hub_weight": (0.0, 0.25, 0.5, 0.75),
    "sentence_weight": (0.0, 0.25, 0.5),
    # None: every query read whole; a number: a query of several sentences read sentence by sentence
    # against a document of passages, with this weight (``--sentence-mean``)
    "sentence_mean_weight": (None,),
}
GRID_CONTEXT = {"context_weight": (0.0, 0.25, 0.5, 1.0), "target_context_weight": (0.0, 0.25, 0.5, 1.0)}
GRID_SIBLINGS = (0.0, 0.1, 0.25, 0.5, 1.0)
# stage 3, on the problems read with headings (``--headings``): the share of the headings' cosine
GRID_HEADING = (0.0, 0.1, 0.25, 0.5, 0.75)
GRID_LEXICAL = {
    "lexical_max": (0.1, 0.2, 0.3, 0.4),
    "agree": ((0.0, 0.4), (0.2, 0.6), (0.4, 0.8), (0.6, 1.0), (1.0, 1.0)),
}


def prepare(
    problem: Problem, encoder: Any, *, sentences: bool = False, target_kind: str = "query"
) -> dict[str, Any]:
    """Cosine, BM25 and (optionally) best-sentence matrices of a problem, as the engine computes them.
    ``target_kind`` "passage" reads the targets with E5's passage prefix (a variant tried, not shipped: the
    engine reads both sides as queries)."""
    if problem.matrices:
        return problem.matrices
    # a source's own sentences are read only by the sentence-by-sentence reading
    by_sentence = any(w is not None for w in GRID_DENSE["sentence_mean_weight"])
    src = _prepare(
        problem.source,
        encoder,
        "query",
        None,
        "source",
        sentences_too=sentences and by_sentence,
        context=problem.source_context,
        headings_too=problem.headed,
    )
    tgt = _prepare(
        problem.target,
        encoder,
        target_kind,
        None,
        "target",
        sentences_too=sentences,
        context=problem.target_context,
        headings_too=problem.headed,
    )
    bm25 = BM25Index(tgt.tokens)
    lex = np.stack([bm25.scores(t) for t in src.tokens])
    flat, starts = None, None
    if sentences:
        flat = np.vstack(tgt.sentence_vectors)
        starts = np.concatenate([[0], np.cumsum([len(v) for v in tgt.sentence_vectors])[:-1]]).astype(int)
    roots = target_roots(problem.target)
    problem.matrices = {
        "sides": (src, tgt),
        "sentences": (flat, starts),
        "lex": lex,
        "roots": roots,
        "groups": target_groups(problem.target, problem.target_context),
        "has_context": bool((src.parents >= 0).any() or (tgt.parents >= 0).any()),
        "heading": headings_of(src, tgt),
        "cosine": {},
        "mean": {},
        "dense": {},
        "ranks": {},
    }
    problem.matrices["cos"], problem.matrices["best"] = cosines(problem, 0.0, 0.0)
    return problem.matrices


def headings_of(src: Any, tgt: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The headings' cosine matrix and which sources and targets have a heading (`fusion.heading_blend`),
    or None when one side has none."""
    if src.heading_vectors is None or tgt.heading_vectors is None:
        return None
    return src.heading_vectors @ tgt.heading_vectors.T, src.headed, tgt.headed


def cosines(problem: Problem, source_weight: float, target_weight: float) -> tuple[np.ndarray, Any]:
    """Cosine and best-sentence cosine of the problem's sides read in context with these weights."""
    m = problem.matrices
    key = (source_weight, target_weight) if m["has_context"] else (0.0, 0.0)
    if key not in m["cosine"]:
        src, tgt = m["sides"]
        q, d = src.in_context(key[0]), tgt.in_context(key[1])
        flat, starts = m["sentences"]
        best = None if flat is None else np.maximum.reduceat(q @ flat.T, starts, axis=1)
        m["cosine"][key] = (q @ d.T, best)
    return m["cosine"][key]


def sentence_means(problem: Problem, source_weight: float, target_weight: float) -> tuple[Any, Any]:
    """The best-sentence matrix with a query of several sentences read sentence by sentence against a
    document of passages (`fusion.sentence_scores`), and which rows and columns those are; (None, None)
    without the targets' sentences."""
    m = problem.matrices
    key = (source_weight, target_weight) if m["has_context"] else (0.0, 0.0)
    if key not in m["mean"]:
        src, tgt = m["sides"]
        flat, starts = m["sentences"]
        if flat is None:
            m["mean"][key] = (None, None)
        else:
            q = src.in_context(key[0])
            own = src.sentence_vectors
            m["mean"][key] = (
                sentence_scores(q, own, flat, starts),
                several_sentences(own, starts, len(flat)),
            )
    return m["mean"][key]


def _rollup(scores: np.ndarray, roots: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    if roots is None:
        return scores, None
    best = np.full_like(scores, -np.inf)
    for j, r in enumerate(roots.tolist()):
        best[:, r] = np.maximum(best[:, r], scores[:, j])
    is_root = roots == np.arange(len(roots))
    return (scores + 0.5 * best) / 1.5, is_root


def simulate(problem: Problem, params: FusionParams, background: tuple[float, float] | None) -> list[float]:
    """Reciprocal ranks of the problem's gold under ``params`` (the engine's scoring, on whole matrices)."""
    return _simulated(problem, params, background)[0]


def simulate_recall(
    problem: Problem, params: FusionParams, background: tuple[float, float] | None, k: int = 10
) -> list[float]:
    """Each source's share of its gold targets ranked in the top ``k`` under ``params`` (R@k)."""
    return _simulated(problem, params, background, k)[1]


def _simulated(
    problem: Problem, params: FusionParams, background: tuple[float, float] | None, k: int = 10
) -> tuple[list[float], list[float]]:
    """Reciprocal ranks and R@k of the problem's gold under ``params``. The dense matrix and the
    agreement depend only on the dense settings, so they are computed once for each and reused across
    the lexical and sibling settings of the grid."""
    m = problem.matrices
    context = (params.context_weight, params.target_context_weight) if m["has_context"] else (0.0, 0.0)
    heading = params.heading_weight if m.get("heading") is not None else 0.0
    whole = (
        context,
        params.hub_weight,
        params.sentence_weight,
        params.hub_k,
        params.sentence_mean_weight,
        heading,
    )
    siblings = params.sibling_weight if m.get("groups") is not None else 0.0
    memo = (whole, params.lexical_max, params.agree_low, params.agree_high, siblings, k)
    if memo in m["ranks"]:  # a problem without structure ranks alike under every context weight
        return m["ranks"][memo]
    if whole not in m["dense"]:
        cos, best = cosines(problem, *context)
        several = None
        if params.by_sentence:
            best, several = sentence_means(problem, *context)
        dense, hub = dense_matrix(cos, params, best_sentence=best, several=several, heading=m.get("heading"))
        m["dense"][whole] = (dense, hub, plan_weight(dense, m["lex"], params)[1])
    dense, hub, agreement = m["dense"][whole]
    fused = fuse(dense, m["lex"], params.lexical_weight(agreement), hub_background(background, params, hub))[
        0
    ]
    scores, allowed = _rollup(fused, m["roots"])
    if siblings > 0:
        masked = scores if allowed is None else np.where(allowed, scores, -np.inf)
        scores = sibling_boost(masked, m["groups"], siblings)
    m["ranks"][memo] = (ranks_of(scores, problem, allowed), recalls_of(scores, problem, allowed, k))
    return m["ranks"][memo]


def recalls_of(scores: np.ndarray, problem: Problem, allowed: np.ndarray | None, k: int) -> list[float]:
    """Each source's share of its gold in the top ``k`` of ``scores`` (ties broken by the lower index, as
    the engine breaks them); ``allowed`` masks targets that may be ranked."""
    t_index = {p.id: j for j, p in enumerate(problem.target)}
    relevant = problem.relevant
    out = []
    for i, p in enumerate(problem.source):
        gold = {t_index[t] for t in relevant.get(p.id, ()) if t in t_index}
        if not gold:
            continue
        row = scores[i] if allowed is None else np.where(allowed, scores[i], -np.inf)
        top = np.lexsort((np.arange(len(row)), -row))[:k]
        out.append(len(gold & set(top.tolist())) / len(gold))
    return out


def objective(
    problems: list[Problem],
    params: FusionParams,
    background: tuple[float, float] | None,
    measure: str = "mrr",
) -> float:
    """Mean over datasets of the mean reciprocal rank (``measure`` "mrr"), or of the mean of MRR and R@10
    ("mrr+r10", the sibling stage's: siblings are about the whole gold set, not its first hit): every
    kind of data weighs the same."""
    by_dataset: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for p in problems:
        ranks = simulate(p, params, background)
        value = float(sum(ranks))
        if measure == "mrr+r10":
            value = (value + float(sum(simulate_recall(p, params, background)))) / 2
        total = by_dataset[p.dataset]
        total[0] += value
        total[1] += len(ranks)
    return float(np.mean([s / n for s, n in by_dataset.values() if n]))


def grid() -> list[FusionParams]:
    """Stage 1: the dense and lexical settings, every problem read without context."""
    out = []
    for hub, sent, mean in itertools.product(
        GRID_DENSE["hub_weight"], GRID_DENSE["sentence_weight"], GRID_DENSE["sentence_mean_weight"]
    ):
        for lmax, (lo, hi) in itertools.product(GRID_LEXICAL["lexical_max"], GRID_LEXICAL["agree"]):
            out.append(
                FusionParams(
                    hub_weight=hub,
                    sentence_weight=sent,
                    sentence_mean_weight=mean,
                    lexical_max=lmax,
                    agree_low=lo,
                    agree_high=hi,
                )
            )
    return out


def context_grid(base: FusionParams) -> list[FusionParams]:
    """Stage 2: the context weights on top of ``base`` (no context first)."""
    return [
        replace(base, context_weight=cw, target_context_weight=tcw)
        for cw, tcw in itertools.product(
            GRID_CONTEXT["context_weight"], GRID_CONTEXT["target_context_weight"]
        )
    ]


def sibling_grid(base: FusionParams) -> list[FusionParams]:
    """Stage 3: the sibling weight on top of ``base`` (none first)."""
    return [replace(base, sibling_weight=w) for w in GRID_SIBLINGS]


def best_of(
    candidates: list[FusionParams],
    problems: list[Problem],
    background: tuple[float, float] | None,
    measure: str = "mrr",
) -> FusionParams:
    """The candidate with the best `objective` on ``problems`` (ties: the earlier, simpler one). Under
    ``SELECT`` "smooth", each candidate's objective is first averaged with its neighbours' on the grid
    (`grid_neighbours`): a setting that wins by a hair beside settings that lose by much is a near-tie
    the training folds decide by chance, and a flat region of the grid travels better to unseen data."""
    if SELECT == "bagged":
        return candidates[bagged_winner(per_source(candidates, problems, background, measure))]
    scores = [objective(problems, params, background, measure) for params in candidates]
    if SELECT == "smooth":
        scores = [
            float(np.mean([scores[k] for k in (i, *near)]))
            for i, near in enumerate(grid_neighbours(candidates))
        ]
    best, best_score = candidates[0], -1.0
    for params, score in zip(candidates, scores):
        if score > best_score + 1e-9:
            best, best_score = params, score
    return best


def bagged_winner(rows: list[np.ndarray]) -> int:
    """The index of the candidate that wins most often over ``BAGS`` resamples of the training sources.
    ``rows`` holds one matrix per dataset: a row per candidate, a column per source, each cell what the
    source adds to the candidate's `objective`. Sources are drawn with replacement within each dataset
    (seeded, so a fit is repeatable), and each dataset weighs the same, as in `objective`. A setting that
    wins by a hair on one draw of the data and loses on the next is a near-tie; the one that wins most
    draws is the stable choice. Ties in wins go to the earlier, simpler candidate."""
    rng = np.random.default_rng(20261207)
    wins = np.zeros(rows[0].shape[0], dtype=np.int64)
    for _ in range(BAGS):
        total = np.zeros(len(wins))
        for m in rows:
            n = m.shape[1]
            total += m @ np.bincount(rng.integers(0, n, n), minlength=n) / n
        wins[int(np.argmax(total > total.max() - 1e-9))] += 1
    return int(np.argmax(wins))


def per_source(
    candidates: list[FusionParams], problems: list[Problem], background: Any, measure: str
) -> list[np.ndarray]:
    """For `bagged_winner`: per dataset, each candidate's reciprocal rank of each source's gold (with
    ``measure`` "mrr+r10", its mean with the source's R@10)."""
    by_dataset: dict[str, list[np.ndarray]] = defaultdict(list)
    for p in problems:
        rows = [simulate(p, params, background) for params in candidates]
        if measure == "mrr+r10":
            rows = [
                [(a + b) / 2 for a, b in zip(r, simulate_recall(p, params, background))]
                for r, params in zip(rows, candidates)
            ]
        by_dataset[p.dataset].append(np.array(rows, dtype=np.float64).reshape(len(candidates), -1))
    return [np.hstack(m) for m in by_dataset.values() if sum(x.shape[1] for x in m)]


GRID_AXES = (
    ("hub_weight",),
    ("sentence_weight",),
    ("sentence_mean_weight",),
    ("lexical_max",),
    ("agree_low", "agree_high"),
    ("context_weight",),
    ("target_context_weight",),
    ("sibling_weight",),
)


def _none_first(value: tuple) -> tuple:
    return tuple((v is not None, v or 0.0) for v in value)


def grid_neighbours(candidates: list[FusionParams]) -> list[list[int]]:
    """For each candidate, the candidates one step away on one axis of the grid (an axis is a setting,
    or the agreement's low and high together), every other setting the same."""
    coords = [tuple(tuple(getattr(c, f) for f in axis) for axis in GRID_AXES) for c in candidates]
    steps = [sorted({c[a] for c in coords}, key=_none_first) for a in range(len(GRID_AXES))]
    index = {tuple(steps[a].index(c[a]) for a in range(len(GRID_AXES))): n for n, c in enumerate(coords)}
    out = []
    for c in coords:
        at = [steps[a].index(c[a]) for a in range(len(GRID_AXES))]
        near = []
        for a in range(len(GRID_AXES)):
            for d in (-1, 1):
                key = tuple(at[:a] + [at[a] + d] + at[a + 1 :])
                if key in index:
                    near.append(index[key])
        out.append(near)
    return out


def fit_fusion(
    problems: list[Problem],
    background: tuple[float, float] | None,
    base: FusionParams | None = None,
    *,
    siblings: bool = False,
) -> FusionParams:
    """Two stages: the dense and lexical settings (`grid`) on every problem read without context, then
    the context weights (`context_grid`) on top of them. Context changes only problems with document
    structure (the crosswalks), so stage 2 is decided by those alone, and stage 1 is the fit that was
    shipped before context existed. ``base`` skips stage 1 (its context and sibling weights are ignored).

    Problems read with headings (``Problem.headed``) fit only a third stage, the heading weight
    (`GRID_HEADING`), on top of the two: the others have no headings on both sides, so it cannot move
    them, and the first two stages are fitted without the headed copies of the bills.

    ``siblings`` adds a stage, the sibling weight (`sibling_grid`), which maximises the mean of MRR
    and R@10 (chosen before any sibling weight was scored: siblings are meant to fill the top 10 with the
    rest of a gold cluster, which MRR does not see). It is a variant, reported held out beside the
    engine and not shipped: held out it did not win (see docs/evaluation.md)."""
    headed = [p for p in problems if p.headed]
    problems = [p for p in problems if not p.headed]
    if base is None:
        base = best_of(grid(), problems, background)
    base = replace(
        base, context_weight=0.0, target_context_weight=0.0, sibling_weight=0.0, heading_weight=0.0
    )
    with_context = best_of(context_grid(base), problems, background)
    if headed:
        with_context = best_of(
            [replace(with_context, heading_weight=w) for w in GRID_HEADING], headed, background
        )
    if not siblings:
        return with_context
    return best_of(sibling_grid(with_context), problems, background, "mrr+r10")


def engine_ranked(
    problem: Problem,
    encoder: Any,
    params: FusionParams,
    background: Any,
    options: HarmonizeOptions | None = None,
) -> tuple[dict, Any]:
    """The engine's own top-10 per source (``rank_targets``) and its fusion plan."""
    found, plan = rank_targets(
        problem.source,
        problem.target,
        encoder,
        options or HarmonizeOptions(top_k=10),
        fusion=params,
        background=background,
        source_context=problem.source_context,
        target_context=problem.target_context,
    )
    t_ids = [p.id for p in problem.target]
    ranked = {p.id: [t_ids[j] for j in found.indices[i] if j >= 0] for i, p in enumerate(problem.source)}
    return ranked, plan


def baseline_ranked(problem: Problem) -> dict[str, dict[str, list[str]]]:
    """BM25 alone, dense cosine alone (the same encoder), and their reciprocal-rank fusion (k = 60)."""
    m = problem.matrices
    return plain_ranked(problem, {"bm25": m["lex"], "dense": m["cos"]}, "rrf")


def plain_ranked(
    problem: Problem, scores: dict[str, np.ndarray], fused: str
) -> dict[str, dict[str, list[str]]]:
    """Top-10 lists over every target: each score matrix of ``scores`` alone, and under ``fused`` the
    reciprocal-rank fusion (k = 60) of them all. Ties go to the lower index, as the engine breaks them."""
    t_ids = np.array([p.id for p in problem.target])
    order = np.arange(len(t_ids))
    out: dict[str, dict[str, list[str]]] = {name: {} for name in [*scores, fused]}
    for i, p in enumerate(problem.source):
        rrf = np.zeros(len(t_ids))
        for name, matrix in scores.items():
            ranking = np.lexsort((order, -matrix[i]))
            rank = np.empty(len(t_ids))
            rank[ranking] = np.arange(1, len(t_ids) + 1)
            rrf += 1 / (60 + rank)
            out[name][p.id] = t_ids[ranking[:10]].tolist()
        out[fused][p.id] = t_ids[np.lexsort((order, -rrf))[:10]].tolist()
    return out


def held_out(
    problems: list[Problem], folds: list[Fold], encoder: Any, background: Any, *, siblings: bool = False
) -> list[FoldResult[FusionParams, dict[str, Any]]]:
    """Fit on each fold's training problems; score its test problems with the engine and the baselines
    (``siblings``: the fit's sibling stage too, see `fit_fusion`)."""

    def score(params: FusionParams, test: list[Problem]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for p in test:
            ranked, plan = engine_ranked(p, encoder, params, background)
            out[p.name] = {"engine": ranked, "plan": plan, **baseline_ranked(p), "problem": p}
        return out

    return cross_fit(
        problems,
        lambda p: p.group,
        lambda train: fit_fusion(train, background, siblings=siblings),
        score,
        folds,
    )


def metrics_table(results: list[FoldResult[FusionParams, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per dataset and method: acc@1, R@10, MRR over all held-out sources; plus the plans' weights."""
    ranked: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(lambda: defaultdict(dict))
    relevant: dict[str, dict[str, set[str]]] = defaultdict(dict)
    weights: dict[str, list[float]] = defaultdict(list)
    for r in results:
        for item in r.result.values():
            p: Problem = item["problem"]
            for method in ("bm25", "dense", "rrf", "engine"):
                ranked[p.dataset][method].update(item[method])
            relevant[p.dataset].update(p.relevant)
            weights[p.dataset].append(item["plan"].lexical_weight)
    table: dict[str, dict[str, Any]] = {}
    for dataset, methods in ranked.items():
        table[dataset] = {}
        for method, rows in methods.items():
            m = retrieval_metrics(rows, relevant[dataset])
            table[dataset][method] = {"acc@1": m.recall[1], "R@10": m.recall[10], "MRR": m.mrr}
        table[dataset]["lexical weight"] = (min(weights[dataset]), max(weights[dataset]))
    return table


def with_params(params: FusionParams, **changes: Any) -> FusionParams:
    return replace(params, **changes)
