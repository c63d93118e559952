"""The benchmark's learned weighting of the encoder's dimensions: its gradient is the loss's, and fitting
it moves weight onto the dimensions that tell gold from the rest (``bench/harmonize_adapter.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture()
def adapter(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import harmonize_adapter

    yield harmonize_adapter
    for name in ("harmonize_adapter", "harmonize_diversity", "harmonize_retrieval_variants"):
        sys.modules.pop(name, None)


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_the_gradient_is_the_loss_s(adapter) -> None:
    rng = np.random.default_rng(1)
    src, tgt = _unit(rng.standard_normal((7, 12))), _unit(rng.standard_normal((9, 12)))
    gold = (rng.random((7, 9)) < 0.25).astype(float)
    gold[:, 0] = 1
    theta = rng.standard_normal(12) * 0.3
    _, grad = adapter.loss_and_gradient(theta, src, tgt, gold, 0.1)
    step = 1e-6
    numeric = [
        (
            adapter.loss_and_gradient(theta + e, src, tgt, gold, 0.1)[0]
            - adapter.loss_and_gradient(theta - e, src, tgt, gold, 0.1)[0]
        )
        / (2 * step)
        for e in np.eye(12) * step
    ]
    assert np.allclose(grad, numeric, atol=1e-6)


def test_fitting_weighs_the_dimension_that_tells_gold_apart(adapter) -> None:
    """Dimension 0 says which target is gold; dimensions 1-3 are loud noise shared by every pair."""
    rng = np.random.default_rng(0)
    n = 40
    signal = rng.standard_normal(n)
    tgt = np.column_stack([signal, rng.standard_normal((n, 3)) * 3])
    src = np.column_stack([signal + rng.standard_normal(n) * 0.1, rng.standard_normal((n, 3)) * 3])
    src, tgt = _unit(src), _unit(tgt)
    gold = np.eye(n)
    before = adapter.plain_measures(None, src, tgt, gold, None)
    theta = adapter.fit_weights(src, tgt, gold, 0.001)
    after = adapter.plain_measures(theta, src, tgt, gold, None)
    assert theta[0] > theta[1:].max()
    assert after[0] > before[0] + 0.1
    # no weighting is the encoder as it is
    assert adapter.plain_measures(np.zeros(4), src, tgt, gold, None) == pytest.approx(before)
