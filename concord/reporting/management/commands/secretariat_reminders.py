"""Send today's due-date and overdue reminders by e-mail (run it daily, e.g. from cron)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from concord.reporting.actions import do_send_reminders


class Command(BaseCommand):
    help = "Send due-date and overdue reminders for commitments, milestones, actions and review dates."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today: “{today}” is not a date; write it as YYYY-MM-DD.") from exc
        sent = do_send_reminders(actor=None, today=day)
        self.stdout.write(f"{sent} reminder(s) sent.")
