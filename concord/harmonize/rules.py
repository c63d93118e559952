"""Who may do what with comparisons, built on the dialogue-wide rules of ``concord.core.rules``.

- **view** a comparison, its mappings, gaps and overview: as any content (public / dialogue / one party);
  and a mapping or gap only while both of its documents are visible to the viewer too, so a party-only
  document never shows through a comparison.
- **create** a comparison: the secretariat, delegates and analysts of the dialogue (party-only
  comparisons for their own party), and only of documents they can view.
- **run** the engine: whoever can view it and is secretariat, delegate or analyst of the dialogue.
- **review** (accept, retype, reject, add by hand, comment): the same people.
- **sign off** (or object): a delegate or analyst of the source or the target party, for that party.
- **export**: whoever can view it and is signed in.
- **delete**: the secretariat and delegates of the owning party (as any content).

Observers and stakeholders read what they may view; they never review or sign.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from concord.accounts.models import Role
from concord.core import rules as core

REVIEWER_ROLES = frozenset({Role.SECRETARIAT, Role.DELEGATE, Role.ANALYST})
SIGNING_ROLES = frozenset({Role.DELEGATE, Role.ANALYST})


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    RUN = "run"
    REVIEW = "review"
    SIGN_OFF = "sign_off"
    EXPORT = "export"
    DELETE = "delete"


def can_view(user, comparison) -> bool:
    return core.can_view(user, comparison)


def can_create(user, dialogue_id: int, visibility: str, party_id: int | None) -> bool:
    return core.can_create(user, dialogue_id, visibility, party_id)


def _reviewer(user, comparison) -> bool:
    return can_view(user, comparison) and core.has_role(user, comparison.dialogue_id, *REVIEWER_ROLES)


def can_run(user, comparison) -> bool:
    return _reviewer(user, comparison)


def can_review(user, comparison) -> bool:
    return _reviewer(user, comparison)


def signing_parties(user, comparison) -> list[int]:
    """The parties of this comparison for which ``user`` may sign (usually one, or none)."""
    if not can_view(user, comparison):
        return []
    sides = {comparison.source_party_id, comparison.target_party_id}
    return sorted(
        {
            s.party_id
            for s in core.seats_in(user, comparison.dialogue_id)
            if s.role in SIGNING_ROLES and s.party_id in sides
        }
    )


def can_sign_off(user, comparison) -> bool:
    return bool(signing_parties(user, comparison))


def can_export(user, comparison) -> bool:
    return core.can_export(user, comparison)


def can_delete(user, comparison) -> bool:
    return core.can_delete(user, comparison)


def can(user, action: Action | str, comparison) -> bool:
    """May ``user`` do ``action`` to ``comparison``? (``create`` asks about a comparison like this one.)"""
    action = Action(action)
    if action == Action.CREATE:
        return can_create(user, comparison.dialogue_id, comparison.visibility, comparison.party_id)
    return {
        Action.VIEW: can_view,
        Action.RUN: can_run,
        Action.REVIEW: can_review,
        Action.SIGN_OFF: can_sign_off,
        Action.EXPORT: can_export,
        Action.DELETE: can_delete,
    }[action](user, comparison)


def visible_comparisons(user, queryset):
    return core.visible(user, queryset)


def visible_rows_q(user) -> Q:
    """Mappings (and gaps, with ``document__``) whose documents the user may view: deleted documents
    leave their rows (and decisions) in place, shown by label only."""
    src = core.visible_q(user, "source_document__") | Q(source_document__isnull=True)
    tgt = core.visible_q(user, "target_document__") | Q(target_document__isnull=True)
    return src & tgt


def visible_gaps_q(user) -> Q:
    return core.visible_q(user, "document__") | Q(document__isnull=True)
