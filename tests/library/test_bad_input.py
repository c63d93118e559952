"""Bad input through the web upload and the API: the size limit, hostile HTML, missing fields. The corpus
of malformed files is in test_malformed_uploads.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concord.library.models import DocumentVersion, IngestionStatus, PolicyDocument

pytestmark = pytest.mark.django_db

HOSTILE_HTML = (
    b"<html><head><script>alert('head')</script><style>body{display:none}</style></head><body>"
    b'<h1>Online Safety Act</h1><h2>1. Short title</h2><p onclick="steal()">This Act may be cited as the '
    b"Online Safety Act.<img src=x onerror=alert(1)></p><script>document.cookie</script>"
    b'<h2>2. Duty of care</h2><p>A service provider shall protect users <a href="javascript:alert(2)">'
    b'from harm</a>.</p><iframe src="https://evil.example"></iframe></body></html>'
)


def test_web_upload_over_the_size_limit(client, as_user, personas, settings):
    settings.CONCORD_MAX_UPLOAD_BYTES = 1024
    response = as_user(personas.analyst_my).post(
        reverse("library:upload"),
        {
            "title": "Big",
            "kind": "law",
            "status": "in_force",
            "visibility": "dialogue",
            "party": personas.my.pk,
            "file": SimpleUploadedFile("big.txt", b"a" * 2048),
        },
    )
    assert response.status_code == 400
    assert "over the 1 KB upload limit" in response.content.decode()
    assert not PolicyDocument.objects.exists()


def test_api_upload_over_the_size_limit(client, api_as, personas, settings):
    settings.CONCORD_MAX_UPLOAD_BYTES = 1024
    response = api_as(personas.analyst_my).post(
        "/api/library/documents",
        {"title": "Big", "kind": "law", "file": SimpleUploadedFile("big.txt", b"a" * 2048)},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert "limit" in response.json()["error"]["message"]
    assert not PolicyDocument.objects.exists()


def test_hostile_html_never_reaches_a_page(client, as_user, personas):
    client = as_user(personas.analyst_my)
    response = client.post(
        reverse("library:upload"),
        {
            "title": "Online Safety Act",
            "kind": "law",
            "status": "in_force",
            "visibility": "dialogue",
            "party": personas.my.pk,
            "file": SimpleUploadedFile("act.html", HOSTILE_HTML, content_type="text/html"),
        },
    )
    version = DocumentVersion.objects.get()
    assert response.status_code == 302 and version.status == IngestionStatus.READY
    assert version.provisions.filter(text__icontains="service provider shall protect").exists()
    page = client.get(version.document.get_absolute_url()).content.decode()
    assert "A service provider shall protect users" in page
    for bad in ("alert(", "onerror", "onclick", "javascript:", "<iframe", "document.cookie", "steal()"):
        assert bad not in page, bad
    # The original is kept as uploaded, and only ever sent back as an opaque download.
    assert version.original.read() == HOSTILE_HTML
    download = client.get(reverse("library:original", args=[version.pk]))
    assert (
        download["Content-Type"] == "application/octet-stream"
        and "attachment" in download["Content-Disposition"]
    )


def test_api_refuses_missing_fields_with_the_error_shape(client, api_as, personas):
    response = api_as(personas.analyst_my).post("/api/library/documents", {"kind": "novel"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
