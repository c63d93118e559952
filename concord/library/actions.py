"""Writes to the library. The web upload, the API, the CLI, the demo and the tasks all call these.

Ingestion is one path: ``do_ingest_document`` / ``do_ingest_version`` store the original file first (so it
is never lost, even when reading it fails), then run the ``ingest_version`` task, queued for the worker or
inline (``run="inline"``, for the CLI and the demo). See ``pipeline.py`` for the steps of the task.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Party
from concord.audit.log import acting_user, record, save_audited, snapshot
from concord.core import actions as core_actions
from concord.core.checks import check_known_fields, check_visibility
from concord.core.models import Job, Visibility
from concord.core.text import clean_text
from concord.engine.extract import sniff

from . import rules
from .models import (
    LANGUAGE_CHOICES,
    DeletedOriginal,
    DocumentStatus,
    DocumentVersion,
    IngestionStatus,
    PolicyDocument,
    Provision,
    ProvisionTheme,
    Theme,
    ThemeSource,
)
from .uploads import (  # noqa: F401 - re-exported for callers of actions
    LANGUAGE_CODES,
    _clean_metadata,
    _safe_filename,
    check_content,
    check_upload_size,
    declared_type_of,
    display_filename,
    read_upload,
)

log = logging.getLogger(__name__)

Run = Literal["queue", "inline"]
Embed = Literal["queue", "inline", "skip"]
DOCUMENT_FIELDS = [
    "title",
    "short_title",
    "kind",
    "issuer",
    "status",
    "year",
    "issued_on",
    "in_force_on",
    "source_url",
    "is_summary",
    "language",
    "visibility",
    "party",
    "country",
]
VERSION_FIELDS = [
    "document",
    "label",
    "original_filename",
    "media_type",
    "size",
    "sha256",
    "status",
    "amends",
    "supersedes",
]


@dataclass
class IngestResult:
    """What an upload led to. ``duplicate`` is set (and nothing stored) when the file is already there."""

    document: PolicyDocument
    version: DocumentVersion
    job: Job | None = None
    duplicate: bool = False

    @property
    def failed(self) -> bool:
        return self.version.status == IngestionStatus.FAILED


def _check_visibility(dialogue: Dialogue, visibility: str, party: Party | None) -> None:
    check_visibility(
        visibility,
        party,
        dialogue,
        party_needed=_("A document visible to one party only must name that party."),
    )


def find_duplicate(actor, sha256: str) -> DocumentVersion | None:
    """A version holding the same file that ``actor`` may view (others are not revealed). A version that
    failed to be read is no duplicate: the file may be uploaded again (to be read with a fixed reader)."""
    qs = (
        DocumentVersion.objects.visible_to(actor)
        .filter(sha256=sha256)
        .exclude(status=IngestionStatus.FAILED)
        .select_related("document")
    )
    return qs.order_by("created_at", "pk").first()


# --- ingestion -------------------------------------------------------------------------------------------


def _store_version(
    *,
    actor,
    document: PolicyDocument,
    data: bytes,
    filename: str,
    declared_type: str,
    label: str,
    language: str,
    amends: DocumentVersion | None,
    supersedes: DocumentVersion | None,
) -> DocumentVersion:
    sha = hashlib.sha256(data).hexdigest()
    version = DocumentVersion(
        document=document,
        label=label,
        original_filename=display_filename(filename),
        declared_type=declared_type[:120],
        size=len(data),
        sha256=sha,
        media_type=(sniff(data).media_type or "")[:120],
        amends=amends,
        supersedes=supersedes,
        created_by=acting_user(actor),
        declared_language=language,
    )
    # The original is written before anything is read from it: it survives any failure that follows.
    version.original.save(_safe_filename(filename), ContentFile(data), save=False)
    version.save()
    record(
        actor=actor,
        action="library.version.upload",
        obj=version,
        **document.audit_scope(),
        after=snapshot(version, fields=VERSION_FIELDS),
    )
    return version


def _start(*, actor, version: DocumentVersion, run: Run, embed: Embed, on_progress=None) -> Job:
    from . import pipeline, tasks

    job = core_actions.do_start_job(
        actor=acting_user(actor),
        kind="library.ingest",
        label=_("Reading “%(name)s”") % {"name": version.original_filename},
    )
    DocumentVersion.objects.filter(pk=version.pk).update(job=job)
    version.job = job
    if run == "inline":
        try:
            pipeline.run_ingestion(
                job_id=str(job.pk), version_id=version.pk, embed=embed, on_progress=on_progress
            )
        except Exception:  # noqa: BLE001 - recorded on the version and the job; the caller reads them
            log.info("inline ingestion of version %s failed", version.pk, exc_info=True)
    else:
        from concord.core import jobs

        jobs.enqueue(tasks.ingest_version, job=job, version_id=version.pk, embed=embed)
    version.refresh_from_db()
    job.refresh_from_db()
    return job


def do_ingest_document(
    *,
    actor,
    dialogue: Dialogue,
    upload,
    filename: str,
    title: str,
    kind: str,
    party: Party | None = None,
    country: str = "",
    visibility: str = Visibility.DIALOGUE,
    short_title: str = "",
    issuer: str = "",
    status: str = DocumentStatus.IN_FORCE,
    year: int | None = None,
    issued_on: date | None = None,
    in_force_on: date | None = None,
    source_url: str = "",
    is_summary: bool = False,
    language: str = "",
    declared_type: str = "",
    amends: PolicyDocument | None = None,
    version_label: str = "",
    themes: list[str] | tuple[str, ...] = (),
    run: Run = "queue",
    embed: Embed = "queue",
    on_progress=None,
) -> IngestResult:
    """Add a document with its first version, and read it (queued, or inline)."""
    _check_visibility(dialogue, visibility, party)
    if not rules.can_upload(actor, dialogue.pk, visibility, party.pk if party else None):
        raise PermissionDenied(_("You may not add documents with this visibility to this library."))
    metadata = _clean_metadata(
        {
            "title": title,
            "short_title": short_title,
            "kind": kind,
            "issuer": issuer,
            "status": status,
            "year": year,
            "issued_on": issued_on,
            "in_force_on": in_force_on,
            "source_url": source_url,
            "is_summary": is_summary,
            "language": language,
            "country": country,
        }
    )
    _check_amends(actor, amends, dialogue_id=dialogue.pk)
    data = read_upload(upload)
    check_content(data, filename=display_filename(filename), declared_type=declared_type)
    duplicate = find_duplicate(actor, hashlib.sha256(data).hexdigest())
    if duplicate is not None:
        return IngestResult(document=duplicate.document, version=duplicate, duplicate=True)
    document, version = _create_document(
        actor=actor,
        dialogue=dialogue,
        visibility=visibility,
        party=party,
        metadata=metadata,
        themes=themes,
        original=_Original(data=data, filename=filename, declared_type=declared_type, label=version_label),
        amends=amends,
    )
    job = _start(actor=actor, version=version, run=run, embed=embed, on_progress=on_progress)
    document.refresh_from_db()
    return IngestResult(document=document, version=version, job=job)


@dataclass(frozen=True)
class _Original:
    """An uploaded file as it arrived: its bytes, name, declared media type and the version's label."""

    data: bytes
    filename: str
    declared_type: str
    label: str


