"""Exact blocked top-k against brute force, the IVF index against exact search, and hybrid fusion."""

from __future__ import annotations

import numpy as np
import pytest

from concord.engine.errors import HarmonizationError
from concord.engine.lexical import BM25Index
from concord.engine.retrieve import (
    Candidates,
    IVFIndex,
    VectorIndex,
    hybrid_candidates,
    rollup,
    topk_bruteforce,
    topk_dense,
)


def unit(rng, n, d):
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("memory_mb", [0.01, 0.2, 64])
def test_blocked_topk_equals_brute_force(memory_mb):
    rng = np.random.default_rng(1)
    q, c = unit(rng, 137, 32), unit(rng, 1001, 32)
    got, ref = topk_dense(q, c, 7, memory_mb=memory_mb), topk_bruteforce(q, c, 7)
    assert np.array_equal(got.indices, ref.indices)
    assert np.allclose(got.scores, ref.scores, atol=1e-5)
    full = q.astype(np.float64) @ c.T.astype(np.float64)
    assert np.allclose(got.mean, full.mean(axis=1), atol=1e-5)
    assert np.allclose(got.std, full.std(axis=1), atol=1e-4)


def test_topk_pads_when_k_exceeds_the_corpus():
    rng = np.random.default_rng(2)
    res = topk_dense(unit(rng, 3, 8), unit(rng, 2, 8), 5)
    assert (res.indices[:, 2:] == -1).all() and np.isinf(res.scores[:, 2:]).all()


def test_topk_breaks_ties_by_lower_index():
    c = np.array([[1, 0], [1, 0], [0, 1]], np.float32)
    assert topk_dense(np.array([[1, 0]], np.float32), c, 2).indices.tolist() == [[0, 1]]


def test_topk_rejects_mismatched_dimensions():
    with pytest.raises(HarmonizationError) as err:
        topk_dense(np.zeros((1, 3), np.float32), np.zeros((2, 4), np.float32), 1)
    assert err.value.code == "E411"


def clustered(rng, n, d=32, centres=40):
    c = unit(rng, centres, d)
    x = c[rng.integers(0, centres, n)] + 0.15 * rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_ivf_with_every_list_probed_is_exact():
    rng = np.random.default_rng(3)
    data, queries = clustered(rng, 2000), clustered(rng, 50)
    ivf = IVFIndex(data, n_lists=16)
    got = ivf.search(queries, 10, n_probe=16)
    assert np.array_equal(got.indices, topk_bruteforce(queries, data, 10).indices)


def test_ivf_recall_is_high_with_a_few_probes():
    rng = np.random.default_rng(4)
    data, queries = clustered(rng, 5000), clustered(rng, 100)
    exact = topk_bruteforce(queries, data, 10).indices
    got = IVFIndex(data, n_lists=64).search(queries, 10, n_probe=8).indices
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, exact)])
    assert recall >= 0.9


def test_vector_index_switches_to_ivf_above_the_threshold():
    rng = np.random.default_rng(5)
    assert VectorIndex(unit(rng, 100, 8)).exact
    assert not VectorIndex(unit(rng, 300, 8), ann_threshold=200).exact


def fusion_fixture():
    vectors = np.eye(4, dtype=np.float32)
    docs = [["alpha"], ["beta"], ["gamma"], ["alpha", "beta"]]
    return VectorIndex(vectors), BM25Index(docs)


def test_dense_and_lexical_fusions_follow_their_own_evidence():
    index, bm25 = fusion_fixture()
    q = np.array([[0, 0, 1, 0]], np.float32)  # dense says doc 2, words say doc 0
    dense = hybrid_candidates(q, index, [["alpha"]], bm25, 2, fusion="dense")
    lexical = hybrid_candidates(q, index, [["alpha"]], bm25, 2, fusion="lexical")
    assert dense.indices[0, 0] == 2 and lexical.indices[0, 0] in (0, 3)


def test_linear_fusion_weight_moves_the_ranking():
    index, bm25 = fusion_fixture()
    q = np.array([[0, 0, 1, 0]], np.float32)
    low = hybrid_candidates(q, index, [["alpha"]], bm25, 1, lexical_weight=0.1)
    high = hybrid_candidates(q, index, [["alpha"]], bm25, 1, lexical_weight=0.9)
    assert low.indices[0, 0] == 2 and high.indices[0, 0] != 2


def test_rrf_rewards_agreement():
    index, bm25 = fusion_fixture()
    q = np.array([[0.6, 0, 0, 0.8]], np.float32)
    res = hybrid_candidates(q, index, [["alpha", "beta"]], bm25, 2, fusion="rrf")
    assert res.indices[0, 0] == 3


def test_unknown_fusion_is_an_error():
    index, bm25 = fusion_fixture()
    with pytest.raises(HarmonizationError):
        hybrid_candidates(np.eye(1, 4, dtype=np.float32), index, [["x"]], bm25, 1, fusion="magic")


def test_rollup_scores_roots_through_their_children():
    c = Candidates(
        indices=np.array([[1, 2, 0]]),
        score=np.array([[3.0, 1.0, 0.0]], np.float32),
        dense=np.zeros((1, 3), np.float32),
        dense_z=np.zeros((1, 3), np.float32),
        lexical=np.zeros((1, 3), np.float32),
        lexical_z=np.zeros((1, 3), np.float32),
    )
    root_of = np.array([0, 0, 2])  # 1 is a child of 0
    out = rollup(c, root_of, 2)
    assert out.indices.tolist() == [[0, 2]]
    assert out.score[0, 0] == pytest.approx((0.0 + 0.5 * 3.0) / 1.5)


def test_shrink_stats_pools_small_sets_with_the_background():
    from concord.engine.retrieve import shrink_stats

    mu, sd = shrink_stats(0.9, 0.001, 3, (0.8, 0.02), weight=20)
    assert 0.8 < mu < 0.82 and sd > 0.015  # three targets say little: the background dominates
    mu, sd = shrink_stats(0.9, 0.05, 100_000, (0.8, 0.02), weight=20)
    assert mu == pytest.approx(0.9, abs=1e-3) and sd == pytest.approx(0.05, abs=1e-3)
