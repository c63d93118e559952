"""The directory's API: profiles, offers and requests with their review, expressions of interest, meeting
slots, opportunities, recommendations with feedback, and duplicates (secretariat)."""

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import field_validator

from concord.accounts.models import Dialogue, Organization
from concord.api.auth import AUTH
from concord.api.common import Code, arguments, changes, filter_by, public_read
from concord.api.errors import ERRORS
from concord.api.lookups import dialogue_or_404
from concord.api.pagination import Page
from concord.api.types import Id
from concord.core import rules as core
from concord.core.shortcuts import first_or_404

from . import actions, recommend, rules
from .lookups import interest_or_404, listing_or_404
from .models import (
    EcosystemOpportunityKind,
    InterestStatus,
    Listing,
    ListingKind,
    ListingStatus,
    MeetingSlot,
    Opportunity,
    OrganizationProfile,
    OrgSize,
)

router = Router(tags=["directory"])


class OrganizationProfileOut(Schema):
    organization: int
    name: str
    country: str
    kind: str
    website: str
    themes: list[str]
    sectors: list[str]
    capabilities: list[str]
    needs: list[str]
    size: str
    completeness: int
    contact_name: str | None
    contact_email: str | None


class OrganizationProfileIn(Schema):
    themes: list[str] | None = Field(None, max_length=15)
    sectors: list[str] | None = Field(None, max_length=20)
    capabilities: list[str] | None = Field(None, max_length=20)
    needs: list[str] | None = Field(None, max_length=20)
    size: OrgSize | Literal[""] | None = None
    contact_name: str | None = Field(None, max_length=200)
    contact_email: str | None = Field(None, max_length=254)
    contacts_public: bool | None = Field(None, strict=True)


class ByOrganization(Schema):
    """The organisation by its id, and its name (None when the record has none); as ``InDialogue``, a
    resolver serves only the fields a schema declares."""

    @staticmethod
    def resolve_organization(obj):
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj):
        return obj.organization.name


class ListingOut(ByOrganization):
    id: int
    organization: int
    organization_name: str
    kind: ListingKind
    title: str
    summary: str
    description: str
    themes: list[str]
    status: ListingStatus
    visibility: str
    is_demo: bool
    published_at: dt.datetime | None
    expires_at: dt.datetime | None
    review_note: str


class ListingIn(Schema):
    organization: int = Field(..., ge=1, le=2**53, strict=True)
    kind: ListingKind
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=500)
    description: str = Field("", max_length=10000)
    themes: list[str] = Field(default_factory=list, max_length=15)
    visibility: Literal["public", "dialogue"] = "public"
    submit: bool = Field(False, strict=True)


class ListingPatch(Schema):
    kind: ListingKind | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=500)
    description: str | None = Field(None, max_length=10000)
    themes: list[str] | None = Field(None, max_length=15)


class ListingFilters(Schema):
    kind: ListingKind | None = None
    status: ListingStatus | None = None
    country: str | None = Field(None, max_length=2)
    organization: int | None = Field(None, ge=1, le=2**53)


class ListingReviewIn(Schema):
    decision: Literal["publish", "return"]
    note: str = Field("", max_length=2000)


class InterestOut(ByOrganization):
    id: int
    listing: int
    organization: int
    organization_name: str
    message: str
    status: InterestStatus
    reply: str
    created_at: dt.datetime
    slot: int | None

    @staticmethod
    def resolve_listing(obj):
        return obj.listing_id

    @staticmethod
    def resolve_slot(obj):
        slot = getattr(obj, "slot", None)
        return slot.pk if slot is not None else None


class InterestIn(Schema):
    organization: int = Field(..., ge=1, le=2**53, strict=True)
    message: str = Field(..., min_length=1, max_length=4000)


class InterestDecisionIn(Schema):
    accept: bool = Field(..., strict=True)
    reply: str = Field("", max_length=2000)


class SlotOut(Schema):
    id: int
    listing: int
    starts_at: dt.datetime
    time_zone: str
    minutes: int
    place: str
    booked: bool

    @staticmethod
    def resolve_listing(obj):
        return obj.listing_id

    @staticmethod
    def resolve_booked(obj):
        return obj.booked_by_id is not None


