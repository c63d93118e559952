"""Dependencies between commitments: cycle detection and a layered layout. Pure Python.

An edge ``(a, b)`` means *a depends on b* (b must be done first).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def _adjacency(edges: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    adj: dict[int, list[int]] = defaultdict(list)
    for a, b in edges:
        adj[a].append(b)
    return adj


def path_between(edges: Iterable[tuple[int, int]], start: int, goal: int) -> list[int] | None:
    """A chain of dependencies from ``start`` to ``goal`` (both included), or ``None`` if there is none."""
    adj = _adjacency(edges)
    stack: list[tuple[int, list[int]]] = [(start, [start])]
    seen = {start}
    while stack:
        node, path = stack.pop()
        if node == goal:
            return path
        for nxt in adj.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def cycle_if_added(edges: Iterable[tuple[int, int]], new: tuple[int, int]) -> list[int] | None:
    """The cycle that adding ``new = (a, b)`` would close, as ``[a, b, …, a]``, or ``None`` if it is safe.

    A self-dependency ``(a, a)`` is a cycle of its own: ``[a, a]``.
    """
    a, b = new
    if a == b:
        return [a, a]
    back = path_between(list(edges), b, a)
    return [a, *back] if back else None


def find_cycle(edges: Iterable[tuple[int, int]]) -> list[int] | None:
    """Any cycle in the graph, as ``[n0, n1, …, n0]``, or ``None`` (iterative three-colour search)."""
    adj = _adjacency(edges)
    nodes = sorted(set(adj) | {b for targets in adj.values() for b in targets})
    colour = dict.fromkeys(nodes, 0)  # 0 new, 1 on the stack, 2 done
    parent: dict[int, int] = {}
    for root in nodes:
        if colour[root]:
            continue
        stack = [(root, iter(adj.get(root, ())))]
        colour[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node] = 2
                stack.pop()
            elif colour[nxt] == 0:
                colour[nxt] = 1
                parent[nxt] = node
                stack.append((nxt, iter(adj.get(nxt, ()))))
            elif colour[nxt] == 1:
                cycle = [nxt, node]
                while cycle[-1] != nxt:
                    cycle.append(parent[cycle[-1]])
                return list(reversed(cycle))
    return None


def layers(nodes: Iterable[int], edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Each node's layer: 0 for nodes that depend on nothing, else one more than its deepest prerequisite.

    Edges that would form a cycle are ignored so that the layout always ends.
    """
    nodes = list(nodes)
    known = set(nodes)
    adj = _adjacency((a, b) for a, b in edges if a in known and b in known)
    depth: dict[int, int] = {}

    def visit(node: int, trail: frozenset[int]) -> int:
        if node in depth:
            return depth[node]
        prereqs = [b for b in adj.get(node, ()) if b not in trail]
        value = 1 + max((visit(b, trail | {node}) for b in prereqs), default=-1)
        depth[node] = value
        return value

    for n in nodes:
        visit(n, frozenset())
    return depth
