"""Gaps and the harmonization index: what each side lacks, and how much of each theme corresponds.

Both read the mappings that `harmonize.harmonize` suggests; ``docs/harmonization-index.md`` explains the
index and its weights.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping as Mapping_
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .retrieve import Candidates
from .types import Provision

if TYPE_CHECKING:
    from .harmonize import Mapping

ALL_THEMES = "*"
# How much of a provision a mapping covers, by relationship, read from the source's side and the
# target's side. A source that is a subset of its target is fully covered by it; the target is only
# partly covered by that source.
COVERAGE_WEIGHTS: dict[str, tuple[float, float]] = {
    "equal-to": (1.0, 1.0),
    "equivalent-to": (1.0, 1.0),
    "subset-of": (1.0, 0.5),
    "superset-of": (0.5, 1.0),
    "intersects-with": (0.5, 0.5),
    "contrary-to": (0.0, 0.0),
    "no-relationship": (0.0, 0.0),
}
DIVERGENCE_FACTOR = 0.75  # coverage kept by a mapping whose related provisions set different parameters


@dataclass(frozen=True, slots=True)
class Gap:
    """A provision of one ``side`` (``source`` or ``target``) that has no suggested counterpart, with the
    nearest provision of the other side (its nearest miss) and that pair's score and link confidence."""

    side: str
    provision_id: str
    nearest_id: str | None
    nearest_score: float | None
    nearest_confidence: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "side": self.side,
            "provision_id": self.provision_id,
            "nearest_id": self.nearest_id,
            "nearest_score": None if self.nearest_score is None else round(self.nearest_score, 4),
            "nearest_confidence": self.nearest_confidence,
        }


@dataclass(frozen=True, slots=True)
class ThemeIndex:
    """The harmonization index of one theme (``*`` = all provisions); see `theme_index`."""

    theme: str
    index: float
    source_coverage: float
    target_coverage: float
    source_count: int
    target_count: int


def find_gaps(
    mappings: list[Mapping],
    source_ids: list[str],
    target_ids: list[str],
    backward: Candidates,
    root_id: dict[str, str] | None = None,
) -> tuple[list[Gap], list[Gap]]:
    """Source and target provisions with no suggested mapping, each with its nearest miss. With
    ``root_id`` (target id -> id of its root), a target counts as covered when its root is."""
    by_source: dict[str, list[Mapping]] = defaultdict(list)
    covered_targets: set[str] = set()
    for m in mappings:
        by_source[m.source_id].append(m)
        if m.suggested:
            covered_targets.add(m.target_id)
    source_gaps = []
    for sid in source_ids:
        found = by_source.get(sid, [])
        if not any(m.suggested for m in found):
            best = min(found, key=lambda m: m.rank) if found else None
            source_gaps.append(
                Gap(
                    "source",
                    sid,
                    best.target_id if best else None,
                    best.score if best else None,
                    best.link_confidence if best else None,
                )
            )
    target_gaps = []
    for j, tid in enumerate(target_ids):
        if tid in covered_targets or (root_id or {}).get(tid) in covered_targets:
            continue
        k = int(backward.indices[j, 0]) if backward.indices.shape[1] else -1
        target_gaps.append(
            Gap(
                "target",
                tid,
                source_ids[k] if k >= 0 else None,
                float(backward.score[j, 0]) if k >= 0 else None,
                None,
            )
        )
    return source_gaps, target_gaps


def _ancestors(key: str, parent: Mapping_[str, str | None]) -> list[str]:
    out: list[str] = []
    seen = {key}
    up = parent.get(key)
    while up and up not in seen:  # a malformed tree cannot loop forever
        out.append(up)
        seen.add(up)
        up = parent.get(up)
    return out


