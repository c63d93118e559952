"""Who may do what in the registry of national programmes. Built on ``concord.core.rules``.

- **view**: a programme is content like any other (public / dialogue members / one party only); its
  indicators, values and lessons are seen by whoever sees the programme.
- **create**: the party's *contact points* (its delegates and analysts in the dialogue) for their own
  party, and the secretariat for any party of the dialogue (one-party-only content only by that party's
  delegation, as everywhere in Concord).
- **edit** (the programme, its indicators, values and lessons): its party's contact points and the
  secretariat, among those who may see it.
- **delete** a programme: the secretariat and its party's delegates, among those who may see it.
- **import**: whoever may create programmes in the dialogue; each row is checked as a creation.
- **export**: the programmes the user may see, for signed-in users.
"""

from __future__ import annotations

from concord.accounts.models import Role
from concord.core import rules as core

CONTACT_POINT_ROLES = frozenset({Role.DELEGATE, Role.ANALYST})


def is_contact_point(user, dialogue_id: int, party_id: int | None) -> bool:
    """A delegate or analyst of ``party_id``'s delegation in the dialogue."""
    return party_id is not None and any(
        s.role in CONTACT_POINT_ROLES and s.party_id == party_id for s in core.seats_in(user, dialogue_id)
    )


def can_view_programme(user, programme) -> bool:
    return core.can_view(user, programme)


def can_create_programme(user, dialogue_id: int, visibility: str, party_id: int | None) -> bool:
    if party_id is None:
        return False  # every programme is some party's
    if not (
        is_contact_point(user, dialogue_id, party_id) or core.has_role(user, dialogue_id, Role.SECRETARIAT)
    ):
        return False
    return core.can_create(user, dialogue_id, visibility, party_id)


def can_edit_programme(user, programme) -> bool:
    if not core.can_view(user, programme):
        return False
    return core.has_role(user, programme.dialogue_id, Role.SECRETARIAT) or is_contact_point(
        user, programme.dialogue_id, programme.party_id
    )


def can_delete_programme(user, programme) -> bool:
    return core.can_delete(user, programme)


def can_import(user, dialogue_id: int) -> bool:
    return core.has_role(user, dialogue_id, Role.SECRETARIAT) or any(
        s.role in CONTACT_POINT_ROLES and s.party_id for s in core.seats_in(user, dialogue_id)
    )


def can_export(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def creatable_party_ids(user, dialogue) -> set[int]:
    """The parties in whose name the user may record programmes in ``dialogue``."""
    if core.has_role(user, dialogue.pk, Role.SECRETARIAT):
        return set(dialogue.parties.values_list("pk", flat=True))
    return {
        s.party_id
        for s in core.seats_in(user, dialogue.pk)
        if s.role in CONTACT_POINT_ROLES and s.party_id is not None
    }


# Indicators, their values and lessons follow the programme they belong to.
def can_manage_details(user, programme) -> bool:
    return can_edit_programme(user, programme)
