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
- **source siblings**: a source's scores raised by the mean of its sibling sources' (the other
  subcategories of its category), the weight chosen on the other crosswalk.
- **query views** (a source read alone and in context, combined by max or mean) and **an R@10 fit
  objective** for stages 1 and 2; and where CSF's gold controls rank (a diagnosis that reads the gold).
- **the target's whole text** (`discussion_variants`): SP 800-53's controls read with their discussion
  (the whole text; or the statement's vector with the whole text's sentences and/or words), a discussion
  field at a fixed weight, and cross-references parsed from the controls' own text (`text_references`).
  The CSF fold keeps its settings fitted on CIS; CIS is then held out with its fold fitted on CSF read
  each way. ``harmonize_sets.WHOLE_TEXT`` (off) would make the
  whole text the loader's default.
- **targets read as passages** (`passage_targets`): E5 is trained with "query: " for the short side of an
  asymmetric search and "passage: " for the documents searched; the engine reads both sides as queries
  (a symmetric task). Each crosswalk is held out with the fusion fitted on the other, both read this way.

Nothing here is fitted on the fold it scores (`concord.engine.folds.cross_fit` for siblings; a fixed
weight for references).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import harmonize_retrieval as hr
import harmonize_sets as hv_sets
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
    scores, allowed = hr._rollup(_scores_unrolled(problem, params, background), problem.matrices["roots"])
    return (scores if allowed is None else np.where(allowed, scores, -np.inf)), allowed


def _measured(problem: Problem, scores: np.ndarray, allowed: np.ndarray | None) -> str:
    rr = np.mean(hr.ranks_of(scores, problem, allowed))
    r10 = np.mean(hr.recalls_of(scores, problem, allowed, 10))
    return f"MRR {rr:.3f} R@10 {r10:.3f}"


def references_on_whole_matrices(problem: Problem, params: FusionParams, background: Any) -> list[str]:
    """CSF -> SP 800-53 on whole matrices with the fold's settings: without, and with the references at
    the fixed weight; then, for reading only (in-sample), other weights."""
    scores, allowed = _scores(problem, params, background)
    links = catalogue_references(problem)
    lines = [f"  {problem.name}, whole matrices, no smoothing: {_measured(problem, scores, allowed)}"]
    boosted = reference_boost(scores, links, REFERENCE_WEIGHT)
    lines.append(
        f"  {problem.name}, references at {REFERENCE_WEIGHT}: {_measured(problem, boosted, allowed)}"
    )
    for w in (0.5, 1.0):
        boosted = reference_boost(scores, links, w)
        lines.append(f"    in-sample, not used: references at {w}: {_measured(problem, boosted, allowed)}")
    return lines


def sibling_curve(problem: Problem, params: FusionParams, background: Any) -> list[str]:
    """The held-out crosswalk on whole matrices with its fold's settings, at each sibling weight of the
    grid (for reading: the fold's own weight was chosen on the other crosswalk)."""
    scores, allowed = _scores(problem, params, background)
    groups = problem.matrices.get("groups")
    if groups is None:
        return []
    return [
        f"    siblings at {w}: {_measured(problem, sibling_boost(scores, groups, w), allowed)}"
        for w in hr.GRID_SIBLINGS
    ]


def query_views(problem: Problem, params: FusionParams, background: Any) -> list[str]:
    """Fused scores of the source read alone, in context (the fold's weight) and at context weight 1,
    combined by max or mean, on whole matrices with the fold's settings."""
    views = {
        w: _scores(problem, replace(params, context_weight=w), background)
        for w in (0.0, params.context_weight, 1.0)
    }
    allowed = views[0.0][1]
    alone, chosen, full = views[0.0][0], views[params.context_weight][0], views[1.0][0]
    combos = (
        ("in context (the engine)", chosen),
        ("alone", alone),
        ("max(alone, in context)", np.maximum(alone, chosen)),
        ("mean(alone, in context)", (alone + chosen) / 2),
        ("mean(alone, in context, context 1)", (alone + chosen + full) / 3),
    )
    return [f"    query view {label}: {_measured(problem, s, allowed)}" for label, s in combos]


