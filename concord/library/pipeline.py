"""The ingestion task's steps: extract → segment → language → themes → save provisions (one transaction).

Safe to re-run: provisions are matched by their stable key and updated in place (their ids, and anything
that points at them, survive), automatic theme tags are recomputed, and analysts' decisions are kept.
A failure marks the version "failed" with the engine's message; the original file stays, and nothing of
the attempt is written.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.audit.log import AuditContext, record, reset_context, set_context
from concord.core import jobs
from concord.engine.errors import EngineError
from concord.engine.extract import extract
from concord.engine.language import detect_language
from concord.engine.segment import segment
from concord.engine.themes import tag_themes_many, taxonomy_from_dict
from concord.engine.types import Provision as EngineProvision

from .diff import Side, diff_provisions, summarize
from .models import (
    DocumentVersion,
    IngestionStatus,
    PolicyDocument,
    Provision,
    ProvisionTheme,
    Theme,
    ThemeSource,
)
from .signals import version_ingested

log = logging.getLogger(__name__)
STEPS = 5
DOCUMENT_THEMES = 5  # the document's own theme chips: its most frequent provision themes


def run_ingestion(
    *,
    job_id: str,
    version_id: int,
    embed: str = "queue",
    on_progress: Callable[[int, int, str], None] | None = None,
) -> dict:
    """Read one stored version into provisions, reporting progress on the job. Raises on failure."""
    version = DocumentVersion.objects.select_related("document", "document__party").get(pk=version_id)
    token = None if on_progress else set_context(AuditContext(via="task"))
    try:
        with jobs.running(job_id) as progress:

            def step(n: int, message: str) -> None:
                progress(n, STEPS, message, force=True)
                if on_progress is not None:
                    on_progress(n, STEPS, message)

            try:
                result = _ingest(version, step)
            except Exception as exc:
                _mark_failed(version, exc)
                raise
        jobs.finish(job_id, result=result, result_url=version.get_absolute_url())
        # After the version is committed and its job finished: what listeners do (harmonize flags drift)
        # can never mark a successfully read version as failed.
        version.refresh_from_db()
        version_ingested.send(sender=DocumentVersion, version=version)
    finally:
        if token is not None:
            reset_context(token)
    if embed != "skip" and result["provisions"]:
        from .actions import do_queue_embeddings

        do_queue_embeddings(actor=None, version=version, run="inline" if embed == "inline" else "queue")
    return result


def _ingest(version: DocumentVersion, step: Callable[[int, str], None]) -> dict:
    document = version.document
    DocumentVersion.objects.filter(pk=version.pk).update(
        status=IngestionStatus.PROCESSING, error="", error_code=""
    )
    step(0, _("Extracting the text"))
    with version.original.open("rb") as fh:
        data = fh.read()
    extracted = extract(
        data,
        filename=version.original_filename,
        declared_type=version.declared_type or None,
        max_bytes=settings.CONCORD_MAX_UPLOAD_BYTES,
    )
    step(1, _("Finding the provisions"))
    declared = version.declared_language or None
    limits = {
        "max_document_chars": settings.CONCORD_MAX_DOCUMENT_CHARS,
        "max_provision_chars": settings.CONCORD_MAX_PROVISION_CHARS,
    }
    provisions = segment(extracted, language=declared, kind=document.kind, **limits)
    if len(provisions) <= 1:
        # A law summarised under unnumbered headings defeats the statute reader: let the text decide.
        provisions = max(provisions, segment(extracted, language=declared, kind="auto", **limits), key=len)
    step(2, _("Telling the language"))
    language = declared or detect_language(extracted.text[:50_000])
    for p in provisions:
        p.language = p.language or language
    step(3, _("Tagging themes"))
    themes = list(Theme.objects.select_related("parent").order_by("order", "slug"))
    tags: list[list] = [[] for _p in provisions]
    if themes:
        taxonomy = taxonomy_from_dict({"id": "library", "themes": [t.as_taxonomy_entry() for t in themes]})
        tags = tag_themes_many(
            [f"{p.heading}\n{p.text}" for p in provisions], taxonomy, top_k=3, threshold=0.3
        )
    step(4, _("Saving %(n)d provisions") % {"n": len(provisions)})
    with transaction.atomic():
        rows = _save_provisions(version, provisions)
        n_tags = _save_tags(version, rows, tags, {t.slug: t for t in themes})
        summary = _diff_summary(version)
        DocumentVersion.objects.filter(pk=version.pk).update(
            status=IngestionStatus.READY,
            error="",
            error_code="",
            warnings=list(extracted.warnings)[:50],
            extracted_text=extracted.text,
            media_type=extracted.media_type[:120],
            page_count=len(extracted.pages),
            ocr=extracted.ocr,
            language=language,
            diff_summary=summary,
            processed_at=timezone.now(),
        )
        _refresh_document(document, language)
        result = {
            "document": document.pk,
            "version": version.pk,
            "provisions": len(rows),
            "language": language,
            "pages": len(extracted.pages),
            "theme_tags": n_tags,
            "warnings": list(extracted.warnings)[:10],
            "changes": summary,
        }
        record(
            actor=None,
            action="library.version.ingest",
            obj=version,
            **document.audit_scope(),
            after=result,
        )
    _follow_in_search(document)
    step(5, _("Done: %(n)d provisions") % {"n": len(rows)})
    return result


def _follow_in_search(document: PolicyDocument) -> None:
    """The document's entry (now with its text and themes) and its provisions, in the search index at once
    by their words; their vectors follow in the background (the index's own task)."""
    from concord.knowledge import index
    from concord.knowledge.tasks import embed_missing

    index.refresh_ids("document", [document.pk], embed=False)
    # The current version is the newest read (maybe not this one, when an older upload finished late).
    current = (
        PolicyDocument.objects.filter(pk=document.pk).values_list("current_version_id", flat=True).first()
    )
    ids = list(Provision.objects.filter(version_id=current).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), index.BATCH):
        index.refresh_ids("provision", ids[start : start + index.BATCH], embed=False)
    # The provisions of the version this one replaces are no longer the law's text.
    older = Provision.objects.filter(version__document=document).exclude(version_id=current)
    index.remove_ids("provision", older.values_list("pk", flat=True))
    embed_missing.enqueue()


