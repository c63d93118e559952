"""The demo comparison, the API, and the exports' contents (OSCAL model, XLSX sheets, PDF pages)."""

from __future__ import annotations

import io
import json

import pytest

from concord.harmonize.models import Comparison, Review, SignOff
from tests.oscal import oscal_mapping_errors

pytestmark = pytest.mark.django_db


def test_the_demo_runs_the_engine_on_the_corpus_with_labelled_demo_decisions():
    from concord.demo.load import load_foundation, load_harmonize, load_library
    from concord.harmonize.demo import DEMO_NOTE, TITLE

    out = io.StringIO()
    load_foundation(out)
    load_library(out)
    load_harmonize(out)
    comparison = Comparison.objects.get(title=TITLE)
    assert comparison.status == "ready", comparison.error
    assert comparison.mappings.exists()
    sources = set(comparison.source_documents.values_list("short_title", flat=True))
    assert {"PDPA 2010", "Cyber Security Act 2024"} <= sources
    reviews = Review.objects.filter(mapping__comparison=comparison)
    assert reviews.exists() and all(r.comment == DEMO_NOTE for r in reviews)
    assert all(r.actor.email.endswith("@concord.example") for r in reviews)
    assert comparison.mappings.filter(agreement="agreed").count() == 1
    counts = (Review.objects.count(), SignOff.objects.count(), comparison.mappings.count())
    load_harmonize(out)  # again: nothing added
    assert (Review.objects.count(), SignOff.objects.count(), comparison.mappings.count()) == counts


def test_the_oscal_export_validates_against_the_nist_model(personas, ran, as_user):
    from concord.harmonize import actions

    first = ran.mappings.order_by("id").first()
    actions.do_review_mapping(
        actor=personas.analyst_my, mapping=first, decision="retype", relationship="contrary-to"
    )
    response = as_user(personas.analyst_pk).get(f"/harmonize/{ran.pk}/export/oscal/")
    doc = json.loads(response.content)
    collection = doc["mapping-collection"]
    assert collection["provenance"]["method"] == "hybrid"
    maps = collection["mappings"][0]["maps"]
    contrary = [m for m in maps if m["relationship"] == "contrary-to"]
    assert contrary and contrary[0]["ns"] == "urn:concord:relationship"
    assert {"name": "provenance", "ns": "urn:concord", "value": "hybrid"} in contrary[0]["props"]
    assert oscal_mapping_errors(doc) == []


def test_the_xlsx_export_has_mappings_themes_and_gaps(personas, ran, as_user):
    from openpyxl import load_workbook

    body = as_user(personas.analyst_pk).get(f"/harmonize/{ran.pk}/export/xlsx/").content
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["Mappings", "Themes", "Gaps"]
    assert book["Mappings"].max_row == ran.mappings.count() + 1
    assert book["Themes"]["A2"].value == "All provisions"


def test_the_csv_export_neutralises_formulas(personas, ran, library, as_user):
    import csv

    from concord.library.actions import do_update_document

    title = '=HYPERLINK("http://evil.example/","Open")'
    do_update_document(actor=personas.analyst_my, document=library[0], title=title, short_title="")
    body = as_user(personas.analyst_pk).get(f"/harmonize/{ran.pk}/export/csv/").content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("source_document,source_provision")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and {r["source_document"] for r in rows} == {"'" + title}
    assert all(float(r["confidence"]) >= 0 for r in rows)  # numbers stay numbers


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_brief_is_a_pdf_in_the_readers_language(personas, ran, as_user, language):
    response = as_user(personas.analyst_pk).get(f"/harmonize/{ran.pk}/export/pdf/?lang={language}")
    assert response.content.startswith(b"%PDF")
    assert f"brief-{language}.pdf" in response["Content-Disposition"]


def test_the_api_walks_through_review_and_sign_off(personas, ran, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(personas.analyst_my)
    listed = client.get(f"/api/comparisons/{ran.pk}/mappings?review_status=pending").json()
    assert listed["count"] == ran.mappings.count()
    mid = listed["items"][0]["id"]
    accepted = client.post(
        f"/api/comparisons/{ran.pk}/mappings/{mid}/review",
        json.dumps({"decision": "accept"}),
        content_type="application/json",
    ).json()
    assert (accepted["review_status"], accepted["provenance"]) == ("accepted", "hybrid")
    signed = client.post(
        f"/api/comparisons/{ran.pk}/mappings/{mid}/signoff", json.dumps({}), content_type="application/json"
    ).json()
    assert (signed["party"], signed["agreement"]) == ("MY", "proposed")
    client.force_login(personas.delegate_pk)
    objected = client.post(
        f"/api/comparisons/{ran.pk}/mappings/{mid}/signoff",
        json.dumps({"decision": "object"}),
        content_type="application/json",
    )
    assert objected.status_code == 400 and "Say why" in objected.json()["error"]["message"]
    overview = client.get(f"/api/comparisons/{ran.pk}/overview").json()
    assert overview["total"]["theme"] == "*" and overview["review_counts"]["accepted"] == 1
    export = client.get(f"/api/comparisons/{ran.pk}/export?format=oscal")
    assert export.status_code == 200 and "mapping-collection" in export.json()


def test_the_api_refuses_bad_input_with_clear_messages(personas, library, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    my, pk = library
    client.force_login(personas.analyst_my)
    base = {"dialogue": "pk-my", "title": "T", "source_party": "MY", "target_party": "PK"}
    same = client.post(
        "/api/comparisons",
        json.dumps({**base, "source_documents": [my.pk], "target_documents": [my.pk]}),
        content_type="application/json",
    )
    assert same.status_code == 400 and "both sides" in same.json()["error"]["message"]
    missing = client.post(
        "/api/comparisons",
        json.dumps({**base, "source_documents": [my.pk], "target_documents": [999999]}),
        content_type="application/json",
    )
    assert missing.status_code == 400 and "not found" in missing.json()["error"]["message"]
    created = client.post(
        "/api/comparisons",
        json.dumps({**base, "source_documents": [my.pk], "target_documents": [pk.pk]}),
        content_type="application/json",
    )
    assert created.status_code == 201
    assert client.get("/api/comparisons/999999").status_code == 404
