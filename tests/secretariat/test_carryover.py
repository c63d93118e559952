"""Carry-over selection, with hand-worked cases."""

from __future__ import annotations

from concord.secretariat.carryover import ItemFact, OutcomeFact, Reason, select_carry_over


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
