"""`concord worker`: run queued background tasks (django-tasks database backend)."""

from __future__ import annotations

import argparse
import sys

HELP = "run background tasks from the database queue"
NEEDS_DJANGO = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--batch", action="store_true", help="run the tasks that are queued now, then exit")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of the queue")
    parser.add_argument(
        "--no-chores",
        action="store_true",
        help="do not run the daily chores (expiring listings, reminders, monthly digests) in this worker",
    )
    parser.add_argument("--chores-only", action="store_true", help="run the daily chores once, then exit")


def run(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    from concord import chores
    from concord.engine.extract_pdf import ocr_hint

    if hint := ocr_hint():  # operators learn here (and in the log) why scanned PDFs fail
        print(f"concord worker: {hint}", file=sys.stderr)

    if args.chores_only:
        print(f"concord: daily chores: {chores.run_daily()}")
        return 0
    if not args.no_chores:
        if args.batch:
            chores.run_daily()
        else:
            chores.start_daily_thread()
    argv = ["--queue-name", "*", "--no-reload", "--no-startup-delay", "--interval", str(args.interval)]
    if args.batch:
        argv.append("--batch")
    call_command("db_worker", *argv)
    return 0
