"""engine.match: explainable scores, deferred acceptance with reserves, the stability checker, welfare."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from matching.games import HospitalResident

from concord.engine.errors import MatchingError
from concord.engine.match import (
    Applicant,
    Eligibility,
    Opening,
    Programme,
    Seeker,
    blocking_pairs,
    blocking_pairs_bruteforce,
    choose,
    deferred_acceptance,
    embedding_relatedness,
    hierarchy_relatedness,
    rank_matches,
    score_match,
    summarise,
    welfare_allocation,
)

# --- scoring ----------------------------------------------------------------------------------------------


def test_a_seeker_holding_every_skill_scores_one_with_nothing_missing():
    seeker = Seeker("ali", {"python": 3, "sql": 2})
    m = score_match(seeker, Opening("ds", {"python": 2}, {"sql": 1}))
    assert m.score == 1.0
    assert m.matched == ("python", "sql")
    assert m.missing == () and m.adjacent == ()


def test_missing_essential_skills_cost_more_than_missing_optional_ones():
    opening = Opening("ds", {"python": 0}, {"sql": 0})
    only_essential = score_match(Seeker("a", {"python": 1}), opening)
    only_optional = score_match(Seeker("b", {"sql": 1}), opening)
    assert only_essential.score == pytest.approx(2 / 3)
    assert only_optional.score == pytest.approx(1 / 3)
    assert only_optional.missing == ("python",)


def test_a_skill_held_below_the_level_asked_for_earns_partial_credit():
    m = score_match(Seeker("a", {"python": 1}), Opening("ds", {"python": 3}))
    assert m.under_level == ("python",) and m.matched == ()
    assert m.score == pytest.approx(0.6)


def test_a_narrower_skill_held_counts_as_adjacent_to_the_broader_one_asked_for():
    related = hierarchy_relatedness({"pytorch": "deep-learning", "tensorflow": "deep-learning"})
    m = score_match(Seeker("a", {"pytorch": 2}), Opening("ml", {"deep-learning": 0}), related=related)
    assert m.missing == ()
    assert m.adjacent[0].needed == "deep-learning" and m.adjacent[0].via == "pytorch"
    assert m.adjacent[0].how == "hierarchy"
    assert m.score == pytest.approx(0.5 * 0.8)


def test_a_broader_skill_counts_only_where_the_taxonomy_says_it_is_broader():
    related = hierarchy_relatedness({"pytorch": "deep-learning", "deep-learning": None, "cloud": None})
    assert related("pytorch", "deep-learning") == (0.6, "hierarchy")
    assert related("pytorch", "cloud") == (0.0, "hierarchy")


def test_siblings_are_never_explained_through_each_other():
    parents = {"english": "languages", "urdu": "languages", "python": "prog", "cloud": "prog"}
    for related in (hierarchy_relatedness(parents), hierarchy_relatedness(parents, {"languages", "prog"})):
        assert related("english", "urdu")[0] == 0.0
        assert related("python", "cloud")[0] == 0.0
        m = score_match(Seeker("a", {"urdu": 3}), Opening("o", {"english": 0}), related=related)
        assert m.adjacent == () and m.missing == ("english",)


def test_a_group_is_never_a_step_of_a_relation():
    related = hierarchy_relatedness({"english": "languages"}, {"languages"})
    assert related("languages", "english")[0] == 0.0 and related("english", "languages")[0] == 0.0


def test_an_essential_skill_missing_makes_the_match_not_eligible_and_names_it():
    m = score_match(Seeker("a", {"python": 3}), Opening("o", {"python": 0, "ml": 0}, {"sql": 0}))
    assert not m.eligible and m.ineligible_reasons == ("skills",) and m.missing_essential == ("ml",)
    optional_only = score_match(
        Seeker("a", {"python": 3, "ml": 1}), Opening("o", {"python": 0, "ml": 0}, {"sql": 0})
    )
    assert optional_only.eligible and optional_only.missing == ("sql",)


def test_embedding_similarity_below_the_threshold_is_not_adjacency():
    vectors = {"a": np.array([1.0, 0.0]), "b": np.array([0.6, 0.8]), "c": np.array([0.0, 1.0])}
    related = embedding_relatedness(vectors)
    close = score_match(Seeker("s", {"b": 1}), Opening("o", {"a": 0}), related=related)
    far = score_match(Seeker("s", {"c": 1}), Opening("o", {"a": 0}), related=related)
    assert close.adjacent[0].similarity == pytest.approx(0.6)
    assert far.adjacent == () and far.missing == ("a",)


def test_eligibility_reports_each_failed_condition_without_changing_the_score():
    opening = Opening(
        "o", {"x": 0}, eligibility=Eligibility(frozenset({"MY"}), frozenset({"ms"}), min_level=3)
    )
    m = score_match(Seeker("s", {"x": 1}, country="PK", languages=frozenset({"en"}), level=2), opening)
    assert not m.eligible
    assert m.ineligible_reasons == ("country", "language", "level")
    assert m.score == 1.0


def test_ranked_lists_put_eligible_pairs_first_for_both_sides():
    seekers = [Seeker("a", {"x": 1}, country="PK"), Seeker("b", {"x": 1, "y": 1}, country="MY")]
    openings = [
        Opening("o1", {"x": 0, "y": 0}, eligibility=Eligibility(frozenset({"MY"}))),
        Opening("o2", {"x": 0}),
    ]
    by_seeker = rank_matches(seekers, openings)
    assert [m.opening_id for m in by_seeker["a"]] == ["o2", "o1"]
    by_opening = rank_matches(seekers, openings, by="opening")
    assert [m.seeker_id for m in by_opening["o1"]] == ["b", "a"]


def test_explanations_serialise_to_plain_json():
    m = score_match(Seeker("a", {"x": 1}), Opening("o", {"x": 0, "y": 0}))
    assert m.as_dict()["missing"] == ["y"]


# --- deferred acceptance ------------------------------------------------------------------------------------


def random_applicants(rng: random.Random, n_a: int, pids: list[str], more=lambda: ()) -> list[Applicant]:
    """``n_a`` applicants, each applying to a random few of the programmes ``pids``, in a random order;
    ``more()`` gives each one's further fields (group, reserved groups)."""
    return [
        Applicant(f"a{i}", tuple(rng.sample(pids, rng.randint(0, len(pids)))), *more()) for i in range(n_a)
    ]


