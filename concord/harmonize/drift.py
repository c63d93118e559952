"""Drift: a document of a comparison got a new version, so mappings of its changed provisions need review.

The check is explicit and cheap: ``Comparison.versions`` records the version of each document that the
mappings were made on; `needs_sync` compares it with the documents' current versions (one query). Drift is
flagged where the change happens: the library's ingestion task calls `on_version_ingested(version)` (through
its ``version_ingested`` signal) once a new version is read, and every run calls `sync_drift` before it
reads the provisions. Pages only read the flags. Flagging itself is `actions.do_flag_drift`.
"""

from __future__ import annotations

from concord.library.diff import DiffRow, add_segments, diff_provisions
from concord.library.models import DocumentVersion, IngestionStatus, PolicyDocument
from concord.library.pipeline import sides

from .models import Comparison


def current_versions(comparison: Comparison) -> dict[int, int]:
    """Document id -> its current, successfully read version, for every document the comparison uses."""
    ids = [int(k) for k in (comparison.versions or {})]
    rows = PolicyDocument.objects.filter(
        pk__in=ids, current_version__status=IngestionStatus.READY
    ).values_list("pk", "current_version_id")
    return dict(rows)


def needs_sync(comparison: Comparison) -> dict[int, tuple[int, int]]:
    """Documents whose current version differs from the one compared: id -> (old version, new version)."""
    seen = {int(k): v for k, v in (comparison.versions or {}).items()}
    if not seen:
        return {}
    return {d: (seen[d], v) for d, v in current_versions(comparison).items() if seen.get(d) != v}


def changes_by_key(old_version_id: int, new_version_id: int) -> dict[str, DiffRow]:
    """The library's provision diff between two versions, by the old provision's key."""
    old = DocumentVersion.objects.filter(pk=old_version_id).first()
    new = DocumentVersion.objects.get(pk=new_version_id)
    if old is None:
        return {}
    mode = "amendment" if new.amends_id and not new.supersedes_id else "full"
    # Word diffs only for the rows a mapping needs (segments() below): a 2,000-provision act stays quick.
    rows = diff_provisions(sides(old), sides(new), mode=mode, segments=False)
    return {row.old.key: row for row in rows if row.old is not None}


def segments(row: DiffRow) -> dict:
    add_segments([row])
    return {
        "old": [{"kind": s.kind, "text": s.text} for s in row.old_segments],
        "new": [{"kind": s.kind, "text": s.text} for s in row.new_segments],
    }


def sync_drift(comparison: Comparison) -> int:
    """Flag the mappings affected by new document versions; return how many were flagged."""
    changed = needs_sync(comparison)
    if not changed:
        return 0
    from .actions import do_flag_drift

    return do_flag_drift(comparison=comparison, changed=changed)


def on_version_ingested(version: DocumentVersion) -> int:
    """For the library to call after a new version is read: flag drift in every comparison that uses it."""
    flagged = 0
    for comparison in Comparison.objects.filter(versions__has_key=str(version.document_id)):
        flagged += sync_drift(comparison)
    return flagged
