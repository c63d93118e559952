"""Metrics computed by hand: Recall@k, MRR, MAP, pairwise F1, macro-F1 with a confusion matrix, ECE."""

from __future__ import annotations

import pytest

from concord.engine.evaluate import (
    evaluate_mappings,
    expected_calibration_error,
    format_report,
    macro_f1,
    ranked_lists,
    retrieval_metrics,
)
from concord.engine.formats import GoldLink


def test_retrieval_metrics_by_hand():
    ranked = {"q1": ["a", "b", "c"], "q2": ["x", "y"], "q3": []}
    gold = {"q1": {"b", "c"}, "q2": {"x"}, "q3": {"z"}, "q4": set()}
    m = retrieval_metrics(ranked, gold, ks=(1, 2))
    assert m.queries == 3
    assert m.recall[1] == pytest.approx((0 + 1 + 0) / 3)
    assert m.recall[2] == pytest.approx((0.5 + 1 + 0) / 3)
    assert m.mrr == pytest.approx((1 / 2 + 1 + 0) / 3)
    assert m.map == pytest.approx(((1 / 2 + 2 / 3) / 2 + 1 + 0) / 3)


def test_ranked_lists_follow_rank_then_score():
    rows = [{"source_id": "s", "target_id": "b", "rank": 2}, {"source_id": "s", "target_id": "a", "rank": 1}]
    assert ranked_lists(rows) == {"s": ["a", "b"]}


def test_macro_f1_and_confusion_by_hand():
    y_true = ["subset-of", "subset-of", "subset-of", "superset-of", "equivalent-to"]
    y_pred = ["subset-of", "subset-of", "superset-of", "superset-of", "intersects-with"]
    m = macro_f1(y_true, y_pred)
    assert m.labels == ["equivalent-to", "subset-of", "superset-of"]
    assert m.per_class["subset-of"]["f1"] == pytest.approx(0.8)  # P 1, R 2/3
    assert m.per_class["superset-of"]["f1"] == pytest.approx(2 / 3)  # P 1/2, R 1
    assert m.per_class["equivalent-to"]["f1"] == 0.0
    assert m.macro_f1 == pytest.approx((0.8 + 2 / 3 + 0) / 3)
    assert m.confusion["equivalent-to"]["intersects-with"] == 1 and m.accuracy == pytest.approx(0.6)


def test_ece_by_hand():
    cal = expected_calibration_error([0.9, 0.9, 0.1, 0.1], [True, False, False, False], bins=10)
    # bin 0.8-0.9: conf 0.9, accuracy 0.5; bin 0.0-0.1: conf 0.1, accuracy 0
    assert cal.ece == pytest.approx(0.5 * 0.4 + 0.5 * 0.1)
    assert cal.brier == pytest.approx((0.01 + 0.81 + 0.01 + 0.01) / 4)
    assert expected_calibration_error([0.7] * 10, [True] * 7 + [False] * 3).ece == pytest.approx(0.0)


def test_evaluate_mappings_typed_end_to_end():
    mappings = [
        {
            "source_id": "a",
            "target_id": "x",
            "rank": 1,
            "relationship": "subset-of",
            "confidence": 0.9,
            "link_confidence": 0.9,
            "suggested": True,
        },
        {
            "source_id": "a",
            "target_id": "y",
            "rank": 2,
            "relationship": "equivalent-to",
            "confidence": 0.2,
            "link_confidence": 0.3,
            "suggested": False,
        },
        {
            "source_id": "b",
            "target_id": "y",
            "rank": 1,
            "relationship": "superset-of",
            "confidence": 0.6,
            "link_confidence": 0.6,
            "suggested": True,
        },
    ]
    gold = [
        GoldLink("a", "x", "subset-of"),
        GoldLink("b", "y", "equivalent-to"),
        GoldLink("c", "z", "subset-of"),
    ]
    report = evaluate_mappings(mappings, gold)
    assert report.primary_metric == "mrr" and report.primary == pytest.approx((1 + 1 + 0) / 3)
    assert (report.pairs.precision, report.pairs.recall) == (1.0, pytest.approx(2 / 3))
    assert report.types is not None and report.types.confusion["equivalent-to"]["superset-of"] == 1
    assert report.types.per_class["subset-of"]["f1"] == 1.0
    assert any("1 typed gold pairs" in n for n in report.notes)
    text = format_report(report)
    assert "MRR" in text and "macro-F1" in text and "ECE" in text


def test_suggested_falls_back_to_the_threshold():
    rows = [
        {"source_id": "a", "target_id": "x", "confidence": 0.7},
        {"source_id": "a", "target_id": "y", "confidence": 0.4},
    ]
    assert evaluate_mappings(rows, [GoldLink("a", "y")], threshold=0.5).pairs.precision == 0.0
    assert evaluate_mappings(rows, [GoldLink("a", "y")], threshold=0.3).pairs.recall == 1.0