def r10_objective(problems: list[Problem], background: Any) -> list[str]:
    """Stages 1 and 2 fitted for the mean of MRR and R@10 instead of MRR, on the other crosswalk."""
    crosswalks = [p for p in problems if p.dataset == "crosswalk"]
    lines = []
    for p in crosswalks:
        train = [q for q in crosswalks if q is not p]
        for measure in ("mrr", "mrr+r10"):
            base = hr.best_of(hr.grid(), train, background, measure)
            base = replace(base, context_weight=0.0, target_context_weight=0.0)
            fitted = hr.best_of(hr.context_grid(base), train, background, measure)
            rr = np.mean(hr.simulate(p, fitted, background))
            r10 = np.mean(hr.simulate_recall(p, fitted, background))
            lines.append(f"  {p.name}, stages 1-2 fitted for {measure}: MRR {rr:.3f} R@10 {r10:.3f}")
    return lines


def gold_diagnosis(problem: Problem, params: FusionParams, background: Any) -> list[str]:
    """Where the gold controls rank, and whether a missed one shares a family with, or is linked to, a
    gold control found in the top 10 (reading the gold: a diagnosis, never an input)."""
    scores, allowed = _scores(problem, params, background)
    links = catalogue_references(problem)
    groups = problem.matrices.get("groups")
    index = {t.id: j for j, t in enumerate(problem.target)}
    ranks: list[int] = []
    missed = same_family = linked = crowd = sources = 0
    for i, src in enumerate(problem.source):
        gold = [index[t] for t in problem.relevant.get(src.id, ()) if t in index]
        if not gold:
            continue
        sources += 1
        order = np.lexsort((np.arange(scores.shape[1]), -scores[i]))
        place = np.empty(len(order), dtype=np.int64)
        place[order] = np.arange(1, len(order) + 1)
        ranks += [int(place[j]) for j in gold]
        top = set(order[:10].tolist())
        found = [j for j in gold if j in top]
        families = {int(groups[j]) for j in found} if groups is not None else set()
        crowd += sum(1 for j in top if j not in gold and groups is not None and int(groups[j]) in families)
        for j in gold:
            if j in top:
                continue
            missed += 1
            same_family += groups is not None and int(groups[j]) in families
            linked += any(h in links[j] for h in found)
    r = np.array(ranks)
    return [
        f"  {problem.name}: gold controls in the top 10 / 20 / 50: {np.mean(r <= 10):.2f} / "
        f"{np.mean(r <= 20):.2f} / {np.mean(r <= 50):.2f}, median rank {np.median(r):.0f}",
        f"    missed {missed}: same family as a gold control found {same_family}, linked to one {linked}; "
        f"non-gold controls of a found gold control's family per top 10: {crowd / max(sources, 1):.1f}",
    ]


def _fold_settings(train: list[Problem], background: Any) -> FusionParams:
    base = hr.best_of(hr.grid(), train, background)
    return hr.best_of(
        hr.context_grid(replace(base, context_weight=0.0, target_context_weight=0.0)), train, background
    )


def each_held_out(
    problems: list[Problem], background: Any, grid: tuple[float, ...], measure: Any
) -> Iterator[tuple[Problem, Problem, FusionParams, float, dict[float, tuple[float, float]]]]:
    """Each crosswalk among ``problems`` held out against the other: the fold's settings (fitted on the
    other), the weight of ``grid`` that ``measure(problem, settings, background, weight)`` -> (MRR, R@10)
    scores best on the other for the mean of the two (ties to the smaller weight), and the held-out curve
    over ``grid``."""
    crosswalks = [p for p in problems if p.dataset == "crosswalk"]
    for p in crosswalks:
        others = [q for q in crosswalks if q is not p]
        if len(others) != 1:
            continue
        settings = _fold_settings(others, background)
        chosen = max(grid, key=lambda w: (sum(measure(others[0], settings, background, w)) / 2, -w))
        yield p, others[0], settings, chosen, {w: measure(p, settings, background, w) for w in grid}


def curve_lines(
    problem: Problem, other: Problem, chosen: float, curve: dict[float, tuple[float, float]], name: str
) -> list[str]:
    """The held-out figures at the weight chosen on ``other`` and at 0 (the curve holds 0: "without"), and
    the whole curve, for reading only; ``name`` is what the weight is called."""
    (mrr, r10), (mrr0, r100) = curve[chosen], curve[0.0]
    read = ", ".join(f"{w} {a:.3f} / {b:.3f}" for w, (a, b) in curve.items())
    return [
        f"  {problem.name}: {name} {chosen} (chosen on {other.name}): MRR {mrr:.3f} R@10 {r10:.3f}; "
        f"without: MRR {mrr0:.3f} R@10 {r100:.3f}",
        f"    curve on the held-out set, for reading only ({name} MRR / R@10): {read}",
    ]


