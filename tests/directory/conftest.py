"""Directory fixtures: a Pakistani university with its own stakeholder, and listings in each state.

The personas' stakeholder represents "Test University" (Malaysia); ``stakeholder_pk`` represents a
Pakistani university. Listings belong to the Malaysian university.
"""

from __future__ import annotations

import pytest

from concord.accounts.models import Organization
from concord.directory import actions
from concord.directory.models import Listing
from tests.factories import new_stakeholder

PK_UNI = "Test University of Pakistan"


@pytest.fixture
def eco(personas):
    pk_org = Organization.objects.create(name=PK_UNI, country="PK", party=personas.pk, kind="university")
    personas.users["stakeholder_pk"] = new_stakeholder(
        personas, "stakeholder_pk@test.example", "Stakeholder Pk", pk_org, password="x" * 20
    )
    personas.pk_org = pk_org
    return personas


def make_listing(p, status: str = "draft", visibility: str = "public", **kw) -> Listing:
    listing = actions.do_create_listing(
        actor=p.stakeholder,
        organization=p.university,
        dialogue=p.dialogue,
        kind=kw.pop("kind", "technology_request"),
        title=kw.pop("title", "Sensors for an IoT testbed"),
        summary=kw.pop("summary", "We look for partners to test Internet of things sensors."),
        themes=kw.pop("themes", ["iot"]),
        visibility=visibility,
        **kw,
    )
    if status in ("in_review", "published", "expired"):
        actions.do_submit_listing(actor=p.stakeholder, listing=listing)
    if status in ("published", "expired"):
        actions.do_publish_listing(actor=p.secretariat, listing=listing)
    if status == "expired":
        from datetime import timedelta

        from django.utils import timezone

        actions.do_expire_listings(now=timezone.now() + timedelta(days=400))
        listing.refresh_from_db()
    return listing


def make_directory_opportunity(p, title: str = "Fund", kind: str = "investment", *, by=None, **kw):
    """An opportunity of the directory (an investment, a research call, …) posted in the dialogue by ``by``
    (the secretariat); ``kw`` names the rest (summary, themes, visibility, send_alerts, …)."""
    kw.setdefault("summary", "S")
    return actions.do_create_opportunity(
        actor=by or p.secretariat, dialogue=p.dialogue, kind=kind, title=title, **kw
    )
