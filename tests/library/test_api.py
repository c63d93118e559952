"""The library API: documents, versions, provisions (paginated), multipart upload returning the job, diff,
theme correction and the original file, in the one error shape."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from concord.library.models import PolicyDocument, ProvisionTheme

from .conftest import STATUTE, STATUTE_AMENDED

pytestmark = pytest.mark.django_db


def _upload(api, data=STATUTE.encode(), name="act.md", **fields):
    return api.post(
        "/api/library/documents",
        {
            "title": "Data Protection Act 2030",
            "kind": "law",
            "party": "MY",
            "file": SimpleUploadedFile(name, data),
            **fields,
        },
    )


def test_upload_returns_the_job_and_the_version(api_as, personas):
    api = api_as(personas.analyst_my)
    response = _upload(api, language="en", year="2030", short_title="DPA")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["version"]["status"] == "ready" and body["job"]
    job = api.get(f"/api/jobs/{body['job']}").json()
    assert job["status"] == "succeeded" and job["result"]["provisions"] == 10
    document = api.get(f"/api/library/documents/{body['document']}").json()
    assert document["party"] == "MY" and document["year"] == 2030 and document["short_title"] == "DPA"
    assert "personal-data-protection" in document["themes"]
    assert api.get(body["status_url"]).json()["id"] == body["version"]["id"]


def test_a_nul_in_a_multipart_field_never_reaches_the_database(api_as, personas):
    # PostgreSQL refuses NUL in a query's text; the dialogue is looked up without it
    response = _upload(api_as(personas.analyst_my), dialogue="pk-my\x00")
    assert response.status_code == 202, response.content


def test_the_same_file_twice_is_a_conflict_naming_the_existing_document(api_as, personas):
    api = api_as(personas.analyst_my)
    first = _upload(api).json()
    response = _upload(api, title="Again")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "duplicate" and error["details"] == {
        "document": first["document"],
        "version": first["version"]["id"],
    }
    assert PolicyDocument.objects.count() == 1


def test_lists_are_paginated_and_filtered(api_as, personas, ingest):
    ingest(title="Malaysian act")
    ingest(
        STATUTE_AMENDED.encode(),
        title="Pakistani policy",
        kind="policy",
        actor=personas.delegate_pk,
        party="pk",
    )
    api = api_as(personas.observer)
    body = api.get("/api/library/documents?page_size=1").json()
    assert body["count"] == 2 and body["pages"] == 2 and len(body["items"]) == 1
    assert [d["title"] for d in api.get("/api/library/documents?party=pk").json()["items"]] == [
        "Pakistani policy"
    ]
    assert [d["title"] for d in api.get("/api/library/documents?kind=law").json()["items"]] == [
        "Malaysian act"
    ]
    assert api.get("/api/library/documents?theme=personal-data-protection").json()["count"] == 2
    assert api.get("/api/library/documents?kind=novel").status_code == 422


def test_versions_and_provisions(api_as, personas, ingest):
    result = ingest()
    api = api_as(personas.observer)
    versions = api.get(f"/api/library/documents/{result.document.pk}/versions").json()
    assert versions["count"] == 1 and versions["items"][0]["sha256"] == result.version.sha256
    page = api.get(f"/api/library/versions/{result.version.pk}/provisions?page_size=4").json()
    assert page["count"] == 10 and [p["key"] for p in page["items"]] == ["p1", "s1", "s1.1", "s1.2"]
    found = api.get(f"/api/library/versions/{result.version.pk}/provisions?q=seventy-two").json()["items"]
    assert [p["number"] for p in found] == ["4"]
    assert found[0]["themes"][0]["theme"] == "personal-data-protection"


def test_new_version_and_diff(api_as, personas, ingest):
    document = ingest().document
    api = api_as(personas.delegate_my)
    response = api.post(
        f"/api/library/documents/{document.pk}/versions",
        {"label": "2031", "file": SimpleUploadedFile("v2.md", STATUTE_AMENDED.encode())},
    )
    assert response.status_code == 202, response.content
    version = response.json()["version"]
    assert version["changes"]["added"] == 1 and version["supersedes"] == document.current_version_id
    diff = api.get(f"/api/library/versions/{version['id']}/diff").json()
    assert diff["mode"] == "full" and diff["summary"]["removed"] == 1
    s4 = next(r for r in diff["rows"] if r["new"] and r["new"]["key"] == "s4")
    assert {"kind": "ins", "text": "forty-eight"} in s4["new_segments"]
    assert {"kind": "del", "text": "seventy-two"} in s4["old_segments"]
    full = api.get(f"/api/library/versions/{version['id']}/diff?changes_only=false").json()
    assert len(full["rows"]) > len(diff["rows"])


def test_theme_correction(api_as, personas, ingest):
    provision = ingest().version.provisions.get(key="s4")
    api = api_as(personas.analyst_my)
    url = f"/api/library/provisions/{provision.pk}/themes"
    body = api.post(url, {"theme": "cybersecurity", "action": "add"}, content_type="application/json").json()
    assert {"theme": "cybersecurity", "score": None, "source": "human"} in body["themes"]
    response = api.post(url, {"theme": "nonsense", "action": "add"}, content_type="application/json")
    assert response.status_code == 400 and "Unknown theme" in response.json()["error"]["message"]
    assert (
        api.post(url, {"theme": "ai", "action": "maybe"}, content_type="application/json").status_code == 422
    )
    assert ProvisionTheme.objects.filter(provision=provision, source="human").count() == 1


def test_metadata_update_and_delete(api_as, personas, ingest):
    document = ingest().document
    api = api_as(personas.delegate_my)
    response = api.patch(
        f"/api/library/documents/{document.pk}",
        {"status": "amended", "year": 2030},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "amended"
    assert (
        api.patch(
            f"/api/library/documents/{document.pk}",
            {"source_url": "ftp://x"},
            content_type="application/json",
        ).status_code
        == 422
    )
    response = api.patch(f"/api/library/documents/{document.pk}", [None], content_type="application/json")
    assert response.status_code == 400 and "JSON object" in response.json()["error"]["message"]
    assert api.delete(f"/api/library/documents/{document.pk}").status_code == 204


def test_download_original(api_as, personas, ingest, statute):
    version = ingest().version
    response = api_as(personas.observer).get(f"/api/library/versions/{version.pk}/original")
    assert response.status_code == 200 and b"".join(response.streaming_content) == statute


def test_a_broken_multipart_body_is_a_400_not_a_500(api_as, personas, ingest):
    api = api_as(personas.analyst_my)
    document = ingest().document
    for url in ("/api/library/documents", f"/api/library/documents/{document.pk}/versions"):
        response = api.post(url, data=b"garbage", content_type="multipart/form-data")
        assert response.status_code == 400, response.content
        assert "multipart" in response.json()["error"]["message"]


def test_bad_ids_are_not_found_not_errors(api_as, personas):
    api = api_as(personas.observer)
    for url in (
        "/api/library/documents/999999",
        "/api/library/versions/999999/provisions",
        "/api/library/versions/999999/diff",
        "/api/library/versions/999999/original",
    ):
        response = api.get(url)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found", url
    assert api.get("/api/library/documents/abc").status_code == 422
    assert api.get("/api/library/versions/1/diff?base=0").status_code == 422


def test_every_endpoint_is_in_the_schema(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/library/documents",
        "/api/library/documents/{document_id}",
        "/api/library/documents/{document_id}/versions",
        "/api/library/versions/{version_id}/provisions",
        "/api/library/versions/{version_id}/diff",
        "/api/library/provisions/{provision_id}/themes",
        "/api/library/versions/{version_id}/original",
        "/api/library/themes",
    ):
        assert path in paths, path
    assert {"202", "409", "413", "422"} <= set(paths["/api/library/documents"]["post"]["responses"])
