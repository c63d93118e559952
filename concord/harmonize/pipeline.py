"""Running the engine on a comparison: library provisions in, mappings and gaps saved, human decisions kept.

Engine ids are the stable keys ``<document id>:<provision key>``. The merge after a run updates what the
engine says about each mapping (score, cited sentences, parameters, its own relationship and confidence)
but never the relationship, review, provenance or sign-off of a mapping a person has decided; a decided
mapping the engine no longer proposes stays, marked as not in the last run. Everything is written in one
transaction: a failed run leaves the previous results untouched.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.audit.log import AuditContext, record, reset_context, set_context
from concord.core import jobs
from concord.engine.harmonize import HarmonizeOptions, HarmonizeResult, harmonize
from concord.engine.relate import RelationModel, default_model, load_model
from concord.engine.types import Provision as EngineProvision
from concord.library.models import PolicyDocument, Provision, ProvisionTheme

from .models import Candidate, Comparison, ComparisonStatus, Gap, Mapping, SignOff, compute_agreement

log = logging.getLogger(__name__)
LABEL_MAX = 300
DEFAULT_OPTIONS = {"top_k": 5, "threshold": 0.3}


@dataclass
class SideRow:
    key: str
    provision_id: int
    document_id: int
    version_id: int
    label: str


def stable_key(document_id: int, provision_key: str) -> str:
    return f"{document_id}:{provision_key}"


def provision_label(document: PolicyDocument, number: str, heading: str, key: str) -> str:
    name = document.short_title or document.title
    return " ".join(x for x in (name, number, heading) if x)[:LABEL_MAX] or key


def load_side(comparison: Comparison, side: str) -> tuple[list[EngineProvision], dict[str, SideRow]]:
    """The provisions of one side (current versions, chosen themes) as engine provisions, with their rows."""
    documents = list(getattr(comparison, f"{side}_documents").all())
    themes = list(getattr(comparison, f"{side}_themes").values_list("pk", flat=True))
    by_version = {d.current_version_id: d for d in documents if d.current_version_id}
    qs = Provision.objects.filter(version_id__in=list(by_version)).mappable().order_by("version_id", "order")
    if themes:
        chosen = ProvisionTheme.objects.shown().filter(theme_id__in=themes).values("provision_id")
        qs = qs.filter(pk__in=chosen)
    rows = list(qs.values("id", "version_id", "parent_id", "key", "number", "heading", "text", "language"))
    tags: dict[int, list[str]] = defaultdict(list)
    for pid, slug in (
        ProvisionTheme.objects.shown()
        .filter(provision_id__in=[r["id"] for r in rows])
        .values_list("provision_id", "theme__slug")
    ):
        tags[pid].append(slug)
    key_of = {r["id"]: stable_key(by_version[r["version_id"]].pk, r["key"]) for r in rows}
    engine: list[EngineProvision] = []
    info: dict[str, SideRow] = {}
    for order, r in enumerate(rows):
        if not (r["text"] or r["heading"]).strip():
            continue
        document = by_version[r["version_id"]]
        key = key_of[r["id"]]
        engine.append(
            EngineProvision(
                id=key,
                number=r["number"],
                heading=r["heading"],
                text=r["text"],
                level="section",
                parent=key_of.get(r["parent_id"]),
                language=r["language"] or None,
                order=order,
                themes=sorted(tags[r["id"]]),
            )
        )
        info[key] = SideRow(
            key,
            r["id"],
            document.pk,
            r["version_id"],
            provision_label(document, r["number"], r["heading"], key),
        )
    return engine, info


def relation_model_for(model_id: str) -> RelationModel:
    """The fitted relation model is calibrated for one encoder; any other encoder (the tests' hashing
    encoder) gets the engine's hand-set model, whose confidences do not assume that encoder's scores."""
    fitted = load_model()
    return fitted if fitted.background_for(model_id) is not None else default_model()


def run(*, job_id: str, comparison_id: int) -> dict:
    """The background task's body: run the engine, save the results, report progress on the job."""
    comparison = Comparison.objects.filter(pk=comparison_id).first()
    if comparison is None:
        log.warning("comparison %s was deleted before its run %s started", comparison_id, job_id)
        jobs.fail(job_id, error=_("The comparison was deleted before it ran; nothing was saved."))
        return {}
    token = set_context(AuditContext(via="task"))
    try:
        with jobs.running(job_id) as progress:
            Comparison.objects.filter(pk=comparison.pk).update(status=ComparisonStatus.RUNNING, error="")
            try:
                stats = _run(comparison, progress)
            except Exception as exc:
                message = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [])) or str(exc)
                Comparison.objects.filter(pk=comparison.pk).update(
                    status=ComparisonStatus.FAILED, error=str(message)[:2000]
                )
                raise
        jobs.finish(job_id, result=stats, result_url=comparison.get_absolute_url())
    finally:
        reset_context(token)
    return stats


