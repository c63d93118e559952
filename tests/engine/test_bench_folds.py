"""The harmonization benchmark's folds: a pooled across-bills problem is held out with its own bills."""

from __future__ import annotations

import sys
from dataclasses import replace
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


def test_without_bills_each_crosswalk_is_its_own_fold(sets) -> None:
    problems = [sets.Problem(name, "crosswalk", name, [], [], []) for name in ("csf", "cis")]
    folds = sets.folds_for(problems)
    assert sorted((f.name, sorted(f.test), sorted(f.train)) for f in folds) == [
        ("cis", ["cis"], ["csf"]),
        ("csf", ["csf"], ["cis"]),
    ]


def test_context_weights_change_only_problems_with_document_structure(sets) -> None:
    import harmonize_retrieval as hr

    from concord.engine.encoders import HashingEncoder
    from concord.engine.formats import GoldLink
    from concord.engine.fusion import FusionParams
    from concord.engine.types import Provision

    def p(pid: str, text: str) -> Provision:
        return Provision(pid, "", "", text, "section", language="en")

    source = [p("A-1", "Items are listed."), p("B-1", "Items are listed.")]
    target = [
        p("X", "A list of hardware devices and laptops."),
        p("Y", "A list of threats and vulnerabilities."),
    ]
    context = [p("A", "Hardware devices and laptops."), p("B", "Threats and vulnerabilities.")]
    gold = [GoldLink("A-1", "X"), GoldLink("B-1", "Y")]
    flat = sets.Problem("flat", "crosswalk", "flat", source, target, gold)
    structured = sets.Problem("tree", "crosswalk", "tree", source, target, gold, source_context=context)
    encoder = HashingEncoder()
    for problem in (flat, structured):
        hr.prepare(problem, encoder, sentences=True)
    plain = FusionParams(lexical_max=0.0)
    in_context = FusionParams(lexical_max=0.0, context_weight=1.0)
    assert hr.simulate(flat, plain, None) == hr.simulate(flat, in_context, None)
    # the same text finds the same target: one of the two ranks its gold second
    assert sorted(hr.simulate(structured, plain, None)) == [0.5, 1.0]
    assert hr.simulate(structured, in_context, None) == [1.0, 1.0]
    assert hr.fit_fusion([structured], None, base=plain).context_weight > 0
    sys.modules.pop("harmonize_retrieval", None)


def test_the_sibling_stage_is_chosen_on_the_other_folds_only(sets) -> None:
    import harmonize_retrieval as hr

    from concord.engine.encoders import HashingEncoder
    from concord.engine.formats import GoldLink
    from concord.engine.fusion import FusionParams
    from concord.engine.types import Provision

    def p(pid: str, text: str, parent: str | None = None) -> Provision:
        return Provision(pid, "", "", text, "section", parent=parent, language="en")

    # on its own the gold (B-1) ranks below a stray (Z-1); its family-mate B-2 also scores well
    source = [p("Q-1", "users accounts reviewed")]
    target = [
        p("Z-1", "accounts reviewed by users monthly"),
        p("B-2", "users accounts checked", parent="B"),
        p("B-1", "users accounts logged", parent="B"),
        p("F-1", "boundary protection of the network"),
        p("F-2", "cryptographic keys are rotated"),
        p("F-3", "physical doors are locked at night"),
    ]
    helped = sets.Problem("helped", "crosswalk", "helped", source, target, [GoldLink("Q-1", "B-1")])
    # the same texts, but the gold is the stray: siblings can only hurt here
    hurt = sets.Problem("hurt", "crosswalk", "hurt", source, target, [GoldLink("Q-1", "Z-1")])
    encoder = HashingEncoder()
    base = FusionParams(lexical_max=0.0, hub_weight=0.0)
    for problem in (helped, hurt):
        hr.prepare(problem, encoder, sentences=True)
    assert hr.simulate(helped, base, None) == [0.5]
    assert hr.simulate(helped, replace(base, sibling_weight=1.0), None) == [1.0]
    assert hr.fit_fusion([helped], None, base=base, siblings=True).sibling_weight > 0
    assert hr.fit_fusion([hurt], None, base=base, siblings=True).sibling_weight == 0
    assert hr.fit_fusion([helped], None, base=base).sibling_weight == 0  # a variant: off unless asked

    def fit(train):
        return hr.fit_fusion(train, None, base=base, siblings=True)

    def score(params, test):
        return {q.group: params.sibling_weight for q in test}

    folds = sets.folds_for([helped, hurt])
    results = hr.cross_fit([helped, hurt], lambda q: q.group, fit, score, folds)
    chosen = {g: w for r in results for g, w in r.result.items()}
    # each problem is scored with the weight its *other* problem chose
    assert chosen == {"helped": 0.0, "hurt": fit([helped]).sibling_weight}
    for r in results:
        assert not r.fitted_on & r.scored_on
    sys.modules.pop("harmonize_retrieval", None)


