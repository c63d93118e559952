"""How dense and lexical evidence are combined for one pair of documents, and the fitted settings for it.

The same constant weight cannot serve every pair of documents. Two English catalogues share most of their
words, and BM25 is a strong second opinion there; English and Urdu share almost none, and any weight given
to word overlap is noise; English and Malay bills share numbers and names, which help inside one bill and
mislead across many. So the weight of word overlap is decided per run, from the documents themselves:

1. the **dense score** of a query against each target: cosine with the whole target text, blended with
   its best sentence (``sentence_weight``), less a share (``hub_weight``) of the target's *hubness* (its
   mean cosine to its nearest queries; CSLS), which stops a generic target being everyone's neighbour;
2. the **pseudo-links**: pairs that are each other's nearest neighbour by that dense score;
3. the **agreement** of BM25 with them: the mean reciprocal rank BM25 gives the pseudo-links;
4. the **lexical weight**: ``lexical_max`` scaled by where the agreement falls between ``agree_low`` and
   ``agree_high`` (0 below, ``lexical_max`` above).

Nothing here reads gold links. The numbers are fitted by ``bench/harmonize.py fit`` on the development
sets (held-out measures in the provenance) and shipped in ``fusion_params.json``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

PARAMS_PATH = Path(__file__).with_name("fusion_params.json")


@dataclass(frozen=True, slots=True)
class FusionParams:
    """The settings of `plan_fusion` and `dense_scores` (see the module docstring)."""

    hub_weight: float = 0.5
    hub_k: int = 10
    sentence_weight: float = 0.0
    lexical_max: float = 0.3
    agree_low: float = 0.3
    agree_high: float = 0.8
    provenance: dict[str, Any] = field(default_factory=dict, compare=False)

    def lexical_weight(self, agreement: float) -> float:
        """The weight of word overlap for a pair of documents whose BM25 agrees ``agreement`` (an MRR)."""
        if self.agree_high <= self.agree_low:
            return self.lexical_max if agreement >= self.agree_high else 0.0
        share = (agreement - self.agree_low) / (self.agree_high - self.agree_low)
        return float(self.lexical_max * min(max(share, 0.0), 1.0))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FusionParams:
        """Rebuild from `to_dict` output (unknown keys are ignored)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, path: str | Path = PARAMS_PATH) -> None:
        """Write the parameters as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1, sort_keys=True) + "\n", encoding="utf-8")


_LOADED: FusionParams | None = None


def load_fusion(path: str | Path | None = None) -> FusionParams:
    """The shipped fitted parameters (cached), or the documented defaults when the file is absent."""
    global _LOADED
    if path is not None:
        return FusionParams.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    if _LOADED is None:
        _LOADED = (
            FusionParams.from_dict(json.loads(PARAMS_PATH.read_text(encoding="utf-8")))
            if PARAMS_PATH.exists()
            else FusionParams()
        )
    return _LOADED


def dense_scores(
    cosine: np.ndarray,
    params: FusionParams,
    *,
    best_sentence: np.ndarray | None = None,
    hub: np.ndarray | None = None,
) -> np.ndarray:
    """The dense score of one query (or a matrix of queries) against every target: cosine blended with
    the best sentence, less ``hub_weight`` times the targets' hubness (rows broadcast over targets)."""
    score: np.ndarray = np.asarray(cosine, dtype=np.float32)
    if best_sentence is not None and params.sentence_weight > 0:
        score = (1 - params.sentence_weight) * score + params.sentence_weight * best_sentence
    if hub is not None and params.hub_weight > 0:
        score = score - params.hub_weight * hub
    return score.astype(np.float32, copy=False)


def standardise(rows: np.ndarray) -> np.ndarray:
    """Each row as z-scores (a constant row becomes zeros)."""
    r = np.asarray(rows, dtype=np.float32)
    mu = r.mean(axis=-1, keepdims=True)
    sd = r.std(axis=-1, keepdims=True)
    sd[sd == 0] = 1.0
    return (r - mu) / sd


def hubness_of(cosine: np.ndarray, k: int) -> np.ndarray:
    """`retrieve.hubness` from a full (queries x targets) cosine matrix: each target's mean cosine to its
    ``k`` nearest queries."""
    c = np.asarray(cosine, dtype=np.float32)
    kk = min(k, c.shape[0])
    return np.sort(c, axis=0)[-kk:].mean(axis=0).astype(np.float32)


def plan_weight(dense: np.ndarray, lexical: np.ndarray, params: FusionParams) -> tuple[float, float, int]:
    """The lexical weight `harmonize` would plan from full (queries x targets) dense and BM25 matrices:
    (weight, agreement, pseudo-links)."""
    forward = dense.argmax(axis=1)
    backward = dense.argmax(axis=0)
    pairs = [(i, int(j)) for i, j in enumerate(forward.tolist()) if int(backward[j]) == i]
    if not pairs:
        return params.lexical_weight(0.0), 0.0, 0
    step = max(1, len(pairs) // 400)
    chosen = pairs[::step][:400]
    total = 0.0
    for i, j in chosen:
        row = lexical[i]
        if row[j] > 0:
            total += 1.0 / (1 + int((row > row[j]).sum()))
    mrr = total / len(chosen)
    return params.lexical_weight(mrr), mrr, len(pairs)


def fused_matrix(
    cosine: np.ndarray,
    lexical: np.ndarray,
    params: FusionParams,
    *,
    best_sentence: np.ndarray | None = None,
    background: tuple[float, float] | None = None,
    lexical_weight: float | None = None,
) -> tuple[np.ndarray, float]:
    """The fused score of every (query, target) pair as `harmonize` ranks them, from full matrices of
    cosine, best-sentence cosine and raw BM25 scores; and the lexical weight used. For evaluation and
    fitting on sets small enough to hold whole (the engine itself works a row at a time)."""
    hub = hubness_of(cosine, params.hub_k) if params.hub_weight > 0 and cosine.shape[0] > 1 else None
    dense = dense_scores(cosine, params, best_sentence=best_sentence, hub=hub)
    weight = lexical_weight if lexical_weight is not None else plan_weight(dense, lexical, params)[0]
    mu = dense.mean(axis=1, keepdims=True)
    sd = dense.std(axis=1, keepdims=True)
    sd[sd == 0] = 1.0
    if background is not None:  # `retrieve.shrink_stats`, for every row at once
        mu0 = background[0] - (params.hub_weight * float(hub.mean()) if hub is not None else 0.0)
        sd0, count, weight_bg = background[1], dense.shape[1], 20.0
        pooled_mu = (count * mu + weight_bg * mu0) / (count + weight_bg)
        var = (count * (sd**2 + (mu - pooled_mu) ** 2) + weight_bg * (sd0**2 + (mu0 - pooled_mu) ** 2)) / (
            count + weight_bg
        )
        mu, sd = pooled_mu, np.sqrt(np.maximum(var, 1e-12))
    dz = (dense - mu) / sd
    lz = standardise(lexical)
    return (1 - weight) * dz + weight * lz, weight
