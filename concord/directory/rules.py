"""Who may do what in the ecosystem directory. Built on ``concord.core.rules``.

- **Profiles**: anyone may view an organisation and its profile; the contact person shows to the
  organisation's own stakeholders and the secretariat, and to every signed-in member when the organisation
  chose so. The organisation's stakeholders (its *editors*) and the secretariat edit it. Only the
  secretariat sees duplicates and merges organisations.
- **Listings** (offers and requests): published ones are seen as any content (public / dialogue / one
  party); drafts, listings in review and expired ones only by the organisation's editors and the
  secretariat (who must still be allowed to see content of that visibility). Editors write drafts and
  submit them; the secretariat publishes or returns them; editors renew expired listings.
- **Expressions of interest**: the editors of another organisation who can see a published listing send
  them; the listing's editors accept or decline; both sides and the secretariat see them. Slots: the
  listing's editors add them; the sender of an accepted interest books one. The secretariat brokers
  matches (as Enterprise Europe Network advisers do), so it may act for either side in each of these steps.
- **Opportunities**: seen as any content; written by the secretariat, delegates and analysts (as notes).
- **Recommendations and feedback**: the organisation's editors and the secretariat.
"""

from __future__ import annotations

from concord.accounts.models import Role
from concord.core import rules as core

from .models import Interest, InterestStatus, Listing, ListingStatus


def editable_org_ids(user) -> set[int]:
    """Organisations the user represents as a stakeholder."""
    return {s.organization_id for s in core.seats(user) if s.role == Role.STAKEHOLDER and s.organization_id}


def is_editor(user, org) -> bool:
    org_id = org if isinstance(org, int) else org.pk
    return org_id in editable_org_ids(user)


def can_edit_profile(user, org) -> bool:
    return is_editor(user, org) or core.is_secretariat(user)


def can_view_contact(user, org, profile) -> bool:
    if can_edit_profile(user, org):
        return True
    return bool(profile and profile.contacts_public and core.seats(user))


def can_merge(user) -> bool:
    return core.is_secretariat(user)


# --- listings --------------------------------------------------------------------------------------------
def _secretariat_of(user, listing) -> bool:
    return core.has_role(user, listing.dialogue_id, Role.SECRETARIAT)


def can_view_listing(user, listing: Listing) -> bool:
    if not core.can_view(user, listing):
        return False
    if listing.status == ListingStatus.PUBLISHED:
        return True
    return is_editor(user, listing.organization_id) or _secretariat_of(user, listing)


def can_create_listing(user, org, dialogue_id: int) -> bool:
    return (
        is_editor(user, org)
        and core.is_member(user, dialogue_id)
        or core.has_role(user, dialogue_id, Role.SECRETARIAT)
    )


def can_edit_listing(user, listing: Listing) -> bool:
    if listing.status not in (ListingStatus.DRAFT,) or not can_view_listing(user, listing):
        return False
    return is_editor(user, listing.organization_id) or _secretariat_of(user, listing)


def can_submit_listing(user, listing: Listing) -> bool:
    return can_edit_listing(user, listing)


def can_review_listing(user, listing: Listing) -> bool:
    return (
        listing.status == ListingStatus.IN_REVIEW
        and core.can_view(user, listing)
        and _secretariat_of(user, listing)
    )


def can_renew_listing(user, listing: Listing) -> bool:
    if listing.status not in (ListingStatus.PUBLISHED, ListingStatus.EXPIRED) or not can_view_listing(
        user, listing
    ):
        return False
    return is_editor(user, listing.organization_id) or _secretariat_of(user, listing)


def can_delete_listing(user, listing: Listing) -> bool:
    if not can_view_listing(user, listing):
        return False
    return is_editor(user, listing.organization_id) or _secretariat_of(user, listing)


def visible_listings(user, queryset):
    """Published listings the user may see, plus the user's own organisations' listings in any state."""
    from django.db.models import Q

    q = Q(status=ListingStatus.PUBLISHED)
    orgs = editable_org_ids(user)
    if orgs:
        q |= Q(organization_id__in=orgs)
    secretariat_dialogues = {s.dialogue_id for s in core.seats(user) if s.role == Role.SECRETARIAT}
    if secretariat_dialogues:
        q |= Q(dialogue_id__in=secretariat_dialogues)
    return queryset.filter(core.visible_q(user)).filter(q)


# --- expressions of interest -----------------------------------------------------------------------------
def interest_orgs(user, listing: Listing) -> set[int] | _AnyOrg:
    """The organisations in whose name the user may express interest in ``listing``."""
    if listing.status != ListingStatus.PUBLISHED or not core.can_view(user, listing):
        return set()
    if _secretariat_of(user, listing):
        return _AnyOrg(exclude=listing.organization_id)
    return editable_org_ids(user) - {listing.organization_id}


class _AnyOrg:
    """Every organisation but one (what the secretariat may act for)."""

    def __init__(self, exclude: int) -> None:
        self.exclude = exclude

    def __contains__(self, org_id: object) -> bool:
        return org_id != self.exclude

    def __bool__(self) -> bool:
        return True

    def __sub__(self, other: set[int]) -> _AnyOrg:
        return self

    def ids(self) -> None:
        return None


def can_express_interest(user, listing: Listing) -> bool:
    return bool(interest_orgs(user, listing))


def can_view_interest(user, interest: Interest) -> bool:
    listing = interest.listing
    if not core.can_view(user, listing):
        return False
    return (
        is_editor(user, interest.organization_id)
        or is_editor(user, listing.organization_id)
        or _secretariat_of(user, listing)
    )


def can_decide_interest(user, interest: Interest) -> bool:
    return (
        interest.status == InterestStatus.SUBMITTED
        and core.can_view(user, interest.listing)
        and (is_editor(user, interest.listing.organization_id) or _secretariat_of(user, interest.listing))
    )


def can_add_slot(user, listing: Listing) -> bool:
    return can_view_listing(user, listing) and (
        is_editor(user, listing.organization_id) or _secretariat_of(user, listing)
    )


def can_book_slot(user, interest: Interest) -> bool:
    return (
        interest.status == InterestStatus.ACCEPTED
        and core.can_view(user, interest.listing)
        and (is_editor(user, interest.organization_id) or _secretariat_of(user, interest.listing))
    )


# --- opportunities ---------------------------------------------------------------------------------------
def can_view_opportunity(user, opportunity) -> bool:
    return core.can_view(user, opportunity)


def can_create_opportunity(user, dialogue_id: int, visibility: str, party_id: int | None) -> bool:
    return core.can_create(user, dialogue_id, visibility, party_id)


def can_edit_opportunity(user, opportunity) -> bool:
    return core.can_edit(user, opportunity)


def can_delete_opportunity(user, opportunity) -> bool:
    return core.can_delete(user, opportunity)


# --- recommendations -------------------------------------------------------------------------------------
def can_see_recommendations(user, org) -> bool:
    return can_edit_profile(user, org)
