"""Which agenda items of a closed meeting carry over to the next meeting's draft agenda. Pure Python.

An item carries over when either:

- it has an **open action**: an outcome of kind *action* that is not done and was not withdrawn or refused
  (``not_agreed``); or
- it is **undecided**: an item *for decision* without a final disposition, or any item whose latest outcome
  was *deferred*. Final dispositions are agreed, agreed as amended, not agreed, noted and withdrawn. An item
  *referred to a working group* leaves the plenary track and does not carry over.

Items that were themselves carried into another meeting already are not carried twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

FINAL = frozenset({"agreed", "agreed_as_amended", "not_agreed", "noted", "withdrawn"})
REFUSED = frozenset({"withdrawn", "not_agreed"})


class Reason(StrEnum):
    OPEN_ACTION = "open_action"
    UNDECIDED = "undecided"


@dataclass(frozen=True)
class OutcomeFact:
    kind: str
    disposition: str
    action_done: bool = False


@dataclass
class ItemFact:
    id: int
    kind: str
    outcomes: list[OutcomeFact] = field(default_factory=list)
    already_carried: bool = False


@dataclass(frozen=True)
class Carry:
    item_id: int
    reason: Reason


def has_open_action(item: ItemFact) -> bool:
    return any(
        o.kind == "action" and not o.action_done and o.disposition not in REFUSED for o in item.outcomes
    )


def is_undecided(item: ItemFact) -> bool:
    dispositions = [o.disposition for o in item.outcomes]
    if dispositions and dispositions[-1] == "deferred":
        return True
    if "referred" in dispositions:
        return False
    if item.kind == "decision":
        return not any(d in FINAL for d in dispositions)
    return False


def select_carry_over(items: Iterable[ItemFact]) -> list[Carry]:
    """The items to carry over, in the order given, each with why (an open action outranks undecided)."""
    carried = []
    for item in items:
        if item.already_carried:
            continue
        if has_open_action(item):
            carried.append(Carry(item.id, Reason.OPEN_ACTION))
        elif is_undecided(item):
            carried.append(Carry(item.id, Reason.UNDECIDED))
    return carried
