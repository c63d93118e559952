"""The provider list offers only the organisations the user may choose (issue 14, item 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from concord.accounts.models import Organization


@pytest.fixture
def organisations(personas):
    for i in range(5):
        Organization.objects.create(name=f"Other organisation {i}", country="PK", kind="company")


def test_a_stakeholder_is_offered_only_the_organisation_they_represent(personas, as_user, organisations):
    client = as_user(personas.stakeholder)
    page = client.get(reverse("talent:opportunity_new")).content.decode()
    assert "Test University" in page and "Other organisation" not in page
    other = Organization.objects.get(name="Other organisation 0")
    response = client.post(
        reverse("talent:opportunity_new"),
        {
            "title": "Robotics course",
            "kind": "training",
            "host_country": "MY",
            "seats": 3,
            "provider": other.pk,
        },
    )
    assert response.status_code in (200, 400)
    assert "Select a valid choice" in response.content.decode()


def test_the_secretariat_and_delegates_may_name_any_provider(personas, as_user, organisations):
    page = as_user(personas.delegate_my).get(reverse("talent:opportunity_new")).content.decode()
    assert "Test University" in page and "Other organisation 4" in page
