"""Audit scenarios for the library's write paths (used by tests/audit/test_every_write_is_audited.py)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from concord.engine.themes import load_taxonomy
from concord.library import actions
from concord.library.models import Provision, Theme

from .conftest import STATUTE, STATUTE_AMENDED


def _ingest(p, data: bytes = STATUTE.encode(), visibility: str = "dialogue"):
    return actions.do_ingest_document(
        actor=p.delegate_my,
        dialogue=p.dialogue,
        upload=data,
        filename="act.md",
        title="Data Protection Act 2030",
        kind="law",
        party=p.my,
        visibility=visibility,
        run="inline",
        embed="none",
    )


def _purge(p) -> str:
    actions.do_delete_document(actor=p.delegate_my, document=_document(p))
    actions.do_purge_deleted_originals(actor=None, now=timezone.now() + timedelta(days=3650))
    return "library.originals.purge"


def _document(p):
    return _ingest(p).version.document


def _provision(p) -> Provision:
    return Provision.objects.filter(version=_ingest(p).version).exclude(level="document").first()


ACTIONS = {
    "library.actions.do_ingest_document": lambda p: (_ingest(p), "library.document.create")[1],
    "library.actions.do_ingest_version": lambda p: (
        actions.do_ingest_version(
            actor=p.delegate_my,
            document=_document(p),
            upload=STATUTE_AMENDED.encode(),
            filename="act-2.md",
            run="inline",
            embed="none",
        ),
        "library.version.upload",
    )[1],
    "library.actions.do_reprocess_version": lambda p: (
        actions.do_reprocess_version(
            actor=p.delegate_my, version=_ingest(p).version, run="inline", embed="none"
        ),
        "library.version.reprocess",
    )[1],
    "library.actions.do_queue_embeddings": lambda p: (
        actions.do_queue_embeddings(actor=p.delegate_my, version=_ingest(p).version, run="inline"),
        "library.version.embed",
    )[1],
    "library.actions.do_update_document": lambda p: (
        actions.do_update_document(actor=p.delegate_my, document=_document(p), title="Renamed"),
        "library.document.update",
    )[1],
    "library.actions.do_delete_document": lambda p: (
        actions.do_delete_document(actor=p.delegate_my, document=_document(p)),
        "library.document.delete",
    )[1],
    "library.actions.do_purge_deleted_originals": _purge,
    "library.actions.do_set_provision_theme": lambda p: (
        actions.do_set_provision_theme(
            actor=p.delegate_my,
            provision=_provision(p),
            theme=Theme.objects.order_by("pk").first(),
            present=True,
        ),
        "library.provision.theme_",
    )[1],
    "library.actions.do_correct_language": lambda p: (
        actions.do_correct_language(actor=p.delegate_my, document=_document(p), language="ms"),
        "library.document.language",
    )[1],
    "library.actions.do_import_themes": lambda p: (
        actions.do_import_themes(actor=p.secretariat, taxonomy=load_taxonomy()),
        "library.themes.import",
    )[1],
}


def _upload(client):
    return client.post(
        "/api/library/documents",
        {
            "title": "Data Protection Act 2030",
            "kind": "law",
            "dialogue": "pk-my",
            "visibility": "dialogue",
            "file": SimpleUploadedFile("act.md", STATUTE.encode(), content_type="text/markdown"),
        },
    )


API = {
    ("POST", "/api/library/documents"): lambda p, c: (_upload(c), "library.document.create"),
    ("PATCH", "/api/library/documents/{document_id}"): lambda p, c: (
        c.patch(
            f"/api/library/documents/{_ingest(p, visibility='public').version.document_id}",
            '{"title": "New"}',
            content_type="application/json",
        ),
        "library.document.update",
    ),
    ("DELETE", "/api/library/documents/{document_id}"): lambda p, c: (
        c.delete(f"/api/library/documents/{_ingest(p, visibility='public').version.document_id}"),
        "library.document.delete",
    ),
    ("POST", "/api/library/documents/{document_id}/versions"): lambda p, c: (
        c.post(
            f"/api/library/documents/{_ingest(p, visibility='public').version.document_id}/versions",
            {
                "label": "2",
                "file": SimpleUploadedFile("act2.md", STATUTE_AMENDED.encode(), content_type="text/markdown"),
            },
        ),
        "library.version.upload",
    ),
    ("POST", "/api/library/provisions/{provision_id}/themes"): lambda p, c: (
        c.post(
            f"/api/library/provisions/{_public_provision(p).pk}/themes",
            f'{{"theme": "{Theme.objects.order_by("pk").first().slug}", "action": "add"}}',
            content_type="application/json",
        ),
        "library.provision.theme_",
    ),
}


def _public_provision(p) -> Provision:
    return (
        Provision.objects.filter(version=_ingest(p, visibility="public").version)
        .exclude(level="document")
        .first()
    )