def _check_amends(actor, amends: PolicyDocument | None, *, dialogue_id: int) -> None:
    if amends is not None and (amends.dialogue_id != dialogue_id or not rules.can_view(actor, amends)):
        raise ValidationError({"amends": _("The document this one amends was not found in this dialogue.")})


def _create_document(
    *,
    actor,
    dialogue: Dialogue,
    visibility: str,
    party: Party | None,
    metadata: dict,
    themes,
    original: _Original,
    amends: PolicyDocument | None,
) -> tuple[PolicyDocument, DocumentVersion]:
    """The document, audited, with its original stored as its first and current version: all or nothing."""
    theme_rows = list(Theme.objects.filter(slug__in=list(themes)))
    with transaction.atomic():
        document = PolicyDocument(
            dialogue=dialogue,
            visibility=visibility,
            party=party,
            created_by=acting_user(actor),
            **metadata,
        )
        document.full_clean(exclude=["current_version", "themes"])
        document.save()
        if theme_rows:
            document.themes.set(theme_rows)
        record(
            actor=actor,
            action="library.document.create",
            obj=document,
            after=snapshot(document, fields=DOCUMENT_FIELDS),
        )
        version = _store_version(
            actor=actor,
            document=document,
            data=original.data,
            filename=original.filename,
            declared_type=original.declared_type,
            label=original.label,
            language=metadata.get("language", ""),
            amends=amends.current_version if amends is not None else None,
            supersedes=None,
        )
        PolicyDocument.objects.filter(pk=document.pk).update(current_version=version)
        document.current_version = version
    return document, version


