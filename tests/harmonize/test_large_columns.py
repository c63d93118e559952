"""The harmonization pages and API never read a version's extracted text (it can weigh megabytes)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["list", "overview", "review", "api-comparisons", "api-mappings"])
def test_comparison_pages_never_read_the_extracted_text(client, as_user, personas, ran, page):
    as_user(personas.analyst_my)
    urls = {
        "list": reverse("harmonize:list"),
        "overview": reverse("harmonize:overview", args=[ran.pk]),
        "review": reverse("harmonize:review", args=[ran.pk]),
        "api-comparisons": "/api/comparisons",
        "api-mappings": f"/api/comparisons/{ran.pk}/mappings",
    }
    with CaptureQueriesContext(connection) as captured:
        response = client.get(urls[page])
    assert response.status_code == 200
    assert [q["sql"] for q in captured.captured_queries if "extracted_text" in q["sql"]] == []
