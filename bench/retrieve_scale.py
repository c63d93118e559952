"""Scale benchmark of candidate retrieval: exact blocked top-k and the IVF index, with recall.

    .venv/bin/python bench/retrieve_scale.py [--corpus 300000] [--queries 2000]

1. Exact blocked top-10 of ``--queries`` synthetic unit vectors (384 dimensions, like E5) against a
   ``--corpus`` of them: time and peak traced memory, next to what one n x m float64 matrix would take.
2. The IVF index on the same vectors: build time, then recall@10 against the exact result and speed
   for several ``n_probe`` values. The synthetic vectors are noisy clusters of about 100 members each
   (``--noise`` 1.0 puts a point as far from its centre as the centre is from the origin), so true
   neighbours are often in other clusters.
3. The IVF index on the real E5 vectors (provisions and sentences) that ``bench/harmonize.py`` cached,
   when that cache exists: 500 held-out vectors as queries.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from concord.engine.retrieve import IVFIndex, topk_dense  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def clustered(rng: np.random.Generator, n: int, centres: np.ndarray, noise: float) -> np.ndarray:
    """Unit vectors scattered around random cluster centres, built in blocks to bound memory."""
    out = np.empty((n, centres.shape[1]), dtype=np.float32)
    scale = noise / np.sqrt(centres.shape[1])
    for start in range(0, n, 50_000):
        m = min(50_000, n - start)
        block = centres[rng.integers(0, len(centres), m)]
        block = block + scale * rng.standard_normal(block.shape, dtype=np.float32)
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def ivf_table(index: IVFIndex, queries: np.ndarray, exact: np.ndarray, exact_seconds: float) -> None:
    """Recall@10 against ``exact`` and speed for several n_probe values."""
    print(f"{'n_probe':>8}{'recall@10':>11}{'time s':>10}{'queries/s':>12}{'vs exact':>10}")
    for probe in (1, 4, 8, 16, 32):
        start = time.perf_counter()
        got = index.search(queries, 10, n_probe=probe)
        t = time.perf_counter() - start
        recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got.indices, exact)])
        print(f"{probe:>8}{recall:>11.4f}{t:>10.2f}{len(queries) / t:>12.0f}{exact_seconds / t:>9.1f}x")


def real_vectors(path: Path) -> None:
    """IVF recall on the real E5 vectors cached by the harmonize benchmark."""
    if not path.exists():
        print(f"\n(no cached E5 vectors at {path}: run bench/harmonize.py first for the real-vector table)")
        return
    rows = sqlite3.connect(str(path)).execute("SELECT vec FROM vectors WHERE dim = 384").fetchall()
    vectors = np.unique(np.stack([np.frombuffer(r[0], dtype=np.float32) for r in rows]), axis=0)
    pick = np.random.default_rng(1).permutation(len(vectors))
    queries, corpus = vectors[pick[:500]], vectors[pick[500:]]
    start = time.perf_counter()
    exact = topk_dense(queries, corpus, 10).indices
    seconds = time.perf_counter() - start
    index = IVFIndex(corpus)
    print(f"\n## IVF on real E5 vectors: {len(corpus):,} cached provisions and sentences, 500 held-out "
          f"queries, {index.n_lists} lists (exact: {seconds:.2f} s)")  # fmt: skip
    ivf_table(index, queries, exact, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--noise", type=float, default=1.0)
    parser.add_argument("--memory-mb", type=float, default=256.0)
    parser.add_argument("--real", default=str(OUT / "embeddings.sqlite"), help="cached E5 vectors (SQLite)")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((max(1, args.corpus // 100), args.dim), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    corpus = clustered(rng, args.corpus, centres, args.noise)
    queries = clustered(rng, args.queries, centres, args.noise)
    print(f"corpus {args.corpus:,} x {args.dim} float32 ({corpus.nbytes / 2**20:.0f} MiB) in "
          f"{len(centres):,} clusters, noise {args.noise}; {args.queries:,} queries; k = 10")  # fmt: skip

    tracemalloc.start()
    start = time.perf_counter()
    exact = topk_dense(queries, corpus, 10, memory_mb=args.memory_mb)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    full = args.queries * args.corpus * 8 / 2**20
    print(f"\n## exact blocked top-k (memory budget {args.memory_mb:.0f} MiB)")
    print(f"{'time s':>10}{'queries/s':>12}{'peak MiB':>10}{'one n x m float64 matrix, MiB':>32}")
    print(f"{seconds:>10.2f}{args.queries / seconds:>12.0f}{peak:>10.1f}{full:>32.0f}")

    tracemalloc.start()
    start = time.perf_counter()
    index = IVFIndex(corpus, memory_mb=args.memory_mb)
    build = time.perf_counter() - start
    build_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"\n## IVF (spherical k-means in numpy): {index.n_lists} lists, built in {build:.1f} s, "
          f"peak {build_peak:.0f} MiB with its own copy of the vectors")  # fmt: skip
    ivf_table(index, queries, exact.indices, seconds)
    real_vectors(Path(args.real))
    return 0


if __name__ == "__main__":
    sys.exit(main())
