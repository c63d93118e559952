"""Who may do what in the policy library, built on the dialogue-wide rules of ``concord.core.rules``.

- **view** a document, its versions, provisions and diffs: as any content (public / dialogue / one party).
- **upload**: the secretariat, delegates and analysts of the dialogue; party-only documents for their party.
- **edit** metadata and **add a version**: as any content (its uploader, the secretariat, the owning
  party's delegates), and also the owning party's analysts, who keep their delegation's library.
- **correct themes** on provisions: the owning party's analysts and delegates, and the secretariat.
- **delete**: the secretariat and the owning party's delegates; and the uploader of a failed upload.
- **download** the original file: whoever can view it and is signed in.
- **import the theme taxonomy** (shared by all dialogues): the secretariat of any dialogue and administrators.

A **failed upload** (a document none of whose versions could be read) is seen only by its uploader, the
dialogue's secretariat and administrators, whatever its visibility: to everyone else it does not exist.

A document a user may not view does not exist for them: pages, the API, downloads and diffs answer 404.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

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


def is_failed_upload(document) -> bool:
    """No version of the document could be read: its current version (the first upload) failed."""
    version = document.current_version if document.current_version_id else None
    return version is not None and version.status == "failed"


def _is_uploader(user, document) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and document.created_by_id == user.pk


def _sees_failed_uploads(user, document) -> bool:
    return (
        _is_uploader(user, document)
        or bool(getattr(user, "is_superuser", False))
        or core.is_secretariat(user, document.dialogue_id)
    )


def can_view(user, document) -> bool:
    if is_failed_upload(document) and not _sees_failed_uploads(user, document):
        return False
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
    if is_failed_upload(document) and _is_uploader(user, document) and can_view(user, document):
        return True
    return can_view(user, document) and core.can_delete(user, document)


def can_import_themes(user) -> bool:
    """The theme taxonomy is shared by every dialogue: the secretariat of any dialogue, and administrators."""
    return core.is_secretariat(user) or bool(
        getattr(user, "is_superuser", False) and getattr(user, "is_active", False)
    )


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


def visible_q(user, prefix: str = "") -> Q:
    """The documents ``user`` may view (``prefix`` reaches them through a relation): by visibility, and
    failed uploads only for their uploader, the secretariat and administrators."""
    q = core.visible_q(user, prefix)
    if getattr(user, "is_superuser", False):
        return q
    shown_failed = Q(pk__in=[])  # nobody
    if getattr(user, "is_authenticated", False):
        secretariat = sorted({s.dialogue_id for s in core.seats(user) if s.role == Role.SECRETARIAT})
        shown_failed = Q(**{f"{prefix}created_by_id": user.pk}) | Q(
            **{f"{prefix}dialogue_id__in": secretariat}
        )
    failed = Q(**{f"{prefix}current_version__status": "failed"})
    return q & (~failed | shown_failed)