def tree_coverage(
    provisions: Sequence[Provision],
    direct: Mapping_[str, float],
    parent: Mapping_[str, str | None] | None = None,
) -> dict[str, float]:
    """Each provision's coverage through the provision tree: the best of its own mappings' coverage, that
    of any ancestor (a mapped section covers its subsections and paragraphs) and that of any descendant
    (a section is reached through its mapped sub-provisions). ``parent`` maps an id to its parent's id;
    by default each provision's own ``parent``. Without any parents this is ``direct``."""
    parent = parent if parent is not None else {p.id: p.parent for p in provisions}
    from_below: dict[str, float] = defaultdict(float)
    for key, value in direct.items():
        for up in _ancestors(key, parent):
            from_below[up] = max(from_below[up], value)
    out = {}
    for p in provisions:
        above = max((direct.get(a, 0.0) for a in _ancestors(p.id, parent)), default=0.0)
        out[p.id] = max(direct.get(p.id, 0.0), above, from_below.get(p.id, 0.0))
    return out


def theme_index(
    source: Sequence[Provision],
    target: Sequence[Provision],
    mappings: Sequence[Any],
    root_id: Mapping_[str, str] | None = None,
) -> list[ThemeIndex]:
    """The harmonization index per theme, and over all provisions (theme ``*``).

    For each provision p of a theme, its own coverage is the best, over the suggested mappings that
    involve p, of ``weight(relationship, side) x confidence x (0.75 if the parameters diverge)``, with
    weights from `COVERAGE_WEIGHTS` (a source that is a subset of its target is fully covered, the target
    only half). Its coverage c(p) is then counted through the provision tree (`tree_coverage`): a mapped
    section covers its subsections and paragraphs, and a section is reached through its mapped
    sub-provisions. Parents are the provisions' ``parent`` ids; a target without one that `rollup` folded
    into a root (``root_id``: target id -> root id) has that root as its parent. Source coverage C_S is
    the mean of c over the theme's source provisions, target coverage C_T the same over its target
    provisions, and the index is their mean weighted by counts:
    ``H = (sum_S c + sum_T c) / (|S| + |T|)``, in [0, 1]. A theme present on one side only has no
    provisions on the other side, so H equals the present side's coverage times its share.

    ``mappings`` are `Mapping` objects or anything with the same ``source_id``, ``target_id``,
    ``relationship``, ``confidence``, ``diverging`` and ``suggested`` attributes (the workspace passes
    reviewed mappings this way, so the overview and ``concord harmonize --index`` agree).
    """
    direct_src: dict[str, float] = defaultdict(float)
    direct_tgt: dict[str, float] = defaultdict(float)
    for m in mappings:
        if not m.suggested:
            continue
        w_src, w_tgt = COVERAGE_WEIGHTS.get(m.relationship, (0.0, 0.0))
        factor = m.confidence * (DIVERGENCE_FACTOR if m.diverging else 1.0)
        direct_src[m.source_id] = max(direct_src[m.source_id], w_src * factor)
        direct_tgt[m.target_id] = max(direct_tgt[m.target_id], w_tgt * factor)
    roots = root_id or {}
    target_parent = {p.id: p.parent or (roots.get(p.id) if roots.get(p.id) != p.id else None) for p in target}
    cover_src = tree_coverage(source, direct_src)
    cover_tgt = tree_coverage(target, direct_tgt, target_parent)
    themes = sorted({t for p in [*source, *target] for t in p.themes})
    out = []
    for theme in [ALL_THEMES, *themes]:
        s_ids = [p.id for p in source if theme == ALL_THEMES or theme in p.themes]
        t_ids = [p.id for p in target if theme == ALL_THEMES or theme in p.themes]
        s_sum = sum(cover_src[i] for i in s_ids)
        t_sum = sum(cover_tgt[i] for i in t_ids)
        total = len(s_ids) + len(t_ids)
        out.append(
            ThemeIndex(
                theme,
                round((s_sum + t_sum) / total, 4) if total else 0.0,
                round(s_sum / len(s_ids), 4) if s_ids else 0.0,
                round(t_sum / len(t_ids), 4) if t_ids else 0.0,
                len(s_ids),
                len(t_ids),
            )
        )
    return out
