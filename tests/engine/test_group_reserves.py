"""Reserved seats for groups an applicant declares (women in AI), besides the country: overlapping groups."""

from __future__ import annotations

import itertools
import random

import pytest

from concord.engine.allocation import _deferred_acceptance_plain
from concord.engine.match import (
    Applicant,
    Programme,
    blocking_pairs,
    blocking_pairs_bruteforce,
    choose,
    deferred_acceptance,
    welfare_allocation,
)

from .test_match import random_applicants, random_market


def overlapping_market(seed: int, n_a: int = 14, n_p: int = 4):
    rng = random.Random(seed)
    pids = [f"p{j}" for j in range(n_p)]
    applicants = random_applicants(
        rng,
        n_a,
        pids,
        lambda: (
            rng.choice(["MY", "PK"]),
            frozenset(g for g in ("women", "disability") if rng.random() < 0.35),
        ),
    )
    programmes = []
    for pid in pids:
        applied = [a.id for a in applicants if pid in a.preferences]
        rng.shuffle(applied)
        capacity = rng.randint(1, 4)
        reserves: dict[str, int] = {}
        left = capacity
        for g in rng.sample(["women", "MY", "disability", "PK"], 3):
            reserves[g] = rng.randint(0, min(1, left))
            left -= reserves[g]
        programmes.append(Programme(pid, capacity, tuple(a for a in applied if rng.random() > 0.1), reserves))
    return applicants, programmes


@pytest.mark.parametrize("seed", range(150))
def test_the_choice_rule_with_overlapping_groups_is_substitutable_and_fills_every_seat(seed):
    """If a is chosen from a set, a is chosen from any smaller set that holds a; and min(capacity, pool)
    are chosen. These two are what make deferred acceptance stable: checked on every subset."""
    rng = random.Random(seed)
    people = [f"a{i}" for i in range(rng.randint(2, 6))]
    groups = {a: {g for g in ("women", "MY", "x") if rng.random() < 0.45} for a in people}
    capacity = rng.randint(1, 4)
    reserves: dict[str, int] = {}
    left = capacity
    for g in ("women", "MY", "x"):
        reserves[g] = rng.randint(0, left)
        left -= reserves[g]
    ranking = people[:]
    rng.shuffle(ranking)
    programme = Programme("p", capacity, tuple(ranking), reserves)
    for k in range(1, len(people) + 1):
        for pool in itertools.combinations(people, k):
            chosen = choose(programme, pool, groups)
            assert len(chosen) == min(capacity, len(pool))
            for gone in pool:
                smaller = set(pool) - {gone}
                assert chosen - {gone} <= choose(programme, smaller, groups)


@pytest.mark.parametrize("seed", range(60))
def test_deferred_acceptance_with_overlapping_groups_has_no_blocking_pairs(seed):
    applicants, programmes = overlapping_market(seed)
    result = deferred_acceptance(applicants, programmes)
    assert blocking_pairs(applicants, programmes, result.assignment) == []
    assert blocking_pairs_bruteforce(applicants, programmes, result.assignment) == []


@pytest.mark.parametrize("seed", range(40))
def test_the_plain_loop_agrees_with_the_fast_one_when_groups_do_not_overlap(seed):
    applicants, programmes = random_market(seed, n_a=14, groups=seed % 2 == 0)
    fast = deferred_acceptance(applicants, programmes)
    assert _deferred_acceptance_plain(applicants, programmes).assignment == fast.assignment


def test_a_seat_reserved_for_women_goes_to_a_woman_besides_the_country_reserve():
    applicants = [
        Applicant("k1", ("ai",), "PK"),
        Applicant("k2", ("ai",), "PK"),
        Applicant("m1", ("ai",), "MY"),
        Applicant("w1", ("ai",), "PK", frozenset({"women"})),
    ]
    programme = Programme("ai", 3, ("k1", "k2", "m1", "w1"), {"MY": 1, "women": 1})
    result = deferred_acceptance(applicants, [programme])
    assert result.assignment == {"k1": "ai", "k2": None, "m1": "ai", "w1": "ai"}
    # A Malaysian woman counts for the first reserve listed that she is a member of, and the next reserve
    # takes another of its members: the order of the reserves is part of the rule.
    both = [*applicants[:3], Applicant("w2", ("ai",), "MY", frozenset({"women"}))]
    women_first = Programme("ai", 3, ("k1", "k2", "w2", "m1"), {"women": 1, "MY": 1})
    placed = deferred_acceptance(both, [women_first]).assignment
    assert placed == {"k1": "ai", "k2": None, "m1": "ai", "w2": "ai"}
    assert blocking_pairs(both, [women_first], placed) == []
    country_first = Programme("ai", 3, ("k1", "k2", "w2", "m1"), {"MY": 1, "women": 1})
    assert deferred_acceptance(both, [country_first]).assignment == {
        "k1": "ai",
        "k2": "ai",
        "m1": None,
        "w2": "ai",
    }


def test_an_unfilled_group_reserve_goes_to_others():
    applicants = [Applicant("k1", ("ai",), "PK"), Applicant("k2", ("ai",), "PK", frozenset({"x"}))]
    programme = Programme("ai", 2, ("k1", "k2"), {"women": 1})
    assert deferred_acceptance(applicants, [programme]).assignment == {"k1": "ai", "k2": "ai"}


def test_the_welfare_variant_honours_group_reserves_too():
    applicants = [
        Applicant("k1", ("ai",), "PK"),
        Applicant("w1", ("ai", "ml"), "PK", frozenset({"women"})),
        Applicant("k2", ("ml",), "PK", frozenset({"x"})),
    ]
    programmes = [Programme("ai", 1, ("k1", "w1"), {"women": 1}), Programme("ml", 1, ("k2", "w1"))]
    assert welfare_allocation(applicants, programmes).assignment == {"k1": None, "w1": "ai", "k2": "ml"}


def test_a_checker_refuses_an_assignment_the_rule_would_not_keep():
    from concord.engine.errors import MatchingError

    applicants = [
        Applicant("k1", ("ai",), "PK", frozenset({"x"})),
        Applicant("w1", ("ai",), "PK", frozenset({"women"})),
    ]
    programme = Programme("ai", 1, ("k1", "w1"), {"women": 1})
    assert [
        (p.applicant_id, p.programme_id)
        for p in blocking_pairs(applicants, [programme], {"k1": "ai", "w1": None})
    ] == [("w1", "ai")]
    with pytest.raises(MatchingError):
        blocking_pairs(applicants, [programme], {"k1": "ai", "w1": "ai"})
