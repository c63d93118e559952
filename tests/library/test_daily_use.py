"""Issue 14, item 14 (library): a wrong language is corrected, the list sorts by date added, and an upload
is found by the site-wide search by its exact title without a rebuild."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from concord.audit.models import AuditEntry
from concord.library import actions
from concord.library.models import PolicyDocument, Provision

from .conftest import FRENCH, STATUTE
from .test_pages import _upload

pytestmark = pytest.mark.django_db


def test_a_wrongly_detected_language_is_corrected_with_its_provisions(personas, ingest, as_user):
    document = ingest().document
    client = as_user(personas.delegate_my)
    assert 'name="language"' in client.get(document.get_absolute_url()).content.decode()
    response = client.post(reverse("library:language", args=[document.pk]), {"language": "ms"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.language == "ms"
    assert set(
        Provision.objects.filter(version=document.current_version).values_list("language", flat=True)
    ) == {"ms"}
    entry = AuditEntry.objects.get(action="library.document.language")
    assert entry.after["language"] == "ms"


def test_only_the_party_corrects_the_language_and_only_to_a_known_one(personas, ingest):
    document = ingest().document
    with pytest.raises(PermissionDenied):
        actions.do_correct_language(actor=personas.observer, document=document, language="ms")
    with pytest.raises(ValidationError, match="Unknown language"):
        actions.do_correct_language(actor=personas.delegate_my, document=document, language="xx")
    document.refresh_from_db()
    assert document.language != "ms" and not AuditEntry.objects.filter(action="library.document.language")


def test_the_library_sorts_by_date_added(personas, ingest, as_user):
    older = ingest(title="Older act", year=2030).document
    newer = ingest(FRENCH, title="Newer upload", year=2001, filename="fr.md").document
    PolicyDocument.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
    client = as_user(personas.delegate_my)
    by_year = [d.pk for d in client.get(reverse("library:list")).context["page"].object_list]
    by_added = [
        d.pk for d in client.get(reverse("library:list"), {"sort": "added"}).context["page"].object_list
    ]
    assert by_year == [older.pk, newer.pk]
    assert by_added == [newer.pk, older.pk]


def test_a_document_uploaded_through_the_page_is_found_by_its_exact_title(personas, as_user):
    client = as_user(personas.analyst_my)
    _upload(client, STATUTE.encode(), title="Numbat Digital Records Act 2030", party=personas.my.pk)
    page = as_user(personas.delegate_pk).get(
        reverse("knowledge:search"), {"q": "Numbat Digital Records Act 2030"}
    )
    document = PolicyDocument.objects.get(title="Numbat Digital Records Act 2030")
    assert document.get_absolute_url() in page.content.decode()


def test_a_long_document_has_a_table_of_contents_that_leads_to_each_section(personas, ingest, as_user):
    sections = "\n\n".join(
        f"### {i}. Duty number {i}\n\nA data user shall keep record number {i} for seven years."
        for i in range(1, 61)
    )
    document = ingest(
        f"# Long Records Act 2030\n\n## PART I — RECORDS\n\n{sections}\n".encode(), title="Long"
    ).document
    client = as_user(personas.delegate_pk)
    response = client.get(document.get_absolute_url())
    contents = response.context["contents"]
    assert [c["heading"] for c in contents if c["level"] == "section"][:2] == [
        "Duty number 1",
        "Duty number 2",
    ]
    body = response.content.decode()
    assert 'class="card toc"' in body and "Duty number 60" in body  # the contents span every page
    assert 'class="provision-fold" open' in body  # each text folds away
    last = next(c for c in contents if c["heading"] == "Duty number 60")
    jump = client.get(
        document.get_absolute_url(), {"version": document.current_version_id, "provision": last["key"]}
    )
    assert jump.status_code == 302 and "page=2" in jump["Location"]


def test_a_short_document_has_no_table_of_contents(personas, ingest, as_user):
    document = ingest().document
    assert as_user(personas.delegate_pk).get(document.get_absolute_url()).context["contents"] == []
