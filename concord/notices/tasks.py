"""Sending notices by e-mail, in the background."""

from __future__ import annotations

import logging

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def send_notice_emails(notice_ids: list[int]) -> int:
    from .emails import send_notice_email
    from .models import Notice

    sent = 0
    for notice in Notice.objects.filter(pk__in=notice_ids, emailed_at__isnull=True).select_related(
        "recipient"
    ):
        try:
            sent += send_notice_email(notice)
        except Exception:  # one bad address or a mail server hiccup must not stop the others
            log.exception("could not e-mail notice %s", notice.pk)
    return sent
