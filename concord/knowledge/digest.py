"""The monthly digest: what is new that the user may see, rising themes, alerts for their organisations."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from concord.core import rules as core

from . import registry
from .models import SearchEntry
from .search import _entries_q, _live
from .trends import chart


def previous_month(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    y, m = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return f"{y:04d}-{m:02d}"


def current_month(today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{today.year:04d}-{today.month:02d}"


def recent_months(n: int, today: dt.date | None = None) -> list[str]:
    """The current month ("YYYY-MM") and the ``n - 1`` before it, newest first: the months one may preview."""
    today = today or timezone.localdate()
    y, m = today.year, today.month
    months = []
    for _ in range(n):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return months


def recipients():
    """Who gets the monthly digest: active people with an active seat in a dialogue, in a stable order."""
    from concord.accounts.models import User

    return User.objects.filter(is_active=True, memberships__is_active=True).distinct().order_by("pk")


def month_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of "YYYY-MM"; ValueError for anything else."""
    if len(period) != 7 or period[4] != "-":
        raise ValueError(period)
    y, m = int(period[:4]), int(period[5:])
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


@dataclass
class Digest:
    period: str
    items: list[SearchEntry] = field(default_factory=list)
    rising: list[dict] = field(default_factory=list)
    alerts: list = field(default_factory=list)
    site_url: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.items or self.alerts)


def month_window(period: str) -> tuple[dt.datetime, dt.datetime]:
    """The month "YYYY-MM" as [start, end) instants in the site's time zone (midnight to midnight)."""
    first, last = month_bounds(period)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def build(user, period: str, *, limit: int = 12) -> Digest:
    """What ``user`` may see that is new in ``period``: added or changed in Concord during the month (in the
    site's time zone), or dated in it (a listing published, a meeting held) and not in the future. The
    content's own date alone missed most of it: a law added this month is dated by its year, an
    organisation has no date, a commitment is dated by when it falls due."""
    first, last = month_bounds(period)
    start, end = month_window(period)
    today = timezone.localdate()
    kinds = [s.kind for s in registry.sources() if s.in_trends or s.kind == "organization"]
    in_month = Q(updated_at__gte=start, updated_at__lt=end) | Q(date__gte=first, date__lte=min(last, today))
    candidates = list(
        SearchEntry.objects.filter(_entries_q(user), in_month, kind__in=kinds)
        .defer("embedding", "body")
        .order_by("-updated_at", "-id")[: limit * 5]
    )
    items = _live(user, candidates)
    items.sort(key=lambda e: (e.updated_at, e.id), reverse=True)
    c = chart(user, today=min(last, today), months=6)
    rising = [
        {"label": c.labels.get(r.theme, r.theme), "recent": r.recent, "before": r.before} for r in c.rising
    ]
    from concord.directory.models import Alert
    from concord.directory.rules import editable_org_ids

    alerts = list(
        Alert.objects.filter(
            organization_id__in=editable_org_ids(user),
            created_at__date__gte=first,
            created_at__date__lte=last,
        ).select_related("opportunity", "organization")
    )
    alerts = [a for a in alerts if core.can_view(user, a.opportunity)]
    return Digest(period, items[:limit], rising, alerts, settings.SITE_URL.rstrip("/"))


def render(user, digest: Digest) -> tuple[str, str]:
    """Subject and plain-text body, in the user's language."""
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    with translation.override(user.language or "en"):
        subject = _("Concord digest for %(period)s") % {"period": digest.period}
        body = render_to_string("knowledge/digest_email.txt", {"user": user, "digest": digest})
    return subject, body
