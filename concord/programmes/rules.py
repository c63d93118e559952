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


# --- joint projects ----------------------------------------------------------------------------------------
# A joint project belongs to both parties (no owning party: public or dialogue-wide). Each stage has an owner
# per party: the user named for it, or, while none is named, that party's delegates. Only an owner of the
# current stage moves the project on or closes it; each party's owner of the appraisal scores for that party.


def can_view_project(user, project) -> bool:
    return core.can_view(user, project)


def can_propose_project(user, dialogue_id: int, visibility: str, party_id: int | None) -> bool:
    """Propose a joint project in the name of ``party_id``: its contact points, or the secretariat."""
    if party_id is None or visibility == "party":
        return False
    if not (
        is_contact_point(user, dialogue_id, party_id) or core.has_role(user, dialogue_id, Role.SECRETARIAT)
    ):
        return False
    return core.can_create(user, dialogue_id, visibility, None)


def is_stage_owner(user, project, stage: str, party_id: int) -> bool:
    if not (user.is_authenticated and core.can_view(user, project)):
        return False
    named = [o.user_id for o in project.owners.all() if o.stage == stage and o.party_id == party_id]
    if named:
        return user.pk in named
    return any(
        s.role == Role.DELEGATE and s.party_id == party_id for s in core.seats_in(user, project.dialogue_id)
    )


def owned_parties(user, project, stage: str | None = None) -> set[int]:
    """The parties for which ``user`` owns ``stage`` (the current one by default)."""
    stage = stage or project.stage
    return {
        p
        for p in project.dialogue.parties.values_list("pk", flat=True)
        if is_stage_owner(user, project, stage, p)
    }


def can_move_project(user, project) -> bool:
    """Move the project to its next stage, or close it: an owner of its current stage, while it is open."""
    from .models import FINAL_STAGES

    return project.stage not in FINAL_STAGES and bool(owned_parties(user, project))


def can_edit_project(user, project) -> bool:
    """Change the title, summary, concept note and themes: the current stage's owners and the secretariat."""
    from .models import FINAL_STAGES

    if project.stage in FINAL_STAGES or not core.can_view(user, project):
        return False
    return core.has_role(user, project.dialogue_id, Role.SECRETARIAT) or bool(owned_parties(user, project))


def can_appraise(user, project, party_id: int) -> bool:
    from .models import Stage

    return project.stage == Stage.APPRAISAL and is_stage_owner(user, project, Stage.APPRAISAL, party_id)


def can_set_owner(user, project, party_id: int) -> bool:
    """Name a stage's owner for a party: the secretariat, or that party's delegates."""
    if not core.can_view(user, project) or not user.is_authenticated:
        return False
    return core.has_role(user, project.dialogue_id, Role.SECRETARIAT) or any(
        s.role == Role.DELEGATE and s.party_id == party_id for s in core.seats_in(user, project.dialogue_id)
    )


def can_manage_joint_programme(user, project) -> bool:
    """Workplan, budget shares, partners, indicators and opportunities of an approved project (or one in
    delivery): the secretariat and the current stage's owners."""
    from .models import Stage

    if project.stage not in (Stage.APPROVED, Stage.DELIVERY) or not core.can_view(user, project):
        return False
    return core.has_role(user, project.dialogue_id, Role.SECRETARIAT) or bool(owned_parties(user, project))


def can_publish_criteria(user, dialogue_id: int) -> bool:
    return core.has_role(user, dialogue_id, Role.SECRETARIAT)


# --- peer-learning requests --------------------------------------------------------------------------------
# A request is between two parties, so both see it: public or dialogue-wide, never one party's only. The
# asking party's contact points ask, follow up and close it (or reopen it); the asked party's contact points
# answer it and are the ones notified. Observers, stakeholders and the secretariat read along.


def can_view_request(user, request) -> bool:
    return core.can_view(user, request)


def can_ask(user, dialogue_id: int, visibility: str, party_id: int | None) -> bool:
    """Ask in the name of ``party_id``: its contact points, in content both parties see."""
    if party_id is None or visibility == "party":
        return False
    return is_contact_point(user, dialogue_id, party_id) and core.can_create(
        user, dialogue_id, visibility, None
    )


def asking_party_ids(user, dialogue_id: int) -> set[int]:
    """The parties in whose name ``user`` may ask."""
    return {
        s.party_id
        for s in core.seats_in(user, dialogue_id)
        if s.role in CONTACT_POINT_ROLES and s.party_id is not None
    }


def can_answer_request(user, request) -> bool:
    """Write in the thread of an open request: the contact points of either party to it."""
    if not (request.is_open and core.can_view(user, request)):
        return False
    return is_contact_point(user, request.dialogue_id, request.asked_party_id) or is_contact_point(
        user, request.dialogue_id, request.party_id
    )


def answering_party_id(user, request) -> int | None:
    """The party in whose name ``user`` writes in the thread (the asked party first)."""
    for party_id in (request.asked_party_id, request.party_id):
        if is_contact_point(user, request.dialogue_id, party_id):
            return party_id
    return None


def can_close_request(user, request) -> bool:
    """Close the request as answered, or reopen it: the asking party's contact points."""
    return core.can_view(user, request) and is_contact_point(user, request.dialogue_id, request.party_id)
