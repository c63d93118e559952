"""People, parties, dialogues, organisations and personal access tokens."""

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import AnyHttpUrl

from concord.accounts import actions
from concord.accounts import rules as account_rules
from concord.accounts.models import (
    AccessToken,
    Dialogue,
    Membership,
    Organization,
    OrganizationKind,
    Party,
    Role,
)
from concord.api.auth import AUTH
from concord.api.common import Code, InDialogue, OfMember, containing, filter_by, public_read
from concord.api.errors import ERRORS
from concord.api.pagination import Page
from concord.api.types import Id

router = Router(tags=["people and organisations"])


class PartyOut(Schema):
    code: str
    name: str
    name_ms: str
    name_ur: str


class DialogueOut(Schema):
    slug: str
    name: str
    description: str
    origin: str
    parties: list[PartyOut]

    @staticmethod
    def resolve_parties(obj):
        return list(obj.parties.all())


class MembershipOut(InDialogue):
    dialogue: str
    role: str
    party: str | None
    organization_id: int | None
    position: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_memberships(obj):
        return list(obj.active_memberships())


class MemberOut(OfMember):
    full_name: str
    role: str
    party: str | None
    organization: str | None
    position: str


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    country: str
    kind: str
    website: str
    description: str
    description_ms: str
    description_ur: str


class OrganizationIn(Schema):
    name: str = Field(..., min_length=1, max_length=250)
    short_name: str = Field("", max_length=60)
    country: str = Field(..., min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")
    kind: OrganizationKind
    website: AnyHttpUrl | None = None
    description: str = Field("", max_length=5000)
    description_ms: str = Field("", max_length=5000)
    description_ur: str = Field("", max_length=5000)


class OrganizationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=250)
    short_name: str | None = Field(None, max_length=60)
    country: str | None = Field(None, min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")
    kind: OrganizationKind | None = None
    website: AnyHttpUrl | None = None
    description: str | None = Field(None, max_length=5000)
    description_ms: str | None = Field(None, max_length=5000)
    description_ur: str | None = Field(None, max_length=5000)


class OrganizationFilters(Schema):
    country: str | None = Field(None, max_length=2)
    kind: OrganizationKind | None = None
    q: str | None = Field(None, max_length=200)


class TokenOut(Schema):
    id: int
    name: str
    key_hint: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    days: int = Field(90, ge=1, le=365)


class TokenCreated(TokenOut):
    key: str = Field(..., description="The secret. It is shown once and never again.")


@router.get("/me", response={200: MeOut, **ERRORS}, auth=AUTH, summary="The signed-in user and their roles")
def me(request):
    return request.user


@public_read(router, "/parties", list[PartyOut])
def list_parties(request):
    return Party.objects.all()


@public_read(router, "/dialogues", list[DialogueOut])
def list_dialogues(request):
    return Dialogue.objects.prefetch_related("parties")


@public_read(router, "/dialogues/{slug}", DialogueOut)
def get_dialogue(request, slug: str):
    return get_object_or_404(Dialogue.objects.prefetch_related("parties"), slug=slug)


@router.get("/dialogues/{slug}/members", response={200: list[MemberOut], **ERRORS}, auth=AUTH)
def list_members(request, slug: str):
    dialogue = get_object_or_404(Dialogue, slug=slug)
    if not account_rules.can_view_members(request.user, dialogue.pk):
        raise Http404(_("No such dialogue, or you are not a member."))
    return (
        Membership.objects.active()
        .filter(dialogue=dialogue)
        .select_related("user", "party", "organization")
        .order_by("role", "user__full_name")
    )


@public_read(router, "/organizations", list[OrganizationOut])
@paginate(Page)
def list_organizations(request, filters: Query[OrganizationFilters]):
    qs = filter_by(Organization.objects.all(), filters, country=Code("country"), kind="kind")
    return containing(qs, filters.q, "name", "short_name")


@public_read(router, "/organizations/{org_id}", OrganizationOut)
def get_organization(request, org_id: Id):
    return get_object_or_404(Organization, pk=org_id)


def _org_fields(payload: Schema, *, exclude_unset: bool) -> dict:
    data = payload.dict(exclude_unset=exclude_unset)
    if "website" in data:
        data["website"] = str(data["website"]) if data["website"] else ""
    for key in ("short_name", "description", "description_ms", "description_ur"):
        if key in data and data[key] is None:
            data[key] = ""
    return {k: v for k, v in data.items() if v is not None or k == "website"}


@router.post("/organizations", response={201: OrganizationOut, **ERRORS}, auth=AUTH)
def create_organization(request, payload: OrganizationIn):
    org = actions.do_create_organization(actor=request.user, **_org_fields(payload, exclude_unset=False))
    return Status(201, org)


@router.patch("/organizations/{org_id}", response={200: OrganizationOut, **ERRORS}, auth=AUTH)
def update_organization(request, org_id: Id, payload: OrganizationPatch):
    org = get_object_or_404(Organization, pk=org_id)
    return actions.do_update_organization(
        actor=request.user, org=org, **_org_fields(payload, exclude_unset=True)
    )


@router.delete("/organizations/{org_id}", response={204: None, **ERRORS}, auth=AUTH)
def delete_organization(request, org_id: Id):
    org = get_object_or_404(Organization, pk=org_id)
    actions.do_delete_organization(actor=request.user, org=org)
    return Status(204, None)


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, auth=AUTH)
def list_tokens(request):
    return AccessToken.objects.filter(user=request.user)


@router.post("/tokens", response={201: TokenCreated, **ERRORS}, auth=AUTH)
def create_token(request, payload: TokenIn):
    from datetime import timedelta

    from django.utils import timezone

    token, key = actions.do_create_token(
        actor=request.user, name=payload.name, expires_at=timezone.now() + timedelta(days=payload.days)
    )
    return Status(201, {**TokenOut.from_orm(token).dict(), "key": key})


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS}, auth=AUTH)
def revoke_token(request, token_id: Id):
    token = get_object_or_404(AccessToken, pk=token_id, user=request.user)
    actions.do_revoke_token(actor=request.user, token=token)
    return Status(204, None)


__all__ = ["router", "Role"]
