"""Siblings: a target raised by the scores of the other members of its family (`retrieve.sibling_boost`),
families read from document structure (`harmonize.target_groups`), and the engine ranking as documented."""

from __future__ import annotations

import numpy as np
import pytest

from concord.engine.encoders import HashingEncoder
from concord.engine.errors import HarmonizationError
from concord.engine.fusion import FusionParams, fused_matrix
from concord.engine.harmonize import HarmonizeOptions, _prepare, rank_targets, target_groups
from concord.engine.lexical import BM25Index
from concord.engine.retrieve import Candidates, sibling_boost, siblings_raised
from concord.engine.types import Provision

ENC = HashingEncoder()


def p(pid: str, text: str, parent: str | None = None) -> Provision:
    return Provision(pid, "", "", text, "section", parent=parent, language="en")


def test_a_target_gains_the_mean_of_its_two_best_siblings_clipped_at_zero() -> None:
    scores = np.array([3.0, 1.0, -2.0, 2.0, 5.0], dtype=np.float32)
    groups = np.array([0, 0, 0, 1, -1])
    out = sibling_boost(scores, groups, 0.5)
    # group 0: siblings of 3.0 are 1.0 and -2.0 (counted 0); of 1.0: 3.0 and 0; of -2.0: 3.0 and 1.0
    assert out.tolist() == pytest.approx([3.0 + 0.25, 1.0 + 0.75, -2.0 + 1.0, 2.0, 5.0])


def test_only_the_best_two_siblings_count_in_a_large_family() -> None:
    scores = np.array([4.0, 3.0, 2.0, 1.0], dtype=np.float32)
    out = sibling_boost(scores, np.zeros(4, dtype=np.int64), 1.0)
    assert out.tolist() == pytest.approx([4.0 + 2.5, 3.0 + 3.0, 2.0 + 3.5, 1.0 + 3.5])


def test_rows_of_a_matrix_are_raised_each_by_its_own_scores() -> None:
    scores = np.array([[1.0, 0.0, 2.0], [0.0, 2.0, 1.0]], dtype=np.float32)
    out = sibling_boost(scores, np.array([0, 0, -1]), 1.0)
    assert np.allclose(out, [[1.0, 0.5, 2.0], [1.0, 2.0, 1.0]])


def test_no_weight_leaves_scores_alone_and_masked_targets_neither_gain_nor_give() -> None:
    scores = np.array([2.0, -np.inf, 1.0], dtype=np.float32)
    groups = np.array([0, 0, 0])
    assert sibling_boost(scores, groups, 0.0).tolist() == scores.tolist()
    out = sibling_boost(scores, groups, 1.0)
    assert out[1] == -np.inf
    assert out[[0, 2]].tolist() == pytest.approx([2.0 + 0.5, 1.0 + 1.0])


def test_groups_must_give_one_group_per_target() -> None:
    with pytest.raises(HarmonizationError) as err:
        sibling_boost(np.zeros(3, dtype=np.float32), np.zeros(2, dtype=np.int64), 1.0)
    assert err.value.code == "E411"


def test_a_target_with_strong_siblings_overtakes_an_equally_scored_stray() -> None:
    # target 0 is a stray; targets 1 and 2 are one family
    score = np.array([[1.0, 1.0, 0.8]], dtype=np.float32)
    c = Candidates(
        np.array([[0, 1, 2]]), score, score.copy(), score.copy(), np.zeros_like(score), score.copy()
    )
    groups = np.array([-1, 0, 0])
    assert siblings_raised(c, groups, 0.0, 2).indices.tolist() == [[0, 1]]
    raised = siblings_raised(c, groups, 0.5, 2)
    assert raised.indices.tolist() == [[1, 2]]
    assert np.allclose(raised.score, [[1.2, 1.05]])
    assert np.allclose(raised.dense, [[1.0, 0.8]])  # the other columns are the target's own


def test_families_are_read_from_parents_outside_the_set_and_from_ids() -> None:
    catalogue = [
        p("AC-1", "Policy.", parent="AC"),
        p("AC-2", "Accounts.", parent="AC"),
        p("AC-2(1)", "Automated account management."),  # an enhancement: its root's family
        p("SC-7", "Boundary protection.", parent="SC"),
        p("XX-1", "No family."),
    ]
    assert target_groups(catalogue).tolist() == [0, 0, 0, 1, -1]
    subcategories = [p("ID.AM-1", "Devices."), p("ID.AM-2", "Software."), p("ID.RA-1", "Threats.")]
    categories = [p("ID.AM", "Asset management."), p("ID.RA", "Risk assessment.")]
    assert target_groups(subcategories, categories).tolist() == [0, 0, 1]
    assert target_groups(subcategories) is None  # no structure: nothing to smooth


