"""Audit scenarios for the library's write paths (used by tests/audit/test_every_write_is_audited.py)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from concord.engine.themes import load_taxonomy
from concord.library import actions as la
from concord.library.models import Provision, Theme
from tests.audit.scenarios import action, call, scenarios
from tests.factories import ingest_act

from .conftest import STATUTE, STATUTE_AMENDED


def _ingest(p, data: bytes = STATUTE.encode(), visibility: str = "dialogue"):
    return ingest_act(p, data, party=p.my, visibility=visibility, run="inline", embed="none")


def _purge(p) -> str:
    la.do_delete_document(actor=p.delegate_my, document=_document(p))
    la.do_purge_deleted_originals(actor=None, now=timezone.now() + timedelta(days=3650))
    return "library.originals.purge"


def _document(p):
    return _ingest(p).version.document


def _provision(p, visibility: str = "dialogue") -> Provision:
    version = _ingest(p, visibility=visibility).version
    return Provision.objects.filter(version=version).exclude(level="document").first()


def _first_theme(p):
    return Theme.objects.order_by("pk").first()


def _version(p):
    return _ingest(p).version


# The library's writes are made by Malaysia's delegate (the importing of themes by the secretariat).
by_delegate = partial(action, actor="delegate_my")

ACTIONS = scenarios(
    action(la.do_ingest_document, "library.document.create", via=_ingest),
    by_delegate(
        la.do_ingest_version,
        "library.version.upload",
        document=_document,
        upload=STATUTE_AMENDED.encode(),
        filename="act-2.md",
        run="inline",
        embed="none",
    ),
    by_delegate(
        la.do_reprocess_version, "library.version.reprocess", version=_version, run="inline", embed="none"
    ),
    by_delegate(la.do_queue_embeddings, "library.version.embed", version=_version, run="inline"),
    by_delegate(la.do_update_document, "library.document.update", document=_document, title="Renamed"),
    by_delegate(la.do_delete_document, "library.document.delete", document=_document),
    action(la.do_purge_deleted_originals, "library.originals.purge", via=_purge),
    by_delegate(
        la.do_set_provision_theme,
        "library.provision.theme_",
        provision=_provision,
        theme=_first_theme,
        present=True,
    ),
    by_delegate(la.do_correct_language, "library.document.language", document=_document, language="ms"),
    action(la.do_import_themes, "library.themes.import", taxonomy=lambda p: load_taxonomy()),
)


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


def _public_document(p):
    return _ingest(p, visibility="public").version.document_id


def _new_version():
    return {
        "label": "2",
        "file": SimpleUploadedFile("act2.md", STATUTE_AMENDED.encode(), content_type="text/markdown"),
    }


API = {
    ("POST", "/api/library/documents"): lambda p, c: (_upload(c), "library.document.create"),
    **scenarios(
        call(
            "PATCH /api/library/documents/{document_id}",
            "library.document.update",
            _public_document,
            {"title": "New"},
        ),
        call("DELETE /api/library/documents/{document_id}", "library.document.delete", _public_document),
        call(
            "POST /api/library/provisions/{provision_id}/themes",
            "library.provision.theme_",
            lambda p: _provision(p, "public"),
            lambda p, _: {"theme": _first_theme(p).slug, "action": "add"},
        ),
    ),
    # a new version is a multipart upload, not JSON
    ("POST", "/api/library/documents/{document_id}/versions"): lambda p, c: (
        c.post(f"/api/library/documents/{_public_document(p)}/versions", _new_version()),
        "library.version.upload",
    ),
}