def _mark_failed(version: DocumentVersion, exc: Exception) -> None:
    if isinstance(exc, EngineError):
        code, message = exc.code, exc.message
    elif isinstance(exc, ValidationError):
        code, message = "invalid", "; ".join(exc.messages)
    else:
        log.exception("ingestion of version %s failed", version.pk)
        code, message = (
            "E000",
            _("Something went wrong on our side while reading the file; it has been logged."),
        )
    _record_failure(version, code, message)


def _record_failure(version: DocumentVersion, code: str, message: str) -> None:
    """The version could not be read: say why on it, and in the audit log."""
    document = version.document
    with transaction.atomic():
        DocumentVersion.objects.filter(pk=version.pk).update(
            status=IngestionStatus.FAILED,
            error=message[:5000],
            error_code=code[:10],
            processed_at=timezone.now(),
        )
        record(
            actor=None,
            action="library.version.fail",
            obj=version,
            **document.audit_scope(),
            after={"code": code, "error": message},
        )


def _unique_keys(provisions: list[EngineProvision]) -> list[str]:
    seen: Counter[str] = Counter()
    keys = []
    for p in provisions:
        key = (p.id or "p")[:110]
        seen[key] += 1
        keys.append(key if seen[key] == 1 else f"{key}~{seen[key]}")
    return keys


def _save_provisions(version: DocumentVersion, provisions: list[EngineProvision]) -> list[Provision]:
    existing = {p.key: p for p in Provision.objects.filter(version=version)}
    keys = _unique_keys(provisions)
    key_of_engine_id = {}
    for p, key in zip(provisions, keys):
        key_of_engine_id.setdefault(p.id, key)
    depth: dict[str, int] = {}
    rows: list[Provision] = []
    fields = ["number", "heading", "text", "level", "depth", "order", "language", "page"]
    for order, (p, key) in enumerate(zip(provisions, keys)):
        parent_key = key_of_engine_id.get(p.parent) if p.parent else None
        depth[key] = depth[parent_key] + 1 if parent_key in depth else 0
        row = existing.pop(key, None) or Provision(version=version, key=key)
        row.number, row.heading = (p.number or "")[:60], (p.heading or "")[:500]
        row.text, row.level, row.depth, row.order = p.text or "", p.level[:20], min(depth[key], 30), order
        row.language, row.page = p.language or "", p.page
        row._parent_key = parent_key  # type: ignore[attr-defined]
        rows.append(row)
    Provision.objects.bulk_update([r for r in rows if r.pk], fields, batch_size=500)
    created = Provision.objects.bulk_create([r for r in rows if not r.pk], batch_size=500)
    pk_of = {r.key: r.pk for r in rows}
    for r in created:
        pk_of[r.key] = r.pk
    for r in rows:
        r.parent_id = pk_of.get(r._parent_key) if r._parent_key else None  # type: ignore[attr-defined]
    Provision.objects.bulk_update(rows, ["parent"], batch_size=500)
    if existing:  # provisions the new reading no longer finds
        Provision.objects.filter(pk__in=[p.pk for p in existing.values()]).delete()
    return rows


