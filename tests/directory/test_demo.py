"""The ecosystem demo: real organisations' profiles from the JSON, every invented record labelled."""

from __future__ import annotations

import io

import pytest

from concord.demo.load import load_ecosystem, load_foundation
from concord.directory.models import Listing, ListingStatus, Opportunity, OrganizationProfile
from concord.knowledge.models import SearchEntry


@pytest.mark.django_db
def test_the_ecosystem_demo_loads_labelled_examples_and_is_idempotent():
    out = io.StringIO()
    load_foundation(out)
    load_ecosystem(out)
    assert OrganizationProfile.objects.count() >= 30
    assert Listing.objects.count() == 8 and Opportunity.objects.count() == 3
    for record in [*Listing.objects.all(), *Opportunity.objects.all()]:
        assert record.is_demo and record.title.startswith("Demo example")
    assert not Opportunity.objects.exclude(amount_min=None).exists()  # no invented numbers
    assert not Opportunity.objects.exclude(deadline=None).exists()  # no invented dates
    assert Listing.objects.filter(status=ListingStatus.PUBLISHED).count() == 8
    assert SearchEntry.objects.filter(kind="organization").count() >= 40
    load_ecosystem(out)
    assert Listing.objects.count() == 8 and Opportunity.objects.count() == 3
    assert "demo login hub.my@concord.example" in out.getvalue()
