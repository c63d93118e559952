"""Roll-up of progress, with answers computed by hand in the comments."""

from __future__ import annotations

import pytest

from concord.commitments.progress import MilestoneFact, Node, build_forest, mean_progress, rolled_up_percent


def test_a_leaf_uses_its_latest_verified_percentage():
    assert rolled_up_percent(Node(1, verified_percent=40)) == 40.0


def test_a_leaf_without_verified_progress_is_at_zero():
    assert rolled_up_percent(Node(1)) == 0.0


def test_complete_is_a_hundred_and_withdrawn_is_none():
    assert rolled_up_percent(Node(1, completion="complete", verified_percent=10)) == 100.0
    assert rolled_up_percent(Node(1, completion="withdrawn", verified_percent=90)) is None


def test_milestones_count_by_weight():
    # weights 1 (done), 1 (not done), 2 (done): (1*100 + 1*0 + 2*100) / 4 = 75
    node = Node(1, milestones=[MilestoneFact(1, True), MilestoneFact(1, False), MilestoneFact(2, True)])
    assert rolled_up_percent(node) == 75.0


def test_a_verified_update_outranks_the_milestones_of_a_leaf():
    node = Node(1, verified_percent=40, milestones=[MilestoneFact(1, False), MilestoneFact(1, False)])
    assert rolled_up_percent(node) == 40.0


def test_a_parent_ignores_its_own_verified_percentage_and_rolls_up_its_parts():
    # child at 20%, own milestone (w1) reached: (1*20 + 1*100) / 2 = 60, whatever the parent's own 90%
    node = Node(
        1, verified_percent=90, children=[Node(2, verified_percent=20)], milestones=[MilestoneFact(1, True)]
    )
    assert rolled_up_percent(node) == 60.0


def test_children_roll_up_by_weight():
    # child A weight 3 at 40%, child B weight 1 at 100% (complete): (3*40 + 1*100) / 4 = 55
    parent = Node(
        1, children=[Node(2, weight=3, verified_percent=40), Node(3, weight=1, completion="complete")]
    )
    assert rolled_up_percent(parent) == 55.0


def test_withdrawn_children_drop_out_of_the_roll_up():
    # the withdrawn child (weight 5) is ignored: only B at 60% remains -> 60
    parent = Node(
        1, children=[Node(2, weight=5, completion="withdrawn"), Node(3, weight=1, verified_percent=60)]
    )
    assert rolled_up_percent(parent) == 60.0


def test_children_and_milestones_are_parts_of_one_weighted_mean():
    # child weight 2 at 50%; milestone weight 1 done; milestone weight 1 not done
    # (2*50 + 1*100 + 1*0) / 4 = 50
    parent = Node(
        1,
        children=[Node(2, weight=2, verified_percent=50)],
        milestones=[MilestoneFact(1, True), MilestoneFact(1, False)],
    )
    assert rolled_up_percent(parent) == 50.0


def test_three_levels_roll_up():
    # grandchild G1 (w1) milestones 1 of 2 done -> 50; G2 (w1) verified 100 -> 100; child C = (50+100)/2 = 75
    # root: C (w3) at 75 and D (w1) at 15 -> (3*75 + 15) / 4 = 60
    child = Node(
        2,
        weight=3,
        children=[
            Node(4, milestones=[MilestoneFact(1, True), MilestoneFact(1, False)]),
            Node(5, verified_percent=100),
        ],
    )
    root = Node(1, children=[child, Node(3, weight=1, verified_percent=15)])
    assert rolled_up_percent(root) == 60.0


def test_a_parent_loop_in_bad_data_ends():
    a, b = Node(1), Node(2, verified_percent=80)
    a.children.append(b)
    b.children.append(a)
    # b's parts: a (which meets b again and counts 0) -> a = mean(b) ... all finite
    assert rolled_up_percent(a) is not None


def test_build_forest_links_rows_and_ignores_unknown_parents():
    rows = [
        {"id": 1, "parent_id": None, "completion": "not_started", "weight": 1},
        {"id": 2, "parent_id": 1, "completion": "not_started", "weight": 1},
        {"id": 3, "parent_id": 99, "completion": "not_started", "weight": 1},
    ]
    nodes = build_forest(rows, {2: [MilestoneFact(1, True)]}, {3: 30})
    assert [c.id for c in nodes[1].children] == [2]
    assert rolled_up_percent(nodes[1]) == 100.0
    assert rolled_up_percent(nodes[3]) == 30.0


@pytest.mark.parametrize(("values", "expected"), [([10, 20, None], 15.0), ([None], None), ([], None)])
def test_mean_progress_skips_withdrawn(values, expected):
    assert mean_progress(values) == expected