class SlotIn(Schema):
    # A string, parsed strictly below: pydantic's lax mode would read a number as a timestamp.
    starts_at: str = Field(
        ...,
        min_length=16,
        max_length=40,
        json_schema_extra={"format": "date-time"},
        description="ISO 8601 with a time zone, e.g. 2027-01-15T10:00:00+08:00",
    )
    minutes: int = Field(30, ge=10, le=480, strict=True)
    place: str = Field("", max_length=300)
    time_zone: str = Field(
        "", max_length=64, description="IANA zone the slot is shown in (empty: the server's TIME_ZONE)"
    )

    @field_validator("starts_at")
    @classmethod
    def _aware(cls, value: str) -> str:
        parsed = dt.datetime.fromisoformat(value)  # ValueError -> 422 naming the field
        if parsed.tzinfo is None:
            raise ValueError("give the time with its time zone, e.g. 2027-01-15T10:00:00+08:00")
        if not 2000 <= parsed.year <= 2100:
            raise ValueError("the year must be between 2000 and 2100")
        return value


class BookIn(Schema):
    slot: int = Field(..., ge=1, le=2**53, strict=True)


class EcosystemOpportunityOut(ByOrganization):
    id: int
    kind: EcosystemOpportunityKind
    title: str
    summary: str
    description: str
    organization: int | None
    deadline: dt.date | None
    eligible_countries: list[str]
    themes: list[str]
    amount_min: Decimal | None
    amount_max: Decimal | None
    currency: str
    url: str
    visibility: str
    is_demo: bool


class EcosystemOpportunityIn(Schema):
    dialogue: str = Field(..., min_length=1, max_length=50)
    kind: EcosystemOpportunityKind
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=500)
    description: str = Field("", max_length=10000)
    organization: int | None = Field(None, ge=1, le=2**53, strict=True)
    deadline: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"})
    eligible_countries: list[str] = Field(default_factory=list, max_length=50)
    themes: list[str] = Field(default_factory=list, max_length=15)
    amount_min: Decimal | None = Field(None, ge=0, le=Decimal("999999999999"), decimal_places=2)
    amount_max: Decimal | None = Field(None, ge=0, le=Decimal("999999999999"), decimal_places=2)
    currency: str = Field("", max_length=3)
    url: str = Field("", max_length=500)
    visibility: Literal["public", "dialogue"] = "public"

    @field_validator("deadline")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None:
            dt.date.fromisoformat(value)
        return value


class RecommendationOut(Schema):
    target: str
    target_id: int
    title: str
    url: str
    score: float
    reasons: list[str]
    feedback: bool | None


class FeedbackIn(Schema):
    target: Literal["organization", "listing"]
    target_id: int = Field(..., ge=1, le=2**53, strict=True)
    useful: bool = Field(..., strict=True)


class MergeIn(Schema):
    duplicate: int = Field(..., ge=1, le=2**53, strict=True)


class DuplicateOut(Schema):
    first: int
    second: int
    first_name: str
    second_name: str
    similarity: float
    reason: str


# --- helpers ---------------------------------------------------------------------------------------------
def _org(org_id: Id) -> Organization:
    return first_or_404(Organization.objects.select_related("profile"), _("No such organisation."), pk=org_id)


def _profile_out(request, org: Organization) -> dict:
    try:
        profile = org.profile
    except OrganizationProfile.DoesNotExist:
        profile = OrganizationProfile(organization=org)
    show = rules.can_view_contact(request.user, org, profile)
    return {
        "organization": org.pk,
        "name": org.name,
        "country": org.country,
        "kind": org.kind,
        "website": org.website,
        "themes": profile.themes,
        "sectors": profile.sectors,
        "capabilities": profile.capabilities,
        "needs": profile.needs,
        "size": profile.size,
        "completeness": profile.completeness,
        "contact_name": profile.contact_name if show else None,
        "contact_email": profile.contact_email if show else None,
    }


# --- profiles --------------------------------------------------------------------------------------------
@public_read(router, "/directory/organizations/{org_id}/profile", OrganizationProfileOut)
def get_profile(request, org_id: Id):
    return _profile_out(request, _org(org_id))


@router.put(
    "/directory/organizations/{org_id}/profile", response={200: OrganizationProfileOut, **ERRORS}, auth=AUTH
)
def put_profile(request, org_id: Id, payload: OrganizationProfileIn):
    org = _org(org_id)
    actions.do_save_profile(
        actor=request.user,
        organization=org,
        **changes(payload),
    )
    org.refresh_from_db()
    return _profile_out(request, _org(org_id))


