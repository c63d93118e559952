"""Pages and API of the directory: they render, follow the workflow, refuse bad input clearly, and list
pages make a bounded number of queries."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from concord.accounts.models import Organization
from concord.directory import actions
from concord.directory.models import Interest, Listing, ListingStatus, MeetingSlot

from .conftest import make_directory_opportunity, make_listing

pytestmark = pytest.mark.django_db


def test_the_web_workflow_from_draft_to_booked_meeting(eco, as_user):
    c = as_user(eco.stakeholder)
    page = c.post(
        "/directory/listings/new/",
        {
            "organization": eco.university.pk,
            "kind": "technology_request",
            "title": "Testbed partners",
            "summary": "Partners for an IoT testbed.",
            "description": "",
            "themes": ["iot"],
            "visibility": "public",
            "submit_now": "1",
        },
    )
    listing = Listing.objects.get(title="Testbed partners")
    assert page.status_code == 302 and listing.status == ListingStatus.IN_REVIEW
    c = as_user(eco.secretariat)
    assert b"Testbed partners" in c.get("/directory/listings/review/").content
    c.post(f"/directory/listings/{listing.pk}/publish/")
    listing.refresh_from_db()
    assert listing.status == ListingStatus.PUBLISHED
    c = as_user(eco.stakeholder_pk)
    assert b"Send expression of interest" in c.get(f"/directory/listings/{listing.pk}/").content
    c.post(
        f"/directory/listings/{listing.pk}/interest/",
        {"organization": eco.pk_org.pk, "message": "We can help"},
    )
    interest = Interest.objects.get()
    c = as_user(eco.stakeholder)
    c.post(
        f"/directory/listings/{listing.pk}/slots/",
        {
            "starts_at": (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%d %H:%M"),
            "minutes": 30,
            "place": "Online",
        },
    )
    c.post(f"/directory/interests/{interest.pk}/decide/", {"decision": "accept", "reply": "Welcome"})
    slot = MeetingSlot.objects.get()
    c = as_user(eco.stakeholder_pk)
    c.post(f"/directory/interests/{interest.pk}/book/{slot.pk}/")
    slot.refresh_from_db()
    assert slot.booked_by == interest
    assert b"Meeting booked" in c.get(f"/directory/listings/{listing.pk}/").content


def test_forms_show_clear_errors(eco, as_user):
    c = as_user(eco.stakeholder)
    page = c.post(
        "/directory/listings/new/",
        {
            "organization": eco.university.pk,
            "kind": "nope",
            "title": "",
            "summary": "",
            "visibility": "public",
        },
    )
    assert page.status_code == 200 and b"form-errors" in page.content
    assert not Listing.objects.exists()
    page = c.post(f"/directory/organisations/{eco.university.pk}/profile/", {"contact_email": "not-an-email"})
    assert page.status_code == 200 and b"form-errors" in page.content


def test_strangers_cannot_reach_write_pages(eco, as_user):
    c = as_user(eco.observer)
    assert c.get("/directory/listings/new/").status_code == 403
    assert c.get(f"/directory/organisations/{eco.university.pk}/profile/").status_code == 403
    assert c.get(f"/directory/organisations/{eco.university.pk}/recommendations/").status_code == 403
    assert c.get("/directory/organisations/duplicates/").status_code == 403
    assert c.get("/directory/listings/review/").status_code == 403


def test_every_page_renders(eco, as_user):
    listing = make_listing(eco, "published")
    opp = make_directory_opportunity(eco, themes=["ai"])
    c = as_user(eco.secretariat)
    for url in [
        "/directory/",
        "/directory/organisations/",
        f"/directory/organisations/{eco.university.pk}/",
        f"/directory/organisations/{eco.university.pk}/profile/",
        f"/directory/organisations/{eco.university.pk}/recommendations/",
        "/directory/organisations/duplicates/",
        "/directory/listings/new/",
        f"/directory/listings/{listing.pk}/",
        "/directory/listings/review/",
        "/directory/opportunities/",
        f"/directory/opportunities/{opp.pk}/",
        "/directory/opportunities/new/",
        "/search/",
        "/search/?q=sensors",
        "/search/trends/",
        "/search/digest/",
    ]:
        page = c.get(url)
        assert page.status_code == 200, url
        assert b' style="' not in page.content, url


def test_list_pages_make_a_bounded_number_of_queries(eco, as_user, django_assert_max_num_queries):
    for i in range(15):
        org = Organization.objects.create(name=f"Org {i}", country="PK", kind="company")
        actions.do_save_profile(actor=eco.secretariat, organization=org, themes=["ai"])
        make_listing(eco, "published", title=f"Listing {i}")
        make_directory_opportunity(eco, f"Fund {i}", send_alerts=False)
    c = as_user(eco.stakeholder_pk)
    for url in [
        "/directory/organisations/",
        "/directory/",
        "/directory/opportunities/",
        "/search/?q=listing",
    ]:
        with django_assert_max_num_queries(25):
            assert c.get(url).status_code == 200


def test_the_api_runs_the_workflow(eco, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(eco.stakeholder)
    r = client.post(
        "/api/directory/listings",
        json.dumps(
            {
                "organization": eco.university.pk,
                "kind": "technology_offer",
                "title": "API offer",
                "summary": "S",
                "themes": ["ai"],
                "submit": True,
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["status"] == "in_review"
    listing_id = r.json()["id"]
    client.force_login(eco.secretariat)
    r = client.post(
        f"/api/directory/listings/{listing_id}/review",
        json.dumps({"decision": "publish"}),
        content_type="application/json",
    )
    assert r.json()["status"] == "published"
    client.force_login(eco.stakeholder_pk)
    r = client.post(
        f"/api/directory/listings/{listing_id}/interests",
        json.dumps({"organization": eco.pk_org.pk, "message": "Hi"}),
        content_type="application/json",
    )
    assert r.status_code == 201
    r = client.get(f"/api/directory/organizations/{eco.pk_org.pk}/recommendations")
    assert r.status_code == 200
    r = client.get(f"/api/directory/organizations/{eco.university.pk}/recommendations")
    assert r.status_code == 403


def test_api_bad_input_gets_a_clear_error(eco, client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    client.force_login(eco.stakeholder)
    r = client.put(
        f"/api/directory/organizations/{eco.university.pk}/profile",
        json.dumps({"themes": ["mars"]}),
        content_type="application/json",
    )
    assert r.status_code == 400 and "mars" in r.json()["error"]["message"]
    r = client.post(
        "/api/directory/listings",
        json.dumps({"organization": eco.university.pk, "kind": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 422
    listing = make_listing(eco, "published")
    r = client.post(
        f"/api/directory/listings/{listing.pk}/slots",
        json.dumps({"starts_at": "2030-01-01T10:00:00"}),
        content_type="application/json",
    )
    assert r.status_code == 422 and "time zone" in r.content.decode()
    client.force_login(eco.secretariat)
    r = client.post(
        "/api/directory/opportunities",
        json.dumps(
            {
                "dialogue": "pk-my",
                "kind": "investment",
                "title": "T",
                "summary": "S",
                "deadline": "2030-02-31",
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert client.get("/api/search", {"q": "x" * 3000}).status_code == 422