def plain_line(problem: Problem, found: dict[str, Any]) -> str:
    """The plain methods' MRR and R@10 on the same items, as one line."""
    return "    plain, same items: " + "; ".join(
        f"{method} MRR {m.mrr:.3f} R@10 {m.recall[10]:.3f}"
        for method, ranked in found.items()
        for m in [retrieval_metrics(ranked, problem.relevant)]
    )


def _with_source_siblings(fused: np.ndarray, parents: np.ndarray, weight: float) -> np.ndarray:
    """Each source's fused row plus ``weight`` times the mean row of its siblings (the other sources
    under its parent)."""
    if weight == 0:
        return fused
    out = fused.copy()
    for i in range(len(fused)):
        if parents[i] < 0:
            continue
        siblings = np.flatnonzero((parents == parents[i]) & (np.arange(len(parents)) != i))
        if len(siblings):
            out[i] = fused[i] + weight * fused[siblings].mean(axis=0)
    return out


def source_siblings_held_out(problems: list[Problem], background: Any) -> list[str]:
    """A source's scores raised by its sibling sources' (the other subcategories of its category, the
    other safeguards of its control): the weight (of `harmonize_retrieval.GRID_SIBLINGS`, for the mean
    of MRR and R@10) chosen on the other crosswalk with that crosswalk's own settings, then scored on
    whole matrices with the held-out fold's settings."""
    crosswalks = [p for p in problems if p.dataset == "crosswalk"]
    lines = []

    def measured(p: Problem, params: FusionParams, weight: float) -> tuple[float, float]:
        fused = _scores_unrolled(p, params, background)
        scores, allowed = hr._rollup(
            _with_source_siblings(fused, p.matrices["sides"][0].parents, weight), p.matrices["roots"]
        )
        masked = scores if allowed is None else np.where(allowed, scores, -np.inf)
        return float(np.mean(hr.ranks_of(masked, p, allowed))), float(
            np.mean(hr.recalls_of(masked, p, allowed, 10))
        )

    for p in crosswalks:
        others = [q for q in crosswalks if q is not p]
        if len(others) != 1:
            continue
        settings = _fold_settings(others, background)
        weight = max(hr.GRID_SIBLINGS, key=lambda w: (sum(measured(others[0], settings, w)) / 2, -w))
        mrr, r10 = measured(p, settings, weight)
        mrr0, r100 = measured(p, settings, 0.0)
        lines.append(
            f"  {p.name}: source siblings at {weight} (chosen on {others[0].name}): MRR {mrr:.3f} "
            f"R@10 {r10:.3f}; without: MRR {mrr0:.3f} R@10 {r100:.3f}"
        )
    return lines


def _scores_unrolled(problem: Problem, params: FusionParams, background: Any) -> np.ndarray:
    m = problem.matrices
    cos, best = hr.cosines(problem, params.context_weight, params.target_context_weight)
    dense, hub = dense_matrix(cos, params, best_sentence=best)
    weight = params.lexical_weight(plan_weight(dense, m["lex"], params)[1])
    return fuse(dense, m["lex"], weight, hub_background(background, params, hub))[0]


def report(problems: list[Problem], results: list[Any], encoder: Any, background: Any) -> list[str]:
    """Every variant above for the crosswalks among ``problems``; ``results`` are the main run's folds
    (`harmonize_retrieval.held_out`), whose settings each held-out crosswalk is read with."""
    if not any(p.dataset == "crosswalk" for p in problems):
        return []
    lines = ["", "variants for R@10, held out (not shipped; bench/harmonize_retrieval_variants.py):"]
    lines += siblings_held_out(problems, encoder, background)
    for r in results:
        for item in r.result.values():
            p = item["problem"]
            if p.dataset != "crosswalk":
                continue
            lines.append(f"  {p.name}, whole matrices with the fold's settings:")
            lines += sibling_curve(p, r.params, background)
            lines += query_views(p, r.params, background)
            if p.group == "csf":
                lines += references_on_whole_matrices(p, r.params, background)
                lines += gold_diagnosis(p, r.params, background)
    lines += discussion_variants(problems, results, encoder, background)
    lines += passage_targets(encoder, background)
    return lines + source_siblings_held_out(problems, background) + r10_objective(problems, background)


