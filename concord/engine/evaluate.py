"""Metrics for mappings against a gold standard: retrieval, pairwise decisions, types and calibration.

- **Retrieval** (per source that has gold links): Recall@k = share of its gold targets in its top k,
  MRR = 1 / rank of the first gold target (0 if none is listed), MAP = mean average precision.
- **Pairwise** at the engine's own threshold (the ``suggested`` flag, or ``confidence >= threshold``):
  precision, recall and F1 of the suggested pairs against the gold pairs.
- **Types** (gold pairs that have a relationship and were typed): macro-F1 over the gold classes, per-class
  scores and a confusion matrix (rows gold, columns predicted; predicted classes absent from gold, such as
  ``intersects-with``, appear as columns and count as errors).
- **Calibration**: expected calibration error (ECE, 10 equal-width bins) and a reliability table, for
  ``link_confidence`` against "the pair is a gold link" and, when gold is typed, ``confidence`` against
  "the pair is a gold link of that type".

`EvaluationReport.primary_metric` names the headline number (MRR).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .formats import GoldLink, normalise_relationship


@dataclass(frozen=True, slots=True)
class RetrievalMetrics:
    """Recall@k per k, MRR and MAP over ``queries`` sources with at least one gold link."""

    recall: dict[int, float]
    mrr: float
    map: float
    queries: int


@dataclass(frozen=True, slots=True)
class PairMetrics:
    """Precision, recall and F1 of the suggested pairs."""

    precision: float
    recall: float
    f1: float
    predicted: int
    gold: int
    threshold: float


@dataclass(frozen=True, slots=True)
class TypeMetrics:
    """Relationship typing on gold pairs that were typed: macro-F1 over ``labels`` (the gold classes)."""

    macro_f1: float
    accuracy: float
    per_class: dict[str, dict[str, float]]
    confusion: dict[str, dict[str, int]]
    labels: list[str]
    pairs: int


@dataclass(frozen=True, slots=True)
class Calibration:
    """ECE, Brier score and the reliability table (bin low, bin high, count, mean confidence, accuracy)."""

    ece: float
    brier: float
    bins: list[tuple[float, float, int, float, float]]
    samples: int


@dataclass
class EvaluationReport:
    """All metrics of one evaluation; ``primary`` is the value of ``primary_metric``."""

    retrieval: RetrievalMetrics
    pairs: PairMetrics
    link_calibration: Calibration
    types: TypeMetrics | None = None
    typed_calibration: Calibration | None = None
    primary_metric: str = "mrr"
    notes: list[str] = field(default_factory=list)

    @property
    def primary(self) -> float:
        """The headline metric's value."""
        return self.retrieval.mrr

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self) | {"primary": self.primary}


def ranked_lists(mappings: Sequence[dict[str, Any]]) -> dict[str, list[str]]:
    """Targets per source in rank order (by ``rank``, else by descending ``score``, then target id)."""
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in mappings:
        by_source[m["source_id"]].append(m)
    out = {}
    for sid, rows in by_source.items():
        rows.sort(key=lambda r: (r.get("rank", 0) or 0, -float(r.get("score", 0) or 0), r["target_id"]))
        seen: dict[str, None] = {}
        for r in rows:
            seen.setdefault(r["target_id"], None)
        out[sid] = list(seen)
    return out


def retrieval_metrics(
    ranked: dict[str, list[str]], gold: dict[str, set[str]], ks: Sequence[int] = (1, 5, 10)
) -> RetrievalMetrics:
    """Recall@k, MRR and MAP of ``ranked`` target lists against ``gold`` (sources without gold skipped)."""
    recalls: dict[int, list[float]] = {k: [] for k in ks}
    rr: list[float] = []
    aps: list[float] = []
    for sid in sorted(gold):
        relevant = gold[sid]
        if not relevant:
            continue
        ranking = ranked.get(sid, [])
        for k in ks:
            recalls[k].append(len(relevant & set(ranking[:k])) / len(relevant))
        hits = [i for i, t in enumerate(ranking) if t in relevant]
        rr.append(1.0 / (hits[0] + 1) if hits else 0.0)
        aps.append(sum((n + 1) / (i + 1) for n, i in enumerate(hits)) / len(relevant))
    return RetrievalMetrics(
        {k: float(np.mean(v)) if v else 0.0 for k, v in recalls.items()},
        float(np.mean(rr)) if rr else 0.0, float(np.mean(aps)) if aps else 0.0, len(rr),
    )  # fmt: skip


def macro_f1(
    y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] | None = None
) -> TypeMetrics:
    """Macro-F1 over ``labels`` (default: the classes in ``y_true``), per-class scores, confusion matrix."""
    labels = sorted(set(y_true)) if labels is None else list(labels)
    columns = sorted(set(labels) | set(y_pred), key=lambda c: (c not in labels, c))
    confusion = {t: {p: 0 for p in columns} for t in labels}
    for t, p in zip(y_true, y_pred):
        if t in confusion:
            confusion[t][p] += 1
    per_class = {}
    for c in labels:
        tp = confusion[c][c]
        predicted = sum(confusion[t].get(c, 0) for t in labels)
        actual = sum(confusion[c].values())
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[c] = {"precision": precision, "recall": recall, "f1": f1, "support": float(actual)}
    n = len(y_true)
    accuracy = sum(t == p for t, p in zip(y_true, y_pred)) / n if n else 0.0
    macro = float(np.mean([per_class[c]["f1"] for c in labels])) if labels else 0.0
    return TypeMetrics(macro, accuracy, per_class, confusion, list(labels), n)


