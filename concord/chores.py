"""Daily housekeeping that the background worker runs by itself, so nobody has to set up cron:

- offers and requests past their date expire (`directory.actions.do_expire_listings`);
- due-date and overdue reminders go out (`reporting.actions.do_send_reminders`);
- every member gets last month's digest (`knowledge.actions.do_send_digest`);
- originals of documents deleted more than `CONCORD_ORIGINAL_RETENTION_DAYS` ago are removed
  (`library.actions.do_purge_deleted_originals`).

Each chore is idempotent (an expired listing stays expired, a reminder and a month's digest are sent once),
so running them again the same day, or from two workers, sends nothing twice. One failing chore is logged
and does not stop the others. ``concord worker`` runs them at start and then once a day; ``concord worker
--chores-only`` runs them once and exits (for cron, if preferred).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger(__name__)


def run_daily(today: dt.date | None = None) -> dict[str, object]:
    """Run every chore once; returns what each did (or the error it met)."""
    from concord.audit.log import AuditContext, reset_context, set_context

    today = today or timezone.localdate()
    done: dict[str, object] = {}
    token = set_context(AuditContext(via="task"))
    try:
        chores = (
            ("expired", _expire),
            ("reminders", _reminders),
            ("digests", _digests),
            ("originals", _purge_originals),
        )
        for name, chore in chores:
            try:
                done[name] = chore(today)
            except Exception as exc:  # one chore failing must not stop the others
                log.exception("chore %s failed", name)
                done[name] = f"failed: {exc}"
    finally:
        reset_context(token)
    return done


def _expire(today: dt.date) -> int:
    from concord.directory.actions import do_expire_listings

    return do_expire_listings(actor=None)


def _reminders(today: dt.date) -> int:
    from concord.reporting.actions import do_send_reminders

    return do_send_reminders(actor=None, today=today)


def _digests(today: dt.date) -> int:
    from concord.knowledge.actions import do_send_digest
    from concord.knowledge.digest import previous_month, recipients

    period = previous_month(today)
    return sum(1 for user in recipients() if do_send_digest(actor=None, user=user, period=period) is not None)


def _purge_originals(today: dt.date) -> int:
    from concord.library.actions import do_purge_deleted_originals

    return do_purge_deleted_originals(actor=None)


def start_daily_thread(check_every: float = 600.0) -> threading.Thread:
    """Run the chores now and then whenever the local date changes (checked every ``check_every`` s)."""

    def loop() -> None:
        last: dt.date | None = None
        while True:
            today = timezone.localdate()
            if today != last:
                close_old_connections()
                log.info("daily chores: %s", run_daily(today))
                close_old_connections()
                last = today
            time.sleep(check_every)

    thread = threading.Thread(target=loop, name="concord-chores", daemon=True)
    thread.start()
    return thread
