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

    The network: source → applicant (1) → programme node (general seats) or, for a group member, straight
    to the programme's reserve node for that group at a large bonus; programme node → reserve node (the
    reserved seats anyone may take, no bonus) and → sink (capacity minus reserves); reserve node → sink.
    It is solved exactly as a min-cost flow by the primal-dual method (`_MinCostFlow`), which takes a few
    phases for rank utilities, so rounds of thousands of applicants take a second or so. The result is
    deterministic: the same input gives the same allocation.
    """
    inst = prepare(applicants, programmes)
    n_a, n_p = len(inst.applicant_ids), len(inst.programme_ids)
    reserve_nodes: dict[tuple[int, int], int] = {}
    for j, g in zip(*np.nonzero(inst.reserves)):
        reserve_nodes[(int(j), int(g))] = n_a + n_p + 2 + len(reserve_nodes)
    source, sink = n_a + n_p, n_a + n_p + 1
    flow = _MinCostFlow(n_a + n_p + 2 + len(reserve_nodes))
    lengths = np.diff(inst.pref_ptr)
    top = max((utility(0, int(k)) for k in set(lengths.tolist()) if k), default=0.0)
    bonus = (abs(top) + 1.0) * (n_a + 1)  # one reserved seat filled outweighs any welfare difference
    for i in range(n_a):
        lo, hi = int(inst.pref_ptr[i]), int(inst.pref_ptr[i + 1])
        if lo == hi:
            continue
        flow.add(source, i, 1, 0.0)
        member_of = inst.member_groups[i] if inst.member_groups else (int(inst.group[i]),)
        for s in range(lo, hi):
            if inst.pair_rank[s] >= 0:
                j = int(inst.prefs[s])
                w = -utility(s - lo, hi - lo)
                flow.add(i, n_a + j, 1, w)
                for g in member_of:
                    if (j, g) in reserve_nodes:
                        flow.add(i, reserve_nodes[(j, g)], 1, w - bonus)
    for j in range(n_p):
        reserved = 0
        for (rj, g), node in reserve_nodes.items():
            if rj == j:
                seats = int(inst.reserves[j, g])
                reserved += seats
                flow.add(n_a + j, node, seats, 0.0)
                flow.add(node, sink, seats, 0.0)
        if inst.capacity[j] - reserved > 0:
            flow.add(n_a + j, sink, int(inst.capacity[j]) - reserved, 0.0)
    flow.solve(source, sink)
    programme_of = {node: j for (j, _g), node in reserve_nodes.items()}
    programme_of.update({n_a + j: j for j in range(n_p)})
    assignment: dict[str, str | None] = {aid: None for aid in inst.applicant_ids}
    for i in range(n_a):
        for e in flow.graph[i]:
            if e % 2 == 0 and flow.cap[e] == 0 and flow.to[e] in programme_of:
                assignment[inst.applicant_ids[i]] = inst.programme_ids[programme_of[flow.to[e]]]
    return Allocation(assignment=assignment, method="welfare")


class _MinCostFlow:
    """Min-cost flow (not max-flow): augment while a source-to-sink path of negative cost remains.

    Primal-dual: node potentials keep reduced costs non-negative, so each phase finds shortest distances
    with Dijkstra, then pushes a blocking flow along every shortest path at once (Dinic's method on the
    edges of zero reduced cost). With integer costs in a small range, as rank utilities are, there are only
    as many phases as distinct path costs, instead of one shortest-path search per unit of flow.
    """

    EPS = 1e-9

    def __init__(self, n: int) -> None:
        self.n = n
        self.graph: list[list[int]] = [[] for _ in range(n)]
        self.to: list[int] = []
        self.cap: list[int] = []
        self.cost: list[float] = []

    def add(self, u: int, v: int, capacity: int, cost: float) -> None:
        self.graph[u].append(len(self.to))
        self.to.append(v)
        self.cap.append(capacity)
        self.cost.append(cost)
        self.graph[v].append(len(self.to))
        self.to.append(u)
        self.cap.append(0)
        self.cost.append(-cost)

    def _initial_potentials(self, source: int) -> list[float]:
        """Shortest distances from the source by Bellman-Ford in queue order (the network has no
        negative cycle: it is acyclic before any flow moves)."""
        inf = float("inf")
        dist = [inf] * self.n
        dist[source] = 0.0
        queue, queued = [source], [False] * self.n
        queued[source] = True
        head = 0
        while head < len(queue):
            u = queue[head]
            head += 1
            queued[u] = False
            for e in self.graph[u]:
                if self.cap[e] > 0 and dist[u] + self.cost[e] < dist[self.to[e]] - self.EPS:
                    v = self.to[e]
                    dist[v] = dist[u] + self.cost[e]
                    if not queued[v]:
                        queued[v] = True
                        queue.append(v)
        return [d if d < inf else 0.0 for d in dist]

    def solve(self, source: int, sink: int) -> None:
        import heapq

        inf = float("inf")
        graph, to, cap, cost, eps = self.graph, self.to, self.cap, self.cost, self.EPS
        pi = self._initial_potentials(source)
        while True:
            dist = [inf] * self.n
            dist[source] = 0.0
            heap = [(0.0, source)]
            while heap:
                d, u = heapq.heappop(heap)
                if d > dist[u]:
                    continue
                pu = pi[u]
                for e in graph[u]:
                    if cap[e] > 0:
                        v = to[e]
                        nd = d + cost[e] + pu - pi[v]
                        if nd < dist[v] - eps:
                            dist[v] = nd
                            heapq.heappush(heap, (nd, v))
            if dist[sink] == inf:
                return
            cap_d = dist[sink]
            for v in range(self.n):
                pi[v] += min(dist[v], cap_d)
            if pi[sink] - pi[source] >= -eps:  # the cheapest augmenting path no longer lowers the cost
                return
            self._blocking_flow(source, sink, pi)

    def _blocking_flow(self, source: int, sink: int, pi: list[float]) -> None:
        """Push flow along paths of zero reduced cost until none is left (Dinic: BFS levels, then DFS)."""
        graph, to, cap, cost, eps = self.graph, self.to, self.cap, self.cost, self.EPS

        def admissible(e: int, u: int) -> bool:
            return cap[e] > 0 and abs(cost[e] + pi[u] - pi[to[e]]) <= eps

        while True:
            level = [-1] * self.n
            level[source] = 0
            order = [source]
            for u in order:
                for e in graph[u]:
                    v = to[e]
                    if level[v] < 0 and admissible(e, u):
                        level[v] = level[u] + 1
                        order.append(v)
            if level[sink] < 0:
                return
            pointer = [0] * self.n
            pushed = False
            while True:
                # one unit at a time (source edges carry one): iterative DFS along the level graph
                path: list[int] = []
                u = source
                while u != sink:
                    edges = graph[u]
                    while pointer[u] < len(edges):
                        e = edges[pointer[u]]
                        v = to[e]
                        if level[v] == level[u] + 1 and admissible(e, u):
                            break
                        pointer[u] += 1
                    else:
                        if u == source:
                            break
                        level[u] = -1  # dead end: never visit again in this phase
                        e = path.pop()
                        u = to[e ^ 1]
                        pointer[u] += 1
                        continue
                    path.append(edges[pointer[u]])
                    u = to[edges[pointer[u]]]
                if u != sink:
                    break
                for e in path:
                    cap[e] -= 1
                    cap[e ^ 1] += 1
                pushed = True
            if not pushed:
                return


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
