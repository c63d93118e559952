"""The welfare-maximising allocation (for comparison with the stable one) and allocation summaries.

Re-exported by `concord.engine.match`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .allocation import Allocation, Applicant, Programme, blocking_pairs, prepare

# --- the welfare-maximising variant -----------------------------------------------------------------------


def rank_utility(position: int, length: int) -> float:
    """Default utility of one's ``position``-th choice (0 = first) of ``length``: length − position."""
    return float(length - position)


def welfare_allocation(
    applicants: Sequence[Applicant],
    programmes: Sequence[Programme],
    *,
    utility: Callable[[int, int], float] = rank_utility,
) -> Allocation:
    """The allocation that maximises total applicant utility within capacities, for comparison with DA.

    Only mutually acceptable pairs are used. Reserves are honoured first, as in DA's choice rule: the
    allocation fills as many reserved seats with members of their group as it can, and among those
    allocations it maximises welfare. A reserved seat its group cannot fill is open to anyone.
    Solved exactly as a min-cost flow by successive shortest paths (Bellman–Ford on the residual graph),
    which suits rounds of a few thousand applicants; ties are broken towards earlier applicants.

    The network: source → applicant (1) → programme node (general seats) or, for a group member, straight
    to the programme's reserve node for that group at a large bonus; programme node → reserve node (the
    reserved seats anyone may take, no bonus) and → sink (capacity minus reserves); reserve node → sink.
    """
    inst = prepare(applicants, programmes)
    n_a, n_p = len(inst.applicant_ids), len(inst.programme_ids)
    reserve_nodes: dict[tuple[int, int], int] = {}
    for j, g in zip(*np.nonzero(inst.reserves)):
        reserve_nodes[(int(j), int(g))] = n_a + n_p + 2 + len(reserve_nodes)
    source, sink = n_a + n_p, n_a + n_p + 1
    n = n_a + n_p + 2 + len(reserve_nodes)
    graph: list[list[int]] = [[] for _ in range(n)]
    to: list[int] = []
    cap: list[int] = []
    cost: list[float] = []

    def add(u: int, v: int, c: int, w: float) -> None:
        graph[u].append(len(to))
        to.append(v)
        cap.append(c)
        cost.append(w)
        graph[v].append(len(to))
        to.append(u)
        cap.append(0)
        cost.append(-w)

    lengths = np.diff(inst.pref_ptr)
    top = max((utility(0, int(k)) for k in set(lengths.tolist()) if k), default=0.0)
    bonus = (abs(top) + 1.0) * (n_a + 1)  # one reserved seat filled outweighs any welfare difference
    for i in range(n_a):
        lo, hi = int(inst.pref_ptr[i]), int(inst.pref_ptr[i + 1])
        if lo == hi:
            continue
        add(source, i, 1, 0.0)
        g = int(inst.group[i])
        for s in range(lo, hi):
            if inst.pair_rank[s] >= 0:
                j = int(inst.prefs[s])
                # a tiny tie-break so equal-welfare solutions favour earlier applicants deterministically
                w = -utility(s - lo, hi - lo) - 1e-9 * (n_a - i)
                add(i, n_a + j, 1, w)
                if (j, g) in reserve_nodes:
                    add(i, reserve_nodes[(j, g)], 1, w - bonus)
    for j in range(n_p):
        reserved = 0
        for (rj, g), node in reserve_nodes.items():
            if rj == j:
                seats = int(inst.reserves[j, g])
                reserved += seats
                add(n_a + j, node, seats, 0.0)
                add(node, sink, seats, 0.0)
        if inst.capacity[j] - reserved > 0:
            add(n_a + j, sink, int(inst.capacity[j]) - reserved, 0.0)
    while True:
        dist = [float("inf")] * n
        parent = [-1] * n
        dist[source] = 0.0
        in_queue = [False] * n
        queue = [source]
        in_queue[source] = True
        while queue:  # SPFA: Bellman-Ford with a queue
            u = queue.pop()
            in_queue[u] = False
            du = dist[u]
            for e in graph[u]:
                if cap[e] > 0 and du + cost[e] < dist[to[e]] - 1e-12:
                    v = to[e]
                    dist[v] = du + cost[e]
                    parent[v] = e
                    if not in_queue[v]:
                        in_queue[v] = True
                        queue.append(v)
        if dist[sink] >= -1e-12:  # no augmenting path that still improves welfare
            break
        v = sink
        while v != source:
            e = parent[v]
            cap[e] -= 1
            cap[e ^ 1] += 1
            v = to[e ^ 1]
    programme_of = {node: j for (j, _g), node in reserve_nodes.items()}
    programme_of.update({n_a + j: j for j in range(n_p)})
    assignment: dict[str, str | None] = {aid: None for aid in inst.applicant_ids}
    for i in range(n_a):
        for e in graph[i]:
            if e % 2 == 0 and cap[e] == 0 and to[e] in programme_of:
                assignment[inst.applicant_ids[i]] = inst.programme_ids[programme_of[to[e]]]
    return Allocation(assignment=assignment, method="welfare")


@dataclass(frozen=True, slots=True)
class AllocationSummary:
    """Comparable numbers for an allocation: placed, first choices, mean choice position, blocking pairs."""

    placed: int
    unplaced: int
    first_choice: int
    mean_position: float
    blocking_pairs: int
    utility: float


def summarise(
    applicants: Sequence[Applicant], programmes: Sequence[Programme], allocation: Allocation
) -> AllocationSummary:
    """Summarise ``allocation`` for a side-by-side comparison of methods."""
    placed = first = 0
    positions: list[int] = []
    utility = 0.0
    for a in applicants:
        p = allocation.assignment.get(a.id)
        if p is None:
            continue
        pos = a.preferences.index(p)
        placed += 1
        first += pos == 0
        positions.append(pos + 1)
        utility += rank_utility(pos, len(a.preferences))
    return AllocationSummary(
        placed=placed,
        unplaced=len(applicants) - placed,
        first_choice=first,
        mean_position=float(np.mean(positions)) if positions else 0.0,
        blocking_pairs=len(blocking_pairs(applicants, programmes, allocation.assignment)),
        utility=utility,
    )