def test_the_bills_read_with_headings_are_held_out_with_their_bills(sets) -> None:
    problems = sets.all_problems({"bills"}, headings=True)
    headed = [p for p in problems if p.headed]
    assert {p.dataset for p in headed} == {"bills-within-headed", "bills-across-headed"}
    assert len(headed) * 2 == len(problems)
    for fold in sets.folds_for(problems):
        # a bill's headed copy is scored in the fold that scores the bill, and never trained on there
        for p in headed:
            twin = next(q for q in problems if not q.headed and q.group == p.group)
            assert (p.group in fold.test) == (twin.group in fold.test)
    assert all(not p.headed for p in sets.all_problems({"bills"}))


def test_the_heading_stage_is_fitted_on_the_headed_problems_only(sets) -> None:
    import harmonize_retrieval as hr

    from concord.engine.encoders import HashingEncoder
    from concord.engine.formats import GoldLink
    from concord.engine.fusion import FusionParams
    from concord.engine.types import Provision

    def p(pid: str, heading: str, text: str) -> Provision:
        return Provision(pid, "", heading, text, "section", language="en")

    # the texts point each source at the other's counterpart; the headings point them right
    source = [
        p("a", "Access to computers", "whoever alters a program or its data or its software or its files"),
        p(
            "b",
            "Modification of programs",
            "whoever enters a system or its network or its server or its rooms",
        ),
    ]
    target = [
        p(
            "x",
            "Access to computers",
            "a person who enters a system or its network or its server or its rooms",
        ),
        p(
            "y",
            "Modification of programs",
            "a person who alters a program or its data or its software or its files",
        ),
    ]
    gold = [GoldLink("a", "x"), GoldLink("b", "y")]
    headed = sets.Problem("headed", "bills-within-headed", "bill:1", source, target, gold, headed=True)
    plain = sets.Problem(
        "plain",
        "bills-within",
        "bill:1",
        [replace(s, heading="") for s in source],
        [replace(t, heading="") for t in target],
        gold,
    )
    encoder = HashingEncoder()
    for problem in (headed, plain):
        hr.prepare(problem, encoder, sentences=True)
    assert plain.matrices["heading"] is None and headed.matrices["heading"] is not None
    base = FusionParams(lexical_max=0.0, hub_weight=0.0)
    assert hr.simulate(headed, base, None) == [0.5, 0.5]
    assert hr.simulate(headed, replace(base, heading_weight=0.75), None) == [1.0, 1.0]
    # the headed problem chooses the heading weight; the first two stages never see it
    assert hr.fit_fusion([plain, headed], None, base=base).heading_weight > 0
    assert hr.fit_fusion([plain], None, base=base).heading_weight == 0
    both, alone = hr.fit_fusion([plain, headed], None), hr.fit_fusion([plain], None)
    assert both == replace(alone, heading_weight=both.heading_weight)
    sys.modules.pop("harmonize_retrieval", None)