def random_market(seed: int, n_a: int = 12, n_p: int = 4, groups: bool = False):
    rng = random.Random(seed)
    pids = [f"p{j}" for j in range(n_p)]
    applicants = random_applicants(
        rng, n_a, pids, lambda: (rng.choice(["MY", "PK", None]) if groups else None,)
    )
    programmes = []
    for pid in pids:
        applied = [a.id for a in applicants if pid in a.preferences]
        rng.shuffle(applied)
        ranking = [a for a in applied if rng.random() > 0.1]  # a few applicants are not acceptable
        capacity = rng.randint(1, 3)
        reserves = {"MY": rng.randint(0, 1), "PK": rng.randint(0, capacity - 1)} if groups else {}
        programmes.append(Programme(pid, capacity, tuple(ranking), reserves))
    return applicants, programmes


def test_the_classic_example_gives_the_applicant_optimal_matching():
    applicants = [Applicant("a", ("x", "y")), Applicant("b", ("x", "y")), Applicant("c", ("x",))]
    programmes = [Programme("x", 1, ("c", "b", "a")), Programme("y", 1, ("a", "b"))]
    result = deferred_acceptance(applicants, programmes)
    assert result.assignment == {"a": "y", "b": None, "c": "x"}


@pytest.mark.parametrize("seed", range(40))
def test_deferred_acceptance_agrees_with_the_matching_package(seed):
    applicants, programmes = random_market(seed)
    ranks = {p.id: set(p.ranking) for p in programmes}
    # the oracle wants mutually acceptable lists
    resident_prefs = {a.id: [p for p in a.preferences if a.id in ranks[p]] for a in applicants}
    hospital_prefs = {p.id: [a for a in p.ranking if p.id in resident_prefs[a]] for p in programmes}
    game = HospitalResident.create_from_dictionaries(
        {a: prefs for a, prefs in resident_prefs.items() if prefs},
        hospital_prefs,
        {p.id: p.capacity for p in programmes},
    )
    oracle = {r.name: h.name for h, rs in game.solve(optimal="resident").items() for r in rs}
    result = deferred_acceptance(applicants, programmes)
    assert {a: p for a, p in result.assignment.items() if p} == oracle


