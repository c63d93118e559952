"""Held-out evaluation: no fold is ever scored with parameters fitted on its own groups."""

from __future__ import annotations

import pytest

from concord.engine.folds import Fold, LeakError, cross_fit, group_folds


def _items() -> list[tuple[str, int]]:
    return [(f"bill-{b}", n) for b in range(7) for n in range(3)]


def test_leave_one_group_out_holds_each_group_out_once() -> None:
    folds = group_folds([g for g, _ in _items()])
    assert len(folds) == 7
    assert sorted(g for f in folds for g in f.test) == sorted({g for g, _ in _items()})
    for f in folds:
        assert not f.train & f.test
        assert len(f.train) == 6


def test_k_folds_are_stable_whatever_the_input_order() -> None:
    groups = [f"sentence-{i}" for i in range(50)]
    a = group_folds(groups, 5)
    b = group_folds(list(reversed(groups)), 5)
    assert [f.test for f in a] == [f.test for f in b]
    assert frozenset().union(*(f.test for f in a)) == frozenset(groups)


def test_no_fold_is_scored_with_parameters_fitted_on_it() -> None:
    fitted_items: list[set[tuple[str, int]]] = []

    def fit(train: list[tuple[str, int]]) -> frozenset[str]:
        fitted_items.append(set(train))
        return frozenset(g for g, _ in train)

    def score(params: frozenset[str], test: list[tuple[str, int]]) -> int:
        # the parameters "remember" the groups they saw; a leak would show as an overlap here
        assert not params & {g for g, _ in test}
        return len(test)

    results = cross_fit(_items(), lambda x: x[0], fit, score, group_folds([g for g, _ in _items()], 3))
    assert sum(r.result for r in results) == len(_items())  # every item scored exactly once
    for r, seen in zip(results, fitted_items):
        assert not r.fitted_on & r.scored_on
        assert not {g for g, _ in seen} & r.scored_on


def test_a_fold_that_trains_on_its_test_group_is_refused() -> None:
    with pytest.raises(LeakError) as err:
        Fold("bad", frozenset({"a", "b"}), frozenset({"b"}))
    assert err.value.code == "E460"


def test_a_group_left_out_of_every_test_fold_is_refused() -> None:
    folds = [Fold("only a", frozenset({"b"}), frozenset({"a"}))]
    with pytest.raises(LeakError) as err:
        cross_fit([("a", 1), ("b", 2), ("c", 3)], lambda x: x[0], lambda t: 0, lambda p, t: 0, folds)
    assert err.value.code == "E462"


def test_one_group_cannot_be_held_out() -> None:
    with pytest.raises(LeakError):
        group_folds(["same", "same"])


def _typed_pairs(seed: int, telling: str) -> list[dict]:
    """Eight controls of six pairs each, with random features but for ``telling``, whose value decides the
    pair's relationship (subset, superset or equivalent)."""
    import numpy as np

    from concord.engine.relate import FEATURES

    rng = np.random.default_rng(seed)
    items = []
    for control in range(8):
        for _n in range(6):
            diff = float(rng.uniform(-1, 1))
            feats = {f: float(rng.normal(0, 0.2)) for f in FEATURES} | {telling: diff, "mutual": 1.0}
            label = "subset-of" if diff > 0.3 else "superset-of" if diff < -0.3 else "equivalent-to"
            items.append({"y": label, "group": f"cis:{control}", "dataset": "cis", "features": feats})
    return items


@pytest.fixture
def ht(monkeypatch):
    """bench/harmonize_typing, imported afresh (its grids and feature sets are patched per test)."""
    import sys
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "bench"))
    monkeypatch.delitem(sys.modules, "harmonize_typing", raising=False)
    import harmonize_typing

    return harmonize_typing


def _cross_fit_recording_fits(monkeypatch, ht, items: list[dict], learners: tuple[str, ...], only=None):
    """Cross-fit ``ht.fit_types(train, learners)`` over four group folds of ``items``, and record, for each
    outer fit, the groups every inner ``_fit_types`` call trained on (only the calls for learner ``only``,
    when given). Returns the fold results and, fold by fold, those groups."""
    seen: list[set[str]] = []
    fit_types = ht._fit_types

    def spy(train: list[dict], *args, **kwargs):
        if only is None or kwargs.get("learner", args[4] if len(args) > 4 else "logistic") == only:
            seen.append({it["group"] for it in train})
        return fit_types(train, *args, **kwargs)

    monkeypatch.setattr(ht, "_fit_types", spy)
    folds = group_folds([it["group"] for it in items], 4)
    fitted_during: list[list[set[str]]] = []

    def fit(train: list[dict]) -> dict:
        start = len(seen)
        result = ht.fit_types(train, learners)
        fitted_during.append(seen[start:])
        return result

    results = cross_fit(
        items, lambda it: it["group"], fit, lambda f, te: (f, ht.predict_fitted(f, te)), folds
    )
    return results, fitted_during


