"""Who may do what with dialogue content: the one place where visibility is decided.

Every app's own ``rules.py`` builds on these functions. The rules, for content with a visibility:

- **view**: *public* content: anyone. *Dialogue members*: any active member of its dialogue. *One party
  only*: members of that party's delegation in that dialogue (delegates, analysts and secretariat staff
  seconded by that party), and nobody else: not the joint secretariat, not the other party, not admins.
- **create**: secretariat, delegates and analysts of the dialogue; party-only content only for their own
  party.
- **edit**: whoever can view it and wrote it, the secretariat (for content they can view), or a delegate of
  the owning party.
- **delete**: whoever can view it and is secretariat or a delegate of the owning party.
- **export**: whoever can view it and is signed in.

Pages and the API answer "not found" (404) rather than "forbidden" for content the caller may not view, so
an error message never confirms that another party's content exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q

from concord.accounts.models import Membership, Role

from .models import Visibility

CONTRIBUTOR_ROLES = frozenset({Role.SECRETARIAT, Role.DELEGATE, Role.ANALYST})
DELEGATION_ROLES = frozenset({Role.SECRETARIAT, Role.DELEGATE, Role.ANALYST})


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    EXPORT = "export"


@dataclass(frozen=True)
class Seat:
    """One of the user's active memberships, reduced to what rules need."""

    dialogue_id: int
    role: str
    party_id: int | None
    organization_id: int | None


def seats(user) -> list[Seat]:
    """The user's active memberships (cached on the user object for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_concord_seats", None)
    if cached is None:
        cached = [
            Seat(m.dialogue_id, m.role, m.party_id, m.organization_id)
            for m in Membership.objects.active().filter(user=user)
        ]
        user._concord_seats = cached
    return cached


def seats_in(user, dialogue_id: int) -> list[Seat]:
    return [s for s in seats(user) if s.dialogue_id == dialogue_id]


def is_member(user, dialogue_id: int) -> bool:
    return bool(seats_in(user, dialogue_id))


def has_role(user, dialogue_id: int, *roles: str) -> bool:
    return any(s.role in roles for s in seats_in(user, dialogue_id))


def party_ids(user, dialogue_id: int) -> set[int]:
    """The parties whose delegation the user sits in, in this dialogue."""
    return {s.party_id for s in seats_in(user, dialogue_id) if s.party_id and s.role in DELEGATION_ROLES}


def is_secretariat(user, dialogue_id: int | None = None) -> bool:
    return any(
        s.role == Role.SECRETARIAT and (dialogue_id is None or s.dialogue_id == dialogue_id)
        for s in seats(user)
    )


def can_view(user, obj) -> bool:
    visibility = obj.visibility
    if visibility == Visibility.PUBLIC:
        return True
    if visibility == Visibility.DIALOGUE:
        return is_member(user, obj.dialogue_id)
    if visibility == Visibility.PARTY:
        return obj.party_id is not None and obj.party_id in party_ids(user, obj.dialogue_id)
    return False


def can_create(user, dialogue_id: int, visibility: str, party_id: int | None) -> bool:
    if not any(s.role in CONTRIBUTOR_ROLES for s in seats_in(user, dialogue_id)):
        return False
    if visibility == Visibility.PARTY:
        return party_id is not None and party_id in party_ids(user, dialogue_id)
    if party_id is not None and not has_role(user, dialogue_id, Role.SECRETARIAT):
        # Delegates and analysts write in their own delegation's name only.
        return party_id in party_ids(user, dialogue_id)
    return True


def _is_owning_delegate(user, obj) -> bool:
    return obj.party_id is not None and any(
        s.role == Role.DELEGATE and s.party_id == obj.party_id for s in seats_in(user, obj.dialogue_id)
    )


def can_edit(user, obj) -> bool:
    if not can_view(user, obj) or not is_member(user, obj.dialogue_id):
        return False
    if getattr(obj, "created_by_id", None) == user.pk and has_role(user, obj.dialogue_id, *CONTRIBUTOR_ROLES):
        return True
    return has_role(user, obj.dialogue_id, Role.SECRETARIAT) or _is_owning_delegate(user, obj)


def can_delete(user, obj) -> bool:
    if not can_view(user, obj) or not is_member(user, obj.dialogue_id):
        return False
    return has_role(user, obj.dialogue_id, Role.SECRETARIAT) or _is_owning_delegate(user, obj)


def can_export(user, obj) -> bool:
    return bool(user is not None and user.is_authenticated) and can_view(user, obj)


def can(user, action: Action | str, obj) -> bool:
    """The single entry point: may ``user`` do ``action`` to ``obj``?"""
    action = Action(action)
    if action == Action.VIEW:
        return can_view(user, obj)
    if action == Action.CREATE:
        return can_create(user, obj.dialogue_id, obj.visibility, obj.party_id)
    if action == Action.EDIT:
        return can_edit(user, obj)
    if action == Action.DELETE:
        return can_delete(user, obj)
    return can_export(user, obj)


def visible_q(user, prefix: str = "") -> Q:
    """A filter selecting the content ``user`` may view. ``prefix`` reaches content through a relation."""
    p = prefix
    q = Q(**{f"{p}visibility": Visibility.PUBLIC})
    member_dialogues = {s.dialogue_id for s in seats(user)}
    if member_dialogues:
        q |= Q(**{f"{p}visibility": Visibility.DIALOGUE, f"{p}dialogue_id__in": member_dialogues})
    for dialogue_id in sorted(member_dialogues):
        parties = party_ids(user, dialogue_id)
        if parties:
            q |= Q(
                **{
                    f"{p}visibility": Visibility.PARTY,
                    f"{p}dialogue_id": dialogue_id,
                    f"{p}party_id__in": sorted(parties),
                }
            )
    return q


def visible(user, queryset):
    """``queryset`` narrowed to what ``user`` may view."""
    return queryset.filter(visible_q(user))


def visibility_choices_for(user, dialogue_id: int) -> list[tuple[str, str]]:
    """The visibility options a user may pick when writing content in a dialogue."""
    choices = [
        (Visibility.PUBLIC.value, Visibility.PUBLIC.label),
        (Visibility.DIALOGUE.value, Visibility.DIALOGUE.label),
    ]
    if party_ids(user, dialogue_id):
        choices.append((Visibility.PARTY.value, Visibility.PARTY.label))
    return choices


# --- background jobs ----------------------------------------------------------------------------------------


def can_retry_job(user, job) -> bool:
    """The job's owner, or the secretariat of any dialogue (who keep background work running for everyone)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return (job.owner_id is not None and job.owner_id == user.pk) or is_secretariat(user)


def can_view_queue_health(user) -> bool:
    """The status page: the secretariat and the site's administrators."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_staff or user.is_superuser) or is_secretariat(user)
