"""Resolvers the API's output schemas share.

A schema that shows a record of a dialogue subclasses ``InDialogue`` and declares the fields it shows; ninja
uses a resolver only for a field the schema declares, so one class serves records with and without a party or
themes; ``OfMember`` adds a person's name, e-mail and organisation. ``public_read`` declares a GET anyone may
call. ``filter_by`` and ``containing`` narrow a list by the query parameters its caller gave. ``arguments``
and ``changes`` turn a payload into an action's keyword arguments. ``keep_operation_ids`` keeps the operation
ids of code that moved.
"""

from typing import Any

from django.db.models import Q, QuerySet
from ninja import Router, Schema

from concord.api.auth import AUTH_OR_ANONYMOUS, PUBLIC_READ
from concord.api.errors import ERRORS


class InDialogue(Schema):
    """The dialogue by its slug, the party by its code (None when the record has none), themes by slug."""

    @staticmethod
    def resolve_dialogue(obj):
        return obj.dialogue.slug

    @staticmethod
    def resolve_party(obj):
        return obj.party.code if obj.party_id else None

    @staticmethod
    def resolve_themes(obj):
        return [t.slug for t in obj.themes.all()]


class OfMember(InDialogue):
    """A person's place in a dialogue: their name (as ``user`` or ``full_name``), e-mail and organisation's
    name (None when there is none), besides what `InDialogue` resolves."""

    @staticmethod
    def resolve_user(obj):
        return obj.user.full_name

    @staticmethod
    def resolve_full_name(obj):
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj):
        return obj.user.email

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.name if obj.organization_id else None


def arguments(payload: Schema, *names: str) -> dict[str, Any]:
    """The payload's fields ``names``, as keyword arguments for an action that takes them by the same name."""
    return {name: getattr(payload, name) for name in names}


def changes(payload: Schema, *, keep_none: tuple[str, ...] = ()) -> dict[str, Any]:
    """What a PATCH changes: the fields the caller sent, leaving out those sent as null (but for
    ``keep_none``, the fields that null clears)."""
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in keep_none}


def public_read(router: Router, path: str, out: Any):
    """A GET anyone may call, signed in or not (anonymous callers see what is public): it answers ``out``
    or one of the API's errors, and the OpenAPI document says that no credentials are needed."""
    return router.get(path, response={200: out, **ERRORS}, auth=AUTH_OR_ANONYMOUS, openapi_extra=PUBLIC_READ)


def keep_operation_ids(router: Router, module: str, **former: str) -> None:
    """Ninja names an operation after its module: keep the ids the ``router``'s operations had in ``module``
    (``former``: another module, by operation name), so that clients generated from the OpenAPI document do
    not change when the code moves. An id set already stays."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            name = operation.view_func.__name__
            operation.operation_id = operation.operation_id or f"{former.get(name, module)}_{name}"


class Code(str):
    """A lookup matched against an ISO code, in upper case: ``party=Code("party__code")``."""

    __slots__ = ()


def filter_by(qs: QuerySet, filters: Schema, **lookups: str) -> QuerySet:
    """``qs`` narrowed by each filter the caller gave: ``name=lookup`` keeps the rows whose ``lookup`` is
    ``filters.name`` (upper-cased for a `Code`); a filter left out narrows nothing."""
    for name, lookup in lookups.items():
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{lookup: value.upper() if isinstance(lookup, Code) else value})
    return qs


def containing(qs: QuerySet, text: str | None, *fields: str) -> QuerySet:
    """The rows where one of ``fields`` contains ``text`` (any case); all of them when there is no text."""
    if not text:
        return qs
    match = Q()
    for name in fields:
        match |= Q(**{f"{name}__icontains": text})
    return qs.filter(match)