def _save_tags(
    version: DocumentVersion, rows: list[Provision], tags: list[list], themes: dict[str, Theme]
) -> int:
    ProvisionTheme.objects.filter(provision__version=version, source=ThemeSource.AUTO).delete()
    human = set(
        ProvisionTheme.objects.filter(provision__version=version).values_list("provision_id", "theme_id")
    )
    _carry_human_decisions(version, rows, human)
    links = []
    for row, found in zip(rows, tags):
        for score in found:
            theme = themes.get(score.theme_id)
            if theme is None or (row.pk, theme.pk) in human:
                continue
            links.append(
                ProvisionTheme(
                    provision=row,
                    theme=theme,
                    score=score.score,
                    source=ThemeSource.AUTO,
                    evidence=list(score.evidence)[:10],
                )
            )
    ProvisionTheme.objects.bulk_create(links, batch_size=500)
    return len(links)


def _carry_human_decisions(
    version: DocumentVersion, rows: list[Provision], human: set[tuple[int, int]]
) -> None:
    """An analyst's decision on a provision carries to the next version when the provision is unchanged."""
    base = version.supersedes
    if base is None:
        return
    by_key = {r.key: r for r in rows}
    copies = []
    for link in ProvisionTheme.objects.filter(
        provision__version=base, source=ThemeSource.HUMAN
    ).select_related("provision"):
        row = by_key.get(link.provision.key)
        if row is None or row.text != link.provision.text or (row.pk, link.theme_id) in human:
            continue
        copies.append(
            ProvisionTheme(
                provision=row,
                theme_id=link.theme_id,
                score=link.score,
                source=ThemeSource.HUMAN,
                rejected=link.rejected,
                decided_by_id=link.decided_by_id,
                decided_at=link.decided_at,
            )
        )
        human.add((row.pk, link.theme_id))
    ProvisionTheme.objects.bulk_create(copies)


def sides(version: DocumentVersion) -> list[Side]:
    return [
        Side(*row)
        for row in version.provisions.order_by("order").values_list(
            "key", "number", "heading", "text", "level"
        )
    ]


def _diff_summary(version: DocumentVersion) -> dict | None:
    base = version.diff_base
    if base is None or base.status != IngestionStatus.READY:
        return None
    mode = "full" if version.supersedes_id else "amendment"
    counts = summarize(diff_provisions(sides(base), sides(version), mode=mode, segments=False))
    return {"base": base.pk, "mode": mode, **counts}


def _refresh_document(document: PolicyDocument, language: str) -> None:
    """The current version is the newest one read successfully; the document's chips are its top themes."""
    current = document.versions.filter(status=IngestionStatus.READY).order_by("-created_at", "-pk").first()
    if current is None:
        return
    updates = {"current_version": current}
    if not document.language:
        updates["language"] = current.language or language
    PolicyDocument.objects.filter(pk=document.pk).update(**updates)
    top = (
        ProvisionTheme.objects.shown()
        .filter(provision__version=current)
        .values("theme_id")
        .annotate(n=Count("id"))
        .order_by("-n", "theme_id")
    )
    document.themes.add(*[row["theme_id"] for row in top[:DOCUMENT_THEMES]])


def abandon_ingestion(job) -> None:
    """The reaper gave up on reading a version (its worker died on every attempt): the version failed."""
    versions = DocumentVersion.objects.filter(
        job_id=job.pk, status__in=[IngestionStatus.PENDING, IngestionStatus.PROCESSING]
    ).select_related("document", "document__party")
    for version in versions:
        _record_failure(version, "worker", job.error)