def do_ingest_version(
    *,
    actor,
    document: PolicyDocument,
    upload,
    filename: str,
    label: str = "",
    declared_type: str = "",
    language: str | None = None,
    amends: PolicyDocument | None = None,
    run: Run = "queue",
    embed: Embed = "queue",
    on_progress=None,
) -> IngestResult:
    """Add a new version of ``document`` (it supersedes the current one) and read it."""
    if not rules.can_add_version(actor, document):
        raise PermissionDenied(_("You may not add versions of this document."))
    if language and language not in LANGUAGE_CODES:
        _clean_metadata({"language": language})
    data = read_upload(upload)
    check_content(data, filename=display_filename(filename), declared_type=declared_type)
    sha = hashlib.sha256(data).hexdigest()
    same = document.versions.filter(sha256=sha).first()
    if same is not None and same.status == IngestionStatus.FAILED:
        # The same file failed before: read it again rather than keep a second copy.
        job = do_reprocess_version(actor=actor, version=same, run=run, embed=embed)
        return IngestResult(document=document, version=same, job=job)
    if same is not None:
        return IngestResult(document=document, version=same, duplicate=True)
    _check_amends(actor, amends, dialogue_id=document.dialogue_id)
    with transaction.atomic():
        version = _store_version(
            actor=actor,
            document=document,
            data=data,
            filename=filename,
            declared_type=declared_type,
            label=clean_text(label or "", max_length=100, field="label", required=False),
            language=language
            if language is not None
            else (document.current_version.declared_language if document.current_version_id else ""),
            amends=amends.current_version if amends is not None else None,
            supersedes=document.current_version,
        )
    job = _start(actor=actor, version=version, run=run, embed=embed, on_progress=on_progress)
    document.refresh_from_db()
    return IngestResult(document=document, version=version, job=job)


def do_reprocess_version(
    *,
    actor,
    version: DocumentVersion,
    run: Run = "queue",
    embed: Embed = "queue",
) -> Job:
    """Read a version's original again (after a failure, or with a new taxonomy). Safe to repeat."""
    if not rules.can_edit(actor, version.document):
        raise PermissionDenied(_("You may not process this document again."))
    with transaction.atomic():
        record(
            actor=actor,
            action="library.version.reprocess",
            obj=version,
            dialogue_id=version.document.dialogue_id,
        )
    return _start(actor=actor, version=version, run=run, embed=embed)


def do_queue_embeddings(*, actor, version: DocumentVersion, run: Run = "queue", on_progress=None) -> Job:
    """Embed the provisions of a version that lack a vector from the configured encoder."""
    from . import embedding, tasks

    job = core_actions.do_start_job(
        actor=acting_user(actor),
        kind="library.embed",
        label=_("Embedding the provisions of “%(name)s”") % {"name": str(version.document)},
    )
    if run == "inline":
        try:
            embedding.run_embedding(job_id=str(job.pk), version_id=version.pk, on_progress=on_progress)
        except Exception:  # noqa: BLE001 - recorded on the job
            log.warning("inline embedding of version %s failed", version.pk, exc_info=True)
    else:
        from concord.core import jobs

        jobs.enqueue(tasks.embed_provisions, job=job, version_id=version.pk)
    job.refresh_from_db()
    return job


# --- metadata, deletion --------------------------------------------------------------------------------


def do_update_document(*, actor, document: PolicyDocument, **fields) -> PolicyDocument:
    if not rules.can_edit(actor, document):
        raise PermissionDenied(_("You may not edit this document."))
    check_known_fields(fields, DOCUMENT_FIELDS, message=_("Unknown fields: %(names)s."))
    before = snapshot(document, fields=DOCUMENT_FIELDS)
    party = fields.pop("party", document.party) if "party" in fields else document.party
    visibility = fields.pop("visibility", document.visibility)
    _check_visibility(document.dialogue, visibility, party)
    if (visibility, party.pk if party else None) != (
        document.visibility,
        document.party_id,
    ) and not rules.can_upload(actor, document.dialogue_id, visibility, party.pk if party else None):
        raise PermissionDenied(_("You may not give this document that visibility."))
    for name, value in _clean_metadata(fields).items():
        setattr(document, name, value)
    document.visibility, document.party = visibility, party
    document.full_clean(exclude=["current_version", "themes"])
    return save_audited(
        document, actor=actor, action="library.document.update", fields=DOCUMENT_FIELDS, before=before
    )


def do_correct_language(*, actor, document: PolicyDocument, language: str) -> int:
    """Correct a wrongly detected language: the document and the provisions of its current version take
    ``language``. Returns how many provisions changed. Comparisons read the corrected language next run."""
    if not rules.can_correct_themes(actor, document):
        raise PermissionDenied(_("You may not correct the language of this document."))
    if language not in dict(LANGUAGE_CHOICES):
        raise ValidationError({"language": _("Unknown language “%(value)s”.") % {"value": language}})
    before = {"language": document.language}
    with transaction.atomic():
        document.language = language
        document.save(update_fields=["language", "updated_at"])
        changed = 0
        if document.current_version_id:
            changed = (
                Provision.objects.filter(version_id=document.current_version_id)
                .exclude(language=language)
                .update(language=language)
            )
        record(
            actor=actor,
            action="library.document.language",
            obj=document,
            before=before,
            after={"language": language, "provisions": changed},
        )
    return changed


