"""Who may do what with commitments, milestones, progress and evidence.

Commitments are secretariat records: they are seen as ``concord.secretariat.rules`` decides (as any content,
but observers read only what is public), and what hangs off them (milestones, progress updates, evidence) is
seen by whoever sees the commitment.

- **create / edit commitments and milestones**: as content (secretariat; delegates for their own party);
  the delegates of a party with a share in the commitment may also add milestones and edit their titles,
  dates and owners.
- **submit progress**: the secretariat, and delegates and analysts of a party with a share in the commitment
  (or its owning party).
- **verify or return** a progress update: the secretariat, or a delegate of *another* party than the one
  that submitted it; never the submitter. A party cannot verify its own update. Verifying several at once
  applies this rule to each.
- **see and download evidence** files of a progress update: once the update is verified, whoever sees the
  commitment; before that (submitted or returned), only those who report on or verify it: the secretariat,
  the delegates and analysts of a party with a share, the submitter, and the delegates who may verify it.
  Unverified evidence is not published to stakeholders and observers.
- **import** commitments: the secretariat and delegates.
"""

from __future__ import annotations

from concord.accounts.models import Role
from concord.core import rules as core
from concord.secretariat.rules import (
    can_manage_meeting,
    can_propose_item,
    can_view,
    is_secretariat,
    party_ids_of,
    visible_q,
)

from .models import Commitment, ProgressUpdate, UpdateState

# What commitments read from the secretariat's rules, named here so that commitment code asks one module.
__all__ = [
    "can_manage_meeting",
    "can_propose_item",
    "can_view",
    "is_secretariat",
    "party_ids_of",
    "visible_q",
]


def _share_parties(commitment: Commitment) -> set[int]:
    parties = {s.party_id for s in commitment.party_shares.all()}
    if commitment.party_id:
        parties.add(commitment.party_id)
    return parties


def can_create_commitment(user, dialogue_id: int, visibility: str, party_id: int | None) -> bool:
    return any(
        s.role in (Role.SECRETARIAT, Role.DELEGATE) for s in core.seats_in(user, dialogue_id)
    ) and core.can_create(user, dialogue_id, visibility, party_id)


def can_edit_commitment(user, commitment: Commitment) -> bool:
    return core.can_edit(user, commitment)


def can_add_milestone(user, commitment: Commitment) -> bool:
    if can_edit_commitment(user, commitment):
        return True
    shares = _share_parties(commitment)
    return can_view(user, commitment) and any(
        s.role == Role.DELEGATE and s.party_id in shares for s in core.seats_in(user, commitment.dialogue_id)
    )


def can_edit_milestone(user, commitment: Commitment) -> bool:
    """A milestone's title, planned date, weight and owner: whoever may add milestones to the commitment."""
    return can_add_milestone(user, commitment)


def can_submit_progress(user, commitment: Commitment) -> bool:
    if not can_view(user, commitment):
        return False
    if is_secretariat(user, commitment.dialogue_id):
        return True
    shares = _share_parties(commitment)
    return any(
        s.role in (Role.DELEGATE, Role.ANALYST) and s.party_id in shares
        for s in core.seats_in(user, commitment.dialogue_id)
    )


def submitting_party_id(user, commitment: Commitment) -> int | None:
    """The party in whose name ``user`` reports progress (None for the secretariat)."""
    shares = _share_parties(commitment)
    for s in core.seats_in(user, commitment.dialogue_id):
        if s.role in (Role.DELEGATE, Role.ANALYST) and s.party_id in shares:
            return s.party_id
    return None


def can_verify(user, update: ProgressUpdate) -> bool:
    commitment = update.commitment
    if update.state != UpdateState.SUBMITTED or not can_view(user, commitment):
        return False
    if not user.is_authenticated or update.submitted_by_id == user.pk:
        return False
    if is_secretariat(user, commitment.dialogue_id):
        return True
    return any(
        s.role == Role.DELEGATE and s.party_id is not None and s.party_id != update.party_id
        for s in core.seats_in(user, commitment.dialogue_id)
    )


def can_view_evidence(user, update: ProgressUpdate) -> bool:
    commitment = update.commitment
    if not can_view(user, commitment):
        return False
    if update.state == UpdateState.VERIFIED:
        return True
    if not user.is_authenticated:
        return False
    if update.submitted_by_id == user.pk or can_submit_progress(user, commitment):
        return True
    return any(
        s.role == Role.DELEGATE and s.party_id is not None and s.party_id != update.party_id
        for s in core.seats_in(user, commitment.dialogue_id)
    )


def can_import(user, dialogue_id: int) -> bool:
    return any(s.role in (Role.SECRETARIAT, Role.DELEGATE) for s in core.seats_in(user, dialogue_id))