def test_a_controls_discussion_joins_its_statement_only_when_it_has_one(sets) -> None:
    row = {"id": "AC-2", "text": "Assign account managers. ", "discussion": " Accounts include guest. "}
    assert sets.whole_text(row)["text"] == "Assign account managers.\nAccounts include guest."
    assert sets.whole_text({"id": "AC-3", "text": "Enforce.", "discussion": ""})["text"] == "Enforce."
    assert sets.whole_text({"id": "AC-4", "text": "Enforce."})["text"] == "Enforce."


def test_cross_references_are_read_from_the_targets_text_onto_their_roots(sets) -> None:
    import harmonize_retrieval as hr
    import harmonize_retrieval_variants as hv

    from concord.engine.encoders import HashingEncoder
    from concord.engine.types import Provision

    def p(pid: str, text: str) -> Provision:
        return Provision(pid, "", "", text, "section", language="en")

    target = [
        p("AC-2", "Manage accounts.\nSee AC-3 and the enhancement SI-4(5)."),
        p("AC-3", "Enforce access."),
        p("SI-4", "Monitor the system."),
        p("SI-4(5)", "Alert on indicators. Unlike XX-9, nothing here names AC-2 twice: AC-2."),
        p("PM-1", "A programme plan; related controls are not read from any catalogue field."),
    ]
    problem = sets.Problem("refs", "crosswalk", "refs", [p("Q", "accounts")], target, [])
    hr.prepare(problem, HashingEncoder())
    links = hv.text_references(problem)
    # AC-2 names AC-3 and SI-4(5), whose root is SI-4; SI-4(5) names AC-2 back; unknown ids are ignored
    assert links[0] == {1, 2} and links[1] == {0} and links[2] == {0}
    assert links[3] == set() and links[4] == set()  # an enhancement's links are held by its root
    for name in ("harmonize_retrieval", "harmonize_retrieval_variants"):
        sys.modules.pop(name, None)


def test_the_grids_neighbours_are_one_step_away_on_one_setting(sets) -> None:
    import harmonize_retrieval as hr

    candidates = hr.grid()
    neighbours = hr.grid_neighbours(candidates)
    axes = [tuple(tuple(getattr(c, f) for f in axis) for axis in hr.GRID_AXES) for c in candidates]
    for i, near in enumerate(neighbours):
        assert near and i not in near
        for j in near:
            assert sum(a != b for a, b in zip(axes[i], axes[j])) == 1
    corner = hr.grid()[0]  # the first of every setting: one neighbour per setting the grid varies
    varied = sum(len({a[k] for a in axes}) > 1 for k in range(len(hr.GRID_AXES)))
    assert len(neighbours[candidates.index(corner)]) == varied
    sys.modules.pop("harmonize_retrieval", None)


def test_a_bagged_fit_keeps_a_dominant_setting_and_breaks_ties_towards_the_earlier(sets, monkeypatch) -> None:
    import harmonize_retrieval as hr

    from concord.engine.fusion import FusionParams

    plain, better, same = (FusionParams(hub_weight=w) for w in (0.0, 0.25, 0.5))
    # ``better`` ranks every source's gold at least as high as ``plain``, and one higher; ``same`` ties
    ranks = {plain: [0.5, 0.25, 1.0, 0.2], better: [0.5, 0.5, 1.0, 0.2], same: [0.5, 0.25, 1.0, 0.2]}
    problem = sets.Problem("p", "crosswalk", "p", [], [], [])
    monkeypatch.setattr(hr, "simulate", lambda p, params, background: ranks[params])
    monkeypatch.setattr(hr, "SELECT", "bagged")
    assert hr.best_of([plain, better], [problem], None) == better
    assert hr.best_of([better, plain], [problem], None) == better
    assert hr.best_of([plain, same], [problem], None) == plain
    assert hr.best_of([same, plain], [problem], None) == same
    # seeded: the same data gives the same choice
    assert hr.bagged_winner(hr.per_source([plain, better, same], [problem], None, "mrr")) == 1
    sys.modules.pop("harmonize_retrieval", None)