@router.get(
    "/directory/organizations/{org_id}/recommendations",
    response={200: list[RecommendationOut], **ERRORS},
    auth=AUTH,
)
def get_recommendations(request, org_id: Id, limit: int = Query(10, ge=1, le=50)):
    org = _org(org_id)
    if not rules.can_see_recommendations(request.user, org):
        raise PermissionDenied("Recommendations are for the organisation's own members and the secretariat.")
    return [
        {
            "target": r.target,
            "target_id": r.target_id,
            "title": r.title,
            "url": r.url,
            "score": r.score,
            "reasons": r.reasons,
            "feedback": r.feedback,
        }
        for r in recommend.recommendations_for(request.user, org, limit=limit)
    ]


@router.post("/directory/organizations/{org_id}/feedback", response={201: None, **ERRORS}, auth=AUTH)
def post_feedback(request, org_id: Id, payload: FeedbackIn):
    org = _org(org_id)
    actions.do_record_feedback(
        actor=request.user,
        organization=org,
        **arguments(payload, "target", "target_id", "useful"),
    )
    return Status(201, None)


@router.get("/directory/duplicates", response={200: list[DuplicateOut], **ERRORS}, auth=AUTH)
def get_duplicates(request):
    if not rules.can_merge(request.user):
        raise PermissionDenied("Only the secretariat sees duplicates.")
    return [
        {
            "first": p.first.pk,
            "second": p.second.pk,
            "first_name": p.first.name,
            "second_name": p.second.name,
            "similarity": p.similarity,
            "reason": p.reason,
        }
        for p in recommend.find_duplicates()
    ]


@router.post(
    "/directory/organizations/{org_id}/merge", response={200: OrganizationProfileOut, **ERRORS}, auth=AUTH
)
def merge(request, org_id: Id, payload: MergeIn):
    keep = _org(org_id)
    actions.do_merge_organizations(actor=request.user, keep=keep, duplicate=_org(payload.duplicate))
    return _profile_out(request, _org(org_id))


# --- listings --------------------------------------------------------------------------------------------
@public_read(router, "/directory/listings", list[ListingOut])
@paginate(Page)
def list_listings(request, filters: Query[ListingFilters]):
    qs = rules.visible_listings(request.user, Listing.objects.select_related("organization"))
    qs = qs.filter(status=filters.status or ListingStatus.PUBLISHED)
    return filter_by(
        qs, filters, kind="kind", country=Code("organization__country"), organization="organization_id"
    )


@public_read(router, "/directory/listings/{listing_id}", ListingOut)
def get_listing(request, listing_id: Id):
    return listing_or_404(request.user, listing_id)


@router.post("/directory/listings", response={201: ListingOut, **ERRORS}, auth=AUTH)
def create_listing(request, payload: ListingIn):
    dialogue = (
        Dialogue.objects.filter(pk__in=[s.dialogue_id for s in core.seats(request.user)])
        .order_by("pk")
        .first()
    )
    if dialogue is None:
        raise PermissionDenied("Only members of a dialogue post offers and requests.")
    listing = actions.do_create_listing(
        actor=request.user,
        organization=_org(payload.organization),
        dialogue=dialogue,
        **arguments(payload, "kind", "title", "summary", "description", "themes", "visibility"),
    )
    if payload.submit:
        listing = actions.do_submit_listing(actor=request.user, listing=listing)
    return Status(201, listing)


@router.patch("/directory/listings/{listing_id}", response={200: ListingOut, **ERRORS}, auth=AUTH)
def update_listing(request, listing_id: Id, payload: ListingPatch):
    listing = listing_or_404(request.user, listing_id)
    fields = changes(payload)
    return actions.do_update_listing(actor=request.user, listing=listing, **fields)


@router.delete("/directory/listings/{listing_id}", response={204: None, **ERRORS}, auth=AUTH)
def delete_listing(request, listing_id: Id):
    actions.do_delete_listing(actor=request.user, listing=listing_or_404(request.user, listing_id))
    return Status(204, None)


@router.post("/directory/listings/{listing_id}/submit", response={200: ListingOut, **ERRORS}, auth=AUTH)
def submit_listing(request, listing_id: Id):
    return actions.do_submit_listing(actor=request.user, listing=listing_or_404(request.user, listing_id))


@router.post("/directory/listings/{listing_id}/review", response={200: ListingOut, **ERRORS}, auth=AUTH)
def review_listing(request, listing_id: Id, payload: ListingReviewIn):
    listing = listing_or_404(request.user, listing_id)
    if payload.decision == "publish":
        return actions.do_publish_listing(actor=request.user, listing=listing)
    return actions.do_return_listing(actor=request.user, listing=listing, note=payload.note)


