"""Writes for notices: sending one to the people allowed to open its page, reading, choosing e-mail.

``do_notify`` is the one way a notice is made. The apps call it (through ``hooks``) at the end of their own
actions, naming candidates and the app's own view rule: a notice goes only to those the rule lets open the
page it links to, so it never tells anyone about something they could not see. E-mail is queued after the
surrounding transaction commits, as a background task, so a slow or failing mail server never fails the
request that caused the notice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.audit.log import record

from . import rules
from .kinds import Kind, email_by_default
from .models import Notice, NoticePreference, email_choices

log = logging.getLogger(__name__)


def do_notify(
    *,
    kind: str,
    recipients: Iterable,
    url: str,
    params: dict[str, Any],
    may_view: Callable[[Any], bool],
    about: models.Model | None = None,
    key: str = "",
) -> list[Notice]:
    """Send a notice of ``kind`` to each of ``recipients`` that ``may_view`` lets open ``url``.

    ``key`` makes the notice once-only per recipient (the same key twice sends nothing twice)."""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown kind of notice “%(value)s”.") % {"value": kind}})
    people = {u.pk: u for u in recipients if u is not None and u.pk and u.is_active}
    allowed = [u for u in people.values() if may_view(u)]
    if key:
        done = set(
            Notice.objects.filter(key=key, recipient__in=[u.pk for u in allowed]).values_list(
                "recipient_id", flat=True
            )
        )
        allowed = [u for u in allowed if u.pk not in done]
    if not allowed:
        return []
    object_type = about._meta.label_lower if about is not None else ""
    object_id = str(about.pk) if about is not None else ""
    with transaction.atomic():
        notices = Notice.objects.bulk_create(
            Notice(
                recipient=u,
                kind=kind,
                params=params,
                url=url[:500],
                key=key[:200],
                object_type=object_type,
                object_id=object_id,
            )
            for u in sorted(allowed, key=lambda u: u.pk)
        )
        record(
            actor=None,
            action=f"notice.send.{kind}",
            about=about,
            object_type=object_type or "notices.notice",
            object_id=object_id,
            object_repr=str(about)[:300] if about is not None else kind,
            after={"recipients": len(notices), "key": key},
        )
        chosen = dict(
            NoticePreference.objects.filter(
                user__in=[n.recipient_id for n in notices], kind=kind
            ).values_list("user_id", "email")
        )
        by_mail = [
            n.pk for n in notices if n.recipient.email and chosen.get(n.recipient_id, email_by_default(kind))
        ]
        if by_mail:
            transaction.on_commit(lambda: _queue_email(by_mail))
    return notices


def _queue_email(notice_ids: list[int]) -> None:
    """Hand the e-mails to a background task; a failure to queue is logged, never raised to the caller."""
    from .tasks import send_notice_emails

    try:
        send_notice_emails.enqueue(notice_ids=notice_ids)
    except Exception:
        log.exception("could not queue the e-mail of notices %s", notice_ids)


def do_mark_read(*, actor, notice: Notice) -> Notice:
    if not rules.can_read(actor, notice):
        raise PermissionDenied(_("This notice is not yours."))
    if notice.read_at is None:
        with transaction.atomic():
            notice.read_at = timezone.now()
            notice.save(update_fields=["read_at"])
            record(actor=actor, action="notice.read", obj=notice, object_repr=notice.kind)
    return notice


def do_mark_all_read(*, actor) -> int:
    if not rules.can_use_inbox(actor):
        raise PermissionDenied(_("Sign in to read your notices."))
    with transaction.atomic():
        count = Notice.objects.for_user(actor).unread().update(read_at=timezone.now())
        record(
            actor=actor,
            action="notice.read_all",
            object_type="notices.notice",
            object_repr=str(actor.pk),
            after={"notices": count},
        )
    return count


def do_set_email_choices(*, actor, user, email_kinds: Iterable[str]) -> dict[str, bool]:
    """``user`` gets by e-mail exactly the kinds in ``email_kinds``; every other kind in the app only."""
    if not rules.can_set_preferences(actor, user):
        raise PermissionDenied(_("You may only choose your own notices."))
    wanted = set(email_kinds)
    unknown = wanted - set(Kind.values)
    if unknown:
        raise ValidationError(
            {"email": _("Unknown kind of notice “%(value)s”.") % {"value": ", ".join(sorted(unknown))}}
        )
    before = email_choices(user)
    with transaction.atomic():
        for kind in Kind.values:
            NoticePreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": kind in wanted}
            )
        after = email_choices(user)
        record(
            actor=actor,
            action="notice.preferences",
            obj=user,
            before={"email": sorted(k for k, v in before.items() if v)},
            after={"email": sorted(k for k, v in after.items() if v)},
        )
    return after
