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

from concord.engine.coverage import ALL_THEMES, ThemeIndex, theme_index
from concord.engine.types import Provision as EngineProvision
from concord.library.models import PolicyDocument, Provision, ProvisionTheme, Theme

from . import rules
from .models import Agreement, Comparison, Gap, Relationship, ReviewStatus
from .notes import kind_label
from .pipeline import stable_key

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

    def take_index(self, ti: ThemeIndex | None) -> None:
        """The theme's index, coverage and provision counts (none when the theme has no provisions)."""
        if ti is not None:
            self.index, self.source_coverage, self.target_coverage = (
                ti.index,
                ti.source_coverage,
                ti.target_coverage,
            )
            self.source_count, self.target_count = ti.source_count, ti.target_count

    def count_mapping(self, m: dict) -> None:
        """Count one mapping (a row of `build`'s query): rejected apart, the others by relationship and
        agreement."""
        if m["review_status"] == ReviewStatus.REJECTED:
            self.rejected += 1
            return
        self.mappings += 1
        self.counts[m["relationship"]] = self.counts.get(m["relationship"], 0) + 1
        self.agreement[m["agreement"]] = self.agreement.get(m["agreement"], 0) + 1


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
    qs = Provision.objects.filter(version_id__in=list(documents)).mappable()
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
        row.take_index(index.get(slug))
    review_counts: Counter[str] = Counter(m["review_status"] for m in mappings)
    drifted = sum(bool(m["has_drift"]) for m in mappings)
    for m in mappings:
        mapped = set(themes_of.get(m["source_key"], [])) | set(themes_of.get(m["target_key"], []))
        for slug in [ALL_THEMES, *sorted(mapped & set(rows))]:
            rows[slug].count_mapping(m)
    divergences: list[Divergence] = []
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
