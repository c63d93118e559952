"""Offers and requests through review, expiry and renewal; expressions of interest; meeting slots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from concord.audit.models import AuditEntry
from concord.directory import actions
from concord.directory.models import InterestStatus, ListingStatus
from concord.knowledge.models import SearchEntry

from .conftest import make_listing

pytestmark = pytest.mark.django_db


def test_a_listing_moves_from_draft_through_review_to_published(eco):
    listing = make_listing(eco, "draft")
    assert listing.status == ListingStatus.DRAFT
    assert not SearchEntry.objects.filter(kind="listing", object_id=listing.pk).exists()
    actions.do_submit_listing(actor=eco.stakeholder, listing=listing)
    assert listing.status == ListingStatus.IN_REVIEW and listing.submitted_at
    actions.do_publish_listing(actor=eco.secretariat, listing=listing)
    assert listing.status == ListingStatus.PUBLISHED
    assert listing.expires_at - listing.published_at == timedelta(days=365)
    assert SearchEntry.objects.filter(kind="listing", object_id=listing.pk).exists()
    assert [e.action for e in AuditEntry.objects.filter(object_type="directory.listing").order_by("id")] == [
        "directory.listing.create",
        "directory.listing.submit",
        "directory.listing.publish",
    ]


def test_the_secretariat_can_return_a_listing_with_a_note(eco):
    listing = make_listing(eco, "in_review")
    actions.do_return_listing(actor=eco.secretariat, listing=listing, note="Please add the themes.")
    assert listing.status == ListingStatus.DRAFT and listing.review_note == "Please add the themes."
    with pytest.raises(ValidationError):
        actions.do_return_listing(
            actor=eco.secretariat, listing=make_listing(eco, "in_review", title="Other"), note="  "
        )


def test_only_the_secretariat_publishes(eco):
    listing = make_listing(eco, "in_review")
    for user in (eco.stakeholder, eco.delegate_my, eco.stakeholder_pk):
        with pytest.raises(PermissionDenied):
            actions.do_publish_listing(actor=user, listing=listing)
    with pytest.raises(PermissionDenied):  # a draft is not reviewed
        actions.do_publish_listing(actor=eco.secretariat, listing=make_listing(eco, "draft", title="Draft"))


def test_listings_expire_and_can_be_renewed(eco):
    listing = make_listing(eco, "published")
    assert actions.do_expire_listings(now=timezone.now() + timedelta(days=30)) == 0
    assert actions.do_expire_listings(now=timezone.now() + timedelta(days=366)) == 1
    listing.refresh_from_db()
    assert listing.status == ListingStatus.EXPIRED
    assert not SearchEntry.objects.filter(kind="listing", object_id=listing.pk).exists()
    actions.do_renew_listing(actor=eco.stakeholder, listing=listing)
    assert listing.status == ListingStatus.PUBLISHED and listing.expires_at > timezone.now() + timedelta(
        days=360
    )
    assert SearchEntry.objects.filter(kind="listing", object_id=listing.pk).exists()


def _offer(eco) -> dict:
    """A technology offer of the Malaysian university, as the fields of ``do_create_listing``."""
    return {
        "organization": eco.university,
        "dialogue": eco.dialogue,
        "kind": "technology_offer",
        "title": "T",
        "summary": "S",
    }


def test_bad_listing_input_names_the_problem_and_writes_nothing(eco):
    before = AuditEntry.objects.count()
    cases = [
        ({"kind": "sell_everything"}, "kind"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"themes": ["no-such-theme"]}, "themes"),
        ({"visibility": "secret"}, "visibility"),
    ]
    for override, field in cases:
        with pytest.raises(ValidationError) as exc:
            actions.do_create_listing(actor=eco.stakeholder, **{**_offer(eco), **override})
        assert field in exc.value.message_dict
    assert AuditEntry.objects.count() == before


def test_a_stakeholder_posts_only_for_their_own_organisation(eco):
    for outsider_to_it in (eco.stakeholder_pk, eco.delegate_my):
        with pytest.raises(PermissionDenied):
            actions.do_create_listing(actor=outsider_to_it, **_offer(eco))


def test_interest_is_accepted_and_a_slot_booked(eco, django_capture_on_commit_callbacks):
    listing = make_listing(eco, "published")
    with django_capture_on_commit_callbacks(execute=True):  # notices are e-mailed after commit
        interest = actions.do_express_interest(
            actor=eco.stakeholder_pk,
            listing=listing,
            organization=eco.pk_org,
            message="We run an IoT lab and would like to join.",
        )
    assert [m.to for m in mail.outbox] == [["stakeholder@test.example"]]
    with pytest.raises(ValidationError):  # once per organisation
        actions.do_express_interest(
            actor=eco.stakeholder_pk, listing=listing, organization=eco.pk_org, message="Again"
        )
    slot = actions.do_add_slot(
        actor=eco.stakeholder,
        listing=listing,
        starts_at=timezone.now() + timedelta(days=7),
        minutes=45,
        place="Online",
    )
    with pytest.raises(PermissionDenied):  # not accepted yet
        actions.do_book_slot(actor=eco.stakeholder_pk, interest=interest, slot=slot)
    actions.do_decide_interest(actor=eco.stakeholder, interest=interest, accept=True, reply="Welcome")
    assert interest.status == InterestStatus.ACCEPTED
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_book_slot(actor=eco.stakeholder_pk, interest=interest, slot=slot)
    slot.refresh_from_db()
    assert slot.booked_by == interest
    assert mail.outbox[-1].to == ["stakeholder@test.example"]


def test_a_booked_slot_cannot_be_booked_twice(eco):
    listing = make_listing(eco, "published")
    first = actions.do_express_interest(
        actor=eco.stakeholder_pk, listing=listing, organization=eco.pk_org, message="A"
    )
    actions.do_decide_interest(actor=eco.stakeholder, interest=first, accept=True)
    slot = actions.do_add_slot(
        actor=eco.stakeholder, listing=listing, starts_at=timezone.now() + timedelta(days=3)
    )
    actions.do_book_slot(actor=eco.stakeholder_pk, interest=first, slot=slot)
    slot.booked_by = None
    with pytest.raises(ValidationError):
        actions.do_book_slot(actor=eco.stakeholder_pk, interest=first, slot=slot)  # the database says booked


def test_declined_interest_cannot_book(eco):
    listing = make_listing(eco, "published")
    interest = actions.do_express_interest(
        actor=eco.stakeholder_pk, listing=listing, organization=eco.pk_org, message="A"
    )
    actions.do_decide_interest(actor=eco.stakeholder, interest=interest, accept=False, reply="Not now")
    assert interest.status == InterestStatus.DECLINED
    slot = actions.do_add_slot(
        actor=eco.stakeholder, listing=listing, starts_at=timezone.now() + timedelta(days=3)
    )
    with pytest.raises(PermissionDenied):
        actions.do_book_slot(actor=eco.stakeholder_pk, interest=interest, slot=slot)


def test_slots_must_be_in_the_future_and_of_sensible_length(eco):
    listing = make_listing(eco, "published")
    with pytest.raises(ValidationError):
        actions.do_add_slot(
            actor=eco.stakeholder, listing=listing, starts_at=timezone.now() - timedelta(hours=1)
        )
    with pytest.raises(ValidationError):
        actions.do_add_slot(
            actor=eco.stakeholder, listing=listing, starts_at=timezone.now() + timedelta(days=1), minutes=2000
        )


def test_no_interest_in_your_own_or_an_unpublished_listing(eco):
    draft = make_listing(eco, "draft")
    with pytest.raises(PermissionDenied):
        actions.do_express_interest(
            actor=eco.stakeholder_pk, listing=draft, organization=eco.pk_org, message="A"
        )
    published = make_listing(eco, "published", title="Own")
    with pytest.raises(PermissionDenied):
        actions.do_express_interest(
            actor=eco.stakeholder, listing=published, organization=eco.university, message="A"
        )