@pytest.mark.parametrize("seed", range(60))
def test_allocations_with_reserves_have_no_blocking_pairs_by_either_checker(seed):
    applicants, programmes = random_market(seed, n_a=14, groups=True)
    result = deferred_acceptance(applicants, programmes)
    assert blocking_pairs(applicants, programmes, result.assignment) == []
    assert blocking_pairs_bruteforce(applicants, programmes, result.assignment) == []


@pytest.mark.parametrize("seed", range(30))
def test_the_fast_checker_finds_the_same_blocking_pairs_as_the_definition(seed):
    applicants, programmes = random_market(seed, groups=seed % 2 == 0)
    rng = random.Random(seed)
    # a random feasible assignment: place applicants where the programme's rule keeps them
    members: dict[str, set[str]] = {p.id: set() for p in programmes}
    by_id = {p.id: p for p in programmes}
    groups = {a.id: a.group for a in applicants}
    assignment: dict[str, str | None] = {}
    for a in applicants:
        options = [p for p in a.preferences if a.id in by_id[p].ranking]
        rng.shuffle(options)
        assignment[a.id] = None
        for p in options:
            trial = members[p] | {a.id}
            if choose(by_id[p], trial, groups) == trial:
                members[p] = trial
                assignment[a.id] = p
                break
    fast = blocking_pairs(applicants, programmes, assignment)
    slow = blocking_pairs_bruteforce(applicants, programmes, assignment)
    assert sorted(fast, key=str) == sorted(slow, key=str)


def test_reserved_seats_go_to_the_group_before_better_ranked_others():
    applicants = [Applicant("m1", ("x",), "MY"), Applicant("k1", ("x",), "PK"), Applicant("k2", ("x",), "PK")]
    programmes = [Programme("x", 2, ("k1", "k2", "m1"), {"MY": 1})]
    result = deferred_acceptance(applicants, programmes)
    assert result.assignment == {"m1": "x", "k1": "x", "k2": None}
    assert blocking_pairs(applicants, programmes, result.assignment) == []


def test_reserved_seats_the_group_cannot_fill_go_to_others():
    applicants = [Applicant("k1", ("x",), "PK"), Applicant("k2", ("x",), "PK")]
    programmes = [Programme("x", 2, ("k1", "k2"), {"MY": 1})]
    assert deferred_acceptance(applicants, programmes).assignment == {"k1": "x", "k2": "x"}


def test_the_checker_names_a_blocking_pair_of_an_unstable_assignment():
    applicants = [Applicant("a", ("x",)), Applicant("b", ("x",))]
    programmes = [Programme("x", 1, ("a", "b"))]
    pairs = blocking_pairs(applicants, programmes, {"a": None, "b": "x"})
    assert [(p.applicant_id, p.programme_id) for p in pairs] == [("a", "x")]


def test_the_checker_rejects_an_assignment_over_capacity():
    applicants = [Applicant("a", ("x",)), Applicant("b", ("x",))]
    with pytest.raises(MatchingError) as err:
        blocking_pairs(applicants, [Programme("x", 1, ("a", "b"))], {"a": "x", "b": "x"})
    assert err.value.code == "E507"


def test_an_applicant_nobody_ranks_stays_unplaced():
    applicants = [Applicant("a", ("x",)), Applicant("b", ())]
    result = deferred_acceptance(applicants, [Programme("x", 5, ())])
    assert result.assignment == {"a": None, "b": None}


# --- bad input ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applicants", "programmes", "code", "words"),
    [
        ([Applicant("a", ("nope",))], [Programme("x", 1, ("a",))], "E503", "unknown programme 'nope'"),
        ([Applicant("a", ("x",))], [Programme("x", 1, ("zed",))], "E503", "unknown applicant 'zed'"),
        ([Applicant("a", ("x",))], [Programme("x", -1, ("a",))], "E504", "capacity -1"),
        ([Applicant("a", ("x", "x"))], [Programme("x", 1, ("a",))], "E505", "lists programme 'x' twice"),
        ([Applicant("a", ("x",))], [Programme("x", 1, ("a", "a"))], "E505", "ranks applicant 'a' twice"),
        ([Applicant("a", ()), Applicant("a", ())], [], "E502", "share the id 'a'"),
        ([Applicant("a", ("x",))], [Programme("x", 1, ("a",), {"MY": 2})], "E506", "reserves 2 seats"),
        ([Applicant("a", ("x",))], [Programme("x", 1, ("a",), {"MY": -1})], "E504", "reserves -1"),
    ],
)
def test_bad_allocation_input_gets_a_clear_error(applicants, programmes, code, words):
    with pytest.raises(MatchingError) as err:
        deferred_acceptance(applicants, programmes)
    assert err.value.code == code
    assert words in err.value.message


