"""The library's pages: list and filters, a document, search inside it, uploads, diffs, theme correction."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concord.library.models import DocumentVersion, IngestionStatus, PolicyDocument, ProvisionTheme, Theme

from .conftest import FRENCH, STATUTE, STATUTE_AMENDED

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes = STATUTE.encode(), name="act.md", **fields):
    payload = {
        "title": "Data Protection Act 2030",
        "kind": "law",
        "status": "in_force",
        "visibility": "dialogue",
        "language": "",
        "file": SimpleUploadedFile(name, data, content_type="text/markdown"),
        **fields,
    }
    return client.post(reverse("library:upload"), payload)


def test_the_nav_links_to_the_library(client, db):
    response = client.get("/")
    assert reverse("library:list") in response.content.decode()


def test_the_list_shows_visible_documents_only(client, as_user, ingest, personas):
    ingest(title="Shared act")
    ingest(
        STATUTE_AMENDED.encode(),
        title="Pakistani private act",
        actor=personas.delegate_pk,
        visibility="party",
        party="pk",
    )
    page = as_user(personas.delegate_my).get(reverse("library:list")).content.decode()
    assert "Shared act" in page and "Pakistani private act" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("party=MY", {"Malaysian law"}),
        ("party=PK", {"Pakistani policy"}),
        ("kind=policy", {"Pakistani policy"}),
        ("status=draft", {"Pakistani policy"}),
        ("language=ms", {"Malaysian law"}),
        ("theme=personal-data-protection", {"Malaysian law"}),
        ("theme=ai", {"Pakistani policy"}),
        ("q=malaysian", {"Malaysian law"}),
    ],
)
def test_the_list_filters(client, ingest, personas, query, expected):
    ingest(title="Malaysian law", language="ms", visibility="public")
    ingest(
        b"# Policy\n\n## 1. Artificial intelligence\n\nThe government will use artificial intelligence and "
        b"machine learning in public services.\n",
        title="Pakistani policy",
        kind="policy",
        status="draft",
        actor=personas.delegate_pk,
        party="pk",
        filename="policy.md",
        visibility="public",
    )
    page = client.get(f"{reverse('library:list')}?{query}").content.decode()
    titles = {t for t in ("Malaysian law", "Pakistani policy") if f">{t}</a>" in page}
    assert titles == expected


def test_the_list_has_no_n_plus_one(
    client, as_user, ingest, personas, django_assert_max_num_queries, statute
):
    for i in range(12):
        ingest(statute + f"\n<!-- {i} -->".encode(), title=f"Act {i}", filename=f"act{i}.md")
    client = as_user(personas.delegate_my)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("library:list"))
    assert response.status_code == 200 and response.content.decode().count('class="chip"') >= 12


def test_the_document_page_shows_the_tree_with_anchors_and_chips(client, ingest):
    document = ingest(visibility="public").document
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'id="p-s3.1"' in page and 'href="#p-s3.1"' in page
    assert "A data controller shall not process personal data" in page
    assert "Personal data protection" in page  # a theme chip
    # A section shows only its lead-in, not its subsections' text again.
    assert page.count("This Act may be cited as the Data Protection Act 2030.") == 1


def test_the_document_page_has_no_n_plus_one(client, ingest, django_assert_max_num_queries):
    document = ingest(visibility="public").document
    with django_assert_max_num_queries(14):
        assert client.get(document.get_absolute_url()).status_code == 200


def test_search_inside_the_document(client, ingest):
    document = ingest(visibility="public").document
    page = client.get(document.get_absolute_url() + "?q=seventy-two").content.decode()
    assert 'id="p-s4"' in page and 'id="p-s1"' not in page
    assert "1 of 10 provisions match" in page


def test_provision_text_is_escaped(client, ingest):
    data = b"# Act\n\n## 1. Scripts\n\nThe &lt;script&gt;alert(1)&lt;/script&gt; and <b>bold</b> stays.\n"
    document = ingest(data, visibility="public").document
    page = client.get(document.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "<b>bold</b>" not in page


def test_upload_page_stores_and_reads_a_document(client, as_user, personas):
    client = as_user(personas.analyst_my)
    assert client.get(reverse("library:upload")).status_code == 200
    response = _upload(client, party=personas.my.pk)
    version = DocumentVersion.objects.get()
    assert response.status_code == 302 and response.url == reverse("library:upload_status", args=[version.pk])
    assert version.status == IngestionStatus.READY
    status_page = client.get(response.url).content.decode()
    assert "Open the document" in status_page and "10 provisions found" in status_page
    # The polling partial (htmx) is the progress card alone.
    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="upload-progress"')


def test_upload_of_a_known_file_points_to_the_existing_document(client, as_user, personas, ingest):
    document = ingest().document
    response = _upload(as_user(personas.analyst_my), party=personas.my.pk)
    assert response.status_code == 302 and response.url.startswith(document.get_absolute_url())
    assert PolicyDocument.objects.count() == 1


def test_observers_may_not_upload(client, as_user, personas):
    assert as_user(personas.observer).get(reverse("library:upload")).status_code == 403


def test_a_new_version_and_its_side_by_side_diff(client, as_user, personas, ingest):
    document = ingest().document
    client = as_user(personas.delegate_my)
    response = client.post(
        reverse("library:version_upload", args=[document.pk]),
        {"label": "2031", "file": SimpleUploadedFile("v2.md", STATUTE_AMENDED.encode())},
    )
    version = DocumentVersion.objects.get(label="2031")
    assert response.status_code == 302
    page = client.get(reverse("library:diff", args=[version.pk])).content.decode()
    assert "<del>seventy-two</del>" in page and "<ins>forty-eight</ins>" in page
    assert "Data portability" in page and "1 added" in page and "1 removed" in page
    assert "Short title and commencement" not in page  # unchanged rows hidden...
    assert (
        "Short title and commencement"
        in client.get(reverse("library:diff", args=[version.pk]) + "?all=1").content.decode()
    )


def test_an_analyst_corrects_a_theme_and_it_is_kept(client, as_user, personas, ingest):
    document = ingest().document
    s4 = document.current_version.provisions.get(key="s4")
    client = as_user(personas.analyst_my)
    url = reverse("library:provision_themes", args=[s4.pk])
    response = client.post(url, {"theme": "cybersecurity", "action": "add"})
    assert response.status_code == 302 and response.url.endswith("#p-s4")
    assert client.post(url, {"theme": "personal-data-protection", "action": "remove"}).status_code == 302
    shown = set(ProvisionTheme.objects.shown().filter(provision=s4).values_list("theme__slug", flat=True))
    assert "cybersecurity" in shown and "personal-data-protection" not in shown
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Remove the theme Cybersecurity" in page or "Remove the theme" in page


def test_the_other_partys_analyst_may_not_correct_themes(client, as_user, personas, ingest):
    s4 = ingest().document.current_version.provisions.get(key="s4")
    response = as_user(personas.analyst_pk).post(
        reverse("library:provision_themes", args=[s4.pk]), {"theme": "ai", "action": "add"}
    )
    assert response.status_code == 403
    assert not ProvisionTheme.objects.filter(provision=s4, theme=Theme.objects.get(slug="ai")).exists()


def test_edit_and_delete(client, as_user, personas, ingest):
    document = ingest().document
    client = as_user(personas.delegate_my)
    data = {
        "title": "Renamed act",
        "kind": "law",
        "status": "amended",
        "visibility": "dialogue",
        "party": personas.my.pk,
    }
    assert client.post(reverse("library:edit", args=[document.pk]), data).status_code == 302
    document.refresh_from_db()
    assert document.title == "Renamed act" and document.status == "amended"
    assert client.post(reverse("library:delete", args=[document.pk])).status_code == 302
    assert not PolicyDocument.objects.exists()


def test_download_gives_the_untouched_original(client, as_user, personas, ingest, statute):
    version = ingest(visibility="public").version
    url = reverse("library:original", args=[version.pk])
    assert client.get(url).status_code == 302  # sign in first
    response = as_user(personas.observer).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == statute
    assert response["Content-Type"] == "application/octet-stream"
    assert "attachment" in response["Content-Disposition"]


def test_reprocess_after_a_failure(client, as_user, personas, ingest):
    version = ingest(FRENCH, filename="loi.md").version
    assert version.status == IngestionStatus.FAILED
    response = as_user(personas.delegate_my).post(reverse("library:reprocess", args=[version.pk]))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == IngestionStatus.FAILED and version.error_code == "E302"


def test_another_partys_document_is_not_found_everywhere(client, as_user, personas, ingest):
    theirs = ingest(actor=personas.delegate_pk, visibility="party", party="pk", title="Secret Pakistani act")
    version = theirs.version
    provision = version.provisions.first()
    client = as_user(personas.delegate_my)
    urls = [
        theirs.document.get_absolute_url(),
        reverse("library:edit", args=[theirs.document.pk]),
        reverse("library:version_upload", args=[theirs.document.pk]),
        reverse("library:upload_status", args=[version.pk]),
        reverse("library:original", args=[version.pk]),
        reverse("library:diff", args=[version.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Secret Pakistani act" not in response.content
    for url in (
        reverse("library:delete", args=[theirs.document.pk]),
        reverse("library:reprocess", args=[version.pk]),
        reverse("library:provision_themes", args=[provision.pk]),
    ):
        assert client.post(url, {"theme": "ai", "action": "add"}).status_code == 404, url
    mine = ingest().document
    # Asking for their version as the diff base of ours is also "not found".
    response = client.get(reverse("library:diff", args=[mine.current_version.pk]) + f"?base={version.pk}")
    assert response.status_code == 404 and b"Secret Pakistani act" not in response.content