@router.post("/directory/listings/{listing_id}/renew", response={200: ListingOut, **ERRORS}, auth=AUTH)
def renew_listing(request, listing_id: Id):
    return actions.do_renew_listing(actor=request.user, listing=listing_or_404(request.user, listing_id))


# --- interests and slots ---------------------------------------------------------------------------------
@router.get(
    "/directory/listings/{listing_id}/interests", response={200: list[InterestOut], **ERRORS}, auth=AUTH
)
def list_interests(request, listing_id: Id):
    listing = listing_or_404(request.user, listing_id)
    qs = listing.interests.select_related("organization", "listing", "slot")
    return [i for i in qs if rules.can_view_interest(request.user, i)]


@router.post("/directory/listings/{listing_id}/interests", response={201: InterestOut, **ERRORS}, auth=AUTH)
def create_interest(request, listing_id: Id, payload: InterestIn):
    listing = listing_or_404(request.user, listing_id)
    interest = actions.do_express_interest(
        actor=request.user, listing=listing, organization=_org(payload.organization), message=payload.message
    )
    return Status(201, interest)


@router.post("/directory/interests/{interest_id}/decision", response={200: InterestOut, **ERRORS}, auth=AUTH)
def decide_interest(request, interest_id: Id, payload: InterestDecisionIn):
    interest = interest_or_404(request.user, interest_id)
    return actions.do_decide_interest(
        actor=request.user, interest=interest, accept=payload.accept, reply=payload.reply
    )


@router.get("/directory/listings/{listing_id}/slots", response={200: list[SlotOut], **ERRORS}, auth=AUTH)
def list_slots(request, listing_id: Id):
    return list(listing_or_404(request.user, listing_id).slots.all())


@router.post("/directory/listings/{listing_id}/slots", response={201: SlotOut, **ERRORS}, auth=AUTH)
def create_slot(request, listing_id: Id, payload: SlotIn):
    slot = actions.do_add_slot(
        actor=request.user,
        listing=listing_or_404(request.user, listing_id),
        starts_at=dt.datetime.fromisoformat(payload.starts_at),
        **arguments(payload, "minutes", "place", "time_zone"),
    )
    return Status(201, slot)


@router.post("/directory/interests/{interest_id}/book", response={200: SlotOut, **ERRORS}, auth=AUTH)
def book_slot(request, interest_id: Id, payload: BookIn):
    interest = interest_or_404(request.user, interest_id)
    slot = MeetingSlot.objects.filter(pk=payload.slot, listing_id=interest.listing_id).first()
    if slot is None:
        raise Http404(_("No such slot for this listing."))
    return actions.do_book_slot(actor=request.user, interest=interest, slot=slot)


# --- opportunities ---------------------------------------------------------------------------------------
@public_read(router, "/directory/opportunities", list[EcosystemOpportunityOut])
@paginate(Page)
def list_opportunities(request, kind: EcosystemOpportunityKind | None = None):
    qs = core.visible(request.user, Opportunity.objects.all())
    return qs.filter(kind=kind) if kind else qs


@public_read(router, "/directory/opportunities/{opportunity_id}", EcosystemOpportunityOut)
def get_opportunity(request, opportunity_id: Id):
    return first_or_404(
        Opportunity.objects,
        _("No such opportunity, or you do not have access to it."),
        visible=partial(rules.can_view_opportunity, request.user),
        pk=opportunity_id,
    )


@router.post("/directory/opportunities", response={201: EcosystemOpportunityOut, **ERRORS}, auth=AUTH)
def create_opportunity(request, payload: EcosystemOpportunityIn):
    dialogue = dialogue_or_404(payload.dialogue)
    data = payload.dict()
    data.pop("dialogue")
    data["deadline"] = dt.date.fromisoformat(data["deadline"]) if data["deadline"] else None
    data["organization"] = _org(data["organization"]) if data["organization"] else None
    opportunity = actions.do_create_opportunity(actor=request.user, dialogue=dialogue, **data)
    return Status(201, opportunity)


@router.delete("/directory/opportunities/{opportunity_id}", response={204: None, **ERRORS}, auth=AUTH)
def delete_opportunity(request, opportunity_id: Id):
    opportunity = get_opportunity(request, opportunity_id)
    actions.do_delete_opportunity(actor=request.user, opportunity=opportunity)
    return Status(204, None)
