"""Filtering the audit log (shared by the page, the export and the API)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import labels_of

FILTER_KEYS = ("actor", "action", "object_type", "object_id", "since", "until", "q")


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def filter_entries(qs: QuerySet, params) -> QuerySet:
    actor = (params.get("actor") or "").strip()
    if actor:
        # The address of a live account, or the pseudonym ("#12", "anonymous") that outlives it.
        qs = qs.filter(Q(actor__email__icontains=actor[:254]) | Q(actor_label__icontains=actor[:254]))
    action = (params.get("action") or "").strip()
    if action:
        qs = qs.filter(action__startswith=action[:80])
    object_type = (params.get("object_type") or "").strip()
    if object_type:
        qs = qs.filter(object_type__in=labels_of(object_type[:100]))
    object_id = (params.get("object_id") or "").strip()
    if object_id:
        qs = qs.filter(object_id=object_id[:64])
    since = _date(params.get("since") or "")
    if since:
        qs = qs.filter(created_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min)))
    until = _date(params.get("until") or "")
    if until:
        qs = qs.filter(
            created_at__lt=timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
        )
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(object_repr__icontains=q[:200]) | Q(action__icontains=q[:200]))
    return qs


def active_filters(params) -> dict[str, str]:
    return {k: str(params.get(k))[:200] for k in FILTER_KEYS if params.get(k)}
