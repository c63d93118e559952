"""A provision read in context: its vector blended with its ancestors' (`fusion.in_context`), on the
source and target sides, with ancestors in the set or given as context only."""

from __future__ import annotations

import numpy as np
import pytest

from concord.engine.encoders import HashingEncoder
from concord.engine.errors import HarmonizationError
from concord.engine.fusion import FusionParams, fused_matrix, in_context
from concord.engine.harmonize import (
    HarmonizeOptions,
    _prepare,
    harmonize,
    parent_rows,
    rank_targets,
    relate_pairs,
)
from concord.engine.lexical import BM25Index
from concord.engine.relate import default_model
from concord.engine.types import Provision

from .test_fusion import assert_ranked_by

ENC = HashingEncoder()


def p(pid: str, text: str, parent: str | None = None) -> Provision:
    return Provision(pid, "", "", text, "section", parent=parent, language="en")


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


# Two subcategories with the same words, told apart only by their categories.
SOURCE = [
    p("ID.AM-1", "Items are inventoried and kept up to date."),
    p("ID.RA-1", "Items are inventoried and kept up to date."),
]
CATEGORIES = [
    p("ID.AM", "Asset management: hardware devices, laptops and servers of the organisation."),
    p("ID.RA", "Risk assessment: vulnerabilities and threats to the organisation."),
]
TARGET = [
    p("CM-8", "Inventory of hardware devices, laptops and servers, kept up to date."),
    p("RA-3", "Inventory of vulnerabilities and threats, kept up to date."),
]
OPTIONS = HarmonizeOptions(top_k=2, rollup=False)


def test_a_child_is_blended_with_its_parent_and_a_grandparent_weighs_the_square() -> None:
    rng = np.random.default_rng(3)
    v = np.stack([unit(x) for x in rng.standard_normal((3, 6))])
    out = in_context(v, np.array([-1, 0, 1]), 0.5)
    assert np.allclose(out[0], v[0])
    assert np.allclose(out[1], unit(v[1] + 0.5 * v[0]), atol=1e-6)
    assert np.allclose(out[2], unit(v[2] + 0.5 * out[1]), atol=1e-6)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-6)


def test_no_weight_or_no_parent_leaves_every_vector_as_it_was() -> None:
    v = np.eye(3, dtype=np.float32)
    assert np.array_equal(in_context(v, np.array([-1, 0, 1]), 0.0), v)
    assert np.array_equal(in_context(v, np.array([-1, -1, -1]), 0.7), v)


def test_a_cycle_of_parents_ends_instead_of_looping() -> None:
    v = np.eye(3, dtype=np.float32)
    out = in_context(v, np.array([1, 2, 0]), 0.5)
    assert np.isfinite(out).all()
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-6)


def test_parents_are_read_from_declared_parents_or_else_from_the_ids() -> None:
    declared = [p("a", "x"), p("b", "y", parent="a"), p("c", "z", parent="b"), p("d", "w", parent="nowhere")]
    assert parent_rows(declared).tolist() == [-1, 0, 1, -1]
    by_id = [
        p("AC-2", "x"),
        p("AC-2(1)", "y"),
        p("ID.AM-1", "z"),
        p("ID.AM", "w"),
        p("1.1", "v"),
        p("1", "u"),
    ]
    assert parent_rows(by_id).tolist() == [-1, 0, 3, -1, 5, -1]


def test_context_tells_apart_provisions_whose_own_words_are_the_same() -> None:
    plain, _ = rank_targets(SOURCE, TARGET, ENC, OPTIONS, fusion=FusionParams(lexical_max=0.0))
    assert plain.indices[0, 0] == plain.indices[1, 0]  # the same text finds the same target
    params = FusionParams(lexical_max=0.0, context_weight=1.0)
    found, _ = rank_targets(SOURCE, TARGET, ENC, OPTIONS, fusion=params, source_context=CATEGORIES)
    assert found.indices[:, 0].tolist() == [0, 1]


