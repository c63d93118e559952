"""The harmonization benchmark's folds: a pooled across-bills problem is held out with its own bills."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture()
def sets(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import harmonize_sets

    rows = {
        f"DR-{n}-2001": [
            {"en_text": f"section {k} of bill {n}", "ms_text": f"seksyen {k} rang {n}"} for k in range(3)
        ]
        for n in range(12)
    }
    monkeypatch.setattr(harmonize_sets, "_bill_rows", lambda: rows)
    yield harmonize_sets
    sys.modules.pop("harmonize_sets", None)


def test_every_fold_holds_out_whole_bills_with_the_pool_made_of_them(sets) -> None:
    problems = sets.bills()
    folds = sets.folds_for(problems)
    assert 2 <= len(folds) <= sets.BILL_FOLDS
    for fold in folds:
        assert not fold.train & fold.test
        pooled = [p for p in problems if p.group in fold.test and p.dataset == "bills-across"]
        assert len(pooled) == 1
        bills_in_pool = {s.id.split("/")[0] for s in pooled[0].source}
        assert {f"bill:{b}" for b in bills_in_pool} == {g for g in fold.test if g.startswith("bill:")}
        # no training problem shares a bill with the fold's pool
        for p in problems:
            if p.group in fold.train:
                assert not {s.id.split("/")[0] for s in p.source} & bills_in_pool


def test_each_problem_is_scored_in_exactly_one_fold(sets) -> None:
    problems = sets.bills()
    folds = sets.folds_for(problems)
    for p in problems:
        assert sum(p.group in f.test for f in folds) == 1