def test_the_type_learner_is_chosen_without_the_scored_fold(monkeypatch, ht) -> None:
    # bench/harmonize_typing: the inner CV that chooses between the logistic and the ordinal learner
    # (and their settings) fits only on the outer training part; no fit ever sees a scored CIS control
    one = {"l2": (10.0,), "bills_weight": (1.0,)}
    decide = {"bias_power": (0.0,), "abstain_below": (0.0,), "one_to_one": (False,)}
    monkeypatch.setattr(
        ht,
        "GRIDS",
        {
            "logistic": ({**one, "features": ("compact",)}, decide),
            "ordinal": (one, {**decide, "band_scale": (1.0,)}),
        },
    )
    items = _typed_pairs(seed=0, telling="cover_diff")
    results, fitted_during = _cross_fit_recording_fits(monkeypatch, ht, items, ("logistic", "ordinal"))
    assert len(results) == 4
    for r, fits in zip(results, fitted_during):
        inner = group_folds(sorted(r.fitted_on), 4, seed="inner")
        assert len(fits) == 2 * len(inner) + 1  # each learner on each inner fold, then the chosen one
        assert all(not groups & r.scored_on for groups in fits)
        assert r.result[0]["learner"] in ("logistic", "ordinal")
        assert len(r.result[1]) == sum(it["group"] in r.scored_on for it in items)


def test_the_blends_two_stage_decision_and_feature_variant_are_chosen_without_the_scored_fold(
    monkeypatch, ht
) -> None:
    # the same for the blend with the two-stage decision in its grid and the query/passage feature sets
    monkeypatch.setattr(ht, "FEATURE_SETS", dict(ht.QUERY_PASSAGE_FEATURE_SETS))
    fit = {"l2": (10.0,), "bills_weight": (1.0,), "features": ("compact",)}
    decide = {"bias_power": (0.0,), "abstain_below": (0.0,), "one_to_one": (False,), "mix": (0.5,)}
    monkeypatch.setattr(ht, "GRIDS", {"blend": (fit, {**decide, "equivalent_at": (None, 0.3)})})
    items = _typed_pairs(seed=1, telling="qp_diff")
    results, fitted_during = _cross_fit_recording_fits(monkeypatch, ht, items, ("blend",), only="blend")
    for r, fits in zip(results, fitted_during):
        inner = group_folds(sorted(r.fitted_on), 4, seed="inner")
        assert len(fits) == len(inner) + 1  # the blend on each inner fold, then on the training part
        assert all(not groups & r.scored_on for groups in fits)
        assert r.result[0]["equivalent_at"] in (None, 0.3)
        assert "qp_diff" in r.result[0]["model"].logistic.features


def test_pairs_read_from_document_structure_are_held_out_with_their_control_and_never_scored(ht) -> None:
    # bench/harmonize_typing: a CIS control's parent/child pairs sit in the fold that scores its typed
    # pairs; the CSF categories' pairs join some CIS fold's test part (every group must be tested) and no
    # fold of their own; the bills stay one fold each
    items = _typed_pairs(seed=2, telling="cover_diff")
    structure = [
        {"y": "superset-of", "group": g, "dataset": "structure", "features": items[0]["features"]}
        for g in [f"cis:{c}" for c in range(8)] + [f"structure:csf:C{n}" for n in range(7)]
    ]
    bills = [{**items[0], "group": f"bill:{b}", "dataset": f"bill:{b}"} for b in ("a", "b")]
    folds = ht.type_folds(items + structure + bills)
    cis_folds = ht.type_folds(items)
    assert len(folds) == len(cis_folds) + 2
    csf = {f"structure:csf:C{n}" for n in range(7)}
    for fold, alone in zip(folds, cis_folds):
        assert fold.test - csf == alone.test  # each control's structure pairs go where its typed pairs go
    assert set().union(*(f.test for f in folds[:-2])) == set().union(*(f.test for f in cis_folds)) | csf
    assert [f.test for f in folds[-2:]] == [{"bill:a"}, {"bill:b"}]


def test_only_the_ordinal_model_reads_the_structure_pairs(ht) -> None:
    # the logistic half of the blend fits the same with or without them; the ordinal half moves when
    # they weigh something, and not when they weigh 0
    import numpy as np

    items = _typed_pairs(seed=3, telling="cover_diff")
    rng = np.random.default_rng(4)
    structure = [
        {
            "y": "superset-of",
            "group": f"structure:csf:C{n}",
            "dataset": "structure",
            "features": {f: float(rng.normal(0, 1)) for f in items[0]["features"]},
        }
        for n in range(20)
    ]
    plain, _ = ht._fit_types(items, 10.0, 0.0, "compact", 1.0, "blend")
    with_structure, _ = ht._fit_types(items + structure, 10.0, 0.0, "compact", 1.0, "blend", 0.5)
    at_zero, _ = ht._fit_types(items + structure, 10.0, 0.0, "compact", 1.0, "blend", 0.0)
    assert with_structure.logistic == plain.logistic
    assert at_zero == plain
    assert with_structure.ordinal != plain.ordinal
    kept, w = ht._weighted(items + structure, 1.0, 0.5)
    assert kept == items + structure
    assert w[: len(items)].sum() == pytest.approx(1.0)
    assert w[len(items) :].sum() == pytest.approx(0.5)