def _run(comparison: Comparison, progress) -> dict:
    from concord.library.embedding import encoder

    from .drift import sync_drift

    sync_drift(comparison)
    source, source_rows = load_side(comparison, "source")
    target, target_rows = load_side(comparison, "target")
    progress(
        0, 100, _("Reading %(s)d source and %(t)d target provisions") % {"s": len(source), "t": len(target)}
    )
    opts = {**DEFAULT_OPTIONS, **(comparison.options or {})}
    options = HarmonizeOptions(top_k=int(opts["top_k"]), threshold=float(opts["threshold"]))
    # Each of the engine's stages fills its stretch of the job's bar as its batches are done; the engine's
    # other reports ("encoded source", "done") move nothing.
    stages = {
        "encoding source": (10, 20, _("Reading the source provisions")),
        "encoding source sentences": (20, 30, _("Reading the source provisions sentence by sentence")),
        "encoding target": (30, 40, _("Reading the target provisions")),
        "encoding target sentences": (40, 50, _("Reading the target provisions sentence by sentence")),
        "retrieving": (50, 60, _("Finding the closest provisions")),
        "typing": (60, 90, _("Typing the relationships")),
    }

    def on_progress(stage: str, done: int, total: int) -> None:
        if stage in stages:
            start, end, label = stages[stage]
            progress(start + (end - start) * min(done, total) // max(total, 1), 100, label)

    enc = encoder()
    result = harmonize(
        source, target, enc, options, progress=on_progress, model=relation_model_for(enc.model_id)
    )
    progress(90, 100, _("Saving the results"))
    with transaction.atomic():
        # Writing the comparison's row first locks it (a row lock on PostgreSQL, the write lock on SQLite),
        # so a delete either happened already, and nothing is saved, or waits until the results are in.
        if not Comparison.objects.filter(pk=comparison.pk).update(status=ComparisonStatus.RUNNING):
            raise ValidationError(_("The comparison was deleted while it ran; nothing was saved."))
        stats = save_result(comparison, result, source_rows, target_rows)
        Comparison.objects.filter(pk=comparison.pk).update(
            status=ComparisonStatus.READY,
            error="",
            model_id=result.model_id,
            engine_index=[dataclasses.asdict(t) for t in result.themes],
            run_count=comparison.run_count + 1,
            versions=_versions(comparison),
            ran_at=timezone.now(),
        )
        record(
            actor=None,
            action="harmonize.comparison.ran",
            obj=comparison,
            after={
                **stats,
                "model": result.model_id,
                "fusion": result.fusion.to_dict() if result.fusion is not None else None,
            },
        )
    return stats


def _versions(comparison: Comparison) -> dict[str, int]:
    docs = [*comparison.source_documents.all(), *comparison.target_documents.all()]
    return {str(d.pk): d.current_version_id for d in docs if d.current_version_id}


RUN_FIELDS = [  # what a run writes on a mapping
    "source_provision",
    "target_provision",
    "source_document",
    "target_document",
    "source_version_id",
    "target_version_id",
    "source_label",
    "target_label",
    "score",
    "rank",
    "engine_relationship",
    "engine_confidence",
    "cited_source",
    "cited_target",
    "parameters",
    "diverging",
    "in_last_run",
    "relationship",
    "rationale",
    "confidence",
    "certainty",
]


def _take_run(m: Mapping, em, s: SideRow, t: SideRow) -> None:
    """Write what the run found on mapping ``m``; a human decision (relationship, rationale, confidence)
    is kept."""
    m.source_provision_id, m.target_provision_id = s.provision_id, t.provision_id
    m.source_document_id, m.target_document_id = s.document_id, t.document_id
    m.source_version_id, m.target_version_id = s.version_id, t.version_id
    m.source_label, m.target_label = s.label, t.label
    m.score, m.rank = float(em.score), int(em.rank)
    m.engine_relationship, m.engine_confidence = em.relationship, float(em.confidence)
    m.cited_source = [sp.to_dict() for sp in em.cited_source]
    m.cited_target = [sp.to_dict() for sp in em.cited_target]
    m.parameters = em.parameters or {}
    m.diverging = bool(em.diverging)
    m.in_last_run = True
    if not m.has_human_decision:
        m.relationship, m.rationale = em.relationship, em.rationale
        m.confidence = float(em.confidence)
        m.certainty = abs(m.confidence - 0.5)


def _gap(comparison: Comparison, g, source_rows: dict[str, SideRow], target_rows: dict[str, SideRow]) -> Gap:
    own, other = (source_rows, target_rows) if g.side == "source" else (target_rows, source_rows)
    row, near = own[g.provision_id], other.get(g.nearest_id or "")
    return Gap(
        comparison=comparison,
        side=g.side,
        key=g.provision_id,
        provision_id=row.provision_id,
        document_id=row.document_id,
        label=row.label,
        nearest_key=g.nearest_id or "",
        nearest_provision_id=near.provision_id if near else None,
        nearest_document_id=near.document_id if near else None,
        nearest_label=near.label if near else "",
        nearest_score=g.nearest_score,
        nearest_confidence=g.nearest_confidence,
    )


GAP_FIELDS = [
    "provision",
    "document",
    "label",
    "nearest_key",
    "nearest_provision",
    "nearest_document",
    "nearest_label",
    "nearest_score",
    "nearest_confidence",
]


def _replace_gaps(comparison: Comparison, gaps: list[Gap]) -> None:
    """The run's gaps become the comparison's. A gap that was already there (same side and provision key)
    keeps its row, so what links to it (an agenda item where it was discussed) stays; the others go."""
    existing = {(g.side, g.key): g for g in comparison.gaps.all()}
    kept = []
    for gap in gaps:
        old = existing.pop((gap.side, gap.key), None)
        if old is not None:
            gap.pk = old.pk
            kept.append(gap)
    Gap.objects.filter(pk__in=[g.pk for g in existing.values()]).delete()
    Gap.objects.bulk_update(kept, GAP_FIELDS, batch_size=500)
    Gap.objects.bulk_create([g for g in gaps if g.pk is None], batch_size=500)


def save_result(
    comparison: Comparison,
    result: HarmonizeResult,
    source_rows: dict[str, SideRow],
    target_rows: dict[str, SideRow],
) -> dict:
    """Merge a run into the stored mappings (keeping human decisions) and replace the gaps."""
    existing = {(m.source_key, m.target_key): m for m in comparison.mappings.all()}
    create, update, seen = [], [], set()
    for em in result.mappings:
        if not em.suggested:
            continue
        pair = (em.source_id, em.target_id)
        seen.add(pair)
        m = existing.get(pair) or Mapping(
            comparison=comparison, source_key=em.source_id, target_key=em.target_id
        )
        _take_run(m, em, source_rows[em.source_id], target_rows[em.target_id])
        (update if m.pk else create).append(m)
    stale = [m for pair, m in existing.items() if pair not in seen]
    # A mapping the run no longer proposes goes, unless a person decided it or it was sent to the agenda:
    # the agenda item where it is discussed must still lead to it (shown as not in the last run).
    discussed = set(
        Mapping.agenda_items.through.objects.filter(mapping__comparison=comparison).values_list(
            "mapping_id", flat=True
        )
    )
    kept = [m for m in stale if m.has_human_decision or m.pk in discussed]
    dropped = [m.pk for m in stale if not (m.has_human_decision or m.pk in discussed)]
    for m in kept:
        m.in_last_run = False
    Mapping.objects.filter(pk__in=dropped).delete()
    Mapping.objects.bulk_create(create, batch_size=500)
    Mapping.objects.bulk_update(update + kept, RUN_FIELDS, batch_size=500)
    refresh_agreement(comparison)
    _replace_gaps(
        comparison,
        [_gap(comparison, g, source_rows, target_rows) for g in [*result.source_gaps, *result.target_gaps]],
    )
    _replace_candidates(comparison, result, source_rows, target_rows)
    return {
        "source_provisions": len(source_rows),
        "target_provisions": len(target_rows),
        "mappings": len(seen),
        "new": len(create),
        "kept_decisions": sum(1 for m in [*update, *kept] if m.has_human_decision),
        "source_gaps": len(result.source_gaps),
        "target_gaps": len(result.target_gaps),
    }


def _replace_candidates(
    comparison: Comparison,
    result: HarmonizeResult,
    source_rows: dict[str, SideRow],
    target_rows: dict[str, SideRow],
) -> None:
    """The run's candidates become the comparison's: each source's targets and each target's sources, in
    the engine's order (what a mapping's or a gap's page lists as the next candidates)."""
    found = [
        ("source", source_rows[m.source_id], target_rows[m.target_id], m.rank, m.score)
        for m in result.mappings
    ]
    for tid, ranked in result.target_candidates.items():
        found += [
            ("target", target_rows[tid], source_rows[sid], rank, score)
            for rank, (sid, score) in enumerate(ranked, 1)
        ]
    comparison.candidates.all().delete()
    Candidate.objects.bulk_create(
        [
            Candidate(
                comparison=comparison,
                side=side,
                provision_id=own.provision_id,
                other_id=other.provision_id,
                rank=rank,
                score=float(score),
            )
            for side, own, other, rank, score in found
        ],
        batch_size=1000,
    )


def refresh_agreement(comparison: Comparison, mapping_ids: list[int] | None = None) -> None:
    """Recompute each mapping's agreement from its sign-offs (after a run or a review changed it)."""
    parties = comparison.parties()
    qs = comparison.mappings.all() if mapping_ids is None else comparison.mappings.filter(pk__in=mapping_ids)
    mappings = list(qs.only("id", "relationship", "review_status", "agreement"))
    signoffs: dict[int, list[SignOff]] = defaultdict(list)
    signed = SignOff.objects.filter(mapping__comparison=comparison)
    if mapping_ids is not None:
        signed = signed.filter(mapping_id__in=mapping_ids)
    for s in signed:
        signoffs[s.mapping_id].append(s)
    changed = []
    for m in mappings:
        value = compute_agreement(m, signoffs[m.pk], parties)
        if value != m.agreement:
            m.agreement = value
            changed.append(m)
    Mapping.objects.bulk_update(changed, ["agreement"], batch_size=500)
