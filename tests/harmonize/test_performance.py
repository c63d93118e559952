"""The busiest pages stay within a bounded number of queries, whatever the number of mappings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .factories import large_comparison

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [20, 200])
def test_overview_and_review_queries_do_not_grow_with_mappings(
    personas, as_user, django_assert_max_num_queries, size
):
    comparison = large_comparison(personas, n_provisions=size, per_source=4)
    client = as_user(personas.analyst_pk)
    with django_assert_max_num_queries(30):
        assert client.get(comparison.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("harmonize:review", args=[comparison.pk]) + "?status=all").status_code == 200
        )
    mapping = comparison.mappings.first()
    with django_assert_max_num_queries(25):
        assert client.get(mapping.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/api/comparisons/{comparison.pk}/mappings?page_size=200").status_code == 200
