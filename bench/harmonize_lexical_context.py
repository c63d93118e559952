"""The parent's words in the source's BM25 query, held out (tried; see docs/evaluation.md, "The parent's
words in the source's BM25 query").

A source's BM25 row becomes ``bm25(own words) + w * bm25(its parent's words)``: the parent's text (a CSF
category, a CIS control) read as a query against the same targets, in the source's language. Only the
parent; sources with no parent are unchanged. The engine's fused score, its planned lexical weight and the
roll-up are then computed as shipped from the new rows. ``w`` (of `GRID`) is chosen on the other crosswalk,
for the mean of MRR and R@10, with the settings that fold's fusion was fitted to; the held-out crosswalk
is then scored on whole matrices with the same settings. The plain baselines are printed beside it, on the
same items, with BM25 read with the parent's words at weight 1 and its fusion with dense cosine.

    .venv/bin/python bench/harmonize.py --parts lexical-context

Nothing is fitted on the crosswalk it scores.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import harmonize_retrieval as hr
import numpy as np
from harmonize_retrieval_variants import _scores_unrolled, curve_lines, each_held_out, plain_line
from harmonize_sets import Problem

from concord.engine.fusion import FusionParams
from concord.engine.harmonize import provision_text
from concord.engine.lexical import BM25Index, tokenize

GRID = (0.0, 0.25, 0.5, 1.0)  # fixed before any score (docs/evaluation.md)


def parent_bm25(problem: Problem) -> np.ndarray:
    """Each source's parent text read as a BM25 query against the targets (zeros where there is no
    parent); computed once per problem."""
    m = problem.matrices
    if "parent_lex" not in m:
        src, tgt = m["sides"]
        index = BM25Index(tgt.tokens)
        context = [provision_text(p) for p in problem.source_context]
        rows = np.zeros_like(m["lex"])
        for i, parent in enumerate(src.parents.tolist() if len(src.parents) else []):
            if parent < 0:
                continue
            n = len(src.tokens)
            words = src.tokens[parent] if parent < n else tokenize(context[parent - n], src.languages[i])
            rows[i] = index.scores(words)
        m["parent_lex"] = rows
    return m["parent_lex"]


def with_parent_words(problem: Problem, weight: float) -> Problem:
    """The problem with its BM25 rows read with ``weight`` times the parent's words (the cosine caches
    shared)."""
    return replace(
        problem, matrices={**problem.matrices, "lex": problem.matrices["lex"] + weight * parent_bm25(problem)}
    )


def measured(problem: Problem, params: FusionParams, background: Any, weight: float) -> tuple[float, float]:
    """Full-rank MRR and R@10 on whole matrices of the engine's scores with the parent's words at
    ``weight``, rolled up as the engine rolls up."""
    read = with_parent_words(problem, weight) if weight else problem
    scores, allowed = hr._rollup(_scores_unrolled(read, params, background), problem.matrices["roots"])
    masked = scores if allowed is None else np.where(allowed, scores, -np.inf)
    return (
        float(np.mean(hr.ranks_of(masked, problem, allowed))),
        float(np.mean(hr.recalls_of(masked, problem, allowed, 10))),
    )


def run_lexical_context(problems: list[Problem], encoder: Any, background: Any) -> list[str]:
    """Each crosswalk held out: the weight chosen on the other, the figures with and without it, the curve
    (for reading only), and the plain baselines on the same items."""
    crosswalks = [p for p in problems if p.dataset == "crosswalk"]
    for p in crosswalks:
        hr.prepare(p, encoder, sentences=True)
    lines = ["", "# The parent's words in the source's BM25 query, each crosswalk held out"]
    for p, other, _, chosen, curve in each_held_out(crosswalks, background, GRID, measured):
        lines += curve_lines(p, other, chosen, curve, "weight")
        pair = {"bm25 with parent": with_parent_words(p, 1.0).matrices["lex"], "dense": p.matrices["cos"]}
        found = hr.plain_ranked(p, pair, "rrf dense+bm25 with parent")
        found.pop("dense")
        lines.append(plain_line(p, {**hr.baseline_ranked(p), **found}))
    return lines
