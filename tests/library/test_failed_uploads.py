"""Failed uploads: seen only by their uploader (and the secretariat and admins), who may delete them;
deleting asks first; originals of deleted documents are removed after the retention period; downloads
serve only accepted document types, as attachments that browsers never sniff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from concord import chores
from concord.audit.models import AuditEntry
from concord.library import rules
from concord.library.actions import do_delete_document
from concord.library.models import DeletedOriginal, DocumentVersion, IngestionStatus, PolicyDocument
from tests.matrix import ROLES as MATRIX_ROLES
from tests.matrix import over

from .conftest import FRENCH

pytestmark = pytest.mark.django_db

ROLES = [*MATRIX_ROLES, "admin"]
# A failed upload by the Malaysian analyst, visible to the dialogue: who may view and delete it. (An
# administrator who holds no seat in the dialogue sees it only in the admin site, like any document.)
FAILED_EXPECTED = {
    "view": {"analyst_my", "secretariat"},
    "delete": {"analyst_my", "secretariat"},
}


def _user(personas, role):
    if role == "anonymous":
        return AnonymousUser()
    if role == "admin":
        return get_user_model().objects.create_superuser("root@example.org", "x" * 20)
    return personas.users[role]


@pytest.fixture
def failed(ingest, personas):
    result = ingest(FRENCH, filename="loi.md", actor=personas.analyst_my, title="Loi refusée")
    assert result.version.status == IngestionStatus.FAILED
    return result.document


@over(role=ROLES, action=sorted(FAILED_EXPECTED))
def test_failed_upload_rules(personas, failed, role, action):
    user = _user(personas, role)
    assert rules.can(user, action, failed) is (role in FAILED_EXPECTED[action])
    if action == "view":
        listed = PolicyDocument.objects.visible_to(user).filter(pk=failed.pk).exists()
        assert listed is (role in FAILED_EXPECTED["view"])


def test_a_document_read_later_is_visible_to_all_again(personas, failed, ingest):
    version = failed.current_version
    DocumentVersion.objects.filter(pk=version.pk).update(status=IngestionStatus.READY)
    failed.refresh_from_db()
    assert rules.can_view(personas.delegate_pk, failed)
    assert PolicyDocument.objects.visible_to(personas.observer).filter(pk=failed.pk)


def test_the_uploader_deletes_a_failed_upload_after_confirming(client, as_user, personas, failed):
    client = as_user(personas.analyst_my)
    listed = client.get(reverse("library:list")).content.decode()
    assert "Failed:" in listed and "French" in listed
    url = reverse("library:delete", args=[failed.pk])
    page = client.get(url)  # a confirmation page, no JavaScript needed
    assert page.status_code == 200 and "Yes, delete it" in page.content.decode()
    assert PolicyDocument.objects.filter(pk=failed.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and not PolicyDocument.objects.filter(pk=failed.pk).exists()
    assert AuditEntry.objects.filter(action="library.document.delete", actor=personas.analyst_my).exists()


def test_delete_asks_first_and_refuses_whoever_may_not(client, as_user, personas, ingest):
    document = ingest().document
    url = reverse("library:delete", args=[document.pk])
    assert as_user(personas.analyst_my).get(url).status_code == 403
    assert as_user(personas.delegate_my).get(url).status_code == 200
    assert PolicyDocument.objects.filter(pk=document.pk).exists()
    page = client.get(document.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page  # the Delete button leads to the confirmation page


def test_the_uploader_deletes_a_failed_upload_through_the_api(api_as, personas, failed):
    assert api_as(personas.delegate_pk).delete(f"/api/library/documents/{failed.pk}").status_code == 404
    assert api_as(personas.analyst_my).delete(f"/api/library/documents/{failed.pk}").status_code == 204


def test_originals_of_deleted_documents_are_removed_after_the_retention_period(
    personas, ingest, settings, monkeypatch
):
    settings.CONCORD_ORIGINAL_RETENTION_DAYS = 30
    version = ingest().version
    path = version.original.name
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    do_delete_document(actor=personas.delegate_my, document=version.document)
    assert default_storage.exists(path) and DeletedOriginal.objects.filter(path=path).exists()

    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(days=29))
    assert chores.run_daily()["originals"] == 0
    assert default_storage.exists(path)  # within the retention period

    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(days=30, minutes=1))
    assert chores.run_daily()["originals"] == 1
    assert not default_storage.exists(path) and not DeletedOriginal.objects.exists()
    assert AuditEntry.objects.filter(action="library.originals.purge").exists()
    assert chores.run_daily()["originals"] == 0  # safe to run again


def test_a_file_still_in_use_is_never_purged(personas, ingest, monkeypatch):
    version = ingest().version
    DeletedOriginal.objects.create(path=version.original.name, sha256=version.sha256)
    later = timezone.now() + timedelta(days=3650)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert chores.run_daily()["originals"] == 0
    assert default_storage.exists(version.original.name)


def test_downloads_are_attachments_that_are_never_sniffed(client, as_user, api_as, personas, ingest):
    version = ingest().version
    response = as_user(personas.observer).get(reverse("library:original", args=[version.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    api = api_as(personas.observer).get(f"/api/library/versions/{version.pk}/original")
    assert api.status_code == 200 and api["X-Content-Type-Options"] == "nosniff"


def test_a_stored_file_of_a_type_concord_does_not_accept_is_never_served(client, as_user, personas, ingest):
    """An .exe stored before uploads were checked at once stays on disk but is not handed out."""
    version = ingest().version
    version.original.save("tool.exe", ContentFile(b"MZ\x90\x00" + b"\x00" * 60), save=False)
    DocumentVersion.objects.filter(pk=version.pk).update(original=version.original.name, media_type="")
    response = as_user(personas.delegate_pk).get(reverse("library:original", args=[version.pk]))
    assert response.status_code == 404
