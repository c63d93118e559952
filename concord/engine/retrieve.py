"""Candidate retrieval: exact blocked top-k, an approximate IVF index, and hybrid lexical + dense fusion.

- `topk_dense` finds the exact top-k by cosine with float32 matrix products over row blocks sized to a
  memory budget, so a 300k x 300k search never holds more than ``memory_mb`` of scores at once. It also
  returns each query row's mean and standard deviation of similarity, used to standardise scores.
- `IVFIndex` is an inverted-file index (spherical k-means in numpy) for corpora too large to scan: each
  query scans only the ``n_probe`` lists nearest to it. `build_index` picks exact or IVF by size.
- `hybrid_candidates` fuses BM25 and dense scores, by a linear fusion of per-query standardised scores
  (the default: it keeps score magnitudes, which gaps and calibration need) or by reciprocal rank fusion.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import HarmonizationError
from .lexical import BM25Index


@dataclass(frozen=True, slots=True)
class TopK:
    """Per-query results: ``indices`` (n, k) int64 (-1 where fewer than k exist) and ``scores`` (n, k)
    float32, best first, ties broken by the lower index. ``mean``/``std`` are each query's similarity
    mean and standard deviation over the whole corpus (None when not computed)."""

    indices: np.ndarray
    scores: np.ndarray
    mean: np.ndarray | None = None
    std: np.ndarray | None = None


def _as_matrix(x: np.ndarray, name: str) -> np.ndarray:
    m = np.asarray(x, dtype=np.float32)
    if m.ndim != 2:
        raise HarmonizationError(f"{name} must be a 2-D array of vectors, got shape {m.shape}", code="E411")
    return m


def _select_topk(scores: np.ndarray, offset: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-k of each row of ``scores`` (float32), sorted by (-score, index); indices shifted by offset."""
    n, m = scores.shape
    kk = min(k, m)
    if kk == 1:  # argmax is far cheaper than a partition, and keeps the lowest index on ties
        best = scores.argmax(axis=1)[:, None]
        return best.astype(np.int64) + offset, np.take_along_axis(scores, best, axis=1)
    if kk < m:
        part = np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
    else:
        part = np.broadcast_to(np.arange(m), (n, m))
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -vals), axis=1)
    return (np.take_along_axis(part, order, axis=1) + offset).astype(np.int64), np.take_along_axis(
        vals, order, 1
    )


def _merge(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray], k: int
) -> tuple[np.ndarray, np.ndarray]:
    idx = np.concatenate([a[0], b[0]], axis=1)
    val = np.concatenate([a[1], b[1]], axis=1)
    order = np.lexsort((idx, -val), axis=1)[:, :k]
    return np.take_along_axis(idx, order, axis=1), np.take_along_axis(val, order, axis=1)