def test_the_target_side_is_read_in_context_with_its_own_weight() -> None:
    queries = [p("q1", "Laptops and servers."), p("q2", "Threats.")]
    targets = [p("T.A-1", "Keep a list."), p("T.B-1", "Keep a list.")]
    groups = [p("T.A", "Hardware: laptops and servers."), p("T.B", "Risk: threats and vulnerabilities.")]
    only_source = FusionParams(lexical_max=0.0, hub_weight=0.0, context_weight=1.0)
    found, _ = rank_targets(queries, targets, ENC, OPTIONS, fusion=only_source, target_context=groups)
    assert found.score[0, 0] == pytest.approx(found.score[0, 1])  # the target side was read alone
    both = FusionParams(lexical_max=0.0, hub_weight=0.0, target_context_weight=1.0)
    found, _ = rank_targets(queries, targets, ENC, OPTIONS, fusion=both, target_context=groups)
    assert found.indices[:, 0].tolist() == [0, 1]


def test_parents_within_the_set_give_context_without_context_provisions() -> None:
    source = [p("ID.AM", CATEGORIES[0].text), SOURCE[0], p("ID.RA", CATEGORIES[1].text), SOURCE[1]]
    params = FusionParams(lexical_max=0.0, context_weight=1.0)
    found, _ = rank_targets(source, TARGET, ENC, OPTIONS, fusion=params)
    assert found.indices[1, 0] == 0 and found.indices[3, 0] == 1


def test_the_whole_matrix_scoring_ranks_as_the_engine_does_in_context() -> None:
    params = FusionParams(hub_weight=0.5, sentence_weight=0.3, lexical_max=0.3, agree_low=0.0, agree_high=0.5,
                          context_weight=0.5, target_context_weight=0.25)  # fmt: skip
    targets = TARGET + [
        p("CM-8(1)", "Automated inventory updates. They cover hardware."),
        p("RA-3(1)", "Supply chain risk."),
    ]
    found, plan = rank_targets(
        SOURCE,
        targets,
        ENC,
        HarmonizeOptions(top_k=4, rollup=False),
        fusion=params,
        source_context=CATEGORIES,
    )
    s = _prepare(SOURCE, ENC, "query", None, "s", sentences_too=False, context=CATEGORIES)
    t = _prepare(targets, ENC, "query", None, "t", sentences_too=True)
    q, d = s.in_context(0.5), t.in_context(0.25)
    best = np.stack([[float((v @ q[i]).max()) for v in t.sentence_vectors] for i in range(len(SOURCE))])
    lex = np.stack([BM25Index(t.tokens).scores(toks) for toks in s.tokens])
    fused, weight = fused_matrix(q @ d.T, lex, params, best_sentence=best)
    assert weight == pytest.approx(plan.lexical_weight)
    assert_ranked_by(found, fused)


def test_context_provisions_are_checked_and_may_not_reuse_a_provision_id() -> None:
    params = FusionParams(context_weight=0.5)
    with pytest.raises(HarmonizationError) as err:
        rank_targets(SOURCE, TARGET, ENC, OPTIONS, fusion=params, source_context=[p("ID.AM-1", "clash")])
    assert err.value.code == "E402" and "ID.AM-1" in str(err.value)
    with pytest.raises(HarmonizationError) as err:
        harmonize(SOURCE, TARGET, ENC, OPTIONS, fusion=params, target_context=[p("X", "  ")])
    assert err.value.code == "E403"


def test_harmonize_and_relate_pairs_read_the_same_context() -> None:
    params = FusionParams(lexical_max=0.0, context_weight=1.0)
    result = harmonize(
        SOURCE, TARGET, ENC, OPTIONS, model=default_model(), fusion=params, source_context=CATEGORIES
    )
    best = {m.source_id: m.target_id for m in result.mappings if m.rank == 1}
    assert best == {"ID.AM-1": "CM-8", "ID.RA-1": "RA-3"}
    typed = relate_pairs(SOURCE, TARGET, [("ID.AM-1", "CM-8"), ("ID.RA-1", "CM-8")], ENC, OPTIONS,
                         model=default_model(), fusion=params, source_context=CATEGORIES)  # fmt: skip
    assert [m.rank for m in typed] == [1, 2]