SOURCE = [p("S-1", "Accounts of users are managed and reviewed."), p("S-2", "Boundaries of the network.")]
TARGETS = [
    p("AC-2", "Account management for users of the system.", parent="AC"),
    p("AC-3", "Access enforcement for accounts.", parent="AC"),
    p("AC-6", "Least privilege for users.", parent="AC"),
    p("SC-7", "Boundary protection of the network.", parent="SC"),
    p("SC-8", "Transmission confidentiality.", parent="SC"),
    p("PM-5", "Inventory of systems and users."),
]
PARAMS = FusionParams(hub_weight=0.0, sentence_weight=0.0, lexical_max=0.3, agree_low=0.0, agree_high=0.5)


def test_the_engine_ranks_as_the_whole_matrix_boost_says() -> None:
    params = FusionParams(**{**PARAMS.to_dict(), "sibling_weight": 0.5})
    opts = HarmonizeOptions(top_k=len(TARGETS), rollup=False)
    found, plan = rank_targets(SOURCE, TARGETS, ENC, opts, fusion=params)
    s = _prepare(SOURCE, ENC, "query", None, "s", sentences_too=False)
    t = _prepare(TARGETS, ENC, "query", None, "t", sentences_too=False)
    lex = np.stack([BM25Index(t.tokens).scores(toks) for toks in s.tokens])
    fused, weight = fused_matrix(s.vectors @ t.vectors.T, lex, params)
    assert weight == pytest.approx(plan.lexical_weight)
    raised = sibling_boost(fused, target_groups(TARGETS), 0.5)
    for i in range(len(SOURCE)):
        order = np.lexsort((np.arange(len(TARGETS)), -raised[i]))
        assert found.indices[i].tolist() == order.tolist()
        assert np.allclose(found.score[i], raised[i][order], atol=1e-4)
    plain, _ = rank_targets(SOURCE, TARGETS, ENC, opts, fusion=PARAMS)
    assert not np.allclose(plain.score, found.score)  # the families did move the scores


def test_siblings_change_nothing_on_a_target_side_without_structure() -> None:
    flat = [Provision(f"T{n}", "", "", t.text, "section", language="en") for n, t in enumerate(TARGETS)]
    opts = HarmonizeOptions(top_k=3)
    with_siblings = FusionParams(**{**PARAMS.to_dict(), "sibling_weight": 1.0})
    a, _ = rank_targets(SOURCE, flat, ENC, opts, fusion=PARAMS)
    b, _ = rank_targets(SOURCE, flat, ENC, opts, fusion=with_siblings)
    assert a.indices.tolist() == b.indices.tolist()
    assert np.array_equal(a.score, b.score)


def test_siblings_are_off_in_the_shipped_fusion() -> None:
    from concord.engine.fusion import load_fusion

    assert load_fusion().sibling_weight == 0.0


def test_with_roll_up_families_are_those_of_the_base_controls() -> None:
    catalogue = TARGETS + [
        p("AC-2(1)", "Automated account management for users."),
        p("SC-7(5)", "Deny network traffic by default at the boundary."),
    ]
    params = FusionParams(**{**PARAMS.to_dict(), "sibling_weight": 1.0})
    found, _ = rank_targets(SOURCE, catalogue, ENC, HarmonizeOptions(top_k=4), fusion=params)
    plain, _ = rank_targets(SOURCE, catalogue, ENC, HarmonizeOptions(top_k=4), fusion=PARAMS)
    ids = [t.id for t in catalogue]
    for row in found.indices:
        assert all("(" not in ids[j] for j in row if j >= 0)  # only base controls are ranked
    for row in found.score:
        assert list(row) == sorted(row, reverse=True)
    # the account-management source: its family (AC) rises, so AC controls fill more of its top 4
    ac = [sum(ids[j].startswith("AC") for j in r if j >= 0) for r in (found.indices[0], plain.indices[0])]
    assert ac[0] >= ac[1]
    assert not np.allclose(found.score, plain.score)
