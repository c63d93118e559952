"""Writes of the knowledge app: rebuilding the search index (a job) and sending monthly digests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from concord.audit.log import record
from concord.core.models import Job

from . import digest as digests
from . import rules
from .models import DigestLog


def do_rebuild_index(*, actor, kinds: list[str] | None = None) -> Job:
    """Start a background rebuild of the search index (secretariat only)."""
    from .tasks import start_rebuild

    if not rules.can_rebuild_index(actor):
        raise PermissionDenied(_("Only the secretariat rebuilds the search index."))
    with transaction.atomic():
        record(
            actor=actor,
            action="knowledge.index.rebuild",
            object_type="knowledge.searchentry",
            after={"kinds": kinds or "all"},
        )
    return start_rebuild(actor=actor, kinds=kinds)


def do_send_digest(*, actor, user, period: str) -> DigestLog | None:
    """E-mail ``user`` the digest of ``period`` ("YYYY-MM") once; None when already sent or empty."""
    try:
        digests.month_bounds(period)
    except ValueError:
        raise ValidationError({"period": _("Give the month as YYYY-MM.")}) from None
    if not rules.can_send_digest(actor, user):
        raise PermissionDenied(_("Only the secretariat sends digests to others."))
    if not user.is_active or DigestLog.objects.filter(user=user, period=period).exists():
        return None
    digest = digests.build(user, period)
    if digest.is_empty:
        return None
    subject, body = digests.render(user, digest)
    try:
        with transaction.atomic():
            log = DigestLog.objects.create(
                user=user, period=period, items=len(digest.items) + len(digest.alerts)
            )
            record(
                actor=actor,
                action="knowledge.digest.send",
                obj=log,
                after={"user": user.pk, "period": period, "items": log.items},
            )
    except IntegrityError:
        return None  # another worker sent it meanwhile
    send_mail(subject, body, None, [user.email], fail_silently=True)
    return log