def expected_calibration_error(
    confidence: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> Calibration:
    """ECE with ``bins`` equal-width bins: sum over bins of (share of samples) x |accuracy - mean conf|."""
    conf = np.clip(np.asarray(confidence, dtype=np.float64), 0.0, 1.0)
    ok = np.asarray(correct, dtype=np.float64)
    n = len(conf)
    if n == 0:
        return Calibration(0.0, 0.0, [], 0)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.minimum(np.digitize(conf, edges[1:-1], right=True), bins - 1)
    table = []
    ece = 0.0
    for b in range(bins):
        mask = which == b
        count = int(mask.sum())
        if count:
            mean_conf, acc = float(conf[mask].mean()), float(ok[mask].mean())
            ece += count / n * abs(acc - mean_conf)
            table.append((float(edges[b]), float(edges[b + 1]), count, mean_conf, acc))
    return Calibration(float(ece), float(np.mean((conf - ok) ** 2)), table, n)


def evaluate_mappings(
    mappings: Sequence[dict[str, Any]],
    gold: Sequence[GoldLink],
    *,
    ks: Sequence[int] = (1, 5, 10),
    threshold: float = 0.3,
) -> EvaluationReport:
    """Evaluate mapping rows (``concord harmonize``/``relate`` output) against gold links."""
    gold_by_source: dict[str, set[str]] = defaultdict(set)
    gold_type: dict[tuple[str, str], str | None] = {}
    for link in gold:
        gold_by_source[link.a_id].add(link.b_id)
        gold_type[(link.a_id, link.b_id)] = link.relationship
    retrieval = retrieval_metrics(ranked_lists(mappings), gold_by_source, ks)

    def suggested(m: dict[str, Any]) -> bool:
        if "suggested" in m:
            return bool(m["suggested"])
        return float(m.get("link_confidence", m.get("confidence", 0.0)) or 0.0) >= threshold

    predicted = {(m["source_id"], m["target_id"]) for m in mappings if suggested(m)}
    gold_pairs = set(gold_type)
    tp = len(predicted & gold_pairs)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(gold_pairs) if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    pairs = PairMetrics(precision, recall, f1, len(predicted), len(gold_pairs), threshold)

    link_conf = [float(m.get("link_confidence", m.get("confidence", 0.0)) or 0.0) for m in mappings]
    link_ok = [(m["source_id"], m["target_id"]) in gold_pairs for m in mappings]
    report = EvaluationReport(retrieval, pairs, expected_calibration_error(link_conf, link_ok))

    typed_gold = {k: v for k, v in gold_type.items() if v}
    if typed_gold:
        y_true, y_pred = [], []
        conf, ok = [], []
        for m in mappings:
            key = (m["source_id"], m["target_id"])
            predicted_type = normalise_relationship(m.get("relationship")) or "no-relationship"
            conf.append(float(m.get("confidence", 0.0) or 0.0))
            ok.append(typed_gold.get(key) == predicted_type)
            if key in typed_gold:
                y_true.append(str(typed_gold[key]))
                y_pred.append(predicted_type)
        report.types = macro_f1(y_true, y_pred, sorted(set(typed_gold.values()), key=str))
        report.typed_calibration = expected_calibration_error(conf, ok)
        missing = len(typed_gold) - len(y_true)
        if missing:
            report.notes.append(
                f"{missing} typed gold pairs have no mapping line and are not in the type metrics"
            )
    return report


def format_report(report: EvaluationReport) -> str:
    """The report as plain-text tables."""
    r, p = report.retrieval, report.pairs
    lines = [f"retrieval over {r.queries} sources with gold links"]
    lines += [f"  Recall@{k:<3} {v:.4f}" for k, v in r.recall.items()]
    lines += [f"  MRR        {r.mrr:.4f}", f"  MAP        {r.map:.4f}", ""]
    lines += [
        f"pairs at the engine's threshold ({p.predicted} suggested, {p.gold} gold)",
        f"  precision  {p.precision:.4f}",
        f"  recall     {p.recall:.4f}",
        f"  F1         {p.f1:.4f}",
        "",
    ]
    lines += _calibration_lines("link calibration (link_confidence vs gold pair)", report.link_calibration)
    if report.types:
        t = report.types
        lines += [
            "",
            f"relationship types over {t.pairs} typed gold pairs: macro-F1 {t.macro_f1:.4f}, "
            f"accuracy {t.accuracy:.4f}",
        ]
        for c in t.labels:
            s = t.per_class[c]
            scores = f"P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
            lines.append(f"  {c:<16} {scores}  n {int(s['support'])}")
        cols = list(next(iter(t.confusion.values())).keys()) if t.confusion else []
        lines.append("  confusion (rows gold, columns predicted)")
        lines.append("  " + " " * 16 + "".join(f"{c[:14]:>16}" for c in cols))
        for g, row in t.confusion.items():
            lines.append(f"  {g:<16}" + "".join(f"{row[c]:>16}" for c in cols))
    if report.typed_calibration:
        lines += [""] + _calibration_lines(
            "typed calibration (confidence vs gold pair and type)", report.typed_calibration
        )
    lines += [f"note: {n}" for n in report.notes]
    return "\n".join(lines)


def _calibration_lines(title: str, cal: Calibration) -> list[str]:
    lines = [
        f"{title}: ECE {cal.ece:.4f}, Brier {cal.brier:.4f}, n {cal.samples}",
        "  bin          n     mean conf  accuracy",
    ]
    lines += [f"  {lo:.1f}-{hi:.1f}  {n:>6}  {c:>10.3f}  {a:>8.3f}" for lo, hi, n, c, a in cal.bins]
    return lines