# --- welfare ------------------------------------------------------------------------------------------------


def brute_force_welfare(applicants, programmes) -> float:
    ranked = {p.id: set(p.ranking) for p in programmes}
    caps = {p.id: p.capacity for p in programmes}
    options = [[None, *[p for p in a.preferences if a.id in ranked[p]]] for a in applicants]
    best = 0.0
    for choice in itertools.product(*options):
        used = [c for c in choice if c]
        if any(used.count(p) > caps[p] for p in set(used)):
            continue
        total = sum(len(a.preferences) - a.preferences.index(c) for a, c in zip(applicants, choice) if c)
        best = max(best, total)
    return best


@pytest.mark.parametrize("seed", range(15))
def test_the_welfare_variant_reaches_the_brute_force_optimum(seed):
    applicants, programmes = random_market(seed, n_a=6, n_p=3)
    result = welfare_allocation(applicants, programmes)
    summary = summarise(applicants, programmes, result)
    assert summary.utility == brute_force_welfare(applicants, programmes)


def brute_force_reserved_welfare(applicants, programmes) -> tuple[int, float]:
    """The best (reserved seats filled by their group, welfare) over every feasible allocation."""
    ranked = {p.id: set(p.ranking) for p in programmes}
    by_id = {p.id: p for p in programmes}
    options = [[None, *[p for p in a.preferences if a.id in ranked[p]]] for a in applicants]
    best = (0, 0.0)
    for choice in itertools.product(*options):
        used = [c for c in choice if c]
        if any(used.count(p) > by_id[p].capacity for p in set(used)):
            continue
        filled = sum(
            min(seats, sum(1 for a, c in zip(applicants, choice) if c == p.id and a.group == g))
            for p in programmes
            for g, seats in p.reserves.items()
        )
        total = sum(len(a.preferences) - a.preferences.index(c) for a, c in zip(applicants, choice) if c)
        best = max(best, (filled, total))
    return best


@pytest.mark.parametrize("seed", range(15))
def test_the_welfare_variant_fills_reserves_first_then_maximises_welfare(seed):
    applicants, programmes = random_market(seed, n_a=6, n_p=3, groups=True)
    result = welfare_allocation(applicants, programmes)
    members = result.members()
    filled = sum(
        min(seats, sum(1 for a in applicants if a.group == g and a.id in members.get(p.id, [])))
        for p in programmes
        for g, seats in p.reserves.items()
    )
    utility = summarise(applicants, programmes, result).utility
    assert (filled, utility) == brute_force_reserved_welfare(applicants, programmes)
    for p in programmes:
        assert len(members.get(p.id, [])) <= p.capacity


def test_welfare_gives_a_reserved_seat_to_its_group_even_at_a_cost():
    # x is b's (PK) first choice of two and a's (MY) last of three: welfare prefers b, but the one seat is
    # reserved for MY, so a takes it.
    applicants = [Applicant("a", ("y", "z", "x"), "MY"), Applicant("b", ("x", "y"), "PK")]
    closed = [Programme("y", 0, ("a", "b")), Programme("z", 0, ("a",))]
    reserved = [Programme("x", 1, ("b", "a"), {"MY": 1}), *closed]
    assert welfare_allocation(applicants, reserved).assignment == {"a": "x", "b": None}
    open_x = [Programme("x", 1, ("b", "a")), *closed]
    assert welfare_allocation(applicants, open_x).assignment == {"a": None, "b": "x"}


def test_welfare_is_never_below_the_stable_allocation():
    for seed in range(10):
        applicants, programmes = random_market(seed, n_a=20, n_p=5)
        stable = summarise(applicants, programmes, deferred_acceptance(applicants, programmes))
        welfare = summarise(applicants, programmes, welfare_allocation(applicants, programmes))
        assert welfare.utility >= stable.utility
        assert stable.blocking_pairs == 0
