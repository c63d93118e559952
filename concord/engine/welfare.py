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

    Only mutually acceptable pairs are used. Reserves are ignored (they are a stability notion here).
    Solved exactly as a min-cost flow by successive shortest paths (Bellman–Ford on the residual graph),
    which suits rounds of a few thousand applicants; ties are broken towards earlier applicants.
    """
    inst = prepare(applicants, programmes)
    n_a, n_p = len(inst.applicant_ids), len(inst.programme_ids)
    source, sink = n_a + n_p, n_a + n_p + 1
    n = n_a + n_p + 2
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

    for i in range(n_a):
        lo, hi = int(inst.pref_ptr[i]), int(inst.pref_ptr[i + 1])
        if lo == hi:
            continue
        add(source, i, 1, 0.0)
        for s in range(lo, hi):
            if inst.pair_rank[s] >= 0:
                # a tiny tie-break so equal-welfare solutions favour earlier applicants deterministically
                add(i, n_a + int(inst.prefs[s]), 1, -utility(s - lo, hi - lo) - 1e-9 * (n_a - i))
    for j in range(n_p):
        if inst.capacity[j] > 0:
            add(n_a + j, sink, int(inst.capacity[j]), 0.0)
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
    assignment: dict[str, str | None] = {aid: None for aid in inst.applicant_ids}
    for i in range(n_a):
        for e in graph[i]:
            if to[e] >= n_a and to[e] < n_a + n_p and cap[e] == 0 and e % 2 == 0:
                assignment[inst.applicant_ids[i]] = inst.programme_ids[to[e] - n_a]
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