# --- the target's whole text: SP 800-53's discussion (docs/evaluation.md, "The target's whole text") -----

DISCUSSION_WEIGHT = 0.25  # the discussion field's weight, fixed before it was scored (see the docs)
_CONTROL_ID = re.compile(r"\b([A-Z]{2}-\d+(?:\(\d+\))?)")


def text_references(problem: Problem) -> list[set[int]]:
    """Each target root's linked roots, from control ids (``AC-2``, ``SI-4(5)``) named in the targets'
    own text (statement and, with the whole text, discussion), both ways, folded onto their roots. The
    parser reads provision text only, as a pipeline would at run time: never the catalogue's field."""
    ids = [t.id for t in problem.target]
    index = {t: j for j, t in enumerate(ids)}
    roots = problem.matrices["roots"]
    root = (lambda j: j) if roots is None else (lambda j: int(roots[j]))
    links: list[set[int]] = [set() for _ in ids]
    for j, t in enumerate(problem.target):
        for named in _CONTROL_ID.findall(t.text):
            if named in index and root(j) != root(index[named]):
                links[root(j)].add(root(index[named]))
                links[root(index[named])].add(root(j))
    return links


def _mixed(base: Problem, whole: Problem, *, sentences: bool, words: bool) -> Problem:
    """``base`` (statement only) with the best-sentence pooling and/or BM25 taken from ``whole``."""
    m = dict(base.matrices)
    if sentences:
        m["sentences"] = whole.matrices["sentences"]
    if words:
        m["lex"] = whole.matrices["lex"]
    m.update(cosine={}, dense={}, ranks={})
    mixed = replace(base, matrices=m)
    mixed.matrices["cos"], mixed.matrices["best"] = hr.cosines(mixed, 0.0, 0.0)
    return mixed


def _discussion_best(base: Problem, whole: Problem, params: FusionParams) -> np.ndarray:
    """Each source's best cosine among each target's discussion sentences (the sentences of the whole
    text that start after the statement), standardised per source; targets without one get 0."""
    src, tgt = whole.matrices["sides"]
    q = src.in_context(params.context_weight)
    statement_len = [len(t) for t in base.matrices["sides"][1].texts]
    best = np.full((len(q), len(tgt.ids)), np.nan, dtype=np.float32)
    for j, (spans, vecs) in enumerate(zip(tgt.sentences, tgt.sentence_vectors)):
        if len(spans) != len(vecs):
            continue  # a one-sentence text: nothing of a discussion
        rows = [k for k, s in enumerate(spans) if s.start >= statement_len[j]]
        if rows:
            best[:, j] = (q @ vecs[rows].T).max(axis=1)
    filled = np.where(np.isfinite(best), best, np.nanmean(best, axis=1, keepdims=True))
    z = (filled - filled.mean(axis=1, keepdims=True)) / np.maximum(filled.std(axis=1, keepdims=True), 1e-6)
    return np.where(np.isfinite(best), z, 0.0).astype(np.float32)


def _whole_matrix_line(label: str, problem: Problem, scores: np.ndarray, allowed: Any) -> str:
    return f"    {label}: {_measured(problem, scores, allowed)}"