def topk_dense(
    queries: np.ndarray, corpus: np.ndarray, k: int, *, memory_mb: float = 256.0, stats: bool = True
) -> TopK:
    """Exact top-``k`` inner products of each query row against ``corpus`` rows (cosine for unit vectors).

    Work is done in float32 blocks: a block of query rows times a block of corpus rows, whose scores (4
    bytes) and partition indices (8 bytes) fit in ``memory_mb``. Nothing of size n x m is kept.
    ``stats=False`` skips the per-query mean and standard deviation.
    """
    q = _as_matrix(queries, "queries")
    c = _as_matrix(corpus, "corpus")
    if q.shape[1] != c.shape[1]:
        raise HarmonizationError(f"query dim {q.shape[1]} != corpus dim {c.shape[1]}", code="E411")
    if k < 1:
        raise HarmonizationError("k must be at least 1", code="E407")
    n, m = q.shape[0], c.shape[0]
    kk = min(k, m)
    indices = np.full((n, k), -1, dtype=np.int64)
    scores = np.full((n, k), -np.inf, dtype=np.float32)
    mean = np.zeros(n, dtype=np.float32)
    std = np.zeros(n, dtype=np.float32)
    if n == 0 or m == 0:
        return TopK(indices, scores, mean, std)
    budget = max(int(memory_mb * 2**20) // 12, 1)  # elements: float32 score + int64 partition index
    col_block = min(m, max(budget // 64, kk))
    row_block = max(1, min(n, budget // col_block))
    for r0 in range(0, n, row_block):
        qb = q[r0 : r0 + row_block]
        best: tuple[np.ndarray, np.ndarray] | None = None
        total = np.zeros(qb.shape[0], dtype=np.float64)
        total_sq = np.zeros(qb.shape[0], dtype=np.float64)
        for c0 in range(0, m, col_block):
            block = qb @ c[c0 : c0 + col_block].T
            if stats:
                total += block.sum(axis=1, dtype=np.float64)
                total_sq += np.einsum("ij,ij->i", block, block, dtype=np.float64)
            found = _select_topk(block, c0, kk)
            best = found if best is None else _merge(best, found, kk)
        assert best is not None
        indices[r0 : r0 + qb.shape[0], :kk] = best[0]
        scores[r0 : r0 + qb.shape[0], :kk] = best[1]
        mu = total / m
        mean[r0 : r0 + qb.shape[0]] = mu
        std[r0 : r0 + qb.shape[0]] = np.sqrt(np.maximum(total_sq / m - mu * mu, 1e-12))
    return TopK(indices, scores, mean, std)


def topk_bruteforce(queries: np.ndarray, corpus: np.ndarray, k: int) -> TopK:
    """The reference: one full float64 product and a stable sort. For tests and small inputs only."""
    full = np.asarray(queries, np.float64) @ np.asarray(corpus, np.float64).T
    order = np.argsort(-full, axis=1, kind="stable")[:, :k]
    return TopK(order.astype(np.int64), np.take_along_axis(full, order, 1).astype(np.float32))


# --- approximate: inverted file over spherical k-means ----------------------------------------------


def spherical_kmeans(
    vectors: np.ndarray, n_clusters: int, *, iterations: int = 12, seed: int = 0, memory_mb: float = 128.0
) -> np.ndarray:
    """Unit-norm centroids of ``vectors`` (cosine k-means, k-means++-style seeding on a sample)."""
    x = _as_matrix(vectors, "vectors")
    rng = np.random.default_rng(seed)
    n_clusters = max(1, min(n_clusters, x.shape[0]))
    centroids = x[rng.choice(x.shape[0], n_clusters, replace=False)].copy()
    for _ in range(iterations):
        assign = topk_dense(x, centroids, 1, memory_mb=memory_mb, stats=False).indices[:, 0]
        order = np.argsort(assign, kind="stable")
        counts = np.bincount(assign, minlength=n_clusters)
        sums = np.zeros_like(centroids)
        present = np.flatnonzero(counts)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])[present]
        sums[present] = np.add.reduceat(x[order], starts, axis=0)
        empty = counts == 0
        if empty.any():  # re-seed empty clusters on random points
            sums[empty] = x[rng.choice(x.shape[0], int(empty.sum()), replace=False)]
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        centroids = (sums / np.maximum(norms, 1e-12)).astype(np.float32)
    return centroids


class IVFIndex:
    """Approximate top-k by cosine: vectors grouped by nearest k-means centroid; a query scans the
    ``n_probe`` groups whose centroids are closest. Recall rises with ``n_probe`` (``n_probe = n_lists``
    is exact); the default probes 1/16 of the ``4 sqrt(N)`` lists, which measured recall@10 0.9 or more
    on real E5 vectors (``bench/retrieve_scale.py``). The index keeps its own list-ordered copy of the
    vectors."""

    def __init__(
        self,
        vectors: np.ndarray,
        *,
        n_lists: int | None = None,
        n_probe: int | None = None,
        seed: int = 0,
        train_size: int = 100_000,
        memory_mb: float = 256.0,
    ) -> None:
        x = _as_matrix(vectors, "vectors")
        self.size, self.dim = x.shape
        self.n_lists = n_lists or max(1, int(4 * math.sqrt(self.size)))
        self.memory_mb = memory_mb
        rng = np.random.default_rng(seed)
        sample = (
            x if self.size <= train_size else x[np.sort(rng.choice(self.size, train_size, replace=False))]
        )
        self.centroids = spherical_kmeans(sample, self.n_lists, seed=seed)
        self.n_lists = self.centroids.shape[0]
        self.n_probe = n_probe or max(8, self.n_lists // 16)
        assign = topk_dense(x, self.centroids, 1, memory_mb=memory_mb, stats=False).indices[:, 0]
        self.ids = np.argsort(assign, kind="stable").astype(np.int64)
        self.vectors = x[self.ids]
        self.offsets = np.concatenate([[0], np.cumsum(np.bincount(assign, minlength=self.n_lists))])

    def search(self, queries: np.ndarray, k: int, n_probe: int | None = None) -> TopK:
        """Approximate top-``k`` for each query row (same result layout as `topk_dense`).

        Each probed list is scored once for all the queries that probe it (one matrix product on a
        contiguous slice); the scores land in one flat buffer where each query owns a segment.
        """
        q = _as_matrix(queries, "queries")
        probe = min(n_probe or self.n_probe, self.n_lists)
        lists = topk_dense(q, self.centroids, probe, memory_mb=self.memory_mb, stats=False).indices
        n = q.shape[0]
        sizes = np.diff(self.offsets)[lists]  # (n, probe) members of each probed list
        seg_end = np.cumsum(sizes.ravel()).reshape(n, probe)
        seg_start = seg_end - sizes
        flat_scores = np.empty(int(seg_end[-1, -1]) if n else 0, dtype=np.float32)
        flat_ids = np.empty(flat_scores.shape[0], dtype=np.int64)
        order = np.argsort(lists.ravel(), kind="stable")
        bounds = np.searchsorted(lists.ravel()[order], np.arange(self.n_lists + 1))
        for lst in range(self.n_lists):
            slots = order[bounds[lst] : bounds[lst + 1]]  # flat (query, probe) slots that probe lst
            lo, hi = self.offsets[lst], self.offsets[lst + 1]
            if slots.size == 0 or hi == lo:
                continue
            block = q[slots // probe] @ self.vectors[lo:hi].T
            for row, start in zip(block, seg_start.ravel()[slots].tolist()):
                flat_scores[start : start + hi - lo] = row
                flat_ids[start : start + hi - lo] = self.ids[lo:hi]
        indices = np.full((n, k), -1, dtype=np.int64)
        scores = np.full((n, k), -np.inf, dtype=np.float32)
        for i in range(n):
            lo, hi = int(seg_start[i, 0]), int(seg_end[i, -1])
            if hi == lo:
                continue
            found, vals = _select_topk(flat_scores[None, lo:hi], 0, k)
            got = found.shape[1]
            indices[i, :got] = flat_ids[lo:hi][found[0]]
            scores[i, :got] = vals[0]
        return TopK(indices, scores)


class VectorIndex:
    """Top-k search over a fixed set of unit vectors: exact below ``ann_threshold`` vectors, IVF above."""

    def __init__(
        self, vectors: np.ndarray, *, ann_threshold: int = 500_000, memory_mb: float = 256.0
    ) -> None:
        self.vectors = _as_matrix(vectors, "vectors")
        self.memory_mb = memory_mb
        self.ivf = IVFIndex(self.vectors, memory_mb=memory_mb) if len(self.vectors) > ann_threshold else None

    @property
    def exact(self) -> bool:
        """True when searches scan every vector."""
        return self.ivf is None

    def search(self, queries: np.ndarray, k: int) -> TopK:
        """Top-``k`` of each query row."""
        if self.ivf is not None:
            return self.ivf.search(queries, k)
        return topk_dense(queries, self.vectors, k, memory_mb=self.memory_mb)


# --- hybrid fusion -----------------------------------------------------------------------------------

FUSIONS = ("linear", "rrf", "dense", "lexical")


@dataclass(frozen=True, slots=True)
class Candidates:
    """Fused candidates per query: ``indices`` (n, k) (-1 = none), ``score`` the fused score,
    ``dense`` the cosine, ``dense_z`` and ``lexical_z`` the per-query standardised dense and BM25 scores,
    ``lexical`` the raw BM25 score. All (n, k), best first."""

    indices: np.ndarray
    score: np.ndarray
    dense: np.ndarray
    dense_z: np.ndarray
    lexical: np.ndarray
    lexical_z: np.ndarray


def shrink_rows(
    mean: np.ndarray, std: np.ndarray, count: int, background: tuple[float, float], weight: float = 20.0
) -> tuple[np.ndarray, np.ndarray]:
    """`shrink_stats` for many rows at once (arrays of row means and standard deviations)."""
    mu0, sd0 = background
    mu = (count * mean + weight * mu0) / (count + weight)
    var = (count * (std**2 + (mean - mu) ** 2) + weight * (sd0**2 + (mu0 - mu) ** 2)) / (count + weight)
    return mu, np.sqrt(np.maximum(var, 1e-12))


def shrink_stats(
    mean: float, std: float, count: int, background: tuple[float, float], weight: float = 20.0
) -> tuple[float, float]:
    """Pool a row's similarity mean and standard deviation over ``count`` targets with the encoder's
    ``background`` (mean, std) counted as ``weight`` targets. Large sets keep their own statistics;
    a set of three targets, whose own spread says nothing, is standardised against the background."""
    mu, sd = shrink_rows(np.array([mean]), np.array([std]), count, background, weight)
    return float(mu[0]), float(sd[0])


def hybrid_candidates(
    query_vectors: np.ndarray,
    index: VectorIndex,
    query_tokens: list[list[str]],
    lexical: BM25Index,
    k: int,
    *,
    fusion: str = "linear",
    lexical_weight: float | np.ndarray = 0.3,
    pool: int = 100,
    rrf_k: int = 60,
    root_of: np.ndarray | None = None,
    background: tuple[float, float] | None = None,
    dense_rows: Callable[[int], np.ndarray] | None = None,
    keep_pool: bool = False,
) -> Candidates:
    """Top-``k`` targets for each query, fusing dense and BM25 evidence.

    Both retrievers propose ``pool`` candidates; the union is rescored by both. ``linear`` fusion ranks by
    ``(1 - w) * dense_z + w * lexical_z`` where each score is standardised over all targets for that query
    (so it is comparable across queries); ``w`` is ``lexical_weight``, per query if an array (lower it
    when the two sides are in different languages). ``rrf`` ranks by ``sum 1 / (rrf_k + rank)``.
    ``root_of`` (target index -> index of its top ancestor) adds each candidate's root to the union, so
    `rollup` can score every root on its own text. ``background`` (the encoder's typical mean and
    standard deviation of similarity between unrelated texts) steadies the dense standardisation of
    small target sets (see `shrink_stats`). ``dense_rows(i)``, when given, returns query ``i``'s dense
    score against every target (for example cosine blended with the best sentence and corrected for
    hubness, see `hubness`); it then replaces the index for the dense side, pool and statistics included.
    ``keep_pool`` keeps every candidate of the pool, ranked, not only the top ``k`` (for
    `siblings_raised`, which re-ranks them).
    """
    if fusion not in FUSIONS:
        raise HarmonizationError(
            f"unknown fusion {fusion!r}; choose one of: {', '.join(FUSIONS)}", code="E430"
        )
    qv = _as_matrix(query_vectors, "query vectors")
    n, m = qv.shape[0], index.vectors.shape[0]
    pool = max(1, min(max(pool, k), m))
    dense_top = index.search(qv, pool) if dense_rows is None else None
    weights = np.broadcast_to(np.asarray(lexical_weight, dtype=np.float32), (n,))
    wide = root_of is not None or keep_pool
    width = m if wide else k  # with roots, keep every candidate for `rollup`
    out = {
        name: np.full((n, width), np.nan, dtype=np.float32) for name in ("score", "dense", "dz", "lex", "lz")
    }
    out_idx = np.full((n, width), -1, dtype=np.int64)
    for i in range(n):
        lex_row = lexical.scores(query_tokens[i])
        lex_top = _top_ids(lex_row, pool)
        if dense_top is None:
            assert dense_rows is not None
            row = np.asarray(dense_rows(i), dtype=np.float32)
            cand = _candidate_ids(_top_ids(row, pool), lex_row, lex_top, root_of)
            d, d_mu, d_sd = row[cand], float(row.mean()), float(row.std()) or 1.0
        else:
            cand = _candidate_ids(dense_top.indices[i][dense_top.indices[i] >= 0], lex_row, lex_top, root_of)
            d = index.vectors[cand] @ qv[i]
            if dense_top.mean is not None and dense_top.std is not None:
                d_mu, d_sd = float(dense_top.mean[i]), float(dense_top.std[i]) or 1.0
            else:  # approximate index: estimate the row's spread from the candidates
                d_mu, d_sd = float(d.mean()), float(d.std()) or 1.0
        if background is not None:
            d_mu, d_sd = shrink_stats(d_mu, d_sd, m, background)
        dz = (d - d_mu) / d_sd
        lz = (lex_row[cand] - float(lex_row.mean())) / (float(lex_row.std()) or 1.0)
        fused = _fused(fusion, dz, lz, float(weights[i]), cand, d, lex_row[cand], rrf_k)
        order = np.lexsort((cand, -fused))[: len(cand) if wide else min(k, m)]
        got = len(order)
        out_idx[i, :got] = cand[order]
        for name, values in (("score", fused), ("dense", d), ("dz", dz), ("lex", lex_row[cand]), ("lz", lz)):
            out[name][i, :got] = values[order]
    return Candidates(out_idx, out["score"], out["dense"], out["dz"], out["lex"], out["lz"])


def _top_ids(row: np.ndarray, pool: int) -> np.ndarray:
    """The ``pool`` best entries of ``row`` (unordered; every entry when the row is no longer)."""
    return np.argpartition(-row, pool - 1)[:pool] if pool < len(row) else np.arange(len(row))


def _candidate_ids(
    dense_ids: np.ndarray, lex_row: np.ndarray, lex_top: np.ndarray, root_of: np.ndarray | None
) -> np.ndarray:
    """The union of the dense pool and the BM25 pool's scoring targets, with their roots when given."""
    cand = np.union1d(dense_ids, lex_top[lex_row[lex_top] > 0])
    return np.union1d(cand, root_of[cand]) if root_of is not None else cand


def _fused(
    fusion: str,
    dz: np.ndarray,
    lz: np.ndarray,
    weight: float,
    cand: np.ndarray,
    dense: np.ndarray,
    lex: np.ndarray,
    rrf_k: int,
) -> np.ndarray:
    """One query's fused scores over its candidates ``cand`` by the named fusion (see `FUSIONS`)."""
    if fusion == "linear":
        return (1 - weight) * dz + weight * lz
    if fusion == "dense":
        return dz
    if fusion == "lexical":
        return lz
    d_rank = np.argsort(np.lexsort((cand, -dense))) + 1
    l_rank = np.argsort(np.lexsort((cand, -lex))) + 1
    return 1.0 / (rrf_k + d_rank) + 1.0 / (rrf_k + l_rank)


def rollup(c: Candidates, root_of: np.ndarray, k: int, child_weight: float = 0.5) -> Candidates:
    """Fold candidates into their root provisions and keep the top ``k`` roots per query.

    A root's score is ``(own + child_weight * best) / (1 + child_weight)``, where ``own`` is its own fused
    score and ``best`` the best fused score in its subtree (itself included): a catalogue's control is
    found through its enhancements, and a statute's section through its subsections. The other columns
    are the root's own. Use with `hybrid_candidates(..., root_of=root_of)`, which scores every root.
    """
    n = c.indices.shape[0]
    out_idx = np.full((n, k), -1, dtype=np.int64)
    cols = {name: np.full((n, k), np.nan, dtype=np.float32) for name in ("score", "dense", "dz", "lex", "lz")}
    for i in range(n):
        valid = c.indices[i] >= 0
        idx, score = c.indices[i][valid], c.score[i][valid]
        roots = root_of[idx]
        own = {int(j): p for p, j in enumerate(idx) if root_of[j] == j}
        best: dict[int, float] = {}
        for r, s in zip(roots.tolist(), score.tolist()):
            best[r] = max(best.get(r, -np.inf), s)
        scored = sorted(
            (
                (float((score[own[r]] + child_weight * b) / (1 + child_weight)), r)
                for r, b in best.items()
                if r in own
            ),
            key=lambda t: (-t[0], t[1]),
        )[:k]
        for col, (s, r) in enumerate(scored):
            p = own[r]
            out_idx[i, col] = r
            cols["score"][i, col] = s
            cols["dense"][i, col] = c.dense[i, valid][p]
            cols["dz"][i, col] = c.dense_z[i, valid][p]
            cols["lex"][i, col] = c.lexical[i, valid][p]
            cols["lz"][i, col] = c.lexical_z[i, valid][p]
    return Candidates(out_idx, cols["score"], cols["dense"], cols["dz"], cols["lex"], cols["lz"])


def siblings_raised(c: Candidates, groups: np.ndarray, weight: float, k: int) -> Candidates:
    """Each query's candidates re-ranked by `sibling_boost` (``groups[j]``: target ``j``'s group, -1 for
    none), keeping the top ``k``. Siblings count only among a query's candidates, which is where any
    sibling worth counting is (a pool of the best by meaning and by words). The other columns are the
    target's own."""
    n = c.indices.shape[0]
    out_idx = np.full((n, k), -1, dtype=np.int64)
    cols = {name: np.full((n, k), np.nan, dtype=np.float32) for name in ("score", "dense", "dz", "lex", "lz")}
    g = np.asarray(groups, dtype=np.int64)
    for i in range(n):
        valid = np.flatnonzero(c.indices[i] >= 0)
        idx = c.indices[i, valid]
        raised = sibling_boost(c.score[i, valid], g[idx], weight)
        order = np.lexsort((idx, -raised))[:k]
        got = len(order)
        out_idx[i, :got] = idx[order]
        cols["score"][i, :got] = raised[order]
        for name, src in (("dense", c.dense), ("dz", c.dense_z), ("lex", c.lexical), ("lz", c.lexical_z)):
            cols[name][i, :got] = src[i, valid][order]
    return Candidates(out_idx, cols["score"], cols["dense"], cols["dz"], cols["lex"], cols["lz"])


# --- corrections that adapt to the pair of documents ---------------------------------------------------


def hubness(corpus: np.ndarray, queries: np.ndarray, k: int = 10, *, memory_mb: float = 256.0) -> np.ndarray:
    """Each corpus vector's mean cosine to its ``k`` nearest queries: the *r* of cross-domain similarity
    local scaling (CSLS, Conneau et al. 2018). A "hub" is near everything; subtracting part of this from
    its scores stops it from being every query's nearest neighbour, which matters most across languages."""
    c = _as_matrix(corpus, "corpus")
    q = _as_matrix(queries, "queries")
    if len(c) == 0 or len(q) == 0:
        return np.zeros(len(c), dtype=np.float32)
    found = topk_dense(c, q, min(k, len(q)), memory_mb=memory_mb, stats=False)
    return found.scores.mean(axis=1).astype(np.float32)


# --- families: a target is likelier relevant when its siblings are ------------------------------------


def sibling_boost(scores: np.ndarray, groups: np.ndarray, weight: float, top: int = 2) -> np.ndarray:
    """``scores`` (one row of fused scores, or a matrix whose rows share ``groups``) raised by the
    evidence of each target's siblings: ``score(j) + weight * S(j) / top``, where ``S(j)`` is the sum of
    the best ``top`` scores among the other members of ``j``'s group, each clipped at 0 (a sibling that
    scores below the average says nothing for or against).

    Gold sets of framework crosswalks are clusters: a subcategory maps onto several controls of one
    family, a safeguard onto several subcategories of one category. A control whose family-mates also
    score well is likelier one of them than an equally scored stray. ``groups[j]`` is target ``j``'s group
    (its parent in the document's structure, see `harmonize.target_groups`), -1 for none; a target with
    no group, or alone in it, is left as it is. Non-finite scores (masked targets) are neither raised nor
    counted as siblings. ``weight`` 0 returns the scores unchanged.
    """
    s = np.asarray(scores, dtype=np.float32)
    if weight <= 0 or s.size == 0:
        return s.copy()
    rows = s.reshape(-1, s.shape[-1])
    g = np.asarray(groups, dtype=np.int64)
    if g.shape != (rows.shape[1],):
        raise HarmonizationError(
            f"groups must give one group per target ({rows.shape[1]}), got shape {g.shape}", code="E411"
        )
    out = rows.copy()
    finite = np.isfinite(rows)
    clipped = np.where(finite, np.maximum(rows, 0.0), 0.0)
    for group in np.unique(g[g >= 0]).tolist():
        members = np.flatnonzero(g == group)
        if len(members) < 2:
            continue
        vals = clipped[:, members]  # (n, size)
        order = np.argsort(-vals, axis=1, kind="stable")
        ranked = np.take_along_axis(vals, order, axis=1)
        head = ranked[:, : top + 1].sum(axis=1, keepdims=True)  # the best top+1 of the group
        best = ranked[:, :top].sum(axis=1, keepdims=True)
        position = np.argsort(order, axis=1)  # each member's place in its row's order
        siblings = np.where(position <= top, head - vals, best)  # own score never counts for itself
        raised = rows[:, members] + weight * siblings / top
        out[:, members] = np.where(finite[:, members], raised, rows[:, members])
    return out.reshape(s.shape)
