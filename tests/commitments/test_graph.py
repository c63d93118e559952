"""Dependency cycles and layers of commitments, with hand-worked cases."""

from __future__ import annotations

from concord.commitments.graph import cycle_if_added, find_cycle, layers


def test_a_new_edge_closing_a_loop_is_named_in_order():
    edges = [(1, 2), (2, 3)]  # 1 depends on 2, 2 on 3
    assert cycle_if_added(edges, (3, 1)) == [3, 1, 2, 3]
    assert cycle_if_added(edges, (1, 3)) is None  # a shortcut, not a loop
    assert cycle_if_added(edges, (4, 4)) == [4, 4]


def test_find_cycle_reports_a_loop_or_none():
    assert find_cycle([(1, 2), (2, 3)]) is None
    cycle = find_cycle([(1, 2), (2, 3), (3, 1), (4, 1)])
    assert cycle is not None and cycle[0] == cycle[-1] and set(cycle) == {1, 2, 3}


def test_layers_put_prerequisites_first():
    # 1 depends on 2 and 3; 2 depends on 3 -> 3 at 0, 2 at 1, 1 at 2; 4 alone at 0
    assert layers([1, 2, 3, 4], [(1, 2), (1, 3), (2, 3)]) == {1: 2, 2: 1, 3: 0, 4: 0}