def discussion_variants(
    problems: list[Problem], results: list[Any], encoder: Any, background: Any
) -> list[str]:
    """CSF -> SP 800-53 with the targets read with their discussion, beside the statement-only loader:
    the engine and BM25, dense and RRF on the same target text (held out: the CSF fold's settings, fitted
    on CIS, whose targets have no discussion); each variant on whole matrices with those settings; and
    CIS held out with its fold fitted on CSF read each way (the fit's choice moves with CSF's text)."""
    csf = next((item for r in results for item in r.result.values() if item["problem"].group == "csf"), None)
    if csf is None:
        return []
    params = next(r.params for r in results if any(i["problem"].group == "csf" for i in r.result.values()))
    base: Problem = csf["problem"]
    whole = hv_sets.crosswalks(discussion=not hv_sets.WHOLE_TEXT)[0]
    if hv_sets.WHOLE_TEXT:  # the main run read the whole text: the statement-only problem is the variant
        base, whole = whole, base
    for p in (base, whole):
        hr.prepare(p, encoder, sentences=True)
    lines = ["", "the target's whole text (SP 800-53 discussion), CSF fold's settings (fitted on CIS):"]
    for label, p in (("statement only", base), ("whole text", whole)):
        ranked, _ = hr.engine_ranked(p, encoder, params, background)
        found = {"engine": ranked, **hr.baseline_ranked(p)}
        lines.append(
            f"  {p.name}, {label}, held out: "
            + "; ".join(
                f"{method} MRR {m.mrr:.3f} R@10 {m.recall[10]:.3f}"
                for method in ("bm25", "dense", "rrf", "engine")
                for m in [retrieval_metrics(found[method], p.relevant)]
            )
        )
    lines.append("  whole matrices, the same settings:")
    scores0, allowed = _scores(base, params, background)
    lines.append(_whole_matrix_line("statement only (the loader before)", base, scores0, allowed))
    lines.append(_whole_matrix_line("whole text", whole, _scores(whole, params, background)[0], allowed))
    readings = {"statement only": base, "whole text": whole}
    for label, sentences, words in (
        ("statement vector, whole sentences and words", True, True),
        ("statement vector, whole sentences", True, False),
        ("words only (BM25 over the whole text)", False, True),
    ):
        mixed = _mixed(base, whole, sentences=sentences, words=words)
        readings[label] = mixed
        lines.append(_whole_matrix_line(label, mixed, _scores(mixed, params, background)[0], allowed))
    field = _discussion_best(base, whole, params)
    raised, _ = hr._rollup(
        _scores_unrolled(base, params, background) + DISCUSSION_WEIGHT * field, base.matrices["roots"]
    )
    raised = raised if allowed is None else np.where(allowed, raised, -np.inf)
    lines.append(_whole_matrix_line(f"discussion field at {DISCUSSION_WEIGHT}", base, raised, allowed))
    for label, p in (("statement", base), ("whole text", whole)):
        links = text_references(p)
        named = sum(1 for x in links if x)
        boosted = reference_boost(_scores(p, params, background)[0], links, REFERENCE_WEIGHT)
        lines.append(
            _whole_matrix_line(
                f"references read from the {label} ({named} controls linked) at {REFERENCE_WEIGHT}",
                p,
                boosted,
                allowed,
            )
        )
    cis = next((p for p in problems if p.group == "cis"), None)
    if cis is not None:
        lines.append(
            "  CIS v8 -> CSF 1.1 held out, its fold fitted on CSF read each way (CIS has no discussion):"
        )
        for label, reading in readings.items():
            fitted = hr.fit_fusion([reading], background)
            ranked, _ = hr.engine_ranked(cis, encoder, fitted, background)
            m = retrieval_metrics(ranked, cis.relevant)
            lines.append(
                f"    fitted on CSF, {label}: engine MRR {m.mrr:.3f} R@10 {m.recall[10]:.3f} (hub "
                f"{fitted.hub_weight}, sentence {fitted.sentence_weight}, lexical max {fitted.lexical_max}, "
                f"agreement {fitted.agree_low}-{fitted.agree_high}, context {fitted.context_weight} / "
                f"{fitted.target_context_weight})"
            )
    return lines


# --- targets read as E5 passages (docs/evaluation.md, "Targets read as passages") -------------------------


def passage_targets(encoder: Any, background: Any) -> list[str]:
    """Each crosswalk held out (fusion fitted on the other crosswalk, whole matrices), its targets read
    with E5's passage prefix, beside dense cosine and BM25 on the same reading. The shipped reading (both
    sides as queries) is the main table's."""
    problems = hv_sets.crosswalks()
    for p in problems:
        hr.prepare(p, encoder, sentences=True, target_kind="passage")
    lines = ["", "targets read as E5 passages (each crosswalk held out, fitted on the other read alike):"]
    for p in problems:
        params = hr.fit_fusion([q for q in problems if q is not p], background)
        rr = np.mean(hr.simulate(p, params, background))
        r10 = np.mean(hr.simulate_recall(p, params, background))
        base = hr.baseline_ranked(p)
        plain = "; ".join(
            f"{method} MRR {m.mrr:.3f} R@10 {m.recall[10]:.3f}"
            for method, m in ((k, retrieval_metrics(v, p.relevant)) for k, v in base.items())
        )
        lines.append(f"  {p.name}: engine MRR {rr:.3f} R@10 {r10:.3f}; {plain}")
    return lines
