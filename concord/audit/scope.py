"""Which content an audit entry is about, and so who may read it: its scope, decided when it is written.

An entry reveals what it records (a title, a changed field, a decision), so it follows the visibility of
that content. The scope is taken at write time, from the object itself when it carries a visibility and
from every piece of content it points to (a mapping points to its comparison and to the documents of both
sides; a milestone to its commitment). The narrowest of them wins: an entry about a dialogue-wide
comparison of one party's private document is private to that party. Content private to two different
parties at once is private to nobody, and so is never shown.

Entries about things that are not dialogue content (people, parties, organisations, the system) have an
empty visibility: every auditor reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import models

from concord.core.models import Visibility

NOT_CONTENT = ""
_RANK = {NOT_CONTENT: 0, Visibility.PUBLIC: 1, Visibility.DIALOGUE: 2, Visibility.PARTY: 3}
_MAX_DEPTH = 4


@dataclass(frozen=True)
class Scope:
    visibility: str = NOT_CONTENT
    dialogue_id: int | None = None
    party_id: int | None = None  # the owning party: for "party" entries, the only one who reads them

    def narrowed(self, other: Scope) -> Scope:
        """The scope that respects both: the more private visibility, and nobody's if two parties clash."""
        if self.visibility == Visibility.PARTY and other.visibility == Visibility.PARTY:
            party = self.party_id if self.party_id == other.party_id else None
            return Scope(Visibility.PARTY, self.dialogue_id or other.dialogue_id, party)
        wider, narrower = sorted((self, other), key=lambda s: _RANK.get(s.visibility, 3))
        return Scope(
            narrower.visibility,
            narrower.dialogue_id or wider.dialogue_id,
            narrower.party_id if narrower.visibility else wider.party_id,
        )


def _is_content(model) -> bool:
    """Dialogue content carries a dialogue, a visibility and an owning party (``core.VisibleContent``).

    Told by its fields rather than by its class, so that migrations can use it on historical models."""
    names = {f.name for f in model._meta.concrete_fields}
    return {"dialogue", "visibility", "party"} <= names


@cache
def _content_paths(model: type[models.Model], depth: int = 0) -> tuple[str, ...]:
    """Names of the foreign keys of ``model`` that lead, within a few steps, to dialogue content."""
    if depth >= _MAX_DEPTH:
        return ()
    names = []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):
            continue
        target = field.related_model
        if not isinstance(target, type):
            continue
        if _is_content(target) or (target is not model and _content_paths(target, depth + 1)):
            names.append(field.name)
    return tuple(names)


def scope_of(obj: models.Model | None, *, _depth: int = 0, _seen: set | None = None) -> Scope:
    """The scope of an entry about ``obj``: its own visibility narrowed by every content it points to."""
    if obj is None or _depth > _MAX_DEPTH:
        return Scope()
    seen = _seen if _seen is not None else set()
    key = (obj._meta.label_lower, obj.pk)
    if key in seen:
        return Scope()
    seen.add(key)
    scope = Scope()
    model = obj.__class__  # not type(): request.user is a lazy proxy whose __class__ is the model
    if _is_content(model):
        scope = Scope(obj.visibility, obj.dialogue_id, obj.party_id)
    for name in _content_paths(model):
        try:
            related = getattr(obj, name)
        except models.ObjectDoesNotExist:
            continue
        if related is not None:
            scope = scope.narrowed(scope_of(related, _depth=_depth + 1, _seen=seen))
    return scope
