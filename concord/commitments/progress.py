"""Roll-up of commitment progress from children and milestones. Pure Python: no Django.

A commitment's progress (0–100) is computed like this:

1. *Withdrawn* commitments have no progress (``None``) and drop out of their parent's roll-up.
2. *Complete* commitments are at 100.
3. Otherwise, if the commitment has **children**, its progress is the weighted mean of its parts: a child
   counts with its ``weight`` and its own rolled-up progress, and each of the commitment's own milestones
   with its ``weight`` and 100 if reached, else 0.
4. Without children, the percentage of the latest *verified* progress update counts (the other party has
   checked it); with no verified update yet, the share of milestones reached (by weight); else 0.

Submitted and returned updates never count: only what the other side (or the secretariat) verified.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

WITHDRAWN = "withdrawn"
COMPLETE = "complete"


@dataclass(frozen=True)
class MilestoneFact:
    """A milestone reduced to what the roll-up needs."""

    weight: int = 1
    done: bool = False


@dataclass
class Node:
    """A commitment reduced to what the roll-up needs."""

    id: int
    completion: str = "not_started"
    verified_percent: int | None = None
    weight: int = 1
    milestones: list[MilestoneFact] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


def rolled_up_percent(node: Node, _seen: frozenset[int] = frozenset()) -> float | None:
    """The node's progress from 0 to 100 (``None`` when withdrawn), following the rules of this module.

    A parent loop (which the database should never hold) is cut: a node met again counts as no progress.
    """
    if node.completion == WITHDRAWN:
        return None
    if node.completion == COMPLETE:
        return 100.0
    if node.id in _seen:
        return 0.0
    seen = _seen | {node.id}
    if not node.children and node.verified_percent is not None:
        return float(node.verified_percent)
    total_weight = 0
    total = 0.0
    for child in node.children:
        p = rolled_up_percent(child, seen)
        if p is None:
            continue
        total_weight += max(child.weight, 0)
        total += max(child.weight, 0) * p
    for m in node.milestones:
        total_weight += max(m.weight, 0)
        total += max(m.weight, 0) * (100.0 if m.done else 0.0)
    if total_weight:
        return total / total_weight
    return float(node.verified_percent or 0)


def build_forest(
    rows: Iterable[Mapping],
    milestones: Mapping[int, list[MilestoneFact]],
    verified: Mapping[int, int],
) -> dict[int, Node]:
    """Nodes for ``rows`` (dicts with id, parent_id, completion, weight), linked to their children.

    ``milestones`` maps a commitment id to its milestones; ``verified`` to its latest verified percentage.
    Returns every node by id; roots are those whose ``parent_id`` is missing or outside ``rows``.
    """
    nodes = {
        r["id"]: Node(
            id=r["id"],
            completion=r.get("completion", "not_started"),
            verified_percent=verified.get(r["id"]),
            weight=r.get("weight", 1) or 1,
            milestones=list(milestones.get(r["id"], [])),
        )
        for r in rows
    }
    for r in rows:
        parent_id = r.get("parent_id")
        if parent_id in nodes and parent_id != r["id"]:
            nodes[parent_id].children.append(nodes[r["id"]])
    return nodes


def percent_by_id(nodes: Mapping[int, Node]) -> dict[int, float | None]:
    """Every node's rolled-up progress."""
    return {node_id: rolled_up_percent(node) for node_id, node in nodes.items()}


def mean_progress(values: Iterable[float | None]) -> float | None:
    """The plain mean of the values that are not ``None`` (withdrawn), or ``None`` if there are none."""
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


# --- statuses: each derived from one rule, here, and shown on the pages in words (_status_rules.html) -----
NOT_STARTED = "not_started"
LIMITED = "limited"
SUBSTANTIAL = "substantial"
SUBSTANTIAL_FROM = 50  # percent


def completion_level(percent: float | None, declared: str) -> str:
    """The OGP completion level a commitment's progress means: withdrawn only when declared so (its progress
    is then None); complete at 100; substantial from `SUBSTANTIAL_FROM`; limited above 0; else not started.
    The level declared by hand never contradicts the figure beside it ("Not started" at 25%)."""
    if declared == WITHDRAWN or percent is None:
        return WITHDRAWN
    if percent >= 100:
        return COMPLETE
    if percent >= SUBSTANTIAL_FROM:
        return SUBSTANTIAL
    if percent > 0:
        return LIMITED
    return NOT_STARTED


def commitment_is_overdue(end_date, level: str, today) -> bool:
    """Past its end date and neither complete nor withdrawn."""
    return bool(end_date and end_date < today and level not in (COMPLETE, WITHDRAWN))


def milestone_state(planned_date, actual_date, today, *, commitment_level: str = NOT_STARTED) -> str:
    """ "reached", "late" (past its planned date, not reached, its commitment still open), "planned" or
    "undated"."""
    if actual_date is not None:
        return "reached"
    if planned_date is None:
        return "undated"
    if planned_date < today and commitment_level not in (COMPLETE, WITHDRAWN):
        return "late"
    return "planned"


def action_is_overdue(due_date, done: bool, today) -> bool:
    """An action from a meeting: past its due date and not done."""
    return bool(due_date and not done and due_date < today)
