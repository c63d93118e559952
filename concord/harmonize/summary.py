"""What the overview, the brief and the exports show: the theme matrix, gaps and diverging parameters.

Everything is computed from a handful of flat queries (no query per mapping), with the human decisions
applied: an accepted mapping counts with confidence 1, a rejected one not at all. The index uses the
engine's weights (`concord.engine.coverage.COVERAGE_WEIGHTS`), and a provision is covered through the
provision tree too: a mapped section covers its subsections and paragraphs, and a section whose
sub-provisions are mapped is covered through them (see docs/harmonization-index.md, "The provision tree").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext as _

from concord.engine.coverage import ALL_THEMES, COVERAGE_WEIGHTS, DIVERGENCE_FACTOR, ThemeIndex
from concord.engine.types import Provision as EngineProvision
from concord.library.models import PolicyDocument, Provision, ProvisionTheme, Theme

from . import rules
from .models import Agreement, Comparison, Gap, Relationship, ReviewStatus
from .notes import kind_label
from .pipeline import SKIP_LEVELS, stable_key

RELATIONSHIPS = [r.value for r in Relationship if r != Relationship.NONE]


@dataclass
class ThemeRow:
    slug: str
    label: str
    index: float = 0.0
    source_coverage: float = 0.0
    target_coverage: float = 0.0
    source_count: int = 0
    target_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    agreement: dict[str, int] = field(default_factory=dict)
    mappings: int = 0
    rejected: int = 0

    @property
    def agreed_share(self) -> float:
        return self.agreement.get(Agreement.AGREED, 0) / self.mappings if self.mappings else 0.0

    def counts_in_order(self) -> list[int]:
        return [self.counts.get(r, 0) for r in RELATIONSHIPS]


@dataclass
class Divergence:
    mapping_id: int
    topic: str
    kind: str
    source: str
    target: str


@dataclass
class Overview:
    rows: list[ThemeRow]
    total: ThemeRow
    source_gaps: list[Gap]
    target_gaps: list[Gap]
    divergences: list[Divergence]
    review_counts: dict[str, int]
    drifted: int


def visible_documents(comparison: Comparison, user, side: str) -> list[PolicyDocument]:
    qs = getattr(comparison, f"{side}_documents").all()
    return list(qs.visible_to(user))


def _side(comparison: Comparison, user, side: str, themes: list[int]) -> list[EngineProvision]:
    """The side's provisions (only ids and themes), each with ``parent`` set to its parent's stable key."""
    documents = {
        d.current_version_id: d for d in visible_documents(comparison, user, side) if d.current_version_id
    }
    tree = Provision.objects.filter(version_id__in=list(documents))
    parent_key = {
        pid: stable_key(documents[v].pk, k) for pid, v, k in tree.values_list("id", "version_id", "key")
    }
    parent_of = dict(tree.values_list("id", "parent_id"))
    qs = Provision.objects.filter(version_id__in=list(documents)).exclude(level__in=SKIP_LEVELS)
    if themes:
        qs = qs.filter(
            pk__in=ProvisionTheme.objects.shown().filter(theme_id__in=themes).values("provision_id")
        )
    tags: dict[int, list[str]] = defaultdict(list)
    rows = list(qs.values_list("id", "version_id", "key"))
    for pid, slug in (
        ProvisionTheme.objects.shown().filter(provision__in=qs).values_list("provision_id", "theme__slug")
    ):
        tags[pid].append(slug)
    return [
        EngineProvision(
            id=stable_key(documents[v].pk, k),
            number="",
            heading="",
            text="",
            level="section",
            parent=parent_key.get(parent_of.get(pid)),  # type: ignore[arg-type]
            themes=tags[pid],
        )
        for pid, v, k in rows
    ]


def _ancestors(key: str, parent: dict[str, str | None]) -> list[str]:
    out: list[str] = []
    seen = {key}
    up = parent.get(key)
    while up and up not in seen:  # a malformed tree cannot loop forever
        out.append(up)
        seen.add(up)
        up = parent.get(up)
    return out


def tree_coverage(provisions: list[EngineProvision], direct: dict[str, float]) -> dict[str, float]:
    """Each provision's coverage through the provision tree: the best of its own mappings' coverage, that
    of any ancestor (a mapped section covers its subsections and paragraphs) and that of any descendant
    (a section is reached through its mapped sub-provisions)."""
    parent = {p.id: p.parent for p in provisions}
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
    source: list[EngineProvision], target: list[EngineProvision], mappings: list[SimpleNamespace]
) -> list[ThemeIndex]:
    """The harmonization index per theme (and ``*``), with coverage counted through the provision tree."""
    direct_src: dict[str, float] = defaultdict(float)
    direct_tgt: dict[str, float] = defaultdict(float)
    for m in mappings:
        if not m.suggested:
            continue
        w_src, w_tgt = COVERAGE_WEIGHTS.get(m.relationship, (0.0, 0.0))
        factor = m.confidence * (DIVERGENCE_FACTOR if m.diverging else 1.0)
        direct_src[m.source_id] = max(direct_src[m.source_id], w_src * factor)
        direct_tgt[m.target_id] = max(direct_tgt[m.target_id], w_tgt * factor)
    cover_src = tree_coverage(source, direct_src)
    cover_tgt = tree_coverage(target, direct_tgt)
    out = []
    for theme in [ALL_THEMES, *sorted({t for p in [*source, *target] for t in p.themes})]:
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


def visible_mappings(comparison: Comparison, user):
    return comparison.mappings.filter(rules.visible_rows_q(user))


def theme_labels(comparison: Comparison) -> tuple[list[int], dict[str, str]]:
    chosen = set(comparison.source_themes.values_list("pk", flat=True)) | set(
        comparison.target_themes.values_list("pk", flat=True)
    )
    labels = {t.slug: t.label() for t in Theme.objects.all()}
    return sorted(chosen), labels


def build(comparison: Comparison, user, *, gap_limit: int = 50) -> Overview:
    """The theme matrix and lists for ``user`` (only what the user may view)."""
    side_themes_s = list(comparison.source_themes.values_list("pk", flat=True))
    side_themes_t = list(comparison.target_themes.values_list("pk", flat=True))
    chosen, labels = theme_labels(comparison)
    chosen_slugs = set(Theme.objects.filter(pk__in=chosen).values_list("slug", flat=True)) if chosen else None
    source = _side(comparison, user, "source", side_themes_s)
    target = _side(comparison, user, "target", side_themes_t)
    themes_of = {p.id: p.themes for p in [*source, *target]}
    visible = visible_mappings(comparison, user)
    mappings = list(
        visible.annotate(
            has_drift=ExpressionWrapper(Q(drift__isnull=False), output_field=BooleanField())
        ).values(
            "id",
            "source_key",
            "target_key",
            "relationship",
            "confidence",
            "diverging",
            "review_status",
            "agreement",
            "has_drift",
        )
    )
    engine_like = [
        SimpleNamespace(
            source_id=m["source_key"],
            target_id=m["target_key"],
            relationship=m["relationship"],
            confidence=m["confidence"],
            diverging=m["diverging"],
            suggested=m["review_status"] != ReviewStatus.REJECTED and m["relationship"] != Relationship.NONE,
        )
        for m in mappings
    ]
    index = {t.theme: t for t in theme_index(source, target, engine_like)}
    slugs = sorted(
        {s for p in [*source, *target] for s in p.themes if chosen_slugs is None or s in chosen_slugs},
        key=lambda s: labels.get(s, s),
    )
    rows = {slug: ThemeRow(slug, labels.get(slug, slug)) for slug in [ALL_THEMES, *slugs]}
    for slug, row in rows.items():
        ti = index.get(slug)
        if ti is not None:
            row.index, row.source_coverage, row.target_coverage = (
                ti.index,
                ti.source_coverage,
                ti.target_coverage,
            )
            row.source_count, row.target_count = ti.source_count, ti.target_count
    review_counts: Counter[str] = Counter()
    divergences: list[Divergence] = []
    drifted = 0
    for m in mappings:
        review_counts[m["review_status"]] += 1
        drifted += bool(m["has_drift"])
        mapped = set(themes_of.get(m["source_key"], [])) | set(themes_of.get(m["target_key"], []))
        for slug in [ALL_THEMES, *sorted(mapped & set(rows))]:
            row = rows[slug]
            if m["review_status"] == ReviewStatus.REJECTED:
                row.rejected += 1
                continue
            row.mappings += 1
            row.counts[m["relationship"]] = row.counts.get(m["relationship"], 0) + 1
            row.agreement[m["agreement"]] = row.agreement.get(m["agreement"], 0) + 1
    for m in (
        visible.filter(diverging=True)
        .exclude(review_status=ReviewStatus.REJECTED)
        .order_by("source_label", "id")
        .values("id", "parameters", "source_provision__heading", "source_label")
    ):
        divergences.extend(_divergences(comparison, m))
    covered = {
        key
        for m in mappings
        if m["review_status"] != ReviewStatus.REJECTED
        for key in (m["source_key"], m["target_key"])
    }
    gaps = list(comparison.gaps.filter(rules.visible_gaps_q(user)).order_by("side", "nearest_score", "id"))
    gaps = [g for g in gaps if g.key not in covered]
    _hide_invisible_nearest(gaps, user)
    total = rows.pop(ALL_THEMES)
    total.label = _("All provisions")
    return Overview(
        rows=list(rows.values()),
        total=total,
        source_gaps=[g for g in gaps if g.side == "source"][:gap_limit],
        target_gaps=[g for g in gaps if g.side == "target"][:gap_limit],
        divergences=divergences,
        review_counts=dict(review_counts),
        drifted=drifted,
    )


def _hide_invisible_nearest(gaps: list[Gap], user) -> None:
    ids = {g.nearest_document_id for g in gaps if g.nearest_document_id}
    visible = set(PolicyDocument.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    for g in gaps:
        if g.nearest_document_id and g.nearest_document_id not in visible:
            g.nearest_label, g.nearest_key, g.nearest_provision_id, g.nearest_score = "", "", None, None


def _describe(q: dict | None, fallback: str) -> str:
    if not q:
        return fallback
    return q.get("text") or fallback


def _divergences(comparison: Comparison, m: dict) -> list[Divergence]:
    out = []
    topic = m["source_provision__heading"] or m["source_label"]
    for d in (m["parameters"] or {}).get("divergences", []):
        if not d.get("diverges"):
            continue
        out.append(
            Divergence(
                m["id"],
                topic,
                kind_label(d.get("kind", "")),
                _describe(d.get("source"), _("not specified")),
                _describe(d.get("target"), _("not specified")),
            )
        )
    return out


def mapping_ids_for_theme(comparison: Comparison, user, theme: str | None) -> list[int]:
    """Ids of the mappings ``user`` may view whose source or target provision has ``theme`` (None: all)."""
    qs = visible_mappings(comparison, user)
    if theme:
        tagged = ProvisionTheme.objects.shown().filter(theme__slug=theme).values("provision_id")
        qs = qs.filter(Q(source_provision__in=tagged) | Q(target_provision__in=tagged))
    return list(qs.values_list("id", flat=True))
