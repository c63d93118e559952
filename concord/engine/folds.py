"""Held-out evaluation: folds by group, and fitting that can never score the items it was fitted on.

Anything Concord tunes (fusion weights, the link calibrator, the type model, the skill linker's weights) is
reported only on items its parameters never saw. The unit of holding out is a *group* — a data set, a bill,
a news document, a sentence — because items of one group are alike, and a model that saw a bill's section 3
has learnt something about its section 4.

- `group_folds` makes the folds: leave-one-group-out, or ``k`` folds of whole groups (stable: the same
  groups always land in the same fold, whatever their order).
- `cross_fit` fits once per fold on the training groups and scores that fold's test items with those
  parameters only. Each `FoldResult` records the groups its parameters were fitted on and the groups it
  scored; `cross_fit` raises if the two ever meet, so a benchmark built on it cannot flatter.
- `Provenance` is what fitted parameters carry with them: the command that made them, the data, the
  groups, the date, and the held-out measures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Generic, TypeVar

from .errors import HarmonizationError

T = TypeVar("T")
P = TypeVar("P")
R = TypeVar("R")


class LeakError(HarmonizationError):
    """A fold would be scored with parameters fitted on some of its own groups."""


@dataclass(frozen=True, slots=True)
class Fold:
    """One split: ``train`` and ``test`` are disjoint sets of group names."""

    name: str
    train: frozenset[str]
    test: frozenset[str]

    def __post_init__(self) -> None:
        overlap = self.train & self.test
        if overlap:
            raise LeakError(f"fold {self.name!r} trains and tests on {sorted(overlap)[:5]}", code="E460")


def _bucket(group: str, k: int, seed: str) -> int:
    digest = hashlib.blake2b(f"{seed}\0{group}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % k


def group_folds(groups: Sequence[Hashable], k: int | None = None, *, seed: str = "concord") -> list[Fold]:
    """Folds over the distinct ``groups``: one per group when ``k`` is None (leave one group out), else
    ``k`` folds, each group placed by a hash of its name (stable across runs and input orders). Empty
    folds are dropped. Fewer than two groups cannot be held out and raise `LeakError`."""
    names = sorted({str(g) for g in groups})
    if len(names) < 2:
        raise LeakError(f"held-out evaluation needs at least two groups, got {len(names)}", code="E461")
    if k is None or k >= len(names):
        return [Fold(g, frozenset(n for n in names if n != g), frozenset({g})) for g in names]
    if k < 2:
        raise LeakError(f"k must be at least 2, got {k}", code="E461")
    buckets: dict[int, set[str]] = {}
    for g in names:
        buckets.setdefault(_bucket(g, k, seed), set()).add(g)
    everything = frozenset(names)
    return [
        Fold(f"fold {n + 1} of {len(buckets)}", everything - frozenset(test), frozenset(test))
        for n, (_, test) in enumerate(sorted(buckets.items()))
    ]


@dataclass(frozen=True, slots=True)
class FoldResult(Generic[P, R]):
    """What one fold gave: its parameters, the groups they were fitted on, the groups scored, the score."""

    fold: str
    params: P
    fitted_on: frozenset[str]
    scored_on: frozenset[str]
    result: R


def cross_fit(
    items: Sequence[T],
    group_of: Callable[[T], Hashable],
    fit: Callable[[list[T]], P],
    score: Callable[[P, list[T]], R],
    folds: Sequence[Fold],
) -> list[FoldResult[P, R]]:
    """For each fold, ``fit`` on the items of its training groups and ``score`` its test items with the
    parameters just fitted. Raises `LeakError` when a fold's fitted and scored groups overlap, or when an
    item's group is in no fold's test set (it would never be reported)."""
    by_group: dict[str, list[T]] = {}
    for item in items:
        by_group.setdefault(str(group_of(item)), []).append(item)
    tested = frozenset().union(*(f.test for f in folds)) if folds else frozenset()
    untested = sorted(set(by_group) - tested)
    if untested:
        raise LeakError(f"groups in no test fold: {untested[:5]}", code="E462")
    out: list[FoldResult[P, R]] = []
    for fold in folds:
        train = [x for g in sorted(fold.train) for x in by_group.get(g, [])]
        test = [x for g in sorted(fold.test) for x in by_group.get(g, [])]
        fitted_on = frozenset(g for g in fold.train if g in by_group)
        scored_on = frozenset(g for g in fold.test if g in by_group)
        if fitted_on & scored_on:  # pragma: no cover - Fold already refuses this; kept as the last guard
            raise LeakError(f"fold {fold.name!r} would score groups it was fitted on", code="E460")
        if not test:
            continue
        params = fit(train)
        out.append(FoldResult(fold.name, params, fitted_on, scored_on, score(params, test)))
    return out


@dataclass(slots=True)
class Provenance:
    """Where fitted parameters came from: enough to reproduce them and to know what they may not be
    scored on. ``held_out`` holds the cross-fitted measures; ``fitted_on`` names every group used."""

    command: str
    data: str
    fitted: str
    fitted_on: list[str]
    held_out: dict[str, Any] = field(default_factory=dict)
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)
