"""Who may do what in the policy library, built on the dialogue-wide rules of ``concord.core.rules``.

- **view** a document, its versions, provisions and diffs: as any content (public / dialogue / one party).
- **upload**: the secretariat, delegates and analysts of the dialogue; party-only documents for their party.
- **edit** metadata and **add a version**: as any content (its uploader, the secretariat, the owning
  party's delegates), and also the owning party's analysts, who keep their delegation's library.
- **correct themes** on provisions: the owning party's analysts and delegates, and the secretariat.
- **delete**: the secretariat and the owning party's delegates.
- **download** the original file: whoever can view it and is signed in.

A document a user may not view does not exist for them: pages, the API, downloads and diffs answer 404.
"""

from __future__ import annotations

from enum import StrEnum

from concord.accounts.models import Role
from concord.core import rules as core


class Action(StrEnum):
    VIEW = "view"
    UPLOAD = "upload"
    EDIT = "edit"
    CORRECT_THEMES = "correct_themes"
    DELETE = "delete"
    DOWNLOAD = "download"


def _own_party_seat(user, document, *roles: str) -> bool:
    return document.party_id is not None and any(
        s.role in roles and s.party_id == document.party_id for s in core.seats_in(user, document.dialogue_id)
    )


def can_view(user, document) -> bool:
    return core.can_view(user, document)


def can_upload(user, dialogue_id: int, visibility: str, party_id: int | None) -> bool:
    return core.can_create(user, dialogue_id, visibility, party_id)


def can_edit(user, document) -> bool:
    if core.can_edit(user, document):
        return True
    return can_view(user, document) and _own_party_seat(user, document, Role.ANALYST)


def can_add_version(user, document) -> bool:
    return can_edit(user, document)


def can_correct_themes(user, document) -> bool:
    if not can_view(user, document):
        return False
    return core.has_role(user, document.dialogue_id, Role.SECRETARIAT) or _own_party_seat(
        user, document, Role.ANALYST, Role.DELEGATE
    )


def can_delete(user, document) -> bool:
    return core.can_delete(user, document)


def can_download(user, document) -> bool:
    return core.can_export(user, document)


def can(user, action: Action | str, document) -> bool:
    """May ``user`` do ``action`` to ``document``? (``upload`` asks about a document like this one.)"""
    action = Action(action)
    if action == Action.UPLOAD:
        return can_upload(user, document.dialogue_id, document.visibility, document.party_id)
    return {
        Action.VIEW: can_view,
        Action.EDIT: can_edit,
        Action.CORRECT_THEMES: can_correct_themes,
        Action.DELETE: can_delete,
        Action.DOWNLOAD: can_download,
    }[action](user, document)


def visible_documents(user, queryset):
    return core.visible(user, queryset)


def visible_q(user, prefix: str = ""):
    return core.visible_q(user, prefix)
