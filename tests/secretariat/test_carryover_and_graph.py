"""Carry-over selection and dependency cycles, with hand-worked cases."""

from __future__ import annotations

from concord.secretariat.carryover import ItemFact, OutcomeFact, Reason, select_carry_over
from concord.secretariat.graph import cycle_if_added, find_cycle, layers


def _ids(items):
    return [(c.item_id, c.reason) for c in select_carry_over(items)]


def test_open_actions_and_undecided_items_carry_over_and_nothing_else():
    items = [
        ItemFact(1, "decision", [OutcomeFact("decision", "agreed")]),  # decided
        ItemFact(2, "decision", []),  # no outcome: undecided
        ItemFact(3, "discussion", [OutcomeFact("action", "agreed")]),  # open action
        ItemFact(4, "discussion", [OutcomeFact("action", "agreed", action_done=True)]),  # action done
        ItemFact(5, "information", [OutcomeFact("information", "noted")]),  # noted
        ItemFact(6, "decision", [OutcomeFact("decision", "deferred")]),  # deferred: undecided
        ItemFact(7, "decision", [OutcomeFact("decision", "referred")]),  # referred to a WG: leaves
        ItemFact(8, "discussion", []),  # discussion without outcome: nothing to carry
        ItemFact(9, "decision", [OutcomeFact("action", "withdrawn")]),  # withdrawn: the matter is settled
        ItemFact(10, "discussion", [OutcomeFact("decision", "deferred")]),  # deferred discussion
    ]
    assert _ids(items) == [
        (2, Reason.UNDECIDED),
        (3, Reason.OPEN_ACTION),
        (6, Reason.UNDECIDED),
        (10, Reason.UNDECIDED),
    ]


def test_an_open_action_outranks_undecided():
    assert _ids([ItemFact(1, "decision", [OutcomeFact("action", "agreed")])]) == [(1, Reason.OPEN_ACTION)]


def test_a_later_decision_settles_an_earlier_deferral():
    item = ItemFact(1, "decision", [OutcomeFact("decision", "deferred"), OutcomeFact("decision", "agreed")])
    assert _ids([item]) == []


def test_items_already_carried_are_not_carried_twice():
    assert _ids([ItemFact(1, "decision", [], already_carried=True)]) == []


def test_refused_actions_do_not_keep_an_item_open():
    item = ItemFact(1, "discussion", [OutcomeFact("action", "not_agreed")])
    assert _ids([item]) == []


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
