"""Recording audit entries. Every `do_<verb>` action calls `record()` inside its transaction."""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction

from .models import AuditEntry
from .scope import scope_of

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class AuditContext:
    ip_address: str | None = None
    via: str = ""


_CLI = AuditContext(via="cli")  # frozen, so safe as a shared default
_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar("concord_audit_context", default=_CLI)  # noqa: B039

# Fields never copied into the log.
SECRET_FIELDS = {"password", "key_hash", "key", "secret", "token"}


def set_context(ctx: AuditContext) -> contextvars.Token:
    return _context.set(ctx)


def reset_context(token: contextvars.Token) -> None:
    _context.reset(token)


def current_context() -> AuditContext:
    return _context.get()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "size"):  # FieldFile
        return value.name or ""
    return value


def snapshot(
    obj: models.Model | None, *, fields: list[str] | None = None, related: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """The concrete, non-secret field values of ``obj``, ready for JSON. ``related`` adds, once ``obj`` is
    saved, each many-to-many relation it names as the sorted values of one field of its rows
    (``{"themes": "slug", "partners": "pk"}``)."""
    if obj is None:
        return None
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        name = field.attname
        if field.name in SECRET_FIELDS or name in SECRET_FIELDS:
            continue
        if fields is not None and field.name not in fields and name not in fields:
            continue
        data[field.name] = _jsonable(getattr(obj, name))
    if related and obj.pk:
        for relation, key in related.items():
            data[relation] = sorted(getattr(obj, relation).values_list(key, flat=True))
    return data


def acting_user(actor):
    """The signed-in user behind ``actor``, or None when a task, the demo loader or an anonymous visitor acts:
    what a ``created_by`` or ``decided_by`` column, and an audit entry, store as the person who did it."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    dialogue_id: int | None = None,
    party_code: str = "",
    about: models.Model | None = None,
) -> AuditEntry:
    """Append one entry. Call inside the transaction of the write it describes.

    The entry is readable by whoever may see ``obj`` (see ``scope.py``); ``about`` names the content it
    concerns when ``obj`` is not given or is not that content itself."""
    ctx = current_context()
    scope = scope_of(obj).narrowed(scope_of(about)) if about is not None else scope_of(obj)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
        dialogue_id = dialogue_id if dialogue_id is not None else getattr(obj, "dialogue_id", None)
        if not party_code:
            party = getattr(obj, "party", None)
            party_code = getattr(party, "code", "") or ""
    user = acting_user(actor)
    return AuditEntry.objects.create(
        actor=user,
        # A pseudonym, not the address: the entry must outlive the account without naming the person.
        actor_label=f"#{user.pk}" if user is not None else "anonymous",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip_address=ctx.ip_address,
        via=ctx.via,
        dialogue_id=dialogue_id if dialogue_id is not None else scope.dialogue_id,
        party_code=party_code,
        visibility=scope.visibility,
        party_id=scope.party_id,
    )


def save_audited(
    obj: M,
    *,
    actor,
    action: str,
    fields: list[str] | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
    **context: Any,
) -> M:
    """Save ``obj`` and record ``action`` in one transaction: the write and its entry stand or fall together.
    The entry holds ``before`` (when given) and, after the write, ``after`` when given (what the entry is to
    say, such as a decision and its reply), else ``obj``'s ``fields`` (None: all of them). ``update_fields``
    saves only those columns, as ``Model.save`` does. ``context`` goes to the entry as given: the
    ``dialogue_id`` of an object that carries none (a milestone, through its commitment), an
    ``object_repr``."""
    with transaction.atomic():
        obj.save(update_fields=update_fields)
        record(
            actor=actor,
            action=action,
            obj=obj,
            before=before,
            after=snapshot(obj, fields=fields) if after is None else after,
            **context,
        )
    return obj


def update_audited(
    obj: M,
    changes: dict[str, Any],
    *,
    actor,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    also: tuple[str, ...] = (),
    **context: Any,
) -> M:
    """Set ``changes`` on ``obj``, save those columns (and ``also``, such as ``updated_at``) and record
    ``action`` in one transaction (see `save_audited`). The entry holds ``before`` when given, and ``after``
    or, by default, the changes."""
    for name, value in changes.items():
        setattr(obj, name, value)
    return save_audited(
        obj,
        actor=actor,
        action=action,
        before=before,
        after=changes if after is None else after,
        update_fields=[*changes, *also],
        **context,
    )


def upsert_audited(
    model: type[M],
    lookup: dict[str, Any],
    defaults: dict[str, Any],
    *,
    actor,
    action: str,
    after: dict[str, Any],
    subject: models.Model | None = None,
    **context: Any,
) -> M:
    """Create or update the one ``model`` row that ``lookup`` names (setting ``defaults``) and record
    ``action`` on ``subject`` (by default that row) with ``after``, in one transaction: a person's seat on
    a working group, a party's stance on an outcome, its share of a budget."""
    with transaction.atomic():
        row, _created = model._default_manager.update_or_create(defaults=defaults, **lookup)
        record(actor=actor, action=action, obj=row if subject is None else subject, after=after, **context)
    return row


def delete_audited(obj: models.Model, *, actor, action: str, fields: list[str]) -> None:
    """Record ``action`` with ``obj``'s ``fields`` as they were, and delete it, in one transaction."""
    with transaction.atomic():
        record(actor=actor, action=action, obj=obj, before=snapshot(obj, fields=fields))
        obj.delete()
