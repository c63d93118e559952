"""The search registry: each app says which of its models are searchable, and how.

An app registers a `Source` (usually from its AppConfig.ready, or here in `sources.py`)::

    registry.register(Source(
        kind="meeting", label=_("Meeting"), model="secretariat.Meeting",
        title=lambda m: m.title, body=lambda m: m.agenda_text(),
        access=registry.content_access,            # dialogue / visibility / party of VisibleContent
        visible_q=lambda user: core_rules.visible_q(user),
        date=lambda m: m.starts_at.date(), themes=lambda m: [t.slug for t in m.themes.all()],
    ))

``access(obj)`` returns an `Access` (or None: "do not index this object now", e.g. an unpublished
offer). ``visible_q(user)`` is the live filter on the model: search re-checks every hit with it, so what
a caller sees never depends on the index being up to date. Objects whose access is not content visibility
(a person's profile) are indexed as ``Access(None, RESTRICTED)`` with a ``check_ids`` function: the index
offers them to signed-in callers only, and ``check_ids`` decides, object by object, who sees them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet

RESTRICTED = "restricted"


@dataclass(frozen=True, slots=True)
class Access:
    dialogue_id: int | None
    visibility: str
    party_id: int | None = None


def content_access(obj: Any) -> Access:
    """The access of a `VisibleContent` object."""
    return Access(obj.dialogue_id, obj.visibility, obj.party_id)


def public_access(_obj: Any) -> Access:
    return Access(None, "public", None)


def day(value: Any) -> dt.date | None:
    """The day of a date or a datetime (None stays None)."""
    return value.date() if isinstance(value, dt.datetime) else value


def join(*parts: Any) -> str:
    """The parts that say something, as one text."""
    return " ".join(str(p) for p in parts if p)


def theme_slugs(obj: Any) -> list[str]:
    """The slugs of an object's taxonomy themes (its ``themes`` many-to-many)."""
    return [t.slug for t in obj.themes.all()]


@dataclass(frozen=True)
class Source:
    kind: str
    label: Any  # a lazy translated string
    model: str  # "app_label.ModelName"
    title: Callable[[Any], str]
    body: Callable[[Any], str]
    access: Callable[[Any], Access | None]
    visible_q: Callable[[Any], Q]
    url: Callable[[Any], str] = field(default=lambda obj: obj.get_absolute_url())
    themes: Callable[[Any], list[str]] = field(default=lambda obj: [])
    date: Callable[[Any], dt.date | None] = field(default=lambda obj: None)
    party_code: Callable[[Any], str] = field(default=lambda obj: obj.party.code if obj.party_id else "")
    language: Callable[[Any], str] = field(default=lambda obj: "")
    queryset: Callable[[], QuerySet] | None = None
    in_trends: bool = False
    # For access that is not content visibility (personal data): decides per object, replacing visible_q.
    check_ids: Callable[[Any, list[int]], set[int]] | None = None

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def all_objects(self) -> QuerySet:
        return self.queryset() if self.queryset else self.model_class()._default_manager.all()

    def visible_ids(self, user, ids: list[int]) -> set[int]:
        """Which of ``ids`` the user may see right now (one query)."""
        if not ids:
            return set()
        if self.check_ids is not None:
            return self.check_ids(user, ids)
        qs = self.model_class()._default_manager.filter(pk__in=ids).filter(self.visible_q(user))
        return set(qs.values_list("pk", flat=True))


_SOURCES: dict[str, Source] = {}
# "app_label.ModelName" (lower case) -> the entries (kind, object id) a write of such an object changes.
_DEPENDENTS: dict[str, Callable[[Any], list[tuple[str, int]]]] = {}


def register(source: Source) -> None:
    """Add (or replace) the source for ``source.kind``."""
    _SOURCES[source.kind] = source


def unregister(kind: str) -> None:
    _SOURCES.pop(kind, None)


def sources() -> list[Source]:
    return list(_SOURCES.values())


def get(kind: str) -> Source | None:
    return _SOURCES.get(kind)


def register_dependent(model: str, entries: Callable[[Any], list[tuple[str, int]]]) -> None:
    """Say that saving or deleting a ``model`` object changes the entries ``entries(obj)`` (an outcome
    changes its agenda item's entry)."""
    _DEPENDENTS[model.lower()] = entries


def dependents_of(obj: Model) -> list[tuple[str, int]]:
    entries = _DEPENDENTS.get(obj._meta.label_lower)
    return entries(obj) if entries is not None else []


def source_for(obj: Model) -> Source | None:
    label = f"{obj._meta.app_label}.{obj._meta.object_name}"
    for source in _SOURCES.values():
        if source.model.lower() == label.lower():
            return source
    return None


def trend_source(
    kind: str,
    label: Any,
    model: str,
    *,
    body: Callable[[Any], str],
    visible_q: Callable[[Any], Q],
    queryset: Callable[[], QuerySet],
    access: Callable[[Any], Access | None] = content_access,
    title: Callable[[Any], str] = attrgetter("title"),
    **more: Any,
) -> Source:
    """A kind of dialogue content counted in the trends: indexed with its own visibility unless ``access``
    says otherwise, and titled by its ``title`` unless told."""
    return Source(
        kind=kind,
        label=label,
        model=model,
        title=title,
        body=body,
        access=access,
        visible_q=visible_q,
        queryset=queryset,
        in_trends=True,
        **more,
    )