def do_delete_document(*, actor, document: PolicyDocument) -> None:
    """Delete a document and its versions' records. The original files stay on disk for the retention
    period (``CONCORD_ORIGINAL_RETENTION_DAYS``), then the daily chore removes them."""
    if not rules.can_delete(actor, document):
        raise PermissionDenied(_("You may not delete this document."))
    before = snapshot(document, fields=DOCUMENT_FIELDS)
    versions = list(document.versions.values("pk", "sha256", "original", "size"))
    before["versions"] = versions
    with transaction.atomic():
        record(actor=actor, action="library.document.delete", obj=document, before=before)
        DeletedOriginal.objects.bulk_create(
            DeletedOriginal(path=v["original"], sha256=v["sha256"], size=v["size"])
            for v in versions
            if v["original"]
        )
        PolicyDocument.objects.filter(pk=document.pk).update(current_version=None)
        document.delete()


def do_purge_deleted_originals(*, actor=None, now=None) -> int:
    """Remove from storage the originals of documents deleted more than the retention period ago.

    A file that a version still points at (the same path kept elsewhere) is never removed. Safe to run
    again, and from two workers: a file already gone is simply forgotten. Returns how many were removed.
    """
    from django.conf import settings
    from django.core.files.storage import default_storage

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONCORD_ORIGINAL_RETENTION_DAYS)
    removed: list[str] = []
    while due := list(DeletedOriginal.objects.filter(deleted_at__lte=cutoff).order_by("pk")[:500]):
        paths = [d.path for d in due]
        in_use = set(DocumentVersion.objects.filter(original__in=paths).values_list("original", flat=True))
        for path in paths:
            if path not in in_use:
                default_storage.delete(path)  # no error when it is already gone
                removed.append(path)
        DeletedOriginal.objects.filter(pk__in=[d.pk for d in due]).delete()
    if removed:
        record(
            actor=actor,
            action="library.originals.purge",
            object_type="library.deletedoriginal",
            object_repr=f"{len(removed)} files",
            after={"removed": removed, "retention_days": settings.CONCORD_ORIGINAL_RETENTION_DAYS},
        )
    return len(removed)


# --- themes ----------------------------------------------------------------------------------------------


def do_set_provision_theme(*, actor, provision: Provision, theme: Theme, present: bool) -> ProvisionTheme:
    """An analyst adds (``present=True``) or removes a theme on a provision. Re-runs keep the decision."""
    document = provision.version.document
    if not rules.can_correct_themes(actor, document):
        raise PermissionDenied(_("You may not correct the themes of this document."))
    with transaction.atomic():
        link = ProvisionTheme.objects.select_for_update().filter(provision=provision, theme=theme).first()
        before = (
            None if link is None else {"source": link.source, "rejected": link.rejected, "score": link.score}
        )
        if link is None:
            link = ProvisionTheme(provision=provision, theme=theme)
        link.source = ThemeSource.HUMAN
        link.rejected = not present
        link.decided_by = acting_user(actor)
        link.decided_at = timezone.now()
        link.save()
        record(
            actor=actor,
            action="library.provision.theme_add" if present else "library.provision.theme_remove",
            obj=provision,
            **document.audit_scope(),
            before=before,
            after={"theme": theme.slug, "rejected": link.rejected},
        )
    return link


def do_import_themes(*, actor, taxonomy) -> dict[str, int]:
    """Create or update themes from a checked taxonomy (``concord.engine.themes.Taxonomy``)."""
    if not rules.can_import_themes(actor):
        raise PermissionDenied(_("Only the secretariat can import a theme taxonomy."))
    counts = {"created": 0, "updated": 0}
    with transaction.atomic():
        by_slug = {t.slug: t for t in Theme.objects.all()}
        for order, entry in enumerate(taxonomy.themes):
            values = {
                "label_en": entry.labels["en"],
                "label_ms": entry.labels["ms"],
                "label_ur": entry.labels["ur"],
                "description_en": entry.descriptions["en"],
                "description_ms": entry.descriptions["ms"],
                "description_ur": entry.descriptions["ur"],
                "keywords": {lang: list(words) for lang, words in entry.keywords.items()},
                "order": order,
                "taxonomy": taxonomy.id[:100],
            }
            theme = by_slug.get(entry.id)
            if theme is None:
                by_slug[entry.id] = Theme.objects.create(slug=entry.id, **values)
                counts["created"] += 1
            else:
                for name, value in values.items():
                    setattr(theme, name, value)
                theme.save()
                counts["updated"] += 1
        for entry in taxonomy.themes:
            parent = by_slug[entry.parent] if entry.parent else None
            Theme.objects.filter(slug=entry.id).update(parent=parent)
        record(
            actor=actor,
            action="library.themes.import",
            object_type="library.theme",
            object_repr=f"{taxonomy.id} v{taxonomy.version}",
            after=counts,
        )
    return counts
