"""Real-sized documents: lists and pages never load a version's extracted text, and still count provisions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from concord.library.models import DocumentVersion, PolicyDocument

from .conftest import STATUTE

pytestmark = pytest.mark.django_db


def _loads_text(queries) -> list[str]:
    """The statements that read the extracted-text column in any way (selected, cut or filtered on)."""
    return [q["sql"] for q in queries if "extracted_text" in q["sql"]]


def test_the_list_counts_provisions_without_selecting_the_text(client, as_user, ingest, personas):
    ingest(title="A read act")
    as_user(personas.delegate_my)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("library:list"))
    assert page.status_code == 200
    assert _loads_text(captured.captured_queries) == []
    # Still counted: the list says how many provisions the current version has.
    version = PolicyDocument.objects.get(title="A read act").current_version
    n = version.provisions.count()
    assert n > 5
    assert page.context["page"].object_list[0].n_provisions == n


@pytest.mark.parametrize(
    "url",
    [
        "library:list",
        "library:document",
        "api-documents",
        "api-document",
        "api-versions",
        "api-version",
        "api-provisions",
        "search",
    ],
)
def test_no_page_or_api_list_selects_the_extracted_text(client, as_user, api_as, ingest, personas, url):
    result = ingest(title="A read act")
    document, version = result.document, result.version
    as_user(personas.delegate_my)
    urls = {
        "library:list": reverse("library:list"),
        "library:document": reverse("library:document", args=[document.pk]),
        "api-documents": "/api/library/documents",
        "api-document": f"/api/library/documents/{document.pk}",
        "api-versions": f"/api/library/documents/{document.pk}/versions",
        "api-version": f"/api/library/versions/{version.pk}",
        "api-provisions": f"/api/library/versions/{version.pk}/provisions",
        "search": reverse("knowledge:search") + "?q=consent",
    }
    if url.startswith("api-"):
        api_as(personas.delegate_my)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(urls[url])
    assert response.status_code == 200
    assert _loads_text(captured.captured_queries) == []


def test_the_text_is_still_there_when_asked_for_by_name(ingest):
    version = ingest().version
    fresh = DocumentVersion.objects.get(pk=version.pk)
    assert "extracted_text" in fresh.get_deferred_fields()
    # A deferred column loads on access (the base manager defers it too, so this needs care).
    assert "Data Protection Act 2030" in fresh.extracted_text
    assert DocumentVersion.objects.with_text().get(pk=version.pk).get_deferred_fields() == set()
    assert DocumentVersion.objects.text_head(version.pk, 20) == fresh.extracted_text[:20]
    # Related lookups go through the base manager, which leaves the text out as well.
    document = PolicyDocument.objects.get(pk=version.document_id)
    assert "extracted_text" in document.current_version.get_deferred_fields()


def test_search_indexes_the_head_of_the_text(ingest):
    from concord.knowledge import index

    document = ingest(STATUTE.encode() + b"\n\nclosing words " * 2000).document
    entry = index.refresh(PolicyDocument.objects.get(pk=document.pk))
    assert entry is not None
    assert "Data Protection Act 2030" in entry.body
    assert len(entry.body) < 7000


def test_a_text_over_the_character_limit_is_refused_at_upload_naming_limit_and_size(
    client, as_user, api_as, personas, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.CONCORD_MAX_DOCUMENT_CHARS = 1000
    data = ("# Act\n\n" + "A sentence of the act. " * 100).encode()
    as_user(personas.delegate_my)
    page = client.post(
        reverse("library:upload"),
        {
            "title": "Too long",
            "kind": "law",
            "status": "in_force",
            "visibility": "dialogue",
            "language": "",
            "file": SimpleUploadedFile("act.md", data, content_type="text/markdown"),
        },
    )
    assert page.status_code == 400
    assert "2,307 characters" in page.content.decode() and "limit of 1,000" in page.content.decode()
    api = api_as(personas.delegate_my).post(
        "/api/library/documents",
        {"title": "Too long", "kind": "law", "file": SimpleUploadedFile("act.md", data)},
    )
    assert api.status_code == 422
    assert api.json()["error"]["code"] == "E204"
    assert not PolicyDocument.objects.filter(title="Too long").exists()


def test_one_long_line_is_stored_as_provisions_within_the_limit(ingest, settings):
    settings.CONCORD_MAX_PROVISION_CHARS = 2000
    line = "The operator shall keep records of every transfer. " * 400  # 20,400 characters
    version = ingest(line.encode(), filename="one-line.md", kind="policy").version
    version.refresh_from_db()
    texts = list(version.provisions.order_by("order").values_list("text", flat=True))
    assert version.status == "ready" and len(texts) == 11
    assert max(len(t) for t in texts) <= 2000


def _act(sections: int, words: str = "The operator shall keep records of every transfer.") -> bytes:
    parts = ["# Records Act 2030", "## PART I — RECORDS"]
    parts += [f"### {n}. Records of kind {n}\n\n{words} Kind {n} applies." for n in range(1, sections + 1)]
    return "\n\n".join(parts).encode()


def test_a_long_document_page_shows_fifty_provisions_a_page(client, as_user, ingest, personas):
    document = ingest(_act(120), title="Records Act 2030").document
    total = document.current_version.provisions.count()
    assert total >= 120
    as_user(personas.delegate_my)
    url = reverse("library:document", args=[document.pk])
    first = client.get(url)
    assert len(first.context["provisions"]) == 50
    assert first.context["page"].paginator.num_pages == -(-total // 50)
    last = client.get(url + f"?page={first.context['page'].paginator.num_pages}")
    assert len(last.context["provisions"]) == total - 50 * (first.context["page"].paginator.num_pages - 1)
    assert 'rel="next"' in first.content.decode()


def test_asking_for_a_provision_opens_the_page_that_holds_it(client, as_user, ingest, personas):
    document = ingest(_act(120), title="Records Act 2030").document
    provision = document.current_version.provisions.get(number="75")
    as_user(personas.delegate_my)
    url = reverse("library:document", args=[document.pk])
    response = client.get(url + f"?provision={provision.key}")
    assert response.status_code == 302
    assert response["Location"].endswith(f"page=2#p-{provision.key}")
    page = client.get(response["Location"].split("#")[0])
    assert provision.pk in [p.pk for p in page.context["provisions"]]
    assert client.get(provision.get_absolute_url()).status_code == 302  # links elsewhere go the same way
    assert client.get(url + "?provision=no-such-key").status_code == 404


def test_a_section_shows_its_lead_in_even_when_its_subsections_are_on_the_next_page(
    client, as_user, ingest, personas
):
    # 48 short sections, then one whose subsections fall on page 2.
    body = _act(48).decode() + (
        "\n\n### 49. Interpretation\n\nIn this Act, unless the context otherwise requires—\n\n"
        "(1) “record” means a record of a transfer.\n\n(2) “transfer” means a movement of data.\n"
    )
    document = ingest(body.encode(), title="Records Act 2030").document
    as_user(personas.delegate_my)
    page = client.get(reverse("library:document", args=[document.pk]))
    section = next(p for p in page.context["provisions"] if p.number == "49")
    assert section.display_text.startswith("In this Act")
    assert "movement of data" not in section.display_text


def test_a_version_diff_is_paginated_and_diffs_only_the_page_shown(
    client, as_user, api_as, ingest, personas, monkeypatch
):
    from concord.library import diff, views
    from concord.library.actions import do_ingest_version

    document = ingest(_act(120), title="Records Act 2030").document
    changed = _act(120, "The operator shall keep full records of every transfer.")
    new = do_ingest_version(actor=personas.delegate_my, document=document, upload=changed, filename="v2.md")
    version = new.version
    version.refresh_from_db()
    assert version.diff_summary["changed"] >= 120
    calls: list[int] = []
    real = diff.word_diff
    monkeypatch.setattr(diff, "word_diff", lambda a, b: calls.append(1) or real(a, b))
    as_user(personas.delegate_my)
    page = client.get(reverse("library:diff", args=[version.pk]))
    assert page.status_code == 200
    assert len(page.context["rows"]) == views.PROVISIONS_PER_PAGE
    assert len(calls) == views.PROVISIONS_PER_PAGE  # not one per changed provision of the whole act
    assert page.context["summary"]["changed"] == version.diff_summary["changed"]
    api = api_as(personas.delegate_my).get(f"/api/library/versions/{version.pk}/diff?page=3&page_size=20")
    body = api.json()
    assert api.status_code == 200 and body["page"] == 3 and len(body["rows"]) == 20
    assert body["count"] == version.diff_summary["changed"] and body["pages"] == -(-body["count"] // 20)
    assert all(r["old_segments"] for r in body["rows"])
