"""The audit log, read-only, for the secretariat."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import field_validator

from concord.api.auth import AUTH
from concord.api.errors import ERRORS
from concord.api.pagination import Page
from concord.api.types import Id
from concord.audit.filters import filter_entries
from concord.audit.models import AuditEntry
from concord.audit.rules import can_read_log

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    created_at: dt.datetime
    actor: str = Field(..., alias="actor_display")
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None
    ip_address: str | None
    via: str


class AuditFilters(Schema):
    actor: str | None = Field(None, max_length=254)
    action: str | None = Field(None, max_length=80)
    object_type: str | None = Field(None, max_length=100)
    object_id: str | None = Field(None, max_length=64)
    # Strings, not dates: pydantic's lax mode would read `0` as 1970-01-01.
    since: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"}, description="YYYY-MM-DD"
    )
    until: str | None = Field(
        None, pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"}, description="YYYY-MM-DD"
    )
    q: str | None = Field(None, max_length=200)

    @field_validator("since", "until")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None:
            dt.date.fromisoformat(value)  # ValueError -> 422 naming the field
        return value


def _require(request) -> None:
    if not can_read_log(request.user):
        raise PermissionDenied("Only the secretariat can read the audit log.")


@router.get("/audit", response={200: list[AuditOut], **ERRORS}, auth=AUTH)
@paginate(Page)
def list_audit(request, filters: Query[AuditFilters]):
    _require(request)
    params = {k: v for k, v in filters.dict().items() if v}
    return filter_entries(AuditEntry.objects.visible_to(request.user).select_related("actor"), params)


@router.get("/audit/{entry_id}", response={200: AuditOut, **ERRORS}, auth=AUTH)
def get_audit_entry(request, entry_id: Id):
    _require(request)
    return get_object_or_404(AuditEntry.objects.visible_to(request.user).select_related("actor"), pk=entry_id)
