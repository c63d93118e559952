"""Who may do what in talent mobility, built on the dialogue-wide rules of ``concord.core.rules``.

- **Opportunities** are dialogue content. *view*: published ones as any content (public / dialogue / one
  party); drafts only to their managers. *create*: secretariat, delegates and analysts (as any content), and
  stakeholders for their own organisation as provider (public or dialogue-wide). *manage* (edit, publish,
  see applicants, run rounds): who may edit it as content, and stakeholders of the provider organisation.
- **Profiles** are personal data. The owner sees, edits, exports and deletes it. A manager of an opportunity
  the person applied to sees it only while the person consents to sharing. Nobody else: not the
  secretariat, not admins. Without consent to matching a profile is never matched, ranked or allocated.
- **Applications**: signed-in people with a profile that consents to matching, to published opportunities
  they can view. Only the person withdraws or reorders them, and accepts or declines a seat they were given.
- **Allocation rounds**: created and run by someone who manages every opportunity in them; its managers see
  every placement; each applicant sees only their own placement and its explanation.
- **Taxonomies**: the secretariat imports; analysts, delegates and the secretariat review crosswalks.
- **Skills-gap analytics** (aggregates only, from consenting profiles): any dialogue member.
"""

from __future__ import annotations

from concord.accounts.models import Role
from concord.core import rules as core
from concord.core.models import Visibility

from .models import OpportunityStatus


def _stakeholder_of(user, dialogue_id: int, organization_id: int | None) -> bool:
    return organization_id is not None and any(
        s.role == Role.STAKEHOLDER and s.organization_id == organization_id
        for s in core.seats_in(user, dialogue_id)
    )


def can_create_opportunity(
    user, dialogue_id: int, visibility: str, party_id: int | None, provider_id: int | None
) -> bool:
    if core.can_create(user, dialogue_id, visibility, party_id):
        return True
    return (
        visibility in (Visibility.PUBLIC, Visibility.DIALOGUE)
        and party_id is None
        and _stakeholder_of(user, dialogue_id, provider_id)
    )


def provider_ids(user, dialogue_id: int) -> set[int] | None:
    """The organisations ``user`` may name as an opportunity's provider: None when any (they publish in
    their own right, as the secretariat or a delegate does); else those they represent as a stakeholder,
    so a form offers only what this rule will accept."""
    if any(core.can_create(user, dialogue_id, v, None) for v in (Visibility.PUBLIC, Visibility.DIALOGUE)):
        return None
    return {
        s.organization_id
        for s in core.seats_in(user, dialogue_id)
        if s.role == Role.STAKEHOLDER and s.organization_id is not None
    }


def can_manage_opportunity(user, opportunity) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if core.can_edit(user, opportunity):
        return True
    return core.can_view(user, opportunity) and _stakeholder_of(
        user, opportunity.dialogue_id, opportunity.provider_id
    )


def can_view_opportunity(user, opportunity) -> bool:
    if opportunity.status == OpportunityStatus.DRAFT:
        return can_manage_opportunity(user, opportunity)
    return core.can_view(user, opportunity)


def can_apply(user, opportunity, profile) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and profile is not None
        and profile.user_id == user.pk
        and profile.consent_matching
        and opportunity.status == OpportunityStatus.PUBLISHED
        and core.can_view(user, opportunity)
    )


def is_owner(user, profile) -> bool:
    return user is not None and user.is_authenticated and profile.user_id == user.pk


def can_view_profile(user, profile) -> bool:
    """The owner; or, while the person consents to sharing, a manager of an opportunity they applied to."""
    if is_owner(user, profile):
        return True
    if not profile.consent_sharing or user is None or not user.is_authenticated:
        return False
    return any(
        can_manage_opportunity(user, a.opportunity)
        for a in profile.applications.select_related("opportunity")
    )


def can_edit_profile(user, profile) -> bool:
    return is_owner(user, profile)


def can_reorder_applications(user, profile) -> bool:
    """Withdrawing and reordering applications: the person only."""
    return is_owner(user, profile)


def can_respond_to_placement(user, placement) -> bool:
    """Accepting or declining a seat: the person placed, and nobody for them."""
    return is_owner(user, placement.profile)


def can_manage_round(user, allocation_round) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return allocation_round.created_by_id == user.pk or core.can_edit(user, allocation_round)


def can_create_round(user, opportunities) -> bool:
    return bool(opportunities) and all(can_manage_opportunity(user, o) for o in opportunities)


def can_view_round(user, allocation_round) -> bool:
    """Managers see the round; an applicant sees it (their own placement only) once it is finished."""
    if can_manage_round(user, allocation_round):
        return True
    if user is None or not user.is_authenticated:
        return False
    return allocation_round.placements.filter(profile__user=user).exists()


def can_import_taxonomy(user) -> bool:
    """Taxonomies are shared by every dialogue, like the theme taxonomy: the secretariat of any dialogue,
    and administrators (the operator's ``concord skills import-esco`` acts as one by default)."""
    return core.is_secretariat(user) or bool(
        getattr(user, "is_superuser", False) and getattr(user, "is_active", False)
    )


def can_review_crosswalk(user) -> bool:
    return any(s.role in (Role.SECRETARIAT, Role.DELEGATE, Role.ANALYST) for s in core.seats(user))


def can_view_analytics(user) -> bool:
    return bool(core.seats(user))
